"""`gust bootstrap`, `deploy`, `diff`, `outputs`, `logs`, `remove` end to end
against moto (a CloudFormation, S3, STS, IAM, Lambda, DynamoDB, SQS and Logs
nobody here wrote) on a free loopback port, checked with boto3: the stack,
its table, queues, bucket, roles with their exact policies, functions with
their environment and the event-source mapping exist as the template says.
Then a code-only update, an unchanged deploy, and the failure paths (no
credentials, no bootstrap, bad arguments). moto's gaps are in docs/deploy.md.

    python3 deploy_moto_test.py --gust build/bin/gust --app examples/todo
"""

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "localaws"))
import harness  # noqa: E402

GUST = None
APP = None
ACCOUNT = "123456789012"  # moto's
REGION = "us-east-1"
STAGE = "test"
# Template resource types moto's CloudFormation does not create (docs/deploy.md).
MOTO_MISSING_TYPES = {"AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage", "AWS::ApiGatewayV2::Integration",
                      "AWS::ApiGatewayV2::Route", "AWS::Scheduler::Schedule", "AWS::Lambda::EventInvokeConfig",
                      "AWS::SNS::Subscription", "AWS::S3::BucketPolicy"}


class Moto:
    peer = None
    url = None


def gust(*args, env_extra=None, drop=(), timeout=900):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "GUST_STAGE"}
    env.update({
        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": REGION,
        # moto reads a TemplateURL path-style only when its host is "localhost".
        "AWS_ENDPOINT_URL": Moto.url,
        "AWS_CONFIG_FILE": os.path.join(Moto.tmp, "no-config"), "AWS_SHARED_CREDENTIALS_FILE": os.path.join(Moto.tmp, "no-credentials"),
        "NO_COLOR": "1",
    })
    for k in drop:
        env.pop(k, None)
    env.update(env_extra or {})
    started = time.monotonic()
    out = subprocess.run([GUST, *args], env=env, capture_output=True, text=True, timeout=timeout)
    out.seconds = time.monotonic() - started
    return out


def boto(service):
    return harness.boto_client(service, Moto.url, key="test", secret="test")


