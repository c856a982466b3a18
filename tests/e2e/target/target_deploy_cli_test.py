#!/usr/bin/env python3
"""`gust bootstrap`, `deploy`, `outputs`, `logs`, `invoke --remote` and
`remove` end to end against our own local cloud as the target (`gust cloud`):
deploy examples/todo --stage test, call the API URL from the outputs with a
real HTTP client, change the handler code and deploy again (only the
functions change, the new behaviour shows), deploy unchanged (no change
set), find the invocation's lines with `gust logs`, remove. Failure paths: no
credentials, no bootstrap, a template the target rejects (a log group that
already exists: the create rolls back), a function that fails to start.

usage: target_deploy_cli_test.py GUST SOURCE_DIR WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import time

import boto3

from target_harness import check, http, start_cloud, stop_cloud, summary

GUST, SOURCE, WORK = sys.argv[1], sys.argv[2], sys.argv[3]




def gust(url, *args, drop=(), timeout=1200):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "GUST_STAGE"}
    env.update({"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": url,
                "AWS_CONFIG_FILE": os.path.join(WORK, "no-config"), "AWS_SHARED_CREDENTIALS_FILE": os.path.join(WORK, "no-credentials"),
                "NO_COLOR": "1"})
    for k in drop:
        env.pop(k, None)
    started = time.monotonic()
    out = subprocess.run([GUST, *args], env=env, capture_output=True, text=True, timeout=timeout)
    out.seconds = time.monotonic() - started
    out.all = out.stdout + out.stderr
    return out




def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    app = os.path.join(WORK, "todo")
    shutil.copytree(os.path.join(SOURCE, "examples", "todo"), app, ignore=shutil.ignore_patterns(".gust"))
    cloud, url = start_cloud(GUST, os.path.join(WORK, "state"))
    cfn = boto3.client("cloudformation", endpoint_url=url, region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local")
    try:
        out = gust(url, "deploy", app, "--stage", "test", drop=("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"))
        check(out.returncode == 1 and "no AWS credentials found" in out.stderr, "no credentials: exit 1 and says so", out.all)
        out = gust(url, "deploy", app, "--stage", "test")
        check(out.returncode == 1 and "no deployment bucket" in out.stderr and "gust bootstrap" in out.stderr, "no bootstrap: tells to run gust bootstrap", out.all)

        out = gust(url, "bootstrap")
        check(out.returncode == 0 and "bootstrapped: deployment bucket " in out.stdout, "gust bootstrap", out.all)

        out = gust(url, "deploy", app, "--stage", "test")
        check(out.returncode == 0 and "deployed todo-test" in out.stdout, f"gust deploy --stage test ({out.seconds:.0f}s)", out.all)
        out = gust(url, "outputs", app, "--stage", "test", "--json")
        outputs = json.loads(out.stdout) if out.returncode == 0 else {}
        api = outputs.get("ApiUrl", "")
        check(api.startswith("http://127.0.0.1:"), f"gust outputs gives the loopback ApiUrl {api}", out.all)
        status, body = http("POST", api + "/lists/home/todos", {"title": "milk"})
        check(status == 201, f"POST a todo through the deployed API: {status}", body)
        status, body = http("GET", api + "/lists/home/todos")
        check(status == 200 and "milk" in body, "GET reads it back", body)
        before = {r["LogicalResourceId"]: r for r in cfn.list_stack_resources(StackName="todo-test")["StackResourceSummaries"]}

        main_cpp = os.path.join(app, "main.cpp")
        text = open(main_cpp).read()
        check("title: must not be empty" in text, "the example has the message the update changes")
        open(main_cpp, "w").write(text.replace("title: must not be empty", "title: cannot be empty"))
        out = gust(url, "deploy", app, "--stage", "test")
        print(f"[target] code-only deploy {out.seconds:.1f} s", flush=True)
        check(out.returncode == 0 and "deployed todo-test (UPDATE_COMPLETE)" in out.stdout, "a code change deploys as an update", out.all)
        check("Modify" in out.stdout and " Add " not in out.stdout and " Remove " not in out.stdout, "the change set modifies only", out.stdout)
        after = {r["LogicalResourceId"]: r for r in cfn.list_stack_resources(StackName="todo-test")["StackResourceSummaries"]}
        changed = {l for l in after if after[l]["LastUpdatedTimestamp"] != before[l]["LastUpdatedTimestamp"]}
        check(changed and all(after[l]["ResourceType"] == "AWS::Lambda::Function" for l in changed), f"only functions were updated ({len(changed)})")
        status, body = http("POST", api + "/lists/home/todos", {"title": ""})
        check(status == 400 and "cannot be empty" in body, f"the new code answers: {status} {body}")

        out = gust(url, "deploy", app, "--stage", "test")
        print(f"[target] unchanged deploy {out.seconds:.1f} s", flush=True)
        check(out.returncode == 0 and "todo-test: no changes" in out.stdout, "an unchanged deploy says no changes", out.all)
        check(cfn.list_change_sets(StackName="todo-test")["Summaries"] == [], "and leaves no change set")

        out = gust(url, "logs", "post-lists-list-todos", app, "--stage", "test", "--since", "10m")
        check(out.returncode == 0 and "START RequestId" in out.stdout and "REPORT RequestId" in out.stdout, "gust logs finds the invocation's lines", out.all)
        out = gust(url, "invoke", app, "get-lists-list-todos", "--remote", "--stage", "test")
        check(out.returncode == 0, "gust invoke --remote", out.all)

        # A template the target rejects at execution: a log group of the stack already exists.
        logs = boto3.client("logs", endpoint_url=url, region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local")
        logs.create_log_group(logGroupName="/aws/lambda/todo-clash-get-lists-list-todos")
        out = gust(url, "deploy", app, "--stage", "clash")
        check(out.returncode == 1 and "already exists" in out.all and "ROLLBACK_COMPLETE" in out.all, "a rejected create: the reason and the rollback", out.all)
        out = gust(url, "remove", app, "--stage", "clash")
        check(out.returncode == 0, "gust remove of the rolled-back stack", out.all)

        out = gust(url, "remove", app, "--stage", "test")
        check(out.returncode == 0 and "removed todo-test" in out.stdout and "kept (DeletionPolicy Retain" in out.stdout, "gust remove keeps the retained", out.all)

        # A function that fails to start after deploy: 500 from its route, the failure in its logs.
        broken = os.path.join(WORK, "broken")
        shutil.copytree(os.path.join(SOURCE, "examples", "hello"), broken, ignore=shutil.ignore_patterns(".gust"))
        hello = open(os.path.join(broken, "main.cpp")).read()
        hello = hello.replace("  gust::App app{\"hello\"};", "  if (std::getenv(\"AWS_LAMBDA_RUNTIME_API\") != nullptr) {\n"
                              "    std::fputs(\"broken: no config\\n\", stderr);\n    return 3;\n  }\n  gust::App app{\"hello\"};")
        open(os.path.join(broken, "main.cpp"), "w").write("#include <cstdio>\n#include <cstdlib>\n" + hello)
        out = gust(url, "deploy", broken, "--stage", "test")
        check(out.returncode == 0, "an app that cannot start still deploys", out.all)
        out = gust(url, "outputs", broken, "--stage", "test", "--json")
        hello_api = json.loads(out.stdout).get("ApiUrl", "") if out.returncode == 0 else ""
        status, body = http("GET", hello_api + "/hello/x")
        check(status == 500, f"its route answers 500: {status} {body}")
        out = gust(url, "logs", "get-hello-name", broken, "--stage", "test", "--since", "10m")
        check("broken: no config" in out.stdout, "gust logs shows why it failed", out.all)
        gust(url, "remove", broken, "--stage", "test")
    finally:
        stop_cloud(cloud)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
