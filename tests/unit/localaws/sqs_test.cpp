#include "devcloud/services/sqs_service.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <future>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace gust::localaws {
namespace {

namespace json = boost::json;
using testing::parse;
using Clock = std::chrono::steady_clock;

class Sqs : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void open() {
    svc_.reset();
    auto svc = SqsService::open({.state_dir = dir_.path()});
    ASSERT_TRUE(svc) << svc.error().message;
    svc_ = std::move(*svc);
  }
  ServiceResponse raw(const std::string& op, const std::string& body) {
    return call(*svc_, testing::json_request("AmazonSQS." + op, body, "sqs"));
  }
  json::value op(const std::string& name, const std::string& body) {
    auto res = raw(name, body);
    EXPECT_EQ(res.status, 200) << name << ": " << res.body;
    return parse(res.body);
  }
  std::string create(const std::string& name, const std::string& attrs = "{}") {
    return std::string(op("CreateQueue", R"({"QueueName":")" + name + R"(","Attributes":)" + attrs + "}").at("QueueUrl").as_string());
  }
  json::value receive(const std::string& url, const std::string& extra = "") {
    return op("ReceiveMessage", R"({"QueueUrl":")" + url + R"(","MaxNumberOfMessages":10,"AttributeNames":["All"],"MessageAttributeNames":["All"])" + extra + "}");
  }
  static std::size_t count(const json::value& received) {
    const auto* m = received.as_object().if_contains("Messages");
    return m ? m->as_array().size() : 0;
  }

  testing::TempDir dir_;
  std::unique_ptr<SqsService> svc_;
};

