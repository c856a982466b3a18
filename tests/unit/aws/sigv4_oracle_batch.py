#!/usr/bin/env python3
"""Signs many requests with shared/tools/sigv4-oracle in one process.

Usage: sigv4_oracle_batch.py PATH/TO/sigv4-oracle < requests.jsonl > answers.jsonl

Each input line is a JSON object with the arguments of the oracle's sign()
(method, url, headers [[name, value]...], body, date, access_key, secret_key,
token, region, service, s3, presign, unsigned_payload); each output line holds
the oracle's answer for it (authorization or url, signature, canonical_request,
string_to_sign), or {"error": "..."}. Loading botocore once is what makes a
1,000-request differential test take about a second instead of minutes.
"""
import importlib.machinery
import importlib.util
import json
import sys


def load_oracle(path):
    loader = importlib.machinery.SourceFileLoader("sigv4_oracle", path)
    spec = importlib.util.spec_from_loader("sigv4_oracle", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def main():
    oracle = load_oracle(sys.argv[1])
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        try:
            got = oracle.sign(
                r["method"], r["url"], [tuple(h) for h in r["headers"]], r["body"].encode("utf-8"),
                oracle.parse_date(r["date"]), r["access_key"], r["secret_key"], r.get("token") or None,
                r["region"], r["service"], s3=r.get("s3", False), presign=r.get("presign"),
                unsigned_payload=r.get("unsigned_payload", False))
            out = {k: got.get(k) for k in ("authorization", "signature", "url", "canonical_request", "string_to_sign")}
        except Exception as e:  # one bad request must not hide the others
            out = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
