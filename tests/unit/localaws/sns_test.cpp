#include "devcloud/services/sns_service.hpp"

#include "devcloud/services/sqs_service.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <set>
#include <thread>

namespace gust::localaws {
namespace {

using Clock = std::chrono::steady_clock;

// Records lambda deliveries; fails the first `failures` of them.
class RecordingDelivery : public SnsDelivery {
 public:
  explicit RecordingDelivery(int failures = 0) : failures_(failures) {}
  Result<void> deliver_to_lambda(const std::string& function_arn, const std::string& event_json) override {
    std::lock_guard lock(mu_);
    if (failures_ > 0) {
      --failures_;
      ++failed_;
      return unexpected(ErrorCode::unavailable, "function busy");
    }
    delivered_.emplace_back(function_arn, event_json);
    return {};
  }
  std::vector<std::pair<std::string, std::string>> delivered() {
    std::lock_guard lock(mu_);
    return delivered_;
  }
  int failed() {
    std::lock_guard lock(mu_);
    return failed_;
  }

 private:
  std::mutex mu_;
  int failures_;
  int failed_ = 0;
  std::vector<std::pair<std::string, std::string>> delivered_;
};

class Sns : public ::testing::Test {
 protected:
  void SetUp() override {
    sqs_ = SqsService::open({.state_dir = dir_.path()}).value();
    open();
  }
  void open() {
    sns_.reset();
    sns_ = SnsService::open({.state_dir = dir_.path()}, sqs_.get()).value();
  }
  ServiceResponse form(const std::string& body) {
    ServiceRequest r{"POST", "/", "", {}, body};
    r.headers.set("Content-Type", "application/x-www-form-urlencoded");
    testing::sign(r, "sns");
    return call(*sns_, r);
  }
  static std::string between(const std::string& text, const std::string& open, const std::string& close) {
    const auto a = text.find(open);
    if (a == std::string::npos) return {};
    return text.substr(a + open.size(), text.find(close, a) - a - open.size());
  }
  template <class F>
  static bool eventually(F f) {
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline) {
      if (f()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  testing::TempDir dir_;
  std::unique_ptr<SqsService> sqs_;
  std::unique_ptr<SnsService> sns_;
};

TEST_F(Sns, TopicsAndSubscriptions) {
  auto created = form("Action=CreateTopic&Name=orders&Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=Orders");
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string arn = between(created.body, "<TopicArn>", "</TopicArn>");
  EXPECT_EQ(arn, "arn:aws:sns:us-east-1:000000000000:orders");
  EXPECT_NE(form("Action=ListTopics").body.find("<TopicArn>" + arn + "</TopicArn>"), std::string::npos);
  auto attrs = form("Action=GetTopicAttributes&TopicArn=" + url_encode(arn));
  EXPECT_NE(attrs.body.find("<entry><key>DisplayName</key><value>Orders</value></entry>"), std::string::npos) << attrs.body;
  auto sub = form("Action=Subscribe&TopicArn=" + url_encode(arn) + "&Protocol=lambda&Endpoint=" +
                  url_encode("arn:aws:lambda:us-east-1:000000000000:function:handler"));
  ASSERT_EQ(sub.status, 200) << sub.body;
  EXPECT_NE(form("Action=ListSubscriptionsByTopic&TopicArn=" + url_encode(arn)).body.find("<Protocol>lambda</Protocol>"), std::string::npos);
  auto email = form("Action=Subscribe&TopicArn=" + url_encode(arn) + "&Protocol=email&Endpoint=a%40b.c");
  EXPECT_EQ(email.status, 400);
  EXPECT_NE(email.body.find("<Code>InvalidParameter</Code>"), std::string::npos);
  auto missing = form("Action=Publish&TopicArn=" + url_encode(arn + "x") + "&Message=hi");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("<Code>NotFound</Code><Message>Topic does not exist</Message>"), std::string::npos) << missing.body;
  EXPECT_NE(form("Action=Publish&TopicArn=" + url_encode(arn)).body.find("Invalid parameter: Empty message"), std::string::npos);
  form("Action=DeleteTopic&TopicArn=" + url_encode(arn));
  EXPECT_EQ(form("Action=ListTopics").body.find(arn), std::string::npos);
}

TEST_F(Sns, PublishInvokesLambdaSubscriptionsWithTheSnsEvent) {
  auto delivery = std::make_shared<RecordingDelivery>(1);  // the first attempt fails: retried
  sns_->set_delivery(delivery);
  const std::string arn = between(form("Action=CreateTopic&Name=orders").body, "<TopicArn>", "</TopicArn>");
  const std::string fn = "arn:aws:lambda:us-east-1:000000000000:function:handler";
  form("Action=Subscribe&TopicArn=" + url_encode(arn) + "&Protocol=lambda&Endpoint=" + url_encode(fn));
  auto pub = form("Action=Publish&TopicArn=" + url_encode(arn) +
                  "&Message=order+42&Subject=new&MessageAttributes.entry.1.Name=kind&MessageAttributes.entry.1.Value.DataType=String"
                  "&MessageAttributes.entry.1.Value.StringValue=big");
  ASSERT_EQ(pub.status, 200) << pub.body;
  const std::string id = between(pub.body, "<MessageId>", "</MessageId>");
  ASSERT_TRUE(eventually([&] { return !delivery->delivered().empty(); }));
  EXPECT_EQ(delivery->failed(), 1);
  const auto [target, event] = delivery->delivered().front();
  EXPECT_EQ(target, fn);
  auto v = testing::parse(event);
  const auto& record = v.at("Records").at(0);
  EXPECT_EQ(record.at("EventSource"), "aws:sns");
  EXPECT_EQ(record.at("Sns").at("Message"), "order 42");
  EXPECT_EQ(record.at("Sns").at("Subject"), "new");
  EXPECT_EQ(record.at("Sns").at("MessageId"), boost::json::value(id));
  EXPECT_EQ(record.at("Sns").at("TopicArn"), boost::json::value(arn));
  EXPECT_EQ(record.at("Sns").at("MessageAttributes").at("kind"), testing::parse(R"({"Type":"String","Value":"big"})"));
  EXPECT_EQ(sns_->pending_deliveries(), 0);
}

TEST_F(Sns, FilterPoliciesAndRawDeliveryToSqs) {
  ASSERT_TRUE(sqs_->ensure_queue("raw"));
  ASSERT_TRUE(sqs_->ensure_queue("wrapped"));
  const std::string arn = between(form("Action=CreateTopic&Name=t").body, "<TopicArn>", "</TopicArn>");
  auto raw = form("Action=Subscribe&TopicArn=" + url_encode(arn) + "&Protocol=sqs&Endpoint=" + url_encode("arn:aws:sqs:us-east-1:000000000000:raw") +
                  "&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true&Attributes.entry.2.key=FilterPolicy"
                  "&Attributes.entry.2.value=" + url_encode(R"({"kind":["big"],"n":[{"numeric":[">",10]}]})"));
  ASSERT_EQ(raw.status, 200) << raw.body;
  form("Action=Subscribe&TopicArn=" + url_encode(arn) + "&Protocol=sqs&Endpoint=" + url_encode("arn:aws:sqs:us-east-1:000000000000:wrapped"));
  auto publish = [&](const std::string& kind, const std::string& n) {
    return form("Action=Publish&TopicArn=" + url_encode(arn) + "&Message=m-" + kind + n +
                "&MessageAttributes.entry.1.Name=kind&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=" + kind +
                "&MessageAttributes.entry.2.Name=n&MessageAttributes.entry.2.Value.DataType=Number&MessageAttributes.entry.2.Value.StringValue=" + n);
  };
  publish("big", "11");
  publish("big", "5");
  publish("small", "50");
  std::vector<SqsMessage> raw_msgs;
  std::vector<SqsMessage> wrapped_msgs;
  ASSERT_TRUE(eventually([&] {
    auto r = sqs_->receive("raw").value();
    auto w = sqs_->receive("wrapped").value();
    raw_msgs.insert(raw_msgs.end(), r.begin(), r.end());
    wrapped_msgs.insert(wrapped_msgs.end(), w.begin(), w.end());
    return wrapped_msgs.size() >= 3;
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto more = sqs_->receive("raw").value();
  raw_msgs.insert(raw_msgs.end(), more.begin(), more.end());
  ASSERT_EQ(raw_msgs.size(), 1u);
  EXPECT_EQ(raw_msgs[0].body, "m-big11");
  EXPECT_NE(raw_msgs[0].message_attributes_json.find("\"kind\""), std::string::npos);
  auto envelope = testing::parse(wrapped_msgs[0].body);
  EXPECT_EQ(envelope.at("Type"), "Notification");
  EXPECT_EQ(envelope.at("TopicArn"), boost::json::value(arn));
  EXPECT_TRUE(envelope.as_object().contains("SigningCertURL"));
  auto bad = form("Action=Subscribe&TopicArn=" + url_encode(arn) + "&Protocol=sqs&Endpoint=" + url_encode("arn:aws:sqs:us-east-1:000000000000:x") +
                  "&Attributes.entry.1.key=FilterPolicy&Attributes.entry.1.value=notjson");
  EXPECT_EQ(bad.status, 400);
}

TEST_F(Sns, DeliveriesSurviveARestart) {
  const std::string arn = between(form("Action=CreateTopic&Name=t").body, "<TopicArn>", "</TopicArn>");
  const std::string fn = "arn:aws:lambda:us-east-1:000000000000:function:f";
  form("Action=Subscribe&TopicArn=" + url_encode(arn) + "&Protocol=lambda&Endpoint=" + url_encode(fn));
  form("Action=Publish&TopicArn=" + url_encode(arn) + "&Message=kept");
  EXPECT_EQ(sns_->pending_deliveries(), 1);  // nobody registered to deliver to yet
  open();
  auto delivery = std::make_shared<RecordingDelivery>();
  sns_->set_delivery(delivery);
  ASSERT_TRUE(eventually([&] { return !delivery->delivered().empty(); }));
  EXPECT_NE(delivery->delivered().front().second.find("\"Message\":\"kept\""), std::string::npos);
}

TEST_F(Sns, MalformedAndUnsignedRequests) {
  ServiceRequest r{"POST", "/", "", {}, "Action=ListTopics"};
  auto res = call(*sns_, r);
  EXPECT_EQ(res.status, 403);
  EXPECT_NE(res.body.find("<Code>MissingAuthenticationToken</Code>"), std::string::npos);
  EXPECT_NE(form("Action=Nope").body.find("<Code>InvalidAction</Code>"), std::string::npos);
  EXPECT_NE(form("Name=x").body.find("<Code>MissingAction</Code>"), std::string::npos);
  EXPECT_NE(form("Action=CreateTopic&Name=bad%20name").body.find("Invalid parameter: Topic Name"), std::string::npos);
  EXPECT_EQ(form("Action=CreateTopic&Name=fine").status, 200);
}

TEST_F(Sns, PublishBatchDeliversEachEntryAndReportsEachFailure) {
  ASSERT_TRUE(sqs_->ensure_queue("sink"));
  const std::string arn = between(form("Action=CreateTopic&Name=batch").body, "<TopicArn>", "</TopicArn>");
  form("Action=Subscribe&TopicArn=" + url_encode(arn) + "&Protocol=sqs&Endpoint=" + url_encode("arn:aws:sqs:us-east-1:000000000000:sink") +
       "&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true");
  const std::string entries = "&PublishBatchRequestEntries.member.1.Id=one&PublishBatchRequestEntries.member.1.Message=first"
                              "&PublishBatchRequestEntries.member.2.Id=two&PublishBatchRequestEntries.member.2.Message="  // empty: fails alone
                              "&PublishBatchRequestEntries.member.3.Id=three&PublishBatchRequestEntries.member.3.Message=third"
                              "&PublishBatchRequestEntries.member.3.MessageAttributes.entry.1.Name=k"
                              "&PublishBatchRequestEntries.member.3.MessageAttributes.entry.1.Value.DataType=String"
                              "&PublishBatchRequestEntries.member.3.MessageAttributes.entry.1.Value.StringValue=v";
  auto res = form("Action=PublishBatch&TopicArn=" + url_encode(arn) + entries);
  ASSERT_EQ(res.status, 200) << res.body;
  const std::string ok = between(res.body, "<Successful>", "</Successful>");
  EXPECT_NE(ok.find("<Id>one</Id><MessageId>"), std::string::npos) << res.body;
  EXPECT_NE(ok.find("<Id>three</Id><MessageId>"), std::string::npos) << res.body;
  EXPECT_EQ(between(res.body, "<Failed>", "</Failed>"),
            "<member><Id>two</Id><Code>InvalidParameter</Code><Message>Invalid parameter: Empty message</Message><SenderFault>true</SenderFault></member>");
  std::vector<SqsMessage> got;
  ASSERT_TRUE(eventually([&] {
    auto r = sqs_->receive("sink", {.max_messages = 10}).value();
    got.insert(got.end(), r.begin(), r.end());
    return got.size() >= 2;
  }));
  std::set<std::string> bodies;
  for (const auto& m : got) bodies.insert(m.body);
  EXPECT_EQ(bodies, (std::set<std::string>{"first", "third"}));

  auto code = [&](const std::string& body) { return between(form("Action=PublishBatch&TopicArn=" + url_encode(arn) + body).body, "<Code>", "</Code>"); };
  EXPECT_EQ(code(""), "EmptyBatchRequest");
  EXPECT_EQ(code("&PublishBatchRequestEntries.member.1.Id=a&PublishBatchRequestEntries.member.1.Message=x"
                 "&PublishBatchRequestEntries.member.2.Id=a&PublishBatchRequestEntries.member.2.Message=y"),
            "BatchEntryIdsNotDistinct");
  EXPECT_EQ(code("&PublishBatchRequestEntries.member.1.Id=bad%20id&PublishBatchRequestEntries.member.1.Message=x"), "InvalidBatchEntryId");
  std::string eleven;
  for (int i = 1; i <= 11; ++i) {
    const std::string n = std::to_string(i);
    eleven += "&PublishBatchRequestEntries.member." + n + ".Id=m" + n + "&PublishBatchRequestEntries.member." + n + ".Message=x";
  }
  EXPECT_EQ(code(eleven), "TooManyEntriesInBatchRequest");
  EXPECT_EQ(between(form("Action=PublishBatch&TopicArn=" + url_encode(arn + "-gone") +
                         "&PublishBatchRequestEntries.member.1.Id=a&PublishBatchRequestEntries.member.1.Message=x").body,
                    "<Code>", "</Code>"),
            "NotFound");
}

}  // namespace
}  // namespace gust::localaws