TEST_F(Sqs, QueueLifecycleAndNotFoundShape) {
  const std::string url = create("jobs");
  EXPECT_EQ(url, "http://127.0.0.1:4566/000000000000/jobs");
  EXPECT_EQ(create("jobs"), url);  // idempotent with the same attributes
  create("other", R"({"VisibilityTimeout":"5"})");
  EXPECT_EQ(op("GetQueueUrl", R"({"QueueName":"jobs"})").at("QueueUrl"), json::value(url));
  EXPECT_EQ(op("ListQueues", R"({"QueueNamePrefix":"j"})").at("QueueUrls"), parse(R"(["http://127.0.0.1:4566/000000000000/jobs"])"));
  auto attrs = op("GetQueueAttributes", R"({"QueueUrl":")" + url + R"(","AttributeNames":["All"]})").at("Attributes");
  EXPECT_EQ(attrs.at("QueueArn"), "arn:aws:sqs:us-east-1:000000000000:jobs");
  EXPECT_EQ(attrs.at("VisibilityTimeout"), "30");
  EXPECT_EQ(attrs.at("ApproximateNumberOfMessages"), "0");
  auto clash = raw("CreateQueue", R"({"QueueName":"other","Attributes":{"VisibilityTimeout":"6"}})");
  EXPECT_EQ(parse(clash.body).at("__type"), "com.amazonaws.sqs#QueueNameExists");
  op("DeleteQueue", R"({"QueueUrl":")" + url + R"("})");
  auto res = raw("GetQueueUrl", R"({"QueueName":"jobs"})");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(parse(res.body), parse(R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."})"));
  EXPECT_EQ(res.headers.get("x-amzn-query-error").value_or(""), "AWS.SimpleQueueService.NonExistentQueue;Sender");
  EXPECT_EQ(parse(raw("CreateQueue", R"({"QueueName":"bad name!"})").body).at("__type"), "com.amazonaws.sqs#InvalidParameterValue");
}

TEST_F(Sqs, SendReceiveDeleteWithAttributesAndMd5s) {
  const std::string url = create("jobs");
  auto sent = op("SendMessage", R"({"QueueUrl":")" + url + R"(","MessageBody":"hello","MessageAttributes":{"kind":{"DataType":"String","StringValue":"greeting"}}})");
  EXPECT_EQ(sent.at("MD5OfMessageBody"), "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(sent.at("MD5OfMessageAttributes").as_string().size(), 32u);
  auto got = receive(url);
  ASSERT_EQ(count(got), 1u);
  const auto& m = got.at("Messages").at(0);
  EXPECT_EQ(m.at("Body"), "hello");
  EXPECT_EQ(m.at("MessageId"), sent.at("MessageId"));
  EXPECT_EQ(m.at("MD5OfBody"), "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(m.at("MD5OfMessageAttributes"), sent.at("MD5OfMessageAttributes"));
  EXPECT_EQ(m.at("MessageAttributes").at("kind").at("StringValue"), "greeting");
  EXPECT_EQ(m.at("Attributes").at("ApproximateReceiveCount"), "1");
  EXPECT_EQ(m.at("Attributes").at("SenderId"), "AKIDEXAMPLE");
  EXPECT_EQ(count(receive(url)), 0u);  // in flight: invisible
  op("DeleteMessage", R"({"QueueUrl":")" + url + R"(","ReceiptHandle":")" + std::string(m.at("ReceiptHandle").as_string()) + R"("})");
  auto attrs = op("GetQueueAttributes", R"({"QueueUrl":")" + url + R"(","AttributeNames":["ApproximateNumberOfMessagesNotVisible"]})");
  EXPECT_EQ(attrs.at("Attributes").at("ApproximateNumberOfMessagesNotVisible"), "0");
  auto bad = raw("DeleteMessage", R"({"QueueUrl":")" + url + R"(","ReceiptHandle":"garbage"})");
  EXPECT_EQ(parse(bad.body).at("__type"), "com.amazonaws.sqs#ReceiptHandleIsInvalid");
}

TEST_F(Sqs, VisibilityTimeoutReturnsMessagesAndCountsReceives) {
  const std::string url = create("jobs");
  op("SendMessage", R"({"QueueUrl":")" + url + R"(","MessageBody":"m"})");
  auto first = receive(url, R"(,"VisibilityTimeout":1)");
  ASSERT_EQ(count(first), 1u);
  EXPECT_EQ(count(receive(url)), 0u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto second = receive(url, R"(,"VisibilityTimeout":30)");
  ASSERT_EQ(count(second), 1u);
  EXPECT_EQ(second.at("Messages").at(0).at("Attributes").at("ApproximateReceiveCount"), "2");
  // The first receipt is outdated: deleting with it succeeds without deleting.
  op("DeleteMessage", R"({"QueueUrl":")" + url + R"(","ReceiptHandle":")" + std::string(first.at("Messages").at(0).at("ReceiptHandle").as_string()) + R"("})");
  // ChangeMessageVisibility to 0 makes it visible now.
  op("ChangeMessageVisibility", R"({"QueueUrl":")" + url + R"(","ReceiptHandle":")" +
                                    std::string(second.at("Messages").at(0).at("ReceiptHandle").as_string()) + R"(","VisibilityTimeout":0})");
  auto third = receive(url);
  ASSERT_EQ(count(third), 1u);
  EXPECT_EQ(third.at("Messages").at(0).at("Attributes").at("ApproximateReceiveCount"), "3");
  auto stale = raw("ChangeMessageVisibility", R"({"QueueUrl":")" + url + R"(","ReceiptHandle":")" +
                                                  std::string(second.at("Messages").at(0).at("ReceiptHandle").as_string()) + R"(","VisibilityTimeout":5})");
  EXPECT_EQ(parse(stale.body).at("__type"), "com.amazonaws.sqs#MessageNotInflight");
}

TEST_F(Sqs, RedriveMovesMessagesToTheDeadLetterQueueAfterMaxReceiveCount) {
  const std::string dlq = create("jobs-dlq");
  const std::string url = create("jobs", R"({"RedrivePolicy":"{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:jobs-dlq\",\"maxReceiveCount\":\"2\"}"})");
  op("SendMessage", R"({"QueueUrl":")" + url + R"(","MessageBody":"poison"})");
  EXPECT_EQ(count(receive(url, R"(,"VisibilityTimeout":0)")), 1u);
  EXPECT_EQ(count(receive(url, R"(,"VisibilityTimeout":0)")), 1u);
  EXPECT_EQ(count(receive(url, R"(,"VisibilityTimeout":0)")), 0u);  // third time: redriven instead
  auto dead = receive(dlq);
  ASSERT_EQ(count(dead), 1u);
  EXPECT_EQ(dead.at("Messages").at(0).at("Body"), "poison");
  // The two receives from the source queue carry over (as SQS and moto do), plus this one.
  EXPECT_EQ(dead.at("Messages").at(0).at("Attributes").at("ApproximateReceiveCount"), "3");
  auto sources = op("ListDeadLetterSourceQueues", R"({"QueueUrl":")" + dlq + R"("})");
  EXPECT_EQ(sources.at("queueUrls").at(0), json::value(url));
  auto bad = raw("SetQueueAttributes", R"({"QueueUrl":")" + url + R"(","Attributes":{"RedrivePolicy":"{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:nope\",\"maxReceiveCount\":\"2\"}"}})");
  EXPECT_EQ(parse(bad.body).at("__type"), "com.amazonaws.sqs#InvalidParameterValue");
}

