#!/usr/bin/env python3
"""The local cloud as a deploy target, driven with boto3 as any AWS tool would.

Starts `gust cloud` on a free loopback port, packages examples/todo, uploads
it to the target's S3 and runs CloudFormation change sets against it: create
(then calls the API URL output with a real HTTP client), a code-only update
(only the functions change), an unchanged template (the no-changes change
set), CloudWatch Logs FilterLogEvents over the invocations, STS, Lambda
Invoke, a restart (stacks and API URL survive), delete-stack (retained table
kept), and the failure paths: CloudFormation's error shapes for bad
templates, a failed create rolled back, a failed update rolled back, and a
function that fails to start.

usage: target_test.py GUST SOURCE_DIR WORK_DIR
"""
import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile

import boto3
import botocore.config
import botocore.exceptions

from target_harness import check, http, start_cloud, stop_cloud, summary

GUST, SOURCE, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
STATE = os.path.join(WORK, "state")
NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set."








def clients(url):
    session = boto3.session.Session(aws_access_key_id="AKIDLOCALTEST", aws_secret_access_key="secret", region_name="us-east-1")
    config = botocore.config.Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})
    return {name: session.client(name, endpoint_url=url, config=config)
            for name in ("cloudformation", "s3", "sts", "lambda", "logs", "dynamodb", "sqs")}


