"""examples/todo end to end through a real `gust dev` on a free loopback port:
CRUD through the gateway, the queue consumer's log lines, an upload (boto3
PutObject to the local S3 endpoint, and one through the app's own route)
firing the object handler, and `gust trigger nightly-digest` publishing a
digest that reaches the topic's subscriber. Every wait is bounded; gust dev
is stopped by pid.

    python3 todo_test.py --gust build/bin/gust --app examples/todo
"""

import json
import os
import subprocess
import sys
import unittest
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "integration", "localaws"))
import harness  # noqa: E402

GUST = None
APP = None


def http(url, method, path, body=None, headers=None, timeout=30):
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    hdrs = {"Content-Type": "application/json"} if isinstance(body, (dict, list)) else {}
    hdrs.update(headers or {})
    req = urllib.request.Request(url + path, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class TodoEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dev = harness.GustDev(GUST, APP).start()
        cls.gw = cls.dev.url_gateway

    @classmethod
    def tearDownClass(cls):
        # What gust dev printed (its functions' logs too): ctest shows it when a test failed.
        sys.stderr.write("---- gust dev output (last 150 lines) ----\n" + "\n".join(cls.dev.output().splitlines()[-150:]) + "\n")
        pid = cls.dev.proc.pid if cls.dev.proc else None
        cls.dev.cleanup()  # SIGINT by pid, SIGKILL if it does not stop
        assert pid is None or not os.path.exists("/proc/%d" % pid), "gust dev (pid %d) still runs" % pid

    def consumer_saw(self, todo_id, kind, since):
        return self.dev.wait_for(r"^consume-todo-events \[[0-9a-f]{8}\] .*todo %s %s" % (todo_id, kind), 30, since)

    def test_1_crud_through_the_gateway_and_the_queue_consumer(self):
        mark = self.dev.mark()
        status, body = http(self.gw, "POST", "/lists/work/todos", {"title": "write the e2e test"})
        self.assertEqual(status, 201, body)
        first = json.loads(body)
        self.assertEqual((first["list"], first["title"], first["done"]), ("work", "write the e2e test", False))
        self.assertRegex(first["id"], r"^[0-9a-f]{16}$")
        self.assertTrue(self.consumer_saw(first["id"], "created", mark), self.dev.output(mark))

        status, body = http(self.gw, "POST", "/lists/work/todos", {"title": "second"})
        self.assertEqual(status, 201, body)
        second = json.loads(body)
        status, body = http(self.gw, "POST", "/lists/work/todos", {"title": ""})
        self.assertEqual(status, 400)
        self.assertIn(b"title: must not be empty", body)

        status, body = http(self.gw, "GET", "/lists/work/todos/" + first["id"])
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body), first)
        status, body = http(self.gw, "GET", "/lists/work/todos")
        self.assertEqual(status, 200, body)
        self.assertEqual(sorted(t["id"] for t in json.loads(body)), sorted([first["id"], second["id"]]))
        status, body = http(self.gw, "GET", "/lists/work/recent")
        self.assertEqual(status, 200, body)
        recent = json.loads(body)  # the index on created_at, newest first
        self.assertEqual(sorted(t["id"] for t in recent), sorted([first["id"], second["id"]]))
        self.assertEqual([t["created_at"] for t in recent], sorted((t["created_at"] for t in recent), reverse=True))

        mark = self.dev.mark()
        status, body = http(self.gw, "PUT", "/lists/work/todos/" + first["id"], {"title": "wrote it", "done": True})
        self.assertEqual(status, 200, body)
        self.assertEqual((json.loads(body)["title"], json.loads(body)["done"]), ("wrote it", True))
        self.assertTrue(self.consumer_saw(first["id"], "updated", mark), self.dev.output(mark))
        # The write is in the local DynamoDB, as the AWS CLI sees it.
        item = harness.aws_cli(self.dev.url, "dynamodb", "get-item", "--table-name", "todos", "--key",
                               json.dumps({"list": {"S": "work"}, "id": {"S": first["id"]}}))["Item"]
        self.assertEqual((item["title"]["S"], item["done"]["BOOL"]), ("wrote it", True))

        mark = self.dev.mark()
        status, _ = http(self.gw, "DELETE", "/lists/work/todos/" + second["id"])
        self.assertEqual(status, 204)
        self.assertTrue(self.consumer_saw(second["id"], "deleted", mark), self.dev.output(mark))
        status, _ = http(self.gw, "GET", "/lists/work/todos/" + second["id"])
        self.assertEqual(status, 404)
        status, _ = http(self.gw, "PUT", "/lists/work/todos/" + second["id"], {"title": "gone"})
        self.assertEqual(status, 404)
        self.assertEqual([t["id"] for t in json.loads(http(self.gw, "GET", "/lists/work/todos")[1])], [first["id"]])

    def test_2_uploads_fire_the_object_handler(self):
        mark = self.dev.mark()
        s3 = harness.boto_client("s3", self.dev.url)
        s3.put_object(Bucket="attachments", Key="notes/plan.txt", Body=b"plan: ship", ContentType="text/plain")
        self.assertTrue(self.dev.wait_for(r"^on-attachments-created \[[0-9a-f]{8}\] .*attachment notes/plan\.txt stored: 10 bytes of text/plain",
                                          30, mark), self.dev.output(mark))
        # Through the app's own route: the handler writes with its BucketWriter, the notification follows.
        mark = self.dev.mark()
        status, _ = http(self.gw, "PUT", "/attachments/photo.bin", bytes(range(256)) * 4, {"Content-Type": "application/octet-stream"})
        self.assertEqual(status, 204)
        self.assertTrue(self.dev.wait_for(r"attachment photo\.bin stored: 1024 bytes of application/octet-stream", 30, mark), self.dev.output(mark))
        status, body = http(self.gw, "GET", "/attachments/photo.bin")
        self.assertEqual((status, body), (200, bytes(range(256)) * 4))
        self.assertEqual(s3.get_object(Bucket="attachments", Key="notes/plan.txt")["Body"].read(), b"plan: ship")

    def test_3_gust_trigger_fires_the_schedule_and_its_digest_reaches_the_subscriber(self):
        # What the table holds now (test 1 leaves one done todo; add an open one so both counts show).
        status, _ = http(self.gw, "POST", "/lists/home/todos", {"title": "open one"})
        self.assertEqual(status, 201)
        items = harness.boto_client("dynamodb", self.dev.url).scan(TableName="todos")["Items"]
        done = sum(1 for i in items if i["done"]["BOOL"])
        mark = self.dev.mark()
        fired = subprocess.run([GUST, "trigger", "nightly-digest", self.dev.app], capture_output=True, text=True, timeout=300)
        self.assertEqual(fired.returncode, 0, fired.stdout + fired.stderr)
        self.assertIn("fired nightly-digest", fired.stdout)
        self.assertTrue(self.dev.wait_for(r"^nightly-digest START RequestId", 30, mark), self.dev.output(mark))
        got = self.dev.wait_for(r"^on-digests \[[0-9a-f]{8}\] .*digest: (\d+) open, (\d+) done", 30, mark)
        self.assertTrue(got, self.dev.output(mark))
        self.assertEqual((int(got.group(1)), int(got.group(2))), (len(items) - done, done))
        self.assertGreaterEqual(done, 1)
        self.assertGreaterEqual(len(items) - done, 1)


if __name__ == "__main__":
    harness.e2e_main(sys.modules[__name__])