TEST_F(Sqs, LongPollAnswersWhenAMessageArrives) {
  const std::string url = create("jobs");
  auto done = std::make_shared<std::promise<ServiceResponse>>();
  auto future = done->get_future();
  const auto start = Clock::now();
  svc_->handle(testing::json_request("AmazonSQS.ReceiveMessage", R"({"QueueUrl":")" + url + R"(","WaitTimeSeconds":5})", "sqs"),
               [done](ServiceResponse r) { done->set_value(std::move(r)); });
  EXPECT_EQ(future.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);  // parked, not answered
  op("SendMessage", R"({"QueueUrl":")" + url + R"(","MessageBody":"wake"})");
  ASSERT_EQ(future.wait_for(std::chrono::seconds(3)), std::future_status::ready);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(parse(future.get().body).at("Messages").at(0).at("Body"), "wake");
  // An empty long poll ends at WaitTimeSeconds.
  const auto t0 = Clock::now();
  auto empty = op("ReceiveMessage", R"({"QueueUrl":")" + url + R"(","WaitTimeSeconds":1})");
  EXPECT_GE(Clock::now() - t0, std::chrono::milliseconds(900));
  EXPECT_EQ(count(empty), 0u);
  auto bad = raw("ReceiveMessage", R"({"QueueUrl":")" + url + R"(","WaitTimeSeconds":21})");
  EXPECT_EQ(parse(bad.body).at("message"), "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.");
}

TEST_F(Sqs, BatchesReportPerEntryResults) {
  const std::string url = create("jobs");
  auto res = op("SendMessageBatch", R"({"QueueUrl":")" + url + R"(","Entries":[{"Id":"a","MessageBody":"1"},{"Id":"b","MessageBody":""},{"Id":"c","MessageBody":"3","DelaySeconds":0}]})");
  EXPECT_EQ(res.at("Successful").as_array().size(), 2u);
  EXPECT_EQ(res.at("Failed").at(0).at("Id"), "b");
  EXPECT_EQ(res.at("Failed").at(0).at("Code"), "MissingParameter");
  EXPECT_EQ(parse(raw("SendMessageBatch", R"({"QueueUrl":")" + url + R"(","Entries":[{"Id":"a","MessageBody":"1"},{"Id":"a","MessageBody":"2"}]})").body).at("__type"),
            "com.amazonaws.sqs#BatchEntryIdsNotDistinct");
  EXPECT_EQ(parse(raw("SendMessageBatch", R"({"QueueUrl":")" + url + R"(","Entries":[]})").body).at("__type"), "com.amazonaws.sqs#EmptyBatchRequest");
  auto got = receive(url);
  ASSERT_EQ(count(got), 2u);
  json::array entries;
  int i = 0;
  for (const auto& m : got.at("Messages").as_array()) entries.push_back(json::object{{"Id", "e" + std::to_string(i++)}, {"ReceiptHandle", m.at("ReceiptHandle")}});
  entries.push_back(json::object{{"Id", "bad"}, {"ReceiptHandle", "nope"}});
  auto deleted = op("DeleteMessageBatch", R"({"QueueUrl":")" + url + R"(","Entries":)" + json::serialize(entries) + "}");
  EXPECT_EQ(deleted.at("Successful").as_array().size(), 2u);
  EXPECT_EQ(deleted.at("Failed").at(0).at("Code"), "ReceiptHandleIsInvalid");
}

