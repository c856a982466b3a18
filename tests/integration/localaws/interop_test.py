"""Interop: boto3 (botocore 1.43, SQS JSON protocol, CRC32 checksums,
aws-chunked uploads) and the Debian awscli 2.9 (SQS query protocol) drive
every local service on 127.0.0.1, as they would drive AWS: either
gust-localaws, or the local AWS endpoint of a running `gust dev` (a fresh
`--reset` start of a resource-less app per test class, so both see the same
empty services).

    python3 interop_test.py --server build/bin/gust-localaws
    python3 interop_test.py --gust-dev build/bin/gust --app tests/e2e/dev/app
"""

import argparse
import hashlib
import json
import os
import socket
import sys
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SERVER = None
GUST_DEV = None  # (gust binary, app folder) when testing through `gust dev`
DEV_APP = None   # the one copy of the app every gust dev start shares (built once)


def new_server():
    """A local AWS endpoint with empty services, not yet started."""
    if GUST_DEV:
        return harness.GustDev(GUST_DEV[0], DEV_APP, copy=False, reset=True)
    return harness.LocalAws(SERVER)


def setUpModule():
    import boto3  # noqa: F401  (the image's Python has it; a missing one is a failure, not a skip)


class DynamoDbInterop(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.aws = new_server().start()
        cls.ddb = harness.boto_client("dynamodb", cls.aws.url)

    @classmethod
    def tearDownClass(cls):
        cls.aws.cleanup()

    def test_boto3_table_item_query_batch_transact(self):
        from boto3.dynamodb.conditions import Attr, Key
        import boto3

        ddb = self.ddb
        ddb.create_table(TableName="todos", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "user", "AttributeType": "S"}, {"AttributeName": "id", "AttributeType": "S"},
                                               {"AttributeName": "state", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "user", "KeyType": "HASH"}, {"AttributeName": "id", "KeyType": "RANGE"}],
                         GlobalSecondaryIndexes=[{"IndexName": "by-state", "KeySchema": [{"AttributeName": "state", "KeyType": "HASH"}],
                                                  "Projection": {"ProjectionType": "ALL"}}])
        ddb.get_waiter("table_exists").wait(TableName="todos", WaiterConfig={"Delay": 0.1, "MaxAttempts": 20})
        table = boto3.resource("dynamodb", endpoint_url=self.aws.url, region_name="us-east-1", aws_access_key_id="k",
                               aws_secret_access_key="s").Table("todos")
        for i in range(30):
            table.put_item(Item={"user": "ann", "id": "t%02d" % i, "state": "open" if i % 3 else "done", "n": i, "tags": {"a", "b"}})
        self.assertEqual(table.get_item(Key={"user": "ann", "id": "t05"})["Item"]["n"], 5)
        out = table.update_item(Key={"user": "ann", "id": "t05"}, UpdateExpression="SET n = n + :d, #l = list_append(if_not_exists(#l, :e), :v)",
                                ExpressionAttributeNames={"#l": "log"}, ExpressionAttributeValues={":d": 10, ":e": [], ":v": ["x"]},
                                ReturnValues="ALL_NEW")
        self.assertEqual(out["Attributes"]["n"], 15)
        self.assertEqual(out["Attributes"]["log"], ["x"])
        with self.assertRaises(ddb.exceptions.ConditionalCheckFailedException):
            table.put_item(Item={"user": "ann", "id": "t05"}, ConditionExpression=Attr("id").not_exists())
        # Query with a paginator: Limit pages, begins_with, descending.
        pages = list(ddb.get_paginator("query").paginate(TableName="todos", KeyConditionExpression="#u = :u AND begins_with(id, :p)",
                                                           ExpressionAttributeNames={"#u": "user"},
                                                           ExpressionAttributeValues={":u": {"S": "ann"}, ":p": {"S": "t1"}},
                                                           ScanIndexForward=False, PaginationConfig={"PageSize": 4}))
        ids = [item["id"]["S"] for page in pages for item in page["Items"]]
        self.assertEqual(ids, ["t%02d" % i for i in range(19, 9, -1)])
        self.assertGreater(len(pages), 2)
        done = table.query(IndexName="by-state", KeyConditionExpression=Key("state").eq("done"))["Items"]
        self.assertEqual(len(done), 10)
        scanned = table.scan(FilterExpression=Attr("n").between(3, 6))["Items"]
        self.assertEqual(sorted(i["n"] for i in scanned), [3, 4, 6])
        with table.batch_writer() as batch:
            for i in range(30, 60):
                batch.put_item(Item={"user": "bob", "id": "b%02d" % i})
        got = ddb.batch_get_item(RequestItems={"todos": {"Keys": [{"user": {"S": "bob"}, "id": {"S": "b%02d" % i}} for i in range(30, 40)]}})
        self.assertEqual(len(got["Responses"]["todos"]), 10)
        with self.assertRaises(ddb.exceptions.TransactionCanceledException) as e:
            ddb.transact_write_items(TransactItems=[
                {"Put": {"TableName": "todos", "Item": {"user": {"S": "cat"}, "id": {"S": "1"}}}},
                {"ConditionCheck": {"TableName": "todos", "Key": {"user": {"S": "ann"}, "id": {"S": "t01"}},
                                    "ConditionExpression": "n = :x", "ExpressionAttributeValues": {":x": {"N": "99"}}}}])
        self.assertEqual([r["Code"] for r in e.exception.response["CancellationReasons"]], ["None", "ConditionalCheckFailed"])
        with self.assertRaises(ddb.exceptions.ResourceNotFoundException):
            ddb.describe_table(TableName="missing")
        with self.assertRaises(ddb.exceptions.ClientError) as e:
            ddb.update_item(TableName="todos", Key={"user": {"S": "ann"}, "id": {"S": "t01"}}, UpdateExpression="SET name = :v",
                            ExpressionAttributeValues={":v": {"S": "x"}})
        self.assertEqual(e.exception.response["Error"]["Code"], "ValidationException")
        self.assertEqual(e.exception.response["Error"]["Message"], "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name")

    def test_awscli_dynamodb(self):
        url = self.aws.url
        harness.aws_cli(url, "dynamodb", "create-table", "--table-name", "cli", "--attribute-definitions", "AttributeName=id,AttributeType=N",
                        "--key-schema", "AttributeName=id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST")
        harness.aws_cli(url, "dynamodb", "wait", "table-exists", "--table-name", "cli")
        harness.aws_cli(url, "dynamodb", "put-item", "--table-name", "cli", "--item", '{"id":{"N":"1"},"v":{"S":"one"}}')
        item = harness.aws_cli(url, "dynamodb", "get-item", "--table-name", "cli", "--key", '{"id":{"N":"1.0"}}')
        self.assertEqual(item["Item"]["v"]["S"], "one")
        self.assertIn("cli", harness.aws_cli(url, "dynamodb", "list-tables")["TableNames"])
        failed = harness.aws_cli(url, "dynamodb", "put-item", "--table-name", "cli", "--item", '{"id":{"N":"1"}}', "--condition-expression",
                                 "attribute_not_exists(id)", check=False)
        self.assertNotEqual(failed.returncode, 0)
        self.assertIn("ConditionalCheckFailedException", failed.stderr)
        harness.aws_cli(url, "dynamodb", "delete-table", "--table-name", "cli")


