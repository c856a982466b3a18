// The SQS client and queue capabilities against fauxqs and moto (both speak
// the SQS JSON protocol), and SNS Publish against moto, delivered to an SQS
// queue subscribed to the topic.
#include "aws/sns.hpp"
#include "aws/sqs.hpp"

#include "peer.hpp"

#include <gust/queue.hpp>
#include <gust/record.hpp>
#include <gust/topic.hpp>

#include <gtest/gtest.h>

#include <set>

namespace gust::aws {
namespace {

struct Order {
  std::string id;
  int quantity = 0;
  std::string note;
};
GUST_RECORD(Order, id, quantity, note);

class QueueEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    for (const char* kind : {"fauxqs", "moto"}) {
      auto peer = std::make_unique<testing::Peer>(kind);
      ASSERT_TRUE(peer->ok()) << peer->error();
      auto config = peer->config();
      services[kind] = std::make_unique<SqsQueueService>(config);
      clients[kind] = std::make_unique<SqsClient>(config);
      peers[kind] = std::move(peer);
    }
  }
  void TearDown() override {
    services.clear();
    clients.clear();
    peers.clear();
  }
  std::map<std::string, std::unique_ptr<testing::Peer>> peers;
  std::map<std::string, std::unique_ptr<SqsClient>> clients;
  std::map<std::string, std::unique_ptr<SqsQueueService>> services;
};
QueueEnvironment* const queues = static_cast<QueueEnvironment*>(::testing::AddGlobalTestEnvironment(new QueueEnvironment));

class Sqs : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(queues->services.count(GetParam())) << GetParam() << " did not start";
    service_ = queues->services.at(GetParam()).get();
    const std::string name = std::string(::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::string queue_name;
    for (char c : name) queue_name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '-');
    auto url = queues->clients.at(GetParam())->create_queue(queue_name, {{"VisibilityTimeout", "30"}});
    ASSERT_TRUE(url) << url.error().describe();
    binding_ = {queue_name, *url, "", ""};
  }
  // Receives until `want` messages arrived (bounded: 10 rounds of 1 s long polls).
  std::vector<detail::ReceivedMessage> receive_all(std::size_t want, std::optional<std::chrono::seconds> visibility = {}) {
    std::vector<detail::ReceivedMessage> out;
    for (int round = 0; round < 10 && out.size() < want; ++round) {
      auto got = service_->receive(binding_, 10, std::chrono::seconds(1), visibility);
      EXPECT_TRUE(got) << got.error().describe();
      if (!got) break;
      for (auto& m : *got) out.push_back(std::move(m));
    }
    return out;
  }
  SqsQueueService* service_ = nullptr;
  detail::ResourceBinding binding_;
};

TEST_P(Sqs, SendReceiveDelete) {
  // fauxqs 1.9 refuses characters beyond U+FFFF (it checks UTF-16 code
  // units); SQS and moto take them, so moto gets the emoji.
  const std::string body = GetParam() == "moto" ? R"({"id":"o-1","note":"Grüße 👋 ✓"})" : R"({"id":"o-1","note":"Grüße ✓"})";
  auto id = service_->send(binding_, body, {std::chrono::seconds(0), "", "", {{"source", "test"}, {"kind", "order"}}});
  ASSERT_TRUE(id) << id.error().describe();
  EXPECT_FALSE(id->empty());
  auto got = receive_all(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, body);
  EXPECT_EQ(got[0].info.message_id, *id);
  EXPECT_FALSE(got[0].info.receipt_handle.empty());
  EXPECT_EQ(got[0].info.receive_count, 1);
  EXPECT_FALSE(got[0].info.sent_timestamp.empty());
  EXPECT_EQ(got[0].info.attributes["source"], "test");
  EXPECT_EQ(got[0].info.attributes["kind"], "order");
  auto del = service_->delete_message(binding_, got[0].info.receipt_handle);
  ASSERT_TRUE(del) << del.error().describe();
  auto again = service_->receive(binding_, 10, std::chrono::seconds(0), std::nullopt);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
}

TEST_P(Sqs, BatchSendAndBatchDelete) {
  std::vector<std::string> bodies;
  for (int i = 0; i < 10; ++i) bodies.push_back("message " + std::to_string(i));
  auto ids = service_->send_batch(binding_, bodies);
  ASSERT_TRUE(ids) << ids.error().describe();
  ASSERT_EQ(ids->size(), 10u);
  EXPECT_EQ(std::set<std::string>(ids->begin(), ids->end()).size(), 10u);
  auto got = receive_all(10);
  ASSERT_EQ(got.size(), 10u);
  std::set<std::string> seen;
  std::vector<std::string> handles;
  for (auto& m : got) {
    seen.insert(m.body);
    handles.push_back(m.info.receipt_handle);
  }
  EXPECT_EQ(seen, std::set<std::string>(bodies.begin(), bodies.end()));
  auto del = service_->delete_batch(binding_, handles);
  ASSERT_TRUE(del) << del.error().describe();

  std::vector<std::string> eleven(11, "x");
  auto too_many = service_->send_batch(binding_, eleven);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, ErrorCode::invalid_argument);
}