TEST_F(Sqs, FifoQueuesKeepGroupOrderAndDeduplicate) {
  const std::string url = create("orders.fifo", R"({"FifoQueue":"true","ContentBasedDeduplication":"true"})");
  for (const char* body : {"1", "2", "3"}) {
    op("SendMessage", R"({"QueueUrl":")" + url + R"(","MessageBody":")" + body + R"(","MessageGroupId":"g"})");
  }
  auto dup = op("SendMessage", R"({"QueueUrl":")" + url + R"(","MessageBody":"1","MessageGroupId":"g"})");
  EXPECT_TRUE(dup.as_object().contains("SequenceNumber"));
  auto first = op("ReceiveMessage", R"({"QueueUrl":")" + url + R"(","MaxNumberOfMessages":1})");
  ASSERT_EQ(count(first), 1u);
  EXPECT_EQ(first.at("Messages").at(0).at("Body"), "1");
  // The group is blocked while its first message is in flight.
  EXPECT_EQ(count(op("ReceiveMessage", R"({"QueueUrl":")" + url + R"(","MaxNumberOfMessages":10})")), 0u);
  op("DeleteMessage", R"({"QueueUrl":")" + url + R"(","ReceiptHandle":")" + std::string(first.at("Messages").at(0).at("ReceiptHandle").as_string()) + R"("})");
  auto rest = op("ReceiveMessage", R"({"QueueUrl":")" + url + R"(","MaxNumberOfMessages":10})");
  ASSERT_EQ(count(rest), 2u);  // the duplicate of "1" was not enqueued
  EXPECT_EQ(rest.at("Messages").at(0).at("Body"), "2");
  EXPECT_EQ(rest.at("Messages").at(1).at("Body"), "3");
  EXPECT_EQ(parse(raw("SendMessage", R"({"QueueUrl":")" + url + R"(","MessageBody":"x"})").body).at("__type"), "com.amazonaws.sqs#MissingParameter");
}

TEST_F(Sqs, QueryProtocolSpeaksFormsAndXml) {
  auto form = [&](const std::string& body) {
    ServiceRequest req{"POST", "/", "", {}, body};
    req.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    testing::sign(req, "sqs");
    return call(*svc_, req);
  };
  auto created = form("Action=CreateQueue&Version=2012-11-05&QueueName=legacy&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=7");
  EXPECT_EQ(created.status, 200) << created.body;
  EXPECT_NE(created.body.find("<QueueUrl>http://127.0.0.1:4566/000000000000/legacy</QueueUrl>"), std::string::npos) << created.body;
  auto sent = form("Action=SendMessage&QueueUrl=http%3A%2F%2F127.0.0.1%3A4566%2F000000000000%2Flegacy&MessageBody=hi+there"
                   "&MessageAttribute.1.Name=k&MessageAttribute.1.Value.DataType=Number&MessageAttribute.1.Value.StringValue=42");
  EXPECT_EQ(sent.status, 200) << sent.body;
  EXPECT_NE(sent.body.find("<MD5OfMessageBody>"), std::string::npos);
  auto got = form("Action=ReceiveMessage&QueueUrl=http%3A%2F%2F127.0.0.1%3A4566%2F000000000000%2Flegacy&AttributeName.1=All&MessageAttributeName.1=All");
  EXPECT_NE(got.body.find("<Body>hi there</Body>"), std::string::npos) << got.body;
  EXPECT_NE(got.body.find("<MessageAttribute><Name>k</Name><Value><DataType>Number</DataType><StringValue>42</StringValue></Value></MessageAttribute>"),
            std::string::npos)
      << got.body;
  auto attrs = form("Action=GetQueueAttributes&QueueUrl=legacy&AttributeName.1=VisibilityTimeout");
  EXPECT_NE(attrs.body.find("<Attribute><Name>VisibilityTimeout</Name><Value>7</Value></Attribute>"), std::string::npos) << attrs.body;
  auto missing = form("Action=GetQueueUrl&QueueName=nope");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>"), std::string::npos) << missing.body;
}

TEST_F(Sqs, MalformedAndUnsignedRequestsAreRejectedAndTheServiceKeepsWorking) {
  const std::string url = create("jobs");
  EXPECT_EQ(parse(raw("SendMessage", "{oops").body).at("__type"), "com.amazon.coral.service#SerializationException");
  EXPECT_EQ(parse(raw("Frobnicate", "{}").body).at("__type"), "com.amazonaws.sqs#InvalidAction");
  ServiceRequest unsigned_req{"POST", "/", "", {}, "{}"};
  unsigned_req.headers.set("X-Amz-Target", "AmazonSQS.ListQueues");
  auto res = call(*svc_, unsigned_req);
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(parse(res.body).at("__type"), "com.amazon.coral.service#MissingAuthenticationTokenException");
  EXPECT_EQ(parse(raw("SendMessage", R"({"QueueUrl":")" + url + R"(","MessageBody":"bad \u0001 char"})").body).at("__type"),
            "com.amazonaws.sqs#InvalidMessageContents");
  EXPECT_EQ(parse(raw("SendMessage", R"({"QueueUrl":")" + url + R"(","MessageBody":"x","MessageAttributes":{"n":{"DataType":"Number","StringValue":"abc"}}})").body).at("message"),
            "Can't cast the value of message (user) attribute 'n' to a number.");
  op("SendMessage", R"({"QueueUrl":")" + url + R"(","MessageBody":"ok"})");
  EXPECT_EQ(count(receive(url)), 1u);
}

