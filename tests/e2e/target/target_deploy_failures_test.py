#!/usr/bin/env python3
"""The deploy's failure paths against our own local cloud (`gust cloud`), each
checked for the exact words the user reads: no credentials, no bootstrap, a
template the target rejects (a log group of the stack already exists: the
create fails and rolls back; the next deploy explains ROLLBACK_COMPLETE and
creates the stack anew), and a function that fails to start after deploy (its
route answers 500, `gust invoke --remote` fails with Lambda's error and the
log tail, `gust logs` shows why). examples/hello keeps the builds short.

usage: target_deploy_failures_test.py GUST SOURCE_DIR WORK_DIR
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


def copy_hello(name):
    app = os.path.join(WORK, name)
    shutil.copytree(os.path.join(SOURCE, "examples", "hello"), app, ignore=shutil.ignore_patterns(".gust"))
    return app


def no_credentials(url, app):
    out = gust(url, "deploy", app, "--stage", "t", drop=("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"))
    lines = out.stderr.splitlines()
    check(out.returncode == 1 and len(lines) == 2, "no credentials: exit 1, one error and its help", out.all)
    check(lines[:1] and lines[0].startswith("error: no AWS credentials found (tried: environment variables AWS_ACCESS_KEY_ID "
                                            "and AWS_SECRET_ACCESS_KEY: not set; ")
          and lines[0].endswith(". To configure one: export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws configure` "
                                "to write ~/.aws/credentials, or set AWS_PROFILE to a profile that has credentials"),
          "it lists what was tried and how to set credentials", out.stderr)
    check(lines[1:] == [f"help: if {url} is a local target (gust cloud, moto), any key works: "
                        "export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local"], "and how to reach the local target", out.stderr)
    check(out.stdout == "", "nothing is built or uploaded", out.stdout)


def no_bootstrap(url, app):
    out = gust(url, "deploy", app, "--stage", "t")
    check(out.returncode == 1 and out.stderr == "error: no deployment bucket: account 000000000000 in us-east-1 has no "
          "`gust-bootstrap` stack\nhelp: run `gust bootstrap` once for this account and region, then deploy again\n",
          "no bootstrap: names the missing stack and tells to run gust bootstrap", out.all)
    check("packaged" not in out.stdout, "before building anything", out.stdout)


def rejected_template(url, app, logs):
    # The target refuses a resource of the template at execution, as CloudFormation does.
    group = "/aws/lambda/hello-clash-get-hello-name"
    logs.create_log_group(logGroupName=group)
    out = gust(url, "deploy", app, "--stage", "clash")
    reason = f"Resource of type 'AWS::Logs::LogGroup' with identifier '{group}' already exists."
    check(out.returncode == 1 and f"  CREATE_FAILED        GetHelloNameLogGroup (AWS::Logs::LogGroup): {reason}\n" in out.stdout
          and "  ROLLBACK_COMPLETE    hello-clash (AWS::CloudFormation::Stack)" in out.stdout,
          "a rejected create: the failed resource and the rollback stream by", out.all)
    check(out.stderr == f"GetHelloNameLogGroup (AWS::Logs::LogGroup) failed: {reason}\n"
          "the create was rolled back: hello-clash is in ROLLBACK_COMPLETE and holds no resources (retained ones stay). "
          "It cannot be updated; the next `gust deploy` deletes it and creates it anew, or remove it with `gust remove`.\n"
          "error: deploying hello-clash failed\nhelp: fix the reason above, then deploy again\n",
          "then the first failure, the rollback's outcome and the fix", out.stderr)

    out = gust(url, "diff", app, "--stage", "clash")
    check(out.returncode == 0 and "stack hello-clash is in ROLLBACK_COMPLETE (its first create failed and rolled back): "
          "`gust deploy` will delete it and create every resource anew" in out.stdout, "gust diff explains the stuck stack", out.all)
    logs.delete_log_group(logGroupName=group)
    out = gust(url, "deploy", app, "--stage", "clash")
    check(out.returncode == 0 and "stack hello-clash is in ROLLBACK_COMPLETE: its first create failed and rolled back, so it "
          "holds no resources and cannot be updated; deleting it to create it anew" in out.stdout
          and "deployed hello-clash (CREATE_COMPLETE)" in out.stdout, "the next deploy recreates it once the cause is gone", out.all)
    out = gust(url, "remove", app, "--stage", "clash")
    check(out.returncode == 0, "gust remove", out.all)


def function_fails_to_start(url):
    # It exits before polling the Runtime API, as an app missing its configuration would.
    app = copy_hello("broken")
    main_cpp = os.path.join(app, "main.cpp")
    text = open(main_cpp).read()
    check("  gust::App app{\"hello\"};" in text, "examples/hello has the line the test breaks")
    open(main_cpp, "w").write("#include <cstdio>\n#include <cstdlib>\n" + text.replace(
        "  gust::App app{\"hello\"};",
        "  if (std::getenv(\"AWS_LAMBDA_RUNTIME_API\") != nullptr) {\n    std::fputs(\"broken: no config\\n\", stderr);\n"
        "    return 3;\n  }\n  gust::App app{\"hello\"};"))
    out = gust(url, "deploy", app, "--stage", "t")
    check(out.returncode == 0 and "deployed hello-t (CREATE_COMPLETE)" in out.stdout, "an app that cannot start still deploys", out.all)
    out = gust(url, "outputs", app, "--stage", "t", "--json")
    outputs = json.loads(out.stdout) if out.returncode == 0 else {}
    status, body = http("GET", outputs.get("ApiUrl", "") + "/hello/x")
    check((status, body) == (500, '{"message":"Internal Server Error"}'), f"its route answers API Gateway's 500: {status} {body}")

    out = gust(url, "invoke", app, "get-hello-name", "--remote", "--stage", "t")
    name = outputs.get("GetHelloNameFunctionName", "?")
    check(out.returncode == 1 and out.stdout == '{"errorMessage":"Runtime exited with error: exit status 3",'
          '"errorType":"Runtime.ExitError","stackTrace":[]}\n', "gust invoke --remote: Lambda's Runtime.ExitError", out.all)
    check(out.stderr.endswith(f"error: {name} failed (Unhandled error)\nhelp: its logs: gust logs get-hello-name {app} --stage t\n"),
          "then which function failed and where its logs are", out.stderr)
    check("broken: no config\n" in out.stderr, "the log tail (LogType Tail) shows why", out.stderr)

    out = gust(url, "logs", "get-hello-name", app, "--stage", "t", "--since", "10m")
    check(out.returncode == 0 and "broken: no config" in out.stdout
          and "Error: Runtime.ExitError: Runtime exited with error: exit status 3" in out.stdout, "gust logs shows why it failed", out.all)
    out = gust(url, "remove", app, "--stage", "t")
    check(out.returncode == 0, "gust remove", out.all)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    app = copy_hello("hello")
    cloud, url = start_cloud(GUST, os.path.join(WORK, "state"))
    logs = boto3.client("logs", endpoint_url=url, region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local")
    try:
        no_credentials(url, app)
        no_bootstrap(url, app)
        out = gust(url, "bootstrap")
        check(out.returncode == 0 and "bootstrapped: deployment bucket " in out.stdout, "gust bootstrap", out.all)
        rejected_template(url, app, logs)
        function_fails_to_start(url)
    finally:
        stop_cloud(cloud)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
