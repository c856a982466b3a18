#include "synth/synth.hpp"

#include "synth/logical_ids.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace gust::synth {
namespace {

using ::testing::HasSubstr;

manifest::Manifest load(std::string_view name) {
  std::ifstream in(std::string(GUST_SOURCE_DIR) + "/tests/golden/manifest/" + std::string(name) + ".manifest.json");
  std::stringstream text;
  text << in.rdbuf();
  auto m = manifest::parse(text.str());
  EXPECT_TRUE(m) << m.error().describe();
  return *m;
}

const Value& resource(const Value& t, std::string_view id) {
  const Value* r = t.find("Resources")->find(id);
  EXPECT_NE(r, nullptr) << "no resource " << id;
  static const Value kNull;
  return r ? *r : kNull;
}

std::set<std::string> strings(const Value& v) {
  std::set<std::string> out;
  if (v.kind() == Value::Kind::string) out.insert(v.as_string());
  if (v.kind() == Value::Kind::array) {
    for (const auto& x : v.as_array()) out.insert(x.as_string());
  }
  return out;
}

// Every string anywhere in a document.
void collect_strings(const Value& v, std::vector<std::string>& out) {
  if (v.kind() == Value::Kind::string) out.push_back(v.as_string());
  if (v.kind() == Value::Kind::array) for (const auto& x : v.as_array()) collect_strings(x, out);
  if (v.kind() == Value::Kind::object) for (const auto& m : v.as_object()) collect_strings(m.value, out);
}

class Todo : public ::testing::Test {
 protected:
  void SetUp() override {
    manifest_ = load("todo");
    auto t = synthesize(manifest_, {});
    ASSERT_TRUE(t) << t.error().describe();
    template_ = *t;
  }
  manifest::Manifest manifest_;
  Value template_;
};

TEST_F(Todo, EveryRolesActionsAreExactlyTheUnionOfItsFunctionsGrants) {
  for (const auto& fn : manifest_.functions) {
    std::set<std::string> granted;
    for (const auto& g : fn.grants) {
      for (const auto& s : g.statements) granted.insert(s.actions.begin(), s.actions.end());
    }
    std::set<std::string> held;
    const Value& role = resource(template_, role_id(fn.id));
    for (const auto& policy : role.find("Properties")->find("Policies")->as_array()) {
      for (const auto& st : policy.find("PolicyDocument")->find("Statement")->as_array()) {
        if (st.find("Sid")->as_string() == "WriteOwnLogs") continue;
        auto actions = strings(*st.find("Action"));
        held.insert(actions.begin(), actions.end());
      }
    }
    EXPECT_EQ(held, granted) << fn.id;
  }
}

TEST_F(Todo, NoWildcardActionOrResourceInAnyRolePolicy) {
  for (const auto& m : template_.find("Resources")->as_object()) {
    if (m.value.find("Type")->as_string() != "AWS::IAM::Role") continue;
    std::vector<std::string> all;
    collect_strings(*m.value.find("Properties")->find("Policies"), all);
    for (const auto& s : all) {
      if (s.ends_with("/*") || s.ends_with(":*")) continue;  // objects of one bucket, streams of one log group
      EXPECT_EQ(s.find('*'), std::string::npos) << m.key << ": " << s;
    }
  }
}

TEST_F(Todo, FunctionsRunThePackageWithTheirHandlerAndResourceVariables) {
  const Value& fn = resource(template_, "PostListsListTodosFunction");
  const Value& p = *fn.find("Properties");
  EXPECT_EQ(p.find("Runtime")->as_string(), "provided.al2023");
  EXPECT_EQ(p.find("Handler")->as_string(), "post-lists-list-todos");
  EXPECT_EQ(p.find("Architectures")->as_array().at(0).as_string(), "arm64");
  EXPECT_EQ(to_json_text(*p.find("Code")), R"({"S3Bucket":{"Ref":"ArtifactBucket"},"S3Key":{"Ref":"ArtifactKey"}})");
  const Value& vars = *p.find("Environment")->find("Variables");
  EXPECT_EQ(to_json_text(*vars.find("GUST_TABLE_TODOS")), R"({"Ref":"TodosTable"})");
  EXPECT_EQ(to_json_text(*vars.find("GUST_QUEUE_TODO_EVENTS")), R"({"Ref":"TodoEventsQueue"})");
  EXPECT_EQ(vars.as_object().size(), 2u) << "only what it was granted";
  EXPECT_EQ(to_json_text(*p.find("LoggingConfig")->find("LogGroup")), R"({"Ref":"PostListsListTodosLogGroup"})");
  EXPECT_NE(resource(template_, "PostListsListTodosLogGroup").find("Properties")->find("RetentionInDays"), nullptr);
}

TEST_F(Todo, IndexGrantsNameTheIndexArnOnly) {
  const Value& role = resource(template_, "GetListsListRecentRole");
  const std::string policy = to_json_text(*role.find("Properties")->find("Policies"));
  EXPECT_THAT(policy, HasSubstr(R"({"Fn::Sub":"${TodosTable.Arn}/index/recent"})"));
  EXPECT_THAT(policy, ::testing::Not(HasSubstr(R"({"Fn::GetAtt":["TodosTable","Arn"]})")));
}

TEST_F(Todo, QueuesHaveDeadLettersSixfoldVisibilityAndReportBatchFailures) {
  const Value& q = *resource(template_, "TodoEventsQueue").find("Properties");
  EXPECT_EQ(q.find("VisibilityTimeout")->as_int(), 180);  // consumer timeout 30 s
  EXPECT_EQ(q.find("RedrivePolicy")->find("maxReceiveCount")->as_int(), 5);
  EXPECT_EQ(resource(template_, "TodoEventsDeadLetterQueue").find("Type")->as_string(), "AWS::SQS::Queue");
  const Value& esm = *resource(template_, "ConsumeTodoEventsEventSourceMapping").find("Properties");
  EXPECT_EQ(esm.find("FunctionResponseTypes")->as_array().at(0).as_string(), "ReportBatchItemFailures");
  EXPECT_EQ(esm.find("BatchSize")->as_int(), 10);
}

TEST_F(Todo, TablesAreOnDemandWithRecoveryAndRetained) {
  const Value& t = resource(template_, "TodosTable");
  EXPECT_EQ(t.find("DeletionPolicy")->as_string(), "Retain");
  const Value& p = *t.find("Properties");
  EXPECT_EQ(p.find("BillingMode")->as_string(), "PAY_PER_REQUEST");
  EXPECT_TRUE(p.find("PointInTimeRecoverySpecification")->find("PointInTimeRecoveryEnabled")->as_bool());
  EXPECT_EQ(p.find("GlobalSecondaryIndexes")->as_array().at(0).find("IndexName")->as_string(), "recent");
  EXPECT_EQ(p.find("AttributeDefinitions")->as_array().size(), 3u);  // list, id, created_at
}

TEST_F(Todo, BucketsArePrivateEncryptedTlsOnlyAndNotifyAfterThePermission) {
  const Value& b = resource(template_, "AttachmentsBucket");
  EXPECT_EQ(to_json_text(*b.find("DependsOn")), R"(["OnAttachmentsCreatedBucketPermission"])");
  const Value& p = *b.find("Properties");
  EXPECT_TRUE(p.find("PublicAccessBlockConfiguration")->find("BlockPublicPolicy")->as_bool());
  EXPECT_EQ(p.find("NotificationConfiguration")->find("LambdaConfigurations")->as_array().at(0).find("Event")->as_string(),
            "s3:ObjectCreated:*");
  const std::string policy = to_json_text(resource(template_, "AttachmentsBucketPolicy"));
  EXPECT_THAT(policy, HasSubstr(R"("aws:SecureTransport":"false")"));
}

TEST_F(Todo, HttpApiRoutesIntegrationsAndScopedPermissions) {
  EXPECT_EQ(resource(template_, "HttpApi").find("Properties")->find("ProtocolType")->as_string(), "HTTP");
  EXPECT_TRUE(resource(template_, "HttpApiDefaultStage").find("Properties")->find("AutoDeploy")->as_bool());
  EXPECT_EQ(resource(template_, "GetListsListTodosIdRoute").find("Properties")->find("RouteKey")->as_string(),
            "GET /lists/{list}/todos/{id}");
  EXPECT_EQ(resource(template_, "GetListsListTodosIdIntegration").find("Properties")->find("PayloadFormatVersion")->as_string(), "2.0");
  const std::string permission = to_json_text(resource(template_, "GetListsListTodosIdApiPermission"));
  EXPECT_THAT(permission, HasSubstr(":execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/*"));
  EXPECT_NE(template_.find("Outputs")->find("ApiUrl"), nullptr);
}

TEST_F(Todo, SchedulesAndSubscriptionsInvokeThroughScopedRolesAndPermissions) {
  const Value& s = *resource(template_, "NightlyDigestSchedule").find("Properties");
  EXPECT_EQ(s.find("ScheduleExpression")->as_string(), "cron(0 3 * * ? *)");
  EXPECT_EQ(to_json_text(*s.find("Target")->find("RoleArn")), R"({"Fn::GetAtt":["NightlyDigestScheduleRole","Arn"]})");
  EXPECT_EQ(resource(template_, "OnDigestsSubscription").find("Properties")->find("Protocol")->as_string(), "lambda");
  EXPECT_EQ(to_json_text(*resource(template_, "OnDigestsTopicPermission").find("Properties")->find("SourceArn")),
            R"({"Ref":"DigestsTopic"})");
}

TEST(Synth, StageIsValidated) {
  auto m = load("hello");
  auto t = synthesize(m, {.stage = "Prod!"});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().context, "--stage");
}