class SqsInterop(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.aws = new_server().start()
        cls.sqs = harness.boto_client("sqs", cls.aws.url)

    @classmethod
    def tearDownClass(cls):
        cls.aws.cleanup()

    def test_boto3_json_protocol(self):
        sqs = self.sqs
        dlq = sqs.create_queue(QueueName="jobs-dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        q = sqs.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "1",
                                                           "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"})})["QueueUrl"]
        # botocore checks MD5OfMessageBody and MD5OfMessageAttributes on send and receive.
        sqs.send_message(QueueUrl=q, MessageBody="hello", MessageAttributes={"k": {"DataType": "String", "StringValue": "v"},
                                                                              "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
        res = sqs.send_message_batch(QueueUrl=q, Entries=[{"Id": str(i), "MessageBody": "m%d" % i} for i in range(5)])
        self.assertEqual(len(res["Successful"]), 5)
        got = sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=10, MessageAttributeNames=["All"], AttributeNames=["All"], WaitTimeSeconds=1)
        self.assertEqual(len(got["Messages"]), 6)
        first = [m for m in got["Messages"] if m["Body"] == "hello"][0]
        self.assertEqual(first["MessageAttributes"]["b"]["BinaryValue"], b"\x00\x01")
        sqs.delete_message_batch(QueueUrl=q, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                                                      for i, m in enumerate(got["Messages"]) if m["Body"] != "hello"])
        # "hello" was received once; after its visibility timeout a second receive, then the dead-letter queue.
        second = harness.wait_until(lambda: sqs.receive_message(QueueUrl=q, WaitTimeSeconds=1).get("Messages"), seconds=5)
        self.assertEqual(second[0]["Body"], "hello")
        time.sleep(1.1)
        self.assertNotIn("Messages", sqs.receive_message(QueueUrl=q, WaitTimeSeconds=0))
        dead = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=1)["Messages"]
        self.assertEqual(dead[0]["Body"], "hello")
        # Long poll answered by a send from another client.
        start = time.time()
        import threading
        t = threading.Timer(0.4, lambda: harness.boto_client("sqs", self.aws.url).send_message(QueueUrl=q, MessageBody="late"))
        t.start()
        late = sqs.receive_message(QueueUrl=q, WaitTimeSeconds=10)
        t.join()
        self.assertEqual(late["Messages"][0]["Body"], "late")
        self.assertLess(time.time() - start, 5)
        sqs.change_message_visibility(QueueUrl=q, ReceiptHandle=late["Messages"][0]["ReceiptHandle"], VisibilityTimeout=0)
        self.assertEqual(sqs.receive_message(QueueUrl=q)["Messages"][0]["Body"], "late")
        with self.assertRaises(sqs.exceptions.QueueDoesNotExist):
            sqs.get_queue_url(QueueName="nope")
        sqs.delete_queue(QueueUrl=q)

    def test_awscli_query_protocol(self):
        url = self.aws.url
        q = harness.aws_cli(url, "sqs", "create-queue", "--queue-name", "cliq")["QueueUrl"]
        harness.aws_cli(url, "sqs", "send-message", "--queue-url", q, "--message-body", "from the cli", "--message-attributes",
                        '{"n":{"DataType":"Number","StringValue":"7"}}')
        got = harness.aws_cli(url, "sqs", "receive-message", "--queue-url", q, "--message-attribute-names", "All", "--wait-time-seconds", "2")
        self.assertEqual(got["Messages"][0]["Body"], "from the cli")
        self.assertEqual(got["Messages"][0]["MessageAttributes"]["n"]["StringValue"], "7")
        harness.aws_cli(url, "sqs", "delete-message", "--queue-url", q, "--receipt-handle", got["Messages"][0]["ReceiptHandle"])
        attrs = harness.aws_cli(url, "sqs", "get-queue-attributes", "--queue-url", q, "--attribute-names", "All")["Attributes"]
        self.assertEqual(attrs["ApproximateNumberOfMessages"], "0")
        missing = harness.aws_cli(url, "sqs", "get-queue-url", "--queue-name", "nope", check=False)
        self.assertIn("NonExistentQueue", missing.stderr)