class Stack:
    """The deployed template and its resources, with intrinsic functions resolved the way moto resolved them."""

    def __init__(self, name):
        cfn = boto("cloudformation")
        self.name = name
        self.template = cfn.get_template(StackName=name)["TemplateBody"]
        if isinstance(self.template, str):
            self.template = json.loads(self.template)
        self.resources = self.template["Resources"]
        summaries = cfn.list_stack_resources(StackName=name)["StackResourceSummaries"]
        self.physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries}
        self.stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
        self.params = {p["ParameterKey"]: p["ParameterValue"] for p in self.stack.get("Parameters", [])}

    def of_type(self, t):
        return [k for k, v in self.resources.items() if v["Type"] == t]

    def arn(self, logical):
        t = self.resources[logical]["Type"]
        p = self.physical[logical]
        if t == "AWS::DynamoDB::Table":
            return boto("dynamodb").describe_table(TableName=p)["Table"]["TableArn"]
        if t == "AWS::SQS::Queue":
            return boto("sqs").get_queue_attributes(QueueUrl=p, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        if t == "AWS::S3::Bucket":
            return "arn:aws:s3:::" + p
        if t == "AWS::IAM::Role":
            return boto("iam").get_role(RoleName=p)["Role"]["Arn"]
        if t == "AWS::Lambda::Function":
            return boto("lambda").get_function_configuration(FunctionName=p)["FunctionArn"]
        if t == "AWS::Logs::LogGroup":
            # AWS's GetAtt Arn ends in ":*"; moto's CloudFormation leaves it off (docs/deploy.md).
            groups = boto("logs").describe_log_groups(logGroupNamePrefix=p)["logGroups"]
            arn = [g["arn"] for g in groups if g["logGroupName"] == p][0]
            return arn[:-2] if arn.endswith(":*") else arn
        if t == "AWS::SNS::Topic":
            return p
        raise AssertionError("no ARN rule for " + t)

    def ref(self, name):
        pseudo = {"AWS::StackName": self.name, "AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws",
                  "AWS::URLSuffix": "amazonaws.com", "AWS::StackId": self.stack["StackId"]}
        if name in pseudo:
            return pseudo[name]
        if name in self.params:
            return self.params[name]
        return self.physical[name]

    def sub(self, text, variables=None):
        def one(m):
            key = m.group(1)
            if variables and key in variables:
                return self.resolve(variables[key])
            if "." in key and not key.startswith("AWS::"):
                logical, attr = key.split(".", 1)
                assert attr == "Arn", key
                return self.arn(logical)
            return self.ref(key)
        return re.sub(r"\$\{([^}]+)\}", one, text)

    def resolve(self, v):
        if isinstance(v, list):
            return [self.resolve(x) for x in v]
        if not isinstance(v, dict):
            return v
        if len(v) == 1:
            (k, arg), = v.items()
            if k == "Ref":
                return self.ref(arg)
            if k == "Fn::GetAtt":
                assert arg[1] == "Arn", arg
                return self.arn(arg[0])
            if k == "Fn::Sub":
                return self.sub(arg) if isinstance(arg, str) else self.sub(arg[0], arg[1])
            if k == "Fn::Join":
                return arg[0].join(self.resolve(x) for x in arg[1])
            if k == "Fn::Select":
                return self.resolve(arg[1])[int(arg[0])]
            if k == "Fn::Split":
                return self.resolve(arg[1]).split(arg[0])
        return {k: self.resolve(x) for k, x in v.items()}


def sorted_statements(doc):
    if isinstance(doc, str):
        try:
            doc = json.loads(doc)
        except ValueError:
            doc = ast.literal_eval(doc)  # moto keeps an inline policy made by CloudFormation as Python's repr
    out = dict(doc)
    out["Statement"] = sorted(doc["Statement"], key=lambda s: json.dumps(s, sort_keys=True))
    return out


class DeployAgainstMoto(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        Moto.tmp = tempfile.mkdtemp(prefix="gust-deploy-moto-")
        Moto.peer = harness.Peer("moto").start()
        Moto.url = Moto.peer.url.replace("127.0.0.1", "localhost")
        cls.app = os.path.join(Moto.tmp, "todo")
        shutil.copytree(APP, cls.app, ignore=shutil.ignore_patterns(".gust"))
        cls.stack_name = "todo-" + STAGE

    @classmethod
    def tearDownClass(cls):
        Moto.peer.stop()
        shutil.rmtree(Moto.tmp, ignore_errors=True)

    def ok(self, out):
        self.assertEqual(out.returncode, 0, "stdout:\n%s\nstderr:\n%s" % (out.stdout, out.stderr))

    def test_1_failure_paths_before_anything_is_deployed(self):
        out = gust("deploy", self.app, "--stage", STAGE, drop=("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"))
        self.assertEqual(out.returncode, 1, out.stderr)
        self.assertIn("no AWS credentials found (tried:", out.stderr)
        self.assertIn("AWS_ACCESS_KEY_ID", out.stderr)

        out = gust("deploy", self.app, "--stage", STAGE)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("no deployment bucket", out.stderr)
        self.assertIn("run `gust bootstrap`", out.stderr)
        self.assertIn(ACCOUNT, out.stderr)

        for args, words in [(("deploy", self.app, "--stage", "Bad_Stage"), "stage \"Bad_Stage\""),
                            (("logs",), "FUNCTION"),
                            (("logs", "get-lists-list-todos", self.app, "--since", "ten"), "--since \"ten\""),
                            (("deploy", self.app, "--timeout", "0"), "--timeout"),
                            (("outputs", self.app, "--stage", "x y"), "stage \"x y\"")]:
            out = gust(*args)
            self.assertEqual(out.returncode, 2, "%s: %s" % (args, out.stderr))
            self.assertIn(words, out.stderr, args)

        out = gust("outputs", "--app", "todo", "--stage", STAGE)  # --app: no build needed to name the stack
        self.assertEqual(out.returncode, 1)
        self.assertIn("no stack todo-test", out.stderr)

    def test_2_bootstrap_makes_a_private_encrypted_bucket_once(self):
        out = gust("bootstrap")
        self.ok(out)
        self.assertIn("bootstrapped: deployment bucket ", out.stdout)
        bucket = out.stdout.strip().split()[-1]
        s3 = boto("s3")
        s3.head_bucket(Bucket=bucket)
        enc = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(enc["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256")
        # moto's CloudFormation applies the encryption but not the public access
        # block, lifecycle or versioning (docs/deploy.md): those are read from the deployed template.
        deployed = boto("cloudformation").get_template(StackName="gust-bootstrap")["TemplateBody"]
        props = (json.loads(deployed) if isinstance(deployed, str) else deployed)["Resources"]["DeploymentBucket"]["Properties"]
        self.assertEqual(props["PublicAccessBlockConfiguration"],
                         {"BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True})
        self.assertEqual(sorted(r["Id"] for r in props["LifecycleConfiguration"]["Rules"]), ["AbortIncompleteUploads", "ExpireOldArtifacts"])
        self.assertEqual(props["VersioningConfiguration"], {"Status": "Enabled"})
        again = gust("bootstrap")
        self.ok(again)
        self.assertIn("already bootstrapped: deployment bucket " + bucket, again.stdout)
        DeployAgainstMoto.bucket = bucket

    def test_3_diff_shows_the_changes_and_leaves_nothing(self):
        out = gust("diff", self.app, "--stage", STAGE)
        self.ok(out)
        self.assertRegex(out.stdout, r"\+ Add +TodosTable +AWS::DynamoDB::Table")
        self.assertRegex(out.stdout, r"\+ Add +GetListsListTodosFunction +AWS::Lambda::Function")
        self.assertIn("change(s); `gust deploy` applies them", out.stdout)
        stacks = [s for s in boto("cloudformation").list_stacks()["StackSummaries"]
                  if s["StackName"] == self.stack_name and s["StackStatus"] != "DELETE_COMPLETE"]
        self.assertEqual(stacks, [], "gust diff left a stack behind")

    def test_4_deploy_creates_what_the_template_says(self):
        out = gust("deploy", self.app, "--stage", STAGE)
        self.ok(out)
        self.assertIn("deployed todo-test (CREATE_COMPLETE)", out.stdout)
        # `gust diff` already uploaded this package: the same bytes are not sent again.
        self.assertIn("package unchanged (s3://%s/todo/" % self.bucket, out.stdout)
        print("\n[deploy] first deploy %.1f s" % out.seconds, file=sys.stderr)
        st = Stack(self.stack_name)
        self.assertEqual(st.stack["StackStatus"], "CREATE_COMPLETE")
        self.assertEqual(st.params["ArtifactBucket"], self.bucket)
        self.assertRegex(st.params["ArtifactKey"], r"^todo/[0-9a-f]{64}\.zip$")
        boto("s3").head_object(Bucket=self.bucket, Key=st.params["ArtifactKey"])

        missing = sorted({v["Type"] for k, v in st.resources.items() if k not in st.physical})
        print("[deploy] resource types moto did not create: %s" % missing, file=sys.stderr)
        self.assertTrue(set(missing) <= MOTO_MISSING_TYPES, "moto now misses more types than docs/deploy.md says: %s" % missing)

        # Table: keys, attributes, indexes, billing.
        ddb = boto("dynamodb")
        for logical in st.of_type("AWS::DynamoDB::Table"):
            want = st.resources[logical]["Properties"]
            got = ddb.describe_table(TableName=st.physical[logical])["Table"]
            self.assertEqual(got["KeySchema"], want["KeySchema"])
            self.assertEqual(sorted(got["AttributeDefinitions"], key=lambda a: a["AttributeName"]),
                             sorted(want["AttributeDefinitions"], key=lambda a: a["AttributeName"]))
            self.assertEqual(sorted(i["IndexName"] for i in got.get("GlobalSecondaryIndexes", [])),
                             sorted(i["IndexName"] for i in want.get("GlobalSecondaryIndexes", [])))
            for gsi in want.get("GlobalSecondaryIndexes", []):
                mine = [i for i in got["GlobalSecondaryIndexes"] if i["IndexName"] == gsi["IndexName"]][0]
                self.assertEqual(mine["KeySchema"], gsi["KeySchema"])

        # Queues: visibility timeout and the redrive policy to the dead-letter queue.
        sqs = boto("sqs")
        for logical in st.of_type("AWS::SQS::Queue"):
            want = st.resources[logical].get("Properties", {})
            attrs = sqs.get_queue_attributes(QueueUrl=st.physical[logical], AttributeNames=["All"])["Attributes"]
            if "VisibilityTimeout" in want:
                self.assertEqual(int(attrs["VisibilityTimeout"]), int(want["VisibilityTimeout"]), logical)
            if "RedrivePolicy" in want:
                redrive = json.loads(attrs["RedrivePolicy"])
                self.assertEqual(redrive["deadLetterTargetArn"], st.resolve(want["RedrivePolicy"]["deadLetterTargetArn"]))
                self.assertEqual(int(redrive["maxReceiveCount"]), int(want["RedrivePolicy"]["maxReceiveCount"]))

        s3 = boto("s3")
        for logical in st.of_type("AWS::S3::Bucket"):
            s3.head_bucket(Bucket=st.physical[logical])

        # Roles: trust policy and each inline policy exactly as the template says, resolved.
        iam = boto("iam")
        roles = st.of_type("AWS::IAM::Role")
        self.assertGreater(len(roles), 10)
        for logical in roles:
            want = st.resources[logical]["Properties"]
            role = iam.get_role(RoleName=st.physical[logical])["Role"]
            self.assertEqual(role["AssumeRolePolicyDocument"], st.resolve(want["AssumeRolePolicyDocument"]), logical)
            for policy in want.get("Policies", []):
                got = iam.get_role_policy(RoleName=st.physical[logical], PolicyName=policy["PolicyName"])["PolicyDocument"]
                self.assertEqual(sorted_statements(got), sorted_statements(st.resolve(policy["PolicyDocument"])), logical)
            names = iam.list_role_policies(RoleName=st.physical[logical])["PolicyNames"]
            self.assertEqual(sorted(names), sorted(p["PolicyName"] for p in want.get("Policies", [])), logical)

        # Functions: runtime, handler, sizes, role and the environment naming each granted resource.
        lam = boto("lambda")
        functions = st.of_type("AWS::Lambda::Function")
        self.assertEqual(len(functions), 12)
        DeployAgainstMoto.first_sha = {}
        for logical in functions:
            want = st.resources[logical]["Properties"]
            got = lam.get_function_configuration(FunctionName=st.physical[logical])
            self.assertEqual(got["Runtime"], want["Runtime"])
            self.assertEqual(got["Handler"], want["Handler"])
            self.assertEqual(got["MemorySize"], want["MemorySize"])
            self.assertEqual(got["Timeout"], want["Timeout"])
            self.assertEqual(got["Role"], st.resolve(want["Role"]))
            DeployAgainstMoto.first_sha[logical] = got["CodeSha256"]
            self.assertEqual(got.get("Environment", {}).get("Variables", {}), st.resolve(want.get("Environment", {}).get("Variables", {})), logical)

        # The queue consumer's event-source mapping.
        mappings = st.of_type("AWS::Lambda::EventSourceMapping")
        self.assertEqual(len(mappings), 1)
        for logical in mappings:
            want = st.resources[logical]["Properties"]
            fn = st.resolve(want["FunctionName"])
            got = lam.list_event_source_mappings(FunctionName=fn)["EventSourceMappings"]
            self.assertEqual(len(got), 1, got)
            self.assertEqual(got[0]["EventSourceArn"], st.resolve(want["EventSourceArn"]))
            self.assertEqual(got[0]["BatchSize"], want["BatchSize"])

        # Outputs: exactly what the stack reports (moto gives a stack made by a
        # change set none: docs/deploy.md).
        out = gust("outputs", self.app, "--stage", STAGE, "--json")
        self.ok(out)
        self.assertEqual(json.loads(out.stdout), {o["OutputKey"]: o["OutputValue"] for o in st.stack.get("Outputs", [])})
        DeployAgainstMoto.first = st

    def test_5_an_unchanged_deploy_creates_nothing(self):
        cfn = boto("cloudformation")
        before = cfn.describe_stacks(StackName=self.stack_name)["Stacks"][0]
        # moto lists every stack's change sets here, executed ones included: count them.
        change_sets = len(cfn.list_change_sets(StackName=self.stack_name)["Summaries"])
        out = gust("deploy", self.app, "--stage", STAGE)
        self.ok(out)
        self.assertIn("package unchanged", out.stdout)
        self.assertIn("todo-test: no changes", out.stdout)
        print("\n[deploy] unchanged deploy %.1f s" % out.seconds, file=sys.stderr)
        after = cfn.describe_stacks(StackName=self.stack_name)["Stacks"][0]
        self.assertEqual(after.get("LastUpdatedTime"), before.get("LastUpdatedTime"))
        self.assertEqual(len(cfn.list_change_sets(StackName=self.stack_name)["Summaries"]), change_sets, "a change set was created")

    def test_6_a_code_change_updates_the_functions(self):
        main = os.path.join(self.app, "main.cpp")
        with open(main) as f:
            text = f.read()
        self.assertIn("title: must not be empty", text)
        with open(main, "w") as f:
            f.write(text.replace("title: must not be empty", "title: cannot be empty"))
        out = gust("deploy", self.app, "--stage", STAGE)
        self.ok(out)
        print("\n[deploy] code-only deploy %.1f s" % out.seconds, file=sys.stderr)
        self.assertIn("deployed todo-test (UPDATE_COMPLETE)", out.stdout)
        self.assertIn("uploaded s3://%s/todo/" % self.bucket, out.stdout)
        # moto lists no changes for a parameter-only update (docs/deploy.md); AWS
        # lists each function as Modify. Either way nothing is added or removed.
        self.assertNotRegex(out.stdout, r"[+-] (Add|Remove) ")
        for line in re.findall(r"~ Modify +\S+ +(\S+)", out.stdout):
            self.assertEqual(line, "AWS::Lambda::Function")
        st = Stack(self.stack_name)
        self.assertNotEqual(st.params["ArtifactKey"], self.first.params["ArtifactKey"])
        lam = boto("lambda")
        for logical in st.of_type("AWS::Lambda::Function"):
            code = lam.get_function(FunctionName=st.physical[logical])
            self.assertEqual(st.physical[logical], self.first.physical[logical], "a code change replaced " + logical)
            self.assertNotEqual(code["Configuration"]["CodeSha256"], self.first_sha[logical], "the code of %s did not change" % logical)

    def test_7_logs_and_remove(self):
        out = gust("logs", "get-lists-list-todos", self.app, "--stage", STAGE, "--since", "5m")
        self.ok(out)
        out = gust("logs", "no-such-function", self.app, "--stage", STAGE)
        self.assertEqual(out.returncode, 2)
        self.assertIn("has no function \"no-such-function\"", out.stderr)

        out = gust("remove", self.app, "--stage", STAGE)
        self.ok(out)
        self.assertIn("removed todo-test", out.stdout)
        self.assertIn("kept (DeletionPolicy Retain", out.stdout)
        self.assertIn("AWS::DynamoDB::Table " + self.first.physical["TodosTable"], out.stdout)
        boto("dynamodb").describe_table(TableName=self.first.physical["TodosTable"])  # retained: still there
        stacks = [s for s in boto("cloudformation").list_stacks()["StackSummaries"]
                  if s["StackName"] == self.stack_name and s["StackStatus"] != "DELETE_COMPLETE"]
        self.assertEqual(stacks, [])
        out = gust("remove", self.app, "--stage", STAGE)
        self.ok(out)
        self.assertIn("nothing to remove", out.stdout)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--gust", required=True)
    parser.add_argument("--app", required=True)
    args, rest = parser.parse_known_args()
    GUST = os.path.abspath(args.gust)
    APP = os.path.abspath(args.app)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
