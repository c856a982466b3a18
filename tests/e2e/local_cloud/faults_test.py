"""Faults in `gust dev`'s local cloud, with a real `gust dev` of faults_app:

- kill -9 of gust dev with messages in flight (sent and acknowledged; the
  consumer slow, failing and crashing): restarted on the same state folder,
  every message ends up processed (in the `finished` table) or in the
  dead-letter queue; none is lost;
- a consumer that crashes mid-batch (abort): the batch's messages come back
  and are retried, then dead-lettered after maxReceiveCount, as Lambda's SQS
  event-source mapping does;
- malformed requests to every service (bad JSON, missing and unknown
  targets and actions, bad XML, bad and missing signatures): a 400-class
  answer in AWS's error shape, and the server keeps serving.

Every wait is bounded; gust dev is stopped by pid.

    python3 faults_test.py --gust build/bin/gust --app tests/e2e/local_cloud/faults_app
"""

import json
import os
import re
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "integration", "localaws"))
import harness  # noqa: E402

GUST = None
APP = None
# Short enough for a test to see three receives; longer than a batch of five
# slow jobs (1.5 s), so a batch still running is not handed out twice.
VISIBILITY = "4"


class Faults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dev = harness.GustDev(GUST, APP).start()

    @classmethod
    def tearDownClass(cls):
        # What gust dev printed (its functions' logs too): ctest shows it when a test failed.
        sys.stderr.write("---- gust dev output (last 150 lines) ----\n" + "\n".join(cls.dev.output().splitlines()[-150:]) + "\n")
        cls.dev.cleanup()

    def clients(self):
        return harness.boto_client("sqs", self.dev.url), harness.boto_client("dynamodb", self.dev.url)

    def shorten_visibility(self, sqs):
        # gust dev declares 6x the consumer's timeout (30 s at least), as synth does; the test shortens it through the API.
        url = sqs.get_queue_url(QueueName="jobs")["QueueUrl"]
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": VISIBILITY})
        return url

    def finished(self, ddb):
        ids = set()
        for page in ddb.get_paginator("scan").paginate(TableName="finished", PaginationConfig={"MaxItems": 10000}):
            ids.update(i["id"]["S"] for i in page["Items"])
        return ids

    def dead_letters(self, sqs, seen):
        """Drains the dead-letter queue into `seen` (id -> ApproximateReceiveCount)."""
        dlq = sqs.get_queue_url(QueueName="jobs-dlq")["QueueUrl"]
        for _ in range(20):
            got = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, AttributeNames=["All"]).get("Messages", [])
            if not got:
                break
            for m in got:
                seen[json.loads(m["Body"])["id"]] = int(m["Attributes"]["ApproximateReceiveCount"])
                sqs.delete_message(QueueUrl=dlq, ReceiptHandle=m["ReceiptHandle"])
        return seen

    def queue_empty(self, sqs, url):
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        return attrs["Attributes"] == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}

    def settle(self, sqs, ddb, url, expected_finished, expected_dead, seconds):
        """Waits (bounded) until the queue is empty and every message is accounted for; returns (finished, dead)."""
        dead = {}
        deadline = time.time() + seconds
        while time.time() < deadline:
            self.dead_letters(sqs, dead)
            done = self.finished(ddb)
            if self.queue_empty(sqs, url) and expected_finished <= done | set(dead) and expected_dead <= set(dead):
                return done, dead
            time.sleep(0.5)
        return self.finished(ddb), dead

    def test_a_consumer_crashing_mid_batch_is_retried_then_dead_lettered(self):
        sqs, ddb = self.clients()
        url = self.shorten_visibility(sqs)
        mark = self.dev.mark()
        batch = [("a1", "ok"), ("a2", "ok"), ("a3", "crash"), ("a4", "ok"), ("a5", "ok")]
        sent = sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": i, "MessageBody": json.dumps({"id": i, "mode": m})} for i, m in batch])
        self.assertEqual(len(sent["Successful"]), 5)
        done, dead = self.settle(sqs, ddb, url, {"a1", "a2", "a4", "a5"}, {"a3"}, 90)
        out = self.dev.output(mark)
        # The crash was retried: three receives (maxReceiveCount), each one a crashed instance.
        self.assertGreaterEqual(len(re.findall(r"consume-jobs .*job a3 crash", out)), 3, out)
        self.assertGreaterEqual(len(re.findall(r"consume-jobs .*Runtime exited with error: signal 6", out)), 3, out)
        self.assertIn("a3", dead, out)
        self.assertGreaterEqual(dead["a3"], 3)  # its receives from the source queue (the dead-letter receive may add one)
        self.assertNotIn("a3", done)
        # The other four: finished (before the crash, or in a later batch without it) or dead-lettered with it; none lost.
        for i in ("a1", "a2", "a4", "a5"):
            self.assertTrue(i in done or i in dead, "%s lost\n%s" % (i, out))
        self.assertTrue(self.queue_empty(sqs, url))

    def test_b_kill_9_with_messages_in_flight_loses_none(self):
        sqs, ddb = self.clients()
        url = self.shorten_visibility(sqs)
        mark = self.dev.mark()
        jobs = [("k%02d" % i, "slow") for i in range(20)] + [("f%d" % i, "fail") for i in range(3)] + [("c0", "crash")]
        for start in range(0, len(jobs), 10):
            sent = sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": i, "MessageBody": json.dumps({"id": i, "mode": m})}
                                                                 for i, m in jobs[start:start + 10]])
            self.assertEqual(len(sent["Successful"]), len(jobs[start:start + 10]))  # acknowledged
        # The consumer is busy with the first batch: kill gust dev under it.
        self.assertTrue(self.dev.wait_for(r"consume-jobs .*job k\d\d slow", 30, mark), self.dev.output(mark))
        self.dev.kill9()
        self.dev.start()
        sqs, ddb = self.clients()
        url = self.shorten_visibility(sqs)
        slow = {i for i, m in jobs if m == "slow"}
        failing = {i for i, m in jobs if m != "slow"}
        done, dead = self.settle(sqs, ddb, url, slow, failing, 150)
        out = self.dev.output(mark)
        lost = [i for i, _ in jobs if i not in done and i not in dead]
        self.assertEqual(lost, [], out)
        self.assertTrue(failing <= set(dead), out)
        self.assertTrue(self.queue_empty(sqs, url), out)

    def test_c_malformed_requests_to_every_service_get_aws_errors_and_the_server_carries_on(self):
        url = self.dev.url
        host, port = url[len("http://"):].split(":")
        today = time.strftime("%Y%m%d", time.gmtime())
        now = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())

        def signed(service, extra=None):
            # Well-formed SigV4 (any key and signature is accepted locally, as the issue asks).
            h = {"Authorization": "AWS4-HMAC-SHA256 Credential=K/%s/us-east-1/%s/aws4_request, SignedHeaders=host;x-amz-date, Signature=%s" % (
                today, service, "a" * 64), "X-Amz-Date": now}
            h.update(extra or {})
            return h

        def ddb(target, body):  # target None: no X-Amz-Target at all
            return harness.raw_http(url, "POST", "/", body, signed("dynamodb", {"Content-Type": "application/x-amz-json-1.0", **(
                {"X-Amz-Target": target} if target else {})}))

        def sqs_json(target, body):
            return harness.raw_http(url, "POST", "/", body, signed("sqs", {"Content-Type": "application/x-amz-json-1.0", **(
                {"X-Amz-Target": target} if target else {})}))

        def form(service, body):
            return harness.raw_http(url, "POST", "/", body, signed(service, {"Content-Type": "application/x-www-form-urlencoded"}))

        def json_error(reply):
            status, _, body = reply
            return status, json.loads(body)["__type"].split("#")[-1]

        def xml_code(reply):
            status, _, body = reply
            m = re.search(rb"<Code>([^<]+)</Code>", body)
            return status, m.group(1).decode() if m else body

        # DynamoDB: bad JSON, a missing and an unknown target, bad shapes, a malformed signature.
        self.assertEqual(json_error(ddb("DynamoDB_20120810.PutItem", b"{not json")), (400, "SerializationException"))
        self.assertEqual(json_error(ddb("DynamoDB_20120810.PutItem", b"[1,2]")), (400, "SerializationException"))
        self.assertEqual(json_error(ddb(None, b"{}")), (400, "UnknownOperationException"))
        self.assertEqual(json_error(ddb("DynamoDB_20120810.NoSuchOperation", b"{}")), (400, "UnknownOperationException"))
        self.assertEqual(json_error(ddb("DynamoDB_20120810.PutItem", b'{"TableName":"finished","Item":{"id":{"Q":"x"}}}')),
                         (400, "ValidationException"))
        self.assertEqual(json_error(ddb("DynamoDB_20120810.GetItem", b'{"TableName":"finished"}')), (400, "ValidationException"))
        bad_sig = {"Authorization": "AWS4-HMAC-SHA256 Credential=garbage", "X-Amz-Date": now, "Content-Type": "application/x-amz-json-1.0"}
        self.assertEqual(json_error(harness.raw_http(url, "POST", "/", b"{}", {**bad_sig, "X-Amz-Target": "DynamoDB_20120810.ListTables"})),
                         (400, "IncompleteSignatureException"))
        # SQS, JSON protocol then query protocol.
        self.assertEqual(json_error(sqs_json("AmazonSQS.SendMessage", b"{oops")), (400, "SerializationException"))
        self.assertEqual(json_error(sqs_json("AmazonSQS.Frobnicate", b"{}")), (400, "InvalidAction"))
        self.assertEqual(json_error(sqs_json("AmazonSQS.SendMessage", b'{"MessageBody":"x"}')), (400, "MissingParameter"))
        self.assertEqual(json_error(sqs_json("AmazonSQS.SendMessage", b'{"QueueUrl":"nope","MessageBody":"x"}')), (400, "QueueDoesNotExist"))
        self.assertEqual(json_error(harness.raw_http(url, "POST", "/", b"{}", {**bad_sig, "X-Amz-Target": "AmazonSQS.ListQueues"})),
                         (400, "IncompleteSignatureException"))
        self.assertEqual(xml_code(form("sqs", b"Action=Frobnicate&Version=2012-11-05")), (400, "InvalidAction"))
        self.assertEqual(xml_code(form("sqs", b"Action=SendMessage&Version=2012-11-05")), (400, "MissingParameter"))
        # SNS (query protocol).
        self.assertEqual(xml_code(form("sns", b"Action=Frobnicate&Version=2010-03-31")), (400, "InvalidAction"))
        self.assertEqual(xml_code(form("sns", b"Action=Publish&Version=2010-03-31&Message=x")), (400, "InvalidParameter"))
        self.assertEqual(xml_code(form("sns", b"Version=2010-03-31")), (400, "MissingAction"))
        self.assertEqual(xml_code(harness.raw_http(url, "POST", "/", b"Action=ListTopics", {
            "Authorization": "AWS4-HMAC-SHA256 Credential=K/%s/us-east-1/sns/aws4_request" % today, "X-Amz-Date": now,
            "Content-Type": "application/x-www-form-urlencoded"})), (400, "IncompleteSignature"))
        # S3: bad XML bodies, a malformed signature, no signature.
        s3 = harness.boto_client("s3", url)
        s3.create_bucket(Bucket="faults")
        unsigned_payload = {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"}
        self.assertEqual(xml_code(harness.raw_http(url, "POST", "/faults?delete", b"<Delete><Object>", signed("s3", unsigned_payload))),
                         (400, "MalformedXML"))
        self.assertEqual(xml_code(harness.raw_http(url, "PUT", "/other-bucket", b"<CreateBucketConfiguration><Loc", signed("s3", unsigned_payload))),
                         (400, "MalformedXML"))
        self.assertEqual(xml_code(harness.raw_http(url, "PUT", "/faults?lifecycle", b"<LifecycleConfiguration>", signed("s3", unsigned_payload))),
                         (400, "MalformedXML"))
        self.assertEqual(xml_code(harness.raw_http(url, "GET", "/faults", b"", {"Authorization": "AWS4-HMAC-SHA256 nonsense", "X-Amz-Date": now})),
                         (400, "AuthorizationHeaderMalformed"))
        self.assertEqual(xml_code(harness.raw_http(url, "GET", "/faults")), (403, "AccessDenied"))
        # Not HTTP at all.
        with socket.create_connection((host, int(port)), timeout=5) as s:
            s.sendall(b"\x00\x01garbage\r\n\r\n")
            self.assertIn(b"400", s.recv(4096))
        # Still serving every service.
        sqs, dynamodb = self.clients()
        self.assertIn("finished", dynamodb.list_tables()["TableNames"])
        self.assertIn("faults", [b["Name"] for b in s3.list_buckets()["Buckets"]])
        self.assertTrue(any(u.endswith("/jobs") for u in sqs.list_queues()["QueueUrls"]))
        self.assertIsInstance(harness.boto_client("sns", url).list_topics()["Topics"], list)


if __name__ == "__main__":
    harness.e2e_main(sys.modules[__name__])