class S3Interop(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.aws = new_server().start()
        cls.s3 = harness.boto_client("s3", cls.aws.url)

    @classmethod
    def tearDownClass(cls):
        cls.aws.cleanup()

    def test_boto3_objects_listing_multipart_presign(self):
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config

        s3 = self.s3
        s3.create_bucket(Bucket="media")
        s3.put_object(Bucket="media", Key="a/1.txt", Body=b"one", Metadata={"owner": "ann"}, ContentType="text/plain")
        head = s3.head_object(Bucket="media", Key="a/1.txt")
        self.assertEqual(head["ContentLength"], 3)
        self.assertEqual(head["Metadata"], {"owner": "ann"})
        self.assertEqual(head["ETag"], '"%s"' % hashlib.md5(b"one").hexdigest())
        self.assertEqual(s3.get_object(Bucket="media", Key="a/1.txt", Range="bytes=1-")["Body"].read(), b"ne")
        s3.copy_object(Bucket="media", Key="b/copy.txt", CopySource={"Bucket": "media", "Key": "a/1.txt"})
        self.assertEqual(s3.get_object(Bucket="media", Key="b/copy.txt")["Metadata"], {"owner": "ann"})
        for i in range(25):
            s3.put_object(Bucket="media", Key="many/%03d" % i, Body=b"x")
        pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket="media", Prefix="many/", PaginationConfig={"PageSize": 7}))
        self.assertEqual(len(pages), 4)
        self.assertEqual(sum(p["KeyCount"] for p in pages), 25)
        top = s3.list_objects_v2(Bucket="media", Delimiter="/")
        self.assertEqual([p["Prefix"] for p in top["CommonPrefixes"]], ["a/", "b/", "many/"])
        # Multipart: 12 MB in 5 MB parts.
        data = os.urandom(12 * 1024 * 1024)
        path = os.path.join(self.aws.state, "upload.bin")
        with open(path, "wb") as f:
            f.write(data)
        s3.upload_file(path, "media", "big.bin", Config=TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024))
        big = s3.get_object(Bucket="media", Key="big.bin")
        self.assertEqual(big["Body"].read(), data)
        self.assertTrue(big["ETag"].endswith('-3"'))
        # Presigned (SigV4 query): valid, then expired.
        v4 = harness.boto_client("s3", self.aws.url, config=Config(signature_version="s3v4"))
        url = v4.generate_presigned_url("get_object", Params={"Bucket": "media", "Key": "a/1.txt"}, ExpiresIn=1)
        with urllib.request.urlopen(url, timeout=10) as r:
            self.assertEqual(r.read(), b"one")
        time.sleep(2.1)
        status, _, body = harness.raw_http(url, "GET", "")
        self.assertEqual(status, 403)
        self.assertIn(b"<Message>Request has expired</Message>", body)
        put_url = v4.generate_presigned_url("put_object", Params={"Bucket": "media", "Key": "up.txt"}, ExpiresIn=60)
        status, _, _ = harness.raw_http(put_url, "PUT", "", body=b"uploaded")
        self.assertEqual(status, 200)
        self.assertEqual(s3.get_object(Bucket="media", Key="up.txt")["Body"].read(), b"uploaded")
        with self.assertRaises(s3.exceptions.NoSuchKey):
            s3.get_object(Bucket="media", Key="missing")
        s3.delete_objects(Bucket="media", Delete={"Objects": [{"Key": "a/1.txt"}, {"Key": "b/copy.txt"}]})
        self.assertNotIn("Contents", s3.list_objects_v2(Bucket="media", Prefix="a/"))

    def test_awscli_s3(self):
        url = self.aws.url
        harness.aws_cli(url, "s3", "mb", "s3://cli-bucket")
        src = os.path.join(self.aws.state, "cli.txt")
        with open(src, "w") as f:
            f.write("cli data\n")
        harness.aws_cli(url, "s3", "cp", src, "s3://cli-bucket/x/cli.txt")
        listing = harness.aws_cli(url, "s3", "ls", "s3://cli-bucket/x/")
        self.assertIn("cli.txt", str(listing))
        dst = os.path.join(self.aws.state, "back.txt")
        harness.aws_cli(url, "s3", "cp", "s3://cli-bucket/x/cli.txt", dst)
        with open(dst) as f:
            self.assertEqual(f.read(), "cli data\n")
        presigned = harness.aws_cli(url, "s3", "presign", "s3://cli-bucket/x/cli.txt", "--expires-in", "60")
        with urllib.request.urlopen(presigned, timeout=10) as r:
            self.assertEqual(r.read(), b"cli data\n")
        harness.aws_cli(url, "s3", "rb", "s3://cli-bucket", "--force")
        self.assertNotIn("cli-bucket", str(harness.aws_cli(url, "s3api", "list-buckets")))


