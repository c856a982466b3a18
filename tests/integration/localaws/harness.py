"""Starts gust-localaws and the third-party peers on 127.0.0.1 for the
integration tests, each on its own free port, and stops them by pid."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request

PEERS = os.environ.get("GUST_AWS_PEERS", os.path.join(os.environ.get("GUST_SHARED_DIR", "/work/shared"), "tools", "aws-peers"))
AWS_CLI = os.environ.get("GUST_AWS_CLI", "/usr/bin/aws")  # the Debian awscli package
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "AKIDLOCAL", "AWS_SECRET_ACCESS_KEY": "local-secret", "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}


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
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if self.proc:
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream:
                    stream.close()
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