TEST_P(Sqs, ChangeVisibilityReturnsAMessageEarly) {
  ASSERT_TRUE(service_->send(binding_, "come back", {}));
  auto first = receive_all(1, std::chrono::seconds(60));
  ASSERT_EQ(first.size(), 1u);
  auto hidden = service_->receive(binding_, 1, std::chrono::seconds(0), std::nullopt);
  ASSERT_TRUE(hidden);
  EXPECT_TRUE(hidden->empty());
  auto changed = service_->change_visibility(binding_, first[0].info.receipt_handle, std::chrono::seconds(0));
  ASSERT_TRUE(changed) << changed.error().describe();
  auto second = receive_all(1);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].body, "come back");
  EXPECT_EQ(second[0].info.receive_count, 2);
}

TEST_P(Sqs, OversizeBodyIsRefusedBeforeAnyCall) {
  auto r = service_->send(binding_, std::string(SqsQueueService::kMaxBody + 1, 'x'), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(r.error().aws.http_status, 0);
  auto bad_max = service_->receive(binding_, 11, std::chrono::seconds(0), std::nullopt);
  ASSERT_FALSE(bad_max);
  EXPECT_EQ(bad_max.error().code, ErrorCode::invalid_argument);
}

TEST_P(Sqs, LargestBodyGoesThrough) {
  const std::string body(SqsQueueService::kMaxBody, 'z');
  ASSERT_TRUE(service_->send(binding_, body, {}));
  auto got = receive_all(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body.size(), body.size());
}

TEST_P(Sqs, MissingQueueIsNotFound) {
  detail::ResourceBinding missing = binding_;
  missing.id = "ghost";
  missing.physical = binding_.physical.substr(0, binding_.physical.rfind('/') + 1) + "no-such-queue";
  auto r = service_->send(missing, "x", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found) << r.error().describe();
  EXPECT_NE(r.error().context.find("ghost"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Peers, Sqs, ::testing::Values("fauxqs", "moto"));

TEST(SqsCapability, QueueSenderAndReceiverUseTheProcessWideClient) {
  ASSERT_TRUE(queues->peers.count("fauxqs"));
  queues->peers.at("fauxqs")->export_to_process();
  ::setenv("AWS_CONFIG_FILE", "/dev/null/gust-no-config", 1);
  ::setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null/gust-no-credentials", 1);
  auto url = queues->clients.at("fauxqs")->create_queue("capability");
  ASSERT_TRUE(url) << url.error().describe();
  const detail::ResourceBinding binding{"orders", *url, "", ""};
  QueueSender<Order> sender(binding);
  QueueReceiver<Order> receiver(binding);
  ASSERT_TRUE(sender.send({"o-1", 2, "first"}, {.attributes = {{"priority", "high"}}}));
  ASSERT_TRUE(sender.send_batch({{"o-2", 1, ""}, {"o-3", 5, "third"}}));
  std::vector<Received<Order>> got;
  for (int round = 0; round < 10 && got.size() < 3; ++round) {
    auto r = receiver.receive(10, std::chrono::seconds(1));
    ASSERT_TRUE(r) << r.error().describe();
    for (auto& m : *r) got.push_back(std::move(m));
  }
  ASSERT_EQ(got.size(), 3u);
  std::map<std::string, Received<Order>> by_id;
  for (auto& m : got) by_id.emplace(m.message.id, m);
  EXPECT_EQ(by_id.at("o-3").message.quantity, 5);
  EXPECT_EQ(by_id.at("o-1").info.attributes["priority"], "high");
  ASSERT_TRUE(receiver.change_visibility(by_id.at("o-2").info, std::chrono::seconds(0)));
  ASSERT_TRUE(receiver.remove(by_id.at("o-1").info));
  ASSERT_TRUE(receiver.remove_batch({by_id.at("o-3").info}));
  auto last = receiver.receive(10, std::chrono::seconds(2));
  ASSERT_TRUE(last);
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].message.id, "o-2");
}

TEST(Sns, PublishWithAttributesReachesASubscribedQueue) {
  ASSERT_TRUE(queues->peers.count("moto"));
  auto config = queues->peers.at("moto")->config();
  SnsClient sns(config);
  auto topic = sns.create_topic("alerts");
  ASSERT_TRUE(topic) << topic.error().describe();
  auto queue_url = queues->clients.at("moto")->create_queue("alerts-inbox");
  ASSERT_TRUE(queue_url);
  const std::string queue_arn = "arn:aws:sqs:us-east-1:123456789012:alerts-inbox";
  auto sub = sns.subscribe(*topic, "sqs", queue_arn, true);
  ASSERT_TRUE(sub) << sub.error().describe();

  const std::string message = R"({"level":"high","text":"disk full ✗ & <tags>"})";
  auto id = sns.publish(*topic, message, {"Disk", "", "", {{"level", "high"}, {"host", "web-1"}}});
  ASSERT_TRUE(id) << id.error().describe();
  EXPECT_FALSE(id->empty());

  detail::ResourceBinding inbox{"inbox", *queue_url, "", ""};
  std::vector<detail::ReceivedMessage> got;
  for (int round = 0; round < 10 && got.empty(); ++round) {
    auto r = queues->services.at("moto")->receive(inbox, 10, std::chrono::seconds(1), std::nullopt);
    ASSERT_TRUE(r) << r.error().describe();
    got = std::move(*r);
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, message);  // raw message delivery
  EXPECT_EQ(got[0].info.attributes["level"], "high");
  EXPECT_EQ(got[0].info.attributes["host"], "web-1");

  auto missing = sns.publish("arn:aws:sns:us-east-1:123456789012:no-such-topic", "x", {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found) << missing.error().describe();
  EXPECT_FALSE(missing.error().aws.request_id.empty());
}

}  // namespace
}  // namespace gust::aws
