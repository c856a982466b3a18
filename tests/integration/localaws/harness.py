"""Starts gust-localaws, `gust dev` and the third-party peers on 127.0.0.1
for the integration and end-to-end tests, each on its own free port, and
stops them by pid."""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request

PEERS = os.environ.get("GUST_AWS_PEERS", os.path.join(os.environ.get("GUST_SHARED_DIR", "/work/shared"), "tools", "aws-peers"))
AWS_CLI = os.environ.get("GUST_AWS_CLI", "/usr/bin/aws")  # the Debian awscli package
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "AKIDLOCAL", "AWS_SECRET_ACCESS_KEY": "local-secret", "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}


def stop_process(proc, sig, seconds, reader=None):
    """Sends `sig` to `proc` (by pid), waits up to `seconds`, then SIGKILL; lets
    `reader` (a thread reading its output) finish, then closes its pipes."""
    if proc is None:
        return
    if proc.poll() is None:
        os.kill(proc.pid, sig)
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    if reader is not None:
        reader.join(timeout=10)
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()


def e2e_main(module):
    """The command line of the gust dev end-to-end tests: --gust PATH --app DIR, then unittest's own arguments."""
    import argparse
    import sys
    import unittest

    parser = argparse.ArgumentParser()
    parser.add_argument("--gust", required=True, help="path of the gust CLI")
    parser.add_argument("--app", required=True, help="the app folder gust dev runs (copied first)")
    args, rest = parser.parse_known_args()
    module.GUST = os.path.abspath(args.gust)
    module.APP = os.path.abspath(args.app)
    unittest.main(module=module, argv=[sys.argv[0]] + rest, verbosity=2)