TEST_F(Sqs, InProcessApiAndLambdaRecords) {
  ASSERT_TRUE(svc_->ensure_queue("events"));
  std::atomic<int> notified{0};
  svc_->set_on_message([&](const std::string& q) {
    if (q == "events") ++notified;
  });
  ASSERT_TRUE(svc_->send("events", R"({"id":"1"})"));
  EXPECT_EQ(notified.load(), 1);
  auto msgs = svc_->receive("events", {.max_messages = 10, .visibility_timeout = 30});
  ASSERT_TRUE(msgs);
  ASSERT_EQ(msgs->size(), 1u);
  const auto arn = svc_->queue_arn("events").value();
  auto record = parse(sqs_lambda_record(msgs->front(), arn, "us-east-1"));
  EXPECT_EQ(record.at("eventSource"), "aws:sqs");
  EXPECT_EQ(record.at("eventSourceARN"), "arn:aws:sqs:us-east-1:000000000000:events");
  EXPECT_EQ(record.at("body"), R"({"id":"1"})");
  EXPECT_EQ(record.at("attributes").at("ApproximateReceiveCount"), "1");
  ASSERT_TRUE(svc_->delete_message("events", msgs->front().receipt_handle));
  EXPECT_TRUE(svc_->receive("events")->empty());
  EXPECT_EQ(svc_->receive("nope").error().code, ErrorCode::not_found);
}

// Kill -9 with messages sent and in flight: every acknowledged message is
// still there after a restart, visible again once its timeout passes.
TEST_F(Sqs, MessagesSurviveSigkillWithMessagesInFlight) {
  create("jobs");
  svc_.reset();
  int ack[2];
  ASSERT_EQ(::pipe(ack), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto svc = SqsService::open({.state_dir = dir_.path()});
    if (!svc) ::_exit(2);
    for (int i = 0;; ++i) {
      if (!(*svc)->send("jobs", "m" + std::to_string(i))) ::_exit(3);
      if (i % 3 == 0 && !(*svc)->receive("jobs", {.max_messages = 1, .visibility_timeout = 1})) ::_exit(4);  // some in flight
      if (::write(ack[1], &i, sizeof i) != sizeof i) ::_exit(5);
    }
  }
  ::close(ack[1]);
  int last = -1;
  for (int n; last < 40 && ::read(ack[0], &n, sizeof n) == sizeof n;) last = n;
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  ::close(ack[0]);
  ASSERT_GE(last, 40);
  open();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // in-flight messages become visible
  std::set<std::string> bodies;
  for (int round = 0; round < 100; ++round) {
    auto msgs = svc_->receive("jobs", {.max_messages = 10});
    ASSERT_TRUE(msgs);
    if (msgs->empty()) break;
    for (const auto& m : *msgs) bodies.insert(m.body);
  }
  for (int i = 0; i <= last; ++i) EXPECT_TRUE(bodies.count("m" + std::to_string(i))) << "acknowledged message " << i << " lost";
}

TEST_F(Sqs, EnsureQueueUpdatesTheAttributesOfAnExistingQueue) {
  // gust dev provisions on every start: a changed declaration (a longer
  // consumer timeout) or a queue someone changed through the API must not stop it.
  ASSERT_TRUE(svc_->ensure_queue("jobs", {{"VisibilityTimeout", "30"}, {"MessageRetentionPeriod", "600"}}));
  const std::string url = "http://127.0.0.1:4566/000000000000/jobs";
  op("SetQueueAttributes", R"({"QueueUrl":")" + url + R"(","Attributes":{"VisibilityTimeout":"4","DelaySeconds":"2"}})");
  ASSERT_TRUE(svc_->ensure_queue("jobs", {{"VisibilityTimeout", "60"}, {"MessageRetentionPeriod", "600"}}));
  auto attrs = op("GetQueueAttributes", R"({"QueueUrl":")" + url + R"(","AttributeNames":["All"]})").at("Attributes");
  EXPECT_EQ(attrs.at("VisibilityTimeout"), "60");
  EXPECT_EQ(attrs.at("DelaySeconds"), "2") << "attributes not given are kept";
  auto bad = svc_->ensure_queue("jobs", {{"VisibilityTimeout", "-1"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().aws.code, "InvalidAttributeValue");
}

}  // namespace
}  // namespace gust::localaws