def error_of(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"].get("Code"), e.response["Error"].get("Message"), e.response["ResponseMetadata"]["HTTPStatusCode"]
    return None, None, None


def wait_stack(cfn, name, done, seconds=180):
    deadline = time.time() + seconds
    while time.time() < deadline:
        stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
        if not stack["StackStatus"].endswith("_IN_PROGRESS"):
            return stack
        time.sleep(0.2)
    raise SystemExit(f"stack {name} did not finish within {seconds}s (waiting for {done})")




def all_events(cfn, stack):
    """Every event of STACK, newest first, through DescribeStackEvents' pages (bounded)."""
    events, token = [], None
    for _ in range(100):
        page = cfn.describe_stack_events(StackName=stack, **({"NextToken": token} if token else {}))
        events += page["StackEvents"]
        token = page.get("NextToken")
        if not token:
            return events
    raise SystemExit(f"DescribeStackEvents of {stack} did not end within 100 pages")


def outputs(stack):
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def zip_of(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, (data, mode) in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            info.create_system = 3
            z.writestr(info, data)
    return buffer.getvalue()


def aws_cli(url, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": "AKIDLOCALTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"})
    return subprocess.run(["aws", "--endpoint-url", url, *args], env=env, capture_output=True, text=True, timeout=300)


def change_set(cfn, stack, name, kind, template, parameters):
    """A change set; a template given as an http URL goes as TemplateURL (too large to inline)."""
    source = {"TemplateURL": template} if template.startswith("http") else {"TemplateBody": template}
    cfn.create_change_set(StackName=stack, ChangeSetName=name, ChangeSetType=kind, **source,
                          Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
                          Capabilities=["CAPABILITY_IAM"])
    return cfn.describe_change_set(StackName=stack, ChangeSetName=name)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    app = os.path.join(WORK, "todo")
    shutil.copytree(os.path.join(SOURCE, "examples", "todo"), app, ignore=shutil.ignore_patterns(".gust"))

    # The package and its template, as gust deploy makes them.
    started = time.time()
    subprocess.run([GUST, "package", app, "--out", os.path.join(WORK, "pkg")], check=True)
    print(f"packaged in {time.time() - started:.0f}s", flush=True)
    package = open(os.path.join(WORK, "pkg", "todo.zip"), "rb").read()
    manifest = subprocess.run([os.path.join(WORK, "pkg", "bootstrap"), "manifest"], check=True, capture_output=True, text=True).stdout
    with open(os.path.join(WORK, "manifest.json"), "w") as f:
        f.write(manifest)
    subprocess.run([GUST, "synth", "--manifest", os.path.join(WORK, "manifest.json"), "--stage", "test", "--out", os.path.join(WORK, "out")],
                   check=True, capture_output=True)
    template = open(os.path.join(WORK, "out", "template.json")).read()
    resource_count = len(json.loads(template)["Resources"])

    proc, url = start_cloud(GUST, STATE)
    try:
        c = clients(url)
        cfn = c["cloudformation"]
        check(c["sts"].get_caller_identity()["Account"] == "000000000000", "STS GetCallerIdentity answers the local account")
        check(c["sts"].get_caller_identity()["Arn"].endswith("/AKIDLOCALTEST"), "STS names the caller after its access key")

        bucket = "gust-deploy-000000000000-us-east-1"
        c["s3"].create_bucket(Bucket=bucket)
        key = hashlib.sha256(package).hexdigest() + ".zip"
        c["s3"].put_object(Bucket=bucket, Key=key, Body=package)
        params = {"ArtifactBucket": bucket, "ArtifactKey": key}
        # The template is larger than CloudFormation's 51,200 bytes inline limit: it goes through S3, as gust deploy sends it.
        c["s3"].put_object(Bucket=bucket, Key="todo-test.template.json", Body=template.encode())
        template_url = f"{url}/{bucket}/todo-test.template.json"
        code, message, _ = error_of(lambda: change_set(cfn, "todo-test", "inline", "CREATE", template, params))
        check(code == "ValidationError" and "51200" in message, f"a {len(template)}-byte TemplateBody is refused: {message!r}")

        def uploaded(text, name):
            c["s3"].put_object(Bucket=bucket, Key=name, Body=text.encode())
            return f"{url}/{bucket}/{name}"

        # --- failure shapes before anything exists
        code, message, status = error_of(lambda: cfn.describe_stacks(StackName="todo-test"))
        check(code == "ValidationError" and message == "Stack with id todo-test does not exist" and status == 400,
              f"DescribeStacks of a missing stack: {code} {message!r}")
        code, message, _ = error_of(lambda: change_set(cfn, "bad", "c", "CREATE", "{\"Resources\": {", params))
        code_url, message_url, _ = error_of(lambda: change_set(cfn, "bad", "c", "CREATE", f"{url}/{bucket}/missing.json", params))
        check(code_url == "ValidationError" and message_url == "S3 error: The specified key does not exist.", f"a TemplateURL to nothing: {message_url!r}")
        check(code == "ValidationError" and message.startswith("Template format error: JSON not well-formed."), f"bad JSON: {message!r}")
        broken = json.loads(template)
        broken["Resources"]["Odd"] = {"Type": "AWS::EC2::Instance", "Properties": {}}
        code, message, _ = error_of(lambda: change_set(cfn, "bad", "c", "CREATE", uploaded(json.dumps(broken), "odd.json"), params))
        check(code == "ValidationError" and "Unrecognized resource types: [AWS::EC2::Instance (Odd)]" in message, f"unsupported type: {message!r}")
        broken = json.loads(template)
        broken["Resources"]["TodosTable"]["Properties"]["TableName"] = {"Fn::Frobnicate": ["x"]}
        code, message, _ = error_of(lambda: change_set(cfn, "bad", "c", "CREATE", uploaded(json.dumps(broken), "frob.json"), params))
        check(code == "ValidationError" and "Encountered unsupported function: Fn::Frobnicate" in message, f"unknown intrinsic: {message!r}")
        code, message, _ = error_of(lambda: change_set(cfn, "bad", "c", "CREATE", template_url, {"ArtifactBucket": bucket}))
        check(code == "ValidationError" and message == "Parameters: [ArtifactKey] must have values", f"missing parameter: {message!r}")
        code, message, _ = error_of(lambda: cfn.create_change_set(StackName="bad", ChangeSetName="c", ChangeSetType="CREATE",
                                                                  TemplateURL=template_url, Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in params.items()]))
        check(code == "InsufficientCapabilitiesException" and message == "Requires capabilities : [CAPABILITY_IAM]", f"IAM without capability: {message!r}")

        # --- create
        cs = change_set(cfn, "todo-test", "create-1", "CREATE", template_url, params)
        actions = {ch["ResourceChange"]["Action"] for ch in cs["Changes"]}
        check(cs["Status"] == "CREATE_COMPLETE" and cs["ExecutionStatus"] == "AVAILABLE", f"create change set is {cs['Status']}")
        check(actions == {"Add"} and len(cs["Changes"]) == resource_count, f"{len(cs['Changes'])} Add changes for {resource_count} resources")
        check(cfn.describe_stacks(StackName="todo-test")["Stacks"][0]["StackStatus"] == "REVIEW_IN_PROGRESS", "a new stack waits in REVIEW_IN_PROGRESS")
        started = time.time()
        cfn.execute_change_set(StackName="todo-test", ChangeSetName="create-1")
        stack = wait_stack(cfn, "todo-test", "CREATE_COMPLETE")
        print(f"created {resource_count} resources in {time.time() - started:.2f}s", flush=True)
        check(stack["StackStatus"] == "CREATE_COMPLETE", f"stack is {stack['StackStatus']} ({stack.get('StackStatusReason')})")
        first_page = cfn.describe_stack_events(StackName="todo-test")
        check(len(first_page["StackEvents"]) == 100 and "NextToken" in first_page, "DescribeStackEvents gives pages of 100 and a NextToken")
        events = all_events(cfn, "todo-test")
        check(events[:100] == first_page["StackEvents"] and len({e["EventId"] for e in events}) == len(events),
              f"the pages continue without repeats ({len(events)} events)")
        check(events[-1]["LogicalResourceId"] == "todo-test" and events[-1]["ResourceStatusReason"] == "User Initiated",
              "and end at the create's first event")
        code, message, _ = error_of(lambda: cfn.describe_stack_events(StackName="todo-test", NextToken="bogus"))
        check((code, message) == ("ValidationError", "Invalid NextToken"), f"a NextToken it never gave: {code} {message!r}")
        check(events[0]["LogicalResourceId"] == "todo-test" and events[0]["ResourceStatus"] == "CREATE_COMPLETE", "newest event first: the stack's CREATE_COMPLETE")
        check(sum(1 for e in events if e["ResourceStatus"] == "CREATE_COMPLETE") == resource_count + 1, "one CREATE_COMPLETE per resource and the stack")
        resources = {r["LogicalResourceId"]: r for r in cfn.list_stack_resources(StackName="todo-test")["StackResourceSummaries"]}
        check(len(resources) == resource_count, f"ListStackResources lists {len(resources)} resources")
        out = outputs(stack)
        api = out["ApiUrl"]
        check(api.startswith("http://127.0.0.1:"), f"ApiUrl {api} is on loopback")
        check(out["TodosTableName"] in c["dynamodb"].list_tables()["TableNames"], "the table exists in the local DynamoDB")
        check(c["sqs"].get_queue_url(QueueName=out["TodoEventsQueueUrl"].rsplit("/", 1)[1])["QueueUrl"].endswith(out["TodoEventsQueueUrl"].rsplit("/", 1)[1]),
              "the queue exists in the local SQS")
        attrs = c["sqs"].get_queue_attributes(QueueUrl=out["TodoEventsQueueUrl"], AttributeNames=["RedrivePolicy"])["Attributes"]
        check("deadLetterTargetArn" in attrs.get("RedrivePolicy", ""), "the queue has its redrive policy")

        status, body = http("POST", api + "/lists/home/todos", {"title": "milk"})
        check(status == 201 and json.loads(body)["title"] == "milk", f"POST through the deployed API: {status} {body[:200]}")
        status, body = http("GET", api + "/lists/home/todos")
        check(status == 200 and any(t["title"] == "milk" for t in json.loads(body)), f"GET reads it back: {status} {body[:200]}")
        check(http("GET", api + "/nowhere")[0] == 404, "an unrouted path gets API Gateway's 404")

        fn = out["GetListsListTodosFunctionName"]
        event = {"version": "2.0", "routeKey": "GET /lists/{list}/todos", "rawPath": "/lists/home/todos", "rawQueryString": "",
                 "headers": {}, "pathParameters": {"list": "home"},
                 "requestContext": {"http": {"method": "GET", "path": "/lists/home/todos", "sourceIp": "127.0.0.1"}, "requestId": "r1",
                                    "routeKey": "GET /lists/{list}/todos", "stage": "$default"}, "isBase64Encoded": False}
        res_plain = res = c["lambda"].invoke(FunctionName=fn, Payload=json.dumps(event).encode())
        payload = json.loads(res["Payload"].read())
        check(res["StatusCode"] == 200 and payload.get("statusCode") == 200 and "milk" in payload.get("body", ""), f"Lambda Invoke on {fn}: {payload}")
        res = c["lambda"].invoke(FunctionName=fn, Payload=json.dumps(event).encode(), LogType="Tail")
        request_id = res["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-requestid", "?")
        tail = base64.b64decode(res.get("LogResult", "")).decode()
        check(tail.startswith(f"START RequestId: {request_id} Version: $LATEST\n") and f"\nEND RequestId: {request_id}\nREPORT RequestId: {request_id}\t" in tail
              and tail.endswith("\n"), "LogType Tail returns the invocation's log in X-Amz-Log-Result", tail)
        check("LogResult" not in res_plain, "and only when asked")
        code, message, status = error_of(lambda: c["lambda"].invoke(FunctionName=fn, Payload=b"{}", LogType="Everything"))
        check((code, status) == ("InvalidParameterValueException", 400), f"an unknown LogType: {code} {message!r}")
        code, message, status = error_of(lambda: c["lambda"].invoke(FunctionName="todo-test-nope", Payload=b"{}"))
        check(code == "ResourceNotFoundException" and status == 404, f"Invoke of an unknown function: {code}")

        group = "/aws/lambda/todo-test-get-lists-list-todos"
        found = []
        for _ in range(50):
            found = c["logs"].filter_log_events(logGroupName=group, filterPattern="REPORT RequestId")["events"]
            if len(found) >= 2:
                break
            time.sleep(0.1)
        check(len(found) >= 2, f"FilterLogEvents finds the REPORT lines of both invocations ({len(found)})")
        starts = c["logs"].filter_log_events(logGroupName=group, filterPattern="START", limit=1)
        check(len(starts["events"]) == 1 and "nextToken" in starts, "limit 1 gives one event and a nextToken")
        more = c["logs"].filter_log_events(logGroupName=group, filterPattern="START", nextToken=starts["nextToken"])
        check(len(more["events"]) >= 1 and more["events"][0]["eventId"] != starts["events"][0]["eventId"], "the next page continues after it")
        future = c["logs"].filter_log_events(logGroupName=group, startTime=int(time.time() * 1000) + 3600_000)["events"]
        check(future == [], "startTime in the future finds nothing")
        code, _, _ = error_of(lambda: c["logs"].filter_log_events(logGroupName="/aws/lambda/none"))
        check(code == "ResourceNotFoundException", "an unknown log group is ResourceNotFoundException")

        # --- unchanged: the no-changes change set
        cs = change_set(cfn, "todo-test", "same", "UPDATE", template_url, params)
        check(cs["Status"] == "FAILED" and cs["StatusReason"] == NO_CHANGES and cs["ExecutionStatus"] == "UNAVAILABLE", f"unchanged: {cs['Status']} {cs.get('StatusReason')!r}")
        code, _, _ = error_of(lambda: cfn.execute_change_set(StackName="todo-test", ChangeSetName="same"))
        check(code == "InvalidChangeSetStatus", "a FAILED change set cannot be executed")
        cfn.delete_change_set(StackName="todo-test", ChangeSetName="same")

        # --- code-only update: only the functions change
        new_package = zip_of({"bootstrap": (open(os.path.join(WORK, "pkg", "bootstrap"), "rb").read(), 0o755), "VERSION": (b"2\n", 0o644)})
        new_key = hashlib.sha256(new_package).hexdigest() + ".zip"
        c["s3"].put_object(Bucket=bucket, Key=new_key, Body=new_package)
        cs = change_set(cfn, "todo-test", "code-2", "UPDATE", template_url, {"ArtifactBucket": bucket, "ArtifactKey": new_key})
        types = {ch["ResourceChange"]["ResourceType"] for ch in cs["Changes"]}
        functions = [l for l, r in resources.items() if r["ResourceType"] == "AWS::Lambda::Function"]
        check(types == {"AWS::Lambda::Function"} and len(cs["Changes"]) == len(functions), f"code update changes {len(cs['Changes'])} functions only: {types}")
        check(all(ch["ResourceChange"]["Action"] == "Modify" and ch["ResourceChange"]["Replacement"] == "False" for ch in cs["Changes"]),
              "each is Modify, Replacement False")
        check(all(d["Target"]["Name"] == "Code" for ch in cs["Changes"] for d in ch["ResourceChange"]["Details"]), "the changed property is Code")
        cfn.execute_change_set(StackName="todo-test", ChangeSetName="code-2")
        # The Debian AWS CLI's own waiter and queries, against the same endpoint.
        waited = aws_cli(url, "cloudformation", "wait", "stack-update-complete", "--stack-name", "todo-test")
        check(waited.returncode == 0, "`aws cloudformation wait stack-update-complete` returns", waited.stderr)
        stack = wait_stack(cfn, "todo-test", "UPDATE_COMPLETE")
        listed = aws_cli(url, "cloudformation", "describe-stacks", "--stack-name", "todo-test", "--query", "Stacks[0].StackStatus", "--output", "text")
        check(listed.stdout.strip() == "UPDATE_COMPLETE", f"`aws cloudformation describe-stacks` reads {listed.stdout.strip()}", listed.stderr)
        found = aws_cli(url, "logs", "filter-log-events", "--log-group-name", group, "--filter-pattern", "START", "--query", "length(events)")
        check(found.returncode == 0 and int(found.stdout.strip() or 0) >= 2, f"`aws logs filter-log-events` finds {found.stdout.strip()} START lines", found.stderr)
        check(stack["StackStatus"] == "UPDATE_COMPLETE", f"update: {stack['StackStatus']} ({stack.get('StackStatusReason')})")
        after = {r["LogicalResourceId"]: r for r in cfn.list_stack_resources(StackName="todo-test")["StackResourceSummaries"]}
        untouched = [l for l in after if l not in functions and after[l]["LastUpdatedTimestamp"] == resources[l]["LastUpdatedTimestamp"]
                     and after[l]["PhysicalResourceId"] == resources[l]["PhysicalResourceId"]]
        check(len(untouched) == resource_count - len(functions), f"{len(untouched)} non-function resources untouched")
        check(all(after[f]["ResourceStatus"] == "UPDATE_COMPLETE" for f in functions), "every function UPDATE_COMPLETE")
        status, body = http("GET", api + "/lists/home/todos")
        check(status == 200 and "milk" in body, "the new code serves the same data through the same URL")

        # --- a failed update rolls back
        cs = change_set(cfn, "todo-test", "missing-code", "UPDATE", template_url, {"ArtifactBucket": bucket, "ArtifactKey": "missing.zip"})
        cfn.execute_change_set(StackName="todo-test", ChangeSetName="missing-code")
        stack = wait_stack(cfn, "todo-test", "UPDATE_ROLLBACK_COMPLETE")
        check(stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE", f"a failed update ends {stack['StackStatus']}")
        failed = [e for e in all_events(cfn, "todo-test") if e["ResourceStatus"] == "UPDATE_FAILED"]
        check(failed and "NoSuchKey" in failed[0].get("ResourceStatusReason", ""), f"the failed resource says why: {failed[0].get('ResourceStatusReason') if failed else None}")
        check(http("GET", api + "/lists/home/todos")[0] == 200, "after the rollback the API still serves")

        # --- a failed create rolls back (ROLLBACK_COMPLETE), and a stack in it cannot be updated
        bad = {"Resources": {"Scratch": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PAY_PER_REQUEST",
                   "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}},
               "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
               "Fn": {"Type": "AWS::Lambda::Function", "DependsOn": ["Scratch"], "Properties": {"Handler": "x", "Runtime": "provided.al2023",
                      "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Code": {"S3Bucket": bucket, "S3Key": "nope.zip"}}}}}
        change_set(cfn, "broken", "c1", "CREATE", json.dumps(bad), {})
        cfn.execute_change_set(StackName="broken", ChangeSetName="c1")
        stack = wait_stack(cfn, "broken", "ROLLBACK_COMPLETE")
        check(stack["StackStatus"] == "ROLLBACK_COMPLETE" and "[Fn]" in stack.get("StackStatusReason", ""), f"failed create: {stack['StackStatus']} {stack.get('StackStatusReason')!r}")
        statuses = [e["ResourceStatus"] for e in reversed(all_events(cfn, "broken"))]
        check("CREATE_FAILED" in statuses and "ROLLBACK_IN_PROGRESS" in statuses and statuses[-1] == "ROLLBACK_COMPLETE", "events: CREATE_FAILED, ROLLBACK_IN_PROGRESS ... ROLLBACK_COMPLETE")
        check(not any(t.startswith("broken-Scratch") for t in c["dynamodb"].list_tables()["TableNames"]), "the rollback deleted the table it made")
        code, message, _ = error_of(lambda: change_set(cfn, "broken", "c2", "UPDATE", json.dumps(bad), {}))
        check(code == "ValidationError" and "ROLLBACK_COMPLETE state and can not be updated" in message, f"updating a ROLLBACK_COMPLETE stack: {message!r}")
        cfn.delete_stack(StackName="broken")

        # --- a function that fails to start: 500 from the API, the error in its logs
        crash = zip_of({"bootstrap": (b"#!/bin/sh\necho 'cannot start: missing config' >&2\nexit 3\n", 0o755)})
        c["s3"].put_object(Bucket=bucket, Key="crash.zip", Body=crash)
        crashing = {"Resources": {
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "x", "Runtime": "provided.al2023",
                   "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Code": {"S3Bucket": bucket, "S3Key": "crash.zip"}}},
            "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": {"Fn::Sub": "${AWS::StackName}"}, "ProtocolType": "HTTP"}},
            "Stage": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "Api"}, "StageName": "$default", "AutoDeploy": True}},
            "Integration": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"ApiId": {"Ref": "Api"}, "IntegrationType": "AWS_PROXY",
                            "IntegrationUri": {"Fn::GetAtt": ["Fn", "Arn"]}, "PayloadFormatVersion": "2.0"}},
            "Route": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Api"}, "RouteKey": "GET /x",
                      "Target": {"Fn::Join": ["/", ["integrations", {"Ref": "Integration"}]]}}}},
            "Outputs": {"Url": {"Value": {"Fn::GetAtt": ["Api", "ApiEndpoint"]}}, "Name": {"Value": {"Ref": "Fn"}}}}
        change_set(cfn, "crashing", "c1", "CREATE", json.dumps(crashing), {})
        cfn.execute_change_set(StackName="crashing", ChangeSetName="c1")
        stack = wait_stack(cfn, "crashing", "CREATE_COMPLETE")
        check(stack["StackStatus"] == "CREATE_COMPLETE", "a function whose bootstrap exits still deploys (as on AWS)")
        status, body = http("GET", outputs(stack)["Url"] + "/x")
        check(status == 500 and "Internal Server Error" in body, f"its route answers 500: {status} {body}")
        lines = c["logs"].filter_log_events(logGroupName="/aws/lambda/" + outputs(stack)["Name"])["events"]
        check(any("cannot start: missing config" in e["message"] for e in lines), "its own output is in its log group")
        check(any("Error" in e["message"] for e in lines), "the failed start is in its log group")
        cfn.delete_stack(StackName="crashing")

        # --- restart: stacks, data and the API URL survive
        stop_cloud(proc)
        proc, url = start_cloud(GUST, STATE)
        c = clients(url)
        cfn = c["cloudformation"]
        stack = cfn.describe_stacks(StackName="todo-test")["Stacks"][0]
        check(stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE" and outputs(stack)["ApiUrl"] == api, "after a restart the stack and its ApiUrl are back")
        status, body = http("GET", api + "/lists/home/todos")
        check(status == 200 and "milk" in body, f"after a restart the API serves the stored todos: {status}")

        # --- delete: retained table kept, queue gone
        cfn.delete_stack(StackName="todo-test")
        deadline = time.time() + 120
        while time.time() < deadline and error_of(lambda: cfn.describe_stacks(StackName="todo-test"))[0] is None:
            time.sleep(0.2)
        code, message, _ = error_of(lambda: cfn.describe_stacks(StackName="todo-test"))
        check(code == "ValidationError", "after delete-stack the stack does not exist")
        deleted = cfn.describe_stacks(StackName=stack["StackId"])["Stacks"][0]
        check(deleted["StackStatus"] == "DELETE_COMPLETE", "by its id the deleted stack reads DELETE_COMPLETE")
        skipped = {e["LogicalResourceId"] for e in all_events(cfn, stack["StackId"]) if e["ResourceStatus"] == "DELETE_SKIPPED"}
        check(skipped == {"TodosTable", "AttachmentsBucket"}, f"DeletionPolicy Retain kept {sorted(skipped)}")
        check(out["TodosTableName"] in c["dynamodb"].list_tables()["TableNames"], "the retained table is still there")
        code, _, _ = error_of(lambda: c["sqs"].get_queue_attributes(QueueUrl=out["TodoEventsQueueUrl"]))
        check(code is not None, "the queue was deleted")
        try:
            urllib.request.urlopen(api + "/lists/home/todos", timeout=5)
            closed = False
        except urllib.error.HTTPError:
            closed = False
        except urllib.error.URLError:
            closed = True
        check(closed, "the deleted HTTP API's port no longer answers")
    finally:
        stop_cloud(proc)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