class LocalAws:
    """gust-localaws on a free port with a fresh state folder."""

    def __init__(self, binary, state=None):
        self.binary = binary
        self.tmp = None
        if state is None:
            self.tmp = tempfile.mkdtemp(prefix="gust-localaws-it-")
            state = self.tmp
        self.state = state
        self.proc = None
        self.url = None

    def start(self):
        self.proc = subprocess.Popen([self.binary, "--port", "0", "--state", self.state], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()  # "gust-localaws: http://127.0.0.1:PORT serving ..."
        if "http://127.0.0.1:" not in line:
            self.stop()
            raise RuntimeError("gust-localaws did not start: " + line + (self.proc.stderr.read() if self.proc.stderr else ""))
        self.url = line.split()[1]
        return self

    def stop(self, sig=signal.SIGTERM):
        stop_process(self.proc, sig, 10)
        self.proc = None

    def kill9(self):
        self.stop(signal.SIGKILL)

    def cleanup(self):
        self.stop()
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()


class GustDev:
    """`gust dev APP --port 0 --no-watch` on a copy of `app_dir`: the gateway
    (`url_gateway`) and its local AWS endpoint (`url`), with every line it
    prints kept for `wait_for`. The same interface as LocalAws, so a test can
    run against either; `start` after `kill9` restarts on the same state."""

    def __init__(self, gust, app_dir, copy=True, reset=False, startup_seconds=600):
        self.gust = gust
        self.tmp = tempfile.mkdtemp(prefix="gust-dev-it-")
        self.app = app_dir
        if copy:
            self.app = os.path.join(self.tmp, "app")
            shutil.copytree(app_dir, self.app, ignore=shutil.ignore_patterns(".gust", "build"))
        self.reset = reset  # the first start empties the local services (`gust dev --reset`)
        # Scratch files of the tests (LocalAws's tests write theirs into its state folder).
        self.state = os.path.join(self.tmp, "scratch")
        os.makedirs(self.state, exist_ok=True)
        self.aws_state = os.path.join(self.app, ".gust", "dev", "aws")
        self.startup_seconds = startup_seconds
        self.proc = None
        self.url = None
        self.url_gateway = None
        self.lines = []
        self.changed = threading.Condition()
        self.reader = None

    def _read(self, proc):
        for line in proc.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def mark(self):
        """The number of lines so far: pass it to `wait_for` to look only at what comes after."""
        with self.changed:
            return len(self.lines)

    def output(self, since=0):
        with self.changed:
            return "\n".join(self.lines[since:])

    def wait_for(self, pattern, seconds, since=0, count=1):
        """The first `count` matches of `pattern` in lines printed after `since`, or None after `seconds`."""
        regex = re.compile(pattern)
        deadline = time.time() + seconds
        with self.changed:
            while True:
                found = [m for m in (regex.search(line) for line in self.lines[since:]) if m]
                if len(found) >= count:
                    return found[:count] if count > 1 else found[0]
                left = deadline - time.time()
                if left <= 0 or (self.proc is not None and self.proc.poll() is not None and not found):
                    return None
                self.changed.wait(min(left, 0.5))

    def start(self, *extra):
        if self.reset:
            extra = ("--reset", *extra)
            self.reset = False
        since = self.mark()
        env = dict(os.environ)
        env["NO_COLOR"] = "1"
        self.proc = subprocess.Popen([self.gust, "dev", self.app, "--port", "0", "--no-watch", *extra], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env=env)
        self.reader = threading.Thread(target=self._read, args=(self.proc,), daemon=True)
        self.reader.start()
        if not self.wait_for(r"Ctrl-C stops", self.startup_seconds, since):
            out = self.output(since)
            self.stop()
            raise RuntimeError("gust dev did not start:\n" + out)
        text = self.output(since)
        self.url_gateway = re.search(r"serving on (http://127\.0\.0\.1:[0-9]+)", text).group(1)
        self.url = re.search(r"aws +(http://127\.0\.0\.1:[0-9]+)", text).group(1)
        return self

    def stop(self, sig=signal.SIGINT):
        stop_process(self.proc, sig, 30, self.reader)
        self.proc = None

    def kill9(self):
        self.stop(signal.SIGKILL)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()


class Peer:
    """One third-party server from shared/tools/aws-peers, in a private state dir."""

    def __init__(self, kind):
        self.kind = kind
        self.state = tempfile.mkdtemp(prefix="gust-peer-%s-" % kind)
        self.name = "%s-%d" % (kind, os.getpid())
        self.url = None

    def env(self):
        e = dict(os.environ)
        e["AWS_PEERS_STATE"] = self.state
        return e

    def start(self):
        out = subprocess.run([PEERS, "start", self.kind, "--port", "0", "--name", self.name, "--dir", os.path.join(self.state, "data")],
                             env=self.env(), capture_output=True, text=True, timeout=180)
        if out.returncode != 0:
            raise RuntimeError("aws-peers start %s failed: %s" % (self.kind, out.stderr))
        self.url = out.stdout.strip().splitlines()[-1]
        return self

    def stop(self):
        subprocess.run([PEERS, "stop", self.name], env=self.env(), capture_output=True, text=True, timeout=60)
        shutil.rmtree(self.state, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def boto_client(service, url, **kwargs):
    import boto3
    from botocore.config import Config

    config = kwargs.pop("config", None) or Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)
    return boto3.client(service, endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id=kwargs.pop("key", CREDENTIALS["AWS_ACCESS_KEY_ID"]),
                        aws_secret_access_key=kwargs.pop("secret", CREDENTIALS["AWS_SECRET_ACCESS_KEY"]), config=config, **kwargs)


def aws_cli(url, *args, check=True):
    """Runs the Debian awscli against `url`; returns parsed JSON output (or text)."""
    env = dict(os.environ)
    env.update(CREDENTIALS)
    env["AWS_PAGER"] = ""
    env.pop("AWS_PROFILE", None)
    out = subprocess.run([AWS_CLI, "--endpoint-url", url, "--output", "json", *args], env=env, capture_output=True, text=True, timeout=120)
    if check and out.returncode != 0:
        raise AssertionError("aws %s failed (%d): %s" % (" ".join(args), out.returncode, out.stderr))
    if out.returncode != 0:
        return out
    text = out.stdout.strip()
    try:
        return json.loads(text) if text else {}
    except ValueError:
        return text


def raw_http(url, method, path, body=b"", headers=None, timeout=10):
    req = urllib.request.Request(url + path, data=body if method not in ("GET", "HEAD") else None, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def wait_until(predicate, seconds=10, step=0.05):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None
