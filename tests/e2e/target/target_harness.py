"""What the `gust cloud` end-to-end tests share: checks that collect
failures, a real HTTP client, and starting/stopping a `gust cloud` on a free
loopback port (its first line names the endpoint)."""
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

failures = []


def check(condition, what, detail=""):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)
        if detail:
            print(detail, flush=True)
    return condition


def http(method, url, body=None):
    if not url.startswith("http"):
        return 0, f"no URL to call ({url!r})"  # an earlier step failed; its check says which
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, res.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def run_gust(gust, url, work, *args, drop=(), timeout=1200):
    """Runs the CLI against the target at URL with any key and no AWS files (DROP: variables to leave unset)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "GUST_STAGE"}
    env.update({"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": url,
                "AWS_CONFIG_FILE": os.path.join(work, "no-config"), "AWS_SHARED_CREDENTIALS_FILE": os.path.join(work, "no-credentials"),
                "NO_COLOR": "1"})
    for k in drop:
        env.pop(k, None)
    started = time.monotonic()
    out = subprocess.run([gust, *args], env=env, capture_output=True, text=True, timeout=timeout)
    out.seconds = time.monotonic() - started
    out.all = out.stdout + out.stderr
    return out


def start_cloud(gust, state):
    """Starts `gust cloud`; its output (the deployed functions' logs too) goes to STATE.log."""
    log = state + ".log"
    start = os.path.getsize(log) if os.path.exists(log) else 0  # a restart appends: read only what this run writes
    with open(log, "a") as out:
        proc = subprocess.Popen([gust, "cloud", "--port", "0", "--state", state], stdout=out, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        with open(log) as f:
            f.seek(start)
            lines = f.read().splitlines()
        for line in lines:
            if "serving on " in line and f"(state in {state})" in line:
                return proc, line.split("serving on ")[1].split()[0]
        time.sleep(0.05)
    proc.kill()
    raise SystemExit(f"gust cloud did not start:\n{open(log).read()}")


def stop_cloud(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def summary():
    if failures:
        print(f"{len(failures)} check(s) failed", flush=True)
        return 1
    print("all checks passed", flush=True)
    return 0