TEST(Synth, BadManifestsFailWithTheJsonPath) {
  auto m = load("todo");
  m.functions[3].grants[0].resource = "todoz";
  auto dangling = synthesize(m, {});
  ASSERT_FALSE(dangling);
  EXPECT_EQ(dangling.error().context, "functions[3].grants[0].resource");

  m = load("todo");
  m.functions[0].grants[0].statements[0].scope = "queue";
  auto scope = synthesize(m, {});
  ASSERT_FALSE(scope);
  EXPECT_EQ(scope.error().context, "functions[0].grants[0].statements[0].scope");

  m = load("todo");
  m.functions[0].grants[0].statements[0].actions.push_back("dynamodb:*");
  auto wildcard = synthesize(m, {});
  ASSERT_FALSE(wildcard);
  EXPECT_THAT(wildcard.error().message, HasSubstr("wildcard"));

  m = load("todo");
  m.functions[2].grants[0].statements[0].scope = "index/nope";
  auto index = synthesize(m, {});
  ASSERT_FALSE(index);
  EXPECT_THAT(index.error().message, HasSubstr("has no index \"nope\""));
}

TEST(Synth, YamlQuotesWhatYamlWouldMisread) {
  Value v;
  v["Mode"] = "OFF";
  v["Zip"] = "0123";
  v["Path"] = "/a: b";
  v["List"] = Array{Value("x"), Value(true)};
  v["Empty"] = Array{};
  EXPECT_EQ(to_yaml(v), "Mode: \"OFF\"\nZip: \"0123\"\nPath: \"/a: b\"\nList:\n  - x\n  - true\nEmpty: []\n");
}

}  // namespace
}  // namespace gust::synth
