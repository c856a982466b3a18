// apply_stack, delete and remove against moto's CloudFormation on 127.0.0.1
// (a CloudFormation nobody here wrote): create, no-change, diff, update,
// a template the target rejects, and a removal that keeps a retained resource.
#include "deploy/apply.hpp"

#include "aws/sqs.hpp"
#include "deploy/remove.hpp"
#include "../aws/peer.hpp"

#include <gtest/gtest.h>

namespace gust::deploy {
namespace {

// Records what the deploy reports, as a test would read a terminal.
class RecordingSink final : public Sink {
 public:
  void step(std::string_view line) override { steps.emplace_back(line); }
  void changes(const std::vector<aws::ResourceChange>& c) override { shown = c; }
  void event(const aws::StackEvent& e) override { events.push_back(e); }
  void progress(const StackProgress& p) override { last = p; }
  void finish_progress() override {}
  std::vector<std::string> steps;
  std::vector<aws::ResourceChange> shown;
  std::vector<aws::StackEvent> events;
  StackProgress last;
};

class MotoEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    peer = std::make_unique<aws::testing::Peer>("moto");
    ASSERT_TRUE(peer->ok()) << peer->error();
  }
  void TearDown() override { peer.reset(); }
  std::unique_ptr<aws::testing::Peer> peer;
};
MotoEnvironment* const moto = static_cast<MotoEnvironment*>(::testing::AddGlobalTestEnvironment(new MotoEnvironment));

std::string queue_template(int visibility_timeout, bool retain) {
  return std::string(R"({"AWSTemplateFormatVersion":"2010-09-09","Parameters":{"Label":{"Type":"String"}},"Resources":{"Jobs":{"Type":"AWS::SQS::Queue",)") +
         (retain ? R"("DeletionPolicy":"Retain",)" : "") + R"("Properties":{"VisibilityTimeout":)" + std::to_string(visibility_timeout) +
         R"(}}},"Outputs":{"JobsUrl":{"Value":{"Ref":"Jobs"}},"Label":{"Value":{"Ref":"Label"}}}})";
}

class ApplyAgainstMoto : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(moto->peer) << "moto did not start";
    config = moto->peer->config();
    ASSERT_TRUE(config);
  }
  StackSpec spec(std::string name, std::string body, std::string label = "one") {
    StackSpec s;
    s.stack_name = std::move(name);
    s.template_body = std::move(body);
    s.parameters = {{"Label", std::move(label)}};
    s.tags = {{"gust:app", "test"}};
    return s;
  }
  std::shared_ptr<aws::ClientConfig> config;
};

TEST_F(ApplyAgainstMoto, CreateThenNothingThenUpdateThenRemoveKeepingTheRetainedQueue) {
  aws::CloudFormationClient cfn(config);
  RecordingSink sink;

  // diff on a stack that does not exist: the changes, and nothing left behind.
  auto diffed = apply_stack(cfn, spec("jobs-diff", queue_template(30, true)), {.execute = false}, sink);
  ASSERT_TRUE(diffed) << diffed.error().message;
  ASSERT_EQ(sink.shown.size(), 1u);
  EXPECT_EQ(sink.shown[0].action, "Add");
  EXPECT_EQ(sink.shown[0].logical_id, "Jobs");
  auto after_diff = cfn.describe_stack("jobs-diff");
  ASSERT_TRUE(after_diff);
  EXPECT_FALSE(after_diff->has_value() && (*after_diff)->status != "DELETE_COMPLETE") << "gust diff left a stack behind";

  auto created = apply_stack(cfn, spec("jobs", queue_template(30, true)), {}, sink);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(created->succeeded);
  EXPECT_FALSE(created->no_changes);
  ASSERT_TRUE(created->stack);
  EXPECT_EQ(created->stack->status, "CREATE_COMPLETE");
  EXPECT_EQ(sink.last.done, sink.last.total);
  // The queue's URL is its physical id (moto gives change-set stacks no outputs: docs/deploy.md).
  auto resources = cfn.list_stack_resources("jobs");
  ASSERT_TRUE(resources) << resources.error().message;
  ASSERT_EQ(resources->size(), 1u);
  const std::string url = resources->front().physical_id;
  ASSERT_NE(url.find("jobs-Jobs"), std::string::npos) << url;

  // The same template and parameters: nothing is created, not even a change set.
  sink.shown.clear();
  auto same = apply_stack(cfn, spec("jobs", queue_template(30, true)), {}, sink);
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_TRUE(same->no_changes);
  EXPECT_TRUE(sink.shown.empty());

  // A new parameter value alone: the change set finds nothing to change in resources.
  auto label_only = apply_stack(cfn, spec("jobs", queue_template(30, true), "two"), {}, sink);
  ASSERT_TRUE(label_only) << label_only.error().message;
  EXPECT_TRUE(label_only->succeeded);

  // A property change: Modify on the queue, and the queue has it.
  auto updated = apply_stack(cfn, spec("jobs", queue_template(45, true), "two"), {}, sink);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_TRUE(updated->succeeded);
  ASSERT_EQ(sink.shown.size(), 1u);
  EXPECT_EQ(sink.shown[0].action, "Modify");
  EXPECT_EQ(updated->stack->status, "UPDATE_COMPLETE");
  aws::AwsClient sqs(aws::kSqs, aws::Protocol::json, config);
  auto attrs = sqs.call_json("AmazonSQS.GetQueueAttributes", R"({"QueueUrl":")" + url + R"(","AttributeNames":["VisibilityTimeout"]})");
  ASSERT_TRUE(attrs) << attrs.error().message;
  EXPECT_NE(attrs->body.find(R"("45")"), std::string::npos) << attrs->body;

  // Remove: the stack goes, the retained queue stays and is reported.
  Target target;
  target.config = config;
  auto removed = remove(target, "jobs", sink, std::chrono::seconds(60));
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_TRUE(removed->existed);
  ASSERT_EQ(removed->kept.size(), 1u);
  EXPECT_EQ(removed->kept[0].logical_id, "Jobs");
  EXPECT_EQ(removed->kept[0].resource_type, "AWS::SQS::Queue");
  auto gone = cfn.describe_stack("jobs");
  ASSERT_TRUE(gone);
  EXPECT_TRUE(!gone->has_value() || (*gone)->status == "DELETE_COMPLETE");
  auto still = sqs.call_json("AmazonSQS.GetQueueAttributes", R"({"QueueUrl":")" + url + R"(","AttributeNames":["All"]})");
  EXPECT_TRUE(still) << "the retained queue was deleted";

  auto again = remove(target, "jobs", sink, std::chrono::seconds(60));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->existed);
}

TEST_F(ApplyAgainstMoto, ATemplateTheTargetRejectsShowsItsReason) {
  aws::CloudFormationClient cfn(config);
  RecordingSink sink;
  const std::string bad =
      R"({"Resources":{"Jobs":{"Type":"AWS::SQS::Queue","Properties":{"QueueName":"spaces are not allowed"}}}})";
  auto r = apply_stack(cfn, spec("rejected", bad), {}, sink);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("rejected the change set for stack rejected"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("alphanumeric"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace gust::deploy
