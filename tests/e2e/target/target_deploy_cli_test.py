#!/usr/bin/env python3
"""`gust bootstrap`, `deploy`, `outputs`, `logs`, `invoke --remote` and
`remove` end to end against our own local cloud as the target (`gust cloud`):
deploy examples/todo --stage test, call the API URL from the outputs with a
real HTTP client, change the handler code and deploy again (only the
functions change, the new behaviour shows), deploy unchanged (no change
set), find the invocation's lines with `gust logs`, remove. The failure
paths are target_deploy_failures_test.py's.

usage: target_deploy_cli_test.py GUST SOURCE_DIR WORK_DIR
"""
import json
import os
import shutil
import sys

import boto3

from target_harness import check, http, run_gust, start_cloud, stop_cloud, summary

GUST, SOURCE, WORK = sys.argv[1], sys.argv[2], sys.argv[3]


def gust(url, *args, drop=()):
    return run_gust(GUST, url, WORK, *args, drop=drop)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    app = os.path.join(WORK, "todo")
    shutil.copytree(os.path.join(SOURCE, "examples", "todo"), app, ignore=shutil.ignore_patterns(".gust"))
    cloud, url = start_cloud(GUST, os.path.join(WORK, "state"))
    cfn = boto3.client("cloudformation", endpoint_url=url, region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local")
    try:
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

        out = gust(url, "remove", app, "--stage", "test")
        check(out.returncode == 0 and "removed todo-test" in out.stdout and "kept (DeletionPolicy Retain" in out.stdout, "gust remove keeps the retained", out.all)
    finally:
        stop_cloud(cloud)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