class SnsInterop(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.aws = new_server().start()

    @classmethod
    def tearDownClass(cls):
        cls.aws.cleanup()

    def test_boto3_and_cli_publish_to_sqs(self):
        sns = harness.boto_client("sns", self.aws.url)
        sqs = harness.boto_client("sqs", self.aws.url)
        topic = sns.create_topic(Name="events")["TopicArn"]
        q = sqs.create_queue(QueueName="sink")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
        sns.publish(TopicArn=topic, Message="via boto3", MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
        harness.aws_cli(self.aws.url, "sns", "publish", "--topic-arn", topic, "--message", "via cli")
        bodies = []
        harness.wait_until(lambda: bodies.extend(m["Body"] for m in sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=10).get("Messages", []))
                           or len(bodies) >= 2, seconds=5)
        self.assertEqual(sorted(bodies), ["via boto3", "via cli"])
        self.assertIn(topic, [t["TopicArn"] for t in sns.list_topics()["Topics"]])
        with self.assertRaises(sns.exceptions.NotFoundException):
            sns.publish(TopicArn=topic + "-missing", Message="x")


class RobustnessInterop(unittest.TestCase):
    """Malformed and unsigned requests to every service: AWS's error shape, server unharmed; durability across kill -9."""

    def test_malformed_requests_leave_the_server_working(self):
        with new_server() as aws:
            host, port = aws.url[len("http://"):].split(":")
            # Not HTTP at all.
            with socket.create_connection((host, int(port)), timeout=5) as s:
                s.sendall(b"\x00\x01garbage\r\n\r\n")
                self.assertIn(b"400", s.recv(4096))
            # Unsigned, per service.
            status, _, body = harness.raw_http(aws.url, "POST", "/", b"{}", {"X-Amz-Target": "DynamoDB_20120810.ListTables",
                                                                              "Content-Type": "application/x-amz-json-1.0"})
            self.assertEqual((status, json.loads(body)["__type"]), (400, "com.amazon.coral.service#MissingAuthenticationTokenException"))
            status, _, body = harness.raw_http(aws.url, "POST", "/", b"{}", {"X-Amz-Target": "AmazonSQS.ListQueues",
                                                                              "Content-Type": "application/x-amz-json-1.0"})
            self.assertEqual(status, 403)
            status, _, body = harness.raw_http(aws.url, "POST", "/", b"Action=ListTopics", {"Content-Type": "application/x-www-form-urlencoded"})
            self.assertEqual(status, 403)
            self.assertIn(b"<Code>MissingAuthenticationToken</Code>", body)
            status, _, body = harness.raw_http(aws.url, "GET", "/")
            self.assertEqual(status, 403)
            self.assertIn(b"<Code>AccessDenied</Code>", body)
            # Signed but malformed bodies.
            ddb = harness.boto_client("dynamodb", aws.url)
            with self.assertRaises(ddb.exceptions.ClientError) as e:
                ddb.query(TableName="none", KeyConditionExpression="a = = :b", ExpressionAttributeValues={":b": {"S": "x"}})
            self.assertEqual(e.exception.response["Error"]["Code"], "ValidationException")
            s3 = harness.boto_client("s3", aws.url)
            s3.create_bucket(Bucket="robust")
            status, _, body = harness.raw_http(aws.url, "POST", "/robust?delete", b"<not-xml", {
                "Authorization": "AWS4-HMAC-SHA256 Credential=K/%s/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=%s" % (
                    time.strftime("%Y%m%d", time.gmtime()), "a" * 64),
                "X-Amz-Date": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()), "x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
            self.assertEqual(status, 400)
            self.assertIn(b"<Code>MalformedXML</Code>", body)
            # Still serving.
            self.assertEqual(ddb.list_tables()["TableNames"], [])
            self.assertEqual([b["Name"] for b in s3.list_buckets()["Buckets"]], ["robust"])

    def test_acknowledged_writes_survive_kill_9(self):
        aws = new_server().start()
        try:
            ddb = harness.boto_client("dynamodb", aws.url)
            sqs = harness.boto_client("sqs", aws.url)
            s3 = harness.boto_client("s3", aws.url)
            ddb.create_table(TableName="tbl", BillingMode="PAY_PER_REQUEST", AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
            q = sqs.create_queue(QueueName="q")["QueueUrl"]
            s3.create_bucket(Bucket="bkt")
            for i in range(20):
                ddb.put_item(TableName="tbl", Item={"id": {"S": str(i)}})
                sqs.send_message(QueueUrl=q, MessageBody="m%d" % i)
                s3.put_object(Bucket="bkt", Key="k%d" % i, Body=b"v%d" % i)
            in_flight = sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=5, VisibilityTimeout=1)["Messages"]
            self.assertEqual(len(in_flight), 5)
            aws.kill9()
            aws.start()  # same state folder
            ddb = harness.boto_client("dynamodb", aws.url)
            sqs = harness.boto_client("sqs", aws.url)
            s3 = harness.boto_client("s3", aws.url)
            self.assertEqual(ddb.scan(TableName="tbl")["Count"], 20)
            self.assertEqual(s3.get_object(Bucket="bkt", Key="k19")["Body"].read(), b"v19")
            time.sleep(1.1)  # the five in flight become visible again
            q = sqs.get_queue_url(QueueName="q")["QueueUrl"]
            bodies = set()
            for _ in range(10):
                got = sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=10).get("Messages", [])
                if not got:
                    break
                bodies.update(m["Body"] for m in got)
            self.assertEqual(bodies, {"m%d" % i for i in range(20)})
        finally:
            aws.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", help="path of gust-localaws")
    parser.add_argument("--gust-dev", help="path of gust: test the local AWS endpoint of `gust dev --app`")
    parser.add_argument("--app", help="the app gust dev runs (it should declare no resources)")
    args, rest = parser.parse_known_args()
    if bool(args.server) == bool(args.gust_dev) or (args.gust_dev and not args.app):
        parser.error("give either --server, or --gust-dev with --app")
    if args.server:
        SERVER = os.path.abspath(args.server)
        unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
    else:
        import shutil
        import tempfile
        GUST_DEV = (os.path.abspath(args.gust_dev), os.path.abspath(args.app))
        copy_dir = tempfile.mkdtemp(prefix="gust-dev-interop-")
        DEV_APP = os.path.join(copy_dir, "app")
        shutil.copytree(GUST_DEV[1], DEV_APP, ignore=shutil.ignore_patterns(".gust", "build"))
        try:
            outcome = unittest.main(argv=[sys.argv[0]] + rest, verbosity=2, exit=False)
        finally:
            shutil.rmtree(copy_dir, ignore_errors=True)
        sys.exit(0 if outcome.result.wasSuccessful() else 1)
