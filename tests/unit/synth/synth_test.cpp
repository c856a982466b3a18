#include "synth/synth.hpp"

#include "synth/logical_ids.hpp"
#include "synth_test_support.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gust::synth {
namespace {

using ::testing::HasSubstr;
using testing::load;
using testing::props;
using testing::resource;
using testing::text;

class EveryKind : public ::testing::Test {
 protected:
  void SetUp() override {
    manifest_ = load("every_kind");
    auto t = synthesize(manifest_, {});
    ASSERT_TRUE(t) << t.error().describe();
    template_ = *t;
  }
  manifest::Manifest manifest_;
  Value template_;
};

TEST_F(EveryKind, FunctionsRunThePackageWithTheirHandlerOptionsAndOwnLogGroup) {
  const Value& p = props(template_, "AnyFilesProxyFunction");
  EXPECT_EQ(text(p.find("Runtime")), R"("provided.al2023")");
  EXPECT_EQ(text(p.find("Handler")), R"("any-files-proxy")");
  EXPECT_EQ(text(p.find("Code")), R"({"S3Bucket":{"Ref":"ArtifactBucket"},"S3Key":{"Ref":"ArtifactKey"}})");
  EXPECT_EQ(text(p.find("Architectures")), R"(["x86_64"])");
  EXPECT_EQ(text(p.find("MemorySize")), "1024");
  EXPECT_EQ(text(p.find("Timeout")), "29");
  EXPECT_EQ(text(p.find("ReservedConcurrentExecutions")), "5");
  EXPECT_EQ(text(p.find("Role")), R"({"Fn::GetAtt":["AnyFilesProxyRole","Arn"]})");
  EXPECT_EQ(text(p.find("LoggingConfig")), R"({"LogGroup":{"Ref":"AnyFilesProxyLogGroup"},"LogFormat":"JSON"})");
  EXPECT_EQ(text(props(template_, "AnyFilesProxyLogGroup").find("RetentionInDays")), "14");
  // The defaults: arm64, no reserved concurrency.
  const Value& d = props(template_, "GetOrdersCustomerFunction");
  EXPECT_EQ(text(d.find("Architectures")), R"(["arm64"])");
  EXPECT_EQ(d.find("ReservedConcurrentExecutions"), nullptr);
}

TEST_F(EveryKind, FunctionsGetAVariableForEachGrantedResourceAndNoOther) {
  EXPECT_EQ(text(props(template_, "ConsumeJobsFunction").find("Environment")),
            R"({"Variables":{"GUST_QUEUE_JOBS":{"Ref":"JobsQueue"},"GUST_TABLE_SESSIONS":{"Ref":"SessionsTable"},)"
            R"("GUST_TOPIC_ALERTS":{"Ref":"AlertsTopic"}}})");
  // Two grants on one table: one variable.
  EXPECT_EQ(text(props(template_, "GetOrdersCustomerFunction").find("Environment")), R"({"Variables":{"GUST_TABLE_ORDERS":{"Ref":"OrdersTable"}}})");
  EXPECT_EQ(props(template_, "OnUploadsPngFunction").find("Environment"), nullptr);
}

TEST_F(EveryKind, RolesTrustLambdaAndWriteOnlyTheirOwnLogGroup) {
  const Value& role = props(template_, "OnAlertsLogRole");
  EXPECT_EQ(text(role.find("AssumeRolePolicyDocument")),
            R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]})");
  EXPECT_EQ(text(role.find("Policies")->as_array().at(0).find("PolicyDocument")->find("Statement")),
            R"([{"Sid":"WriteOwnLogs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],)"
            R"("Resource":{"Fn::GetAtt":["OnAlertsLogLogGroup","Arn"]}}])");
  EXPECT_EQ(role.find("ManagedPolicyArns"), nullptr);
}

TEST_F(EveryKind, TablesAreOnDemandWithKeysIndexesRecoveryAndRetention) {
  const Value& orders = resource(template_, "OrdersTable");
  EXPECT_EQ(text(orders.find("DeletionPolicy")), R"("Retain")");
  EXPECT_EQ(text(orders.find("UpdateReplacePolicy")), R"("Retain")");
  const Value& p = *orders.find("Properties");
  EXPECT_EQ(text(p.find("BillingMode")), R"("PAY_PER_REQUEST")");
  EXPECT_EQ(text(p.find("KeySchema")), R"([{"AttributeName":"customer","KeyType":"HASH"},{"AttributeName":"order_id","KeyType":"RANGE"}])");
  EXPECT_EQ(text(p.find("AttributeDefinitions")),
            R"([{"AttributeName":"customer","AttributeType":"S"},{"AttributeName":"order_id","AttributeType":"S"},)"
            R"({"AttributeName":"status","AttributeType":"S"},{"AttributeName":"created","AttributeType":"N"},)"
            R"({"AttributeName":"sku","AttributeType":"S"}])");
  EXPECT_EQ(text(p.find("GlobalSecondaryIndexes")),
            R"([{"IndexName":"by-status","KeySchema":[{"AttributeName":"status","KeyType":"HASH"},{"AttributeName":"created","KeyType":"RANGE"}],)"
            R"("Projection":{"ProjectionType":"ALL"}},)"
            R"({"IndexName":"by-sku","KeySchema":[{"AttributeName":"sku","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}])");
  EXPECT_EQ(text(p.find("PointInTimeRecoverySpecification")), R"({"PointInTimeRecoveryEnabled":true})");

  const Value& sessions = resource(template_, "SessionsTable");
  EXPECT_EQ(text(sessions.find("DeletionPolicy")), R"("Delete")");
  EXPECT_EQ(sessions.find("Properties")->find("GlobalSecondaryIndexes"), nullptr);
}

TEST_F(EveryKind, BucketsAreEncryptedPrivateAndTlsOnly) {
  for (const char* id : {"UploadsBucket", "ExportsBucket"}) {
    const Value& p = props(template_, id);
    EXPECT_EQ(text(p.find("BucketEncryption")), R"({"ServerSideEncryptionConfiguration":[{"ServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]})");
    EXPECT_EQ(text(p.find("PublicAccessBlockConfiguration")),
              R"({"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":true})");
    const std::string policy = text(&resource(template_, std::string(id) + "Policy"));
    EXPECT_THAT(policy, HasSubstr(R"("Effect":"Deny")"));
    EXPECT_THAT(policy, HasSubstr(R"("Condition":{"Bool":{"aws:SecureTransport":"false"}})"));
    EXPECT_THAT(policy, HasSubstr(std::string(R"("Bucket":{"Ref":")") + id + "\"}"));
  }
  EXPECT_EQ(text(resource(template_, "ExportsBucket").find("DeletionPolicy")), R"("Delete")");
  // A bucket nobody is notified about keeps CloudFormation's name.
  EXPECT_EQ(props(template_, "ExportsBucket").find("BucketName"), nullptr);
  EXPECT_EQ(props(template_, "ExportsBucket").find("NotificationConfiguration"), nullptr);
}

TEST_F(EveryKind, BucketNotificationsWaitForTheirPermissionsAndShareOneName) {
  const Value& bucket = resource(template_, "UploadsBucket");
  EXPECT_EQ(text(bucket.find("DependsOn")), R"(["OnUploadsJpgBucketPermission","OnUploadsPngBucketPermission"])");
  const Value& p = *bucket.find("Properties");
  EXPECT_EQ(text(p.find("NotificationConfiguration")),
            R"({"LambdaConfigurations":[{"Event":"s3:ObjectCreated:*","Function":{"Fn::GetAtt":["OnUploadsJpgFunction","Arn"]},)"
            R"("Filter":{"S3Key":{"Rules":[{"Name":"prefix","Value":"images/"},{"Name":"suffix","Value":".jpg"}]}}},)"
            R"({"Event":"s3:ObjectCreated:*","Function":{"Fn::GetAtt":["OnUploadsPngFunction","Arn"]},)"
            R"("Filter":{"S3Key":{"Rules":[{"Name":"prefix","Value":"images/"},{"Name":"suffix","Value":".png"}]}}}]})");
  // Named from the stack's UUID: the function's variable carries the same name, with no Ref to the bucket (no cycle).
  const std::string name = text(p.find("BucketName"));
  EXPECT_EQ(name, R"({"Fn::Sub":["shop-uploads-${StackUuid}",{"StackUuid":{"Fn::Select":[2,{"Fn::Split":["/",{"Ref":"AWS::StackId"}]}]}}]})");
  EXPECT_EQ(text(props(template_, "OnUploadsJpgFunction").find("Environment")->find("Variables")->find("GUST_BUCKET_UPLOADS")), name);
  const Value& permission = props(template_, "OnUploadsJpgBucketPermission");
  EXPECT_EQ(text(permission.find("Principal")), R"("s3.amazonaws.com")");
  EXPECT_THAT(text(permission.find("SourceArn")), HasSubstr(R"("arn:${AWS::Partition}:s3:::shop-uploads-${StackUuid}")"));
  EXPECT_EQ(text(permission.find("SourceAccount")), R"({"Ref":"AWS::AccountId"})");
  EXPECT_EQ(text(props(template_, "OnUploadsPngAsyncConfig").find("MaximumRetryAttempts")), "0");
}

TEST_F(EveryKind, QueuesHaveDeadLettersAndAVisibilityTimeoutSixTimesTheConsumers) {
  const Value& jobs = props(template_, "JobsQueue");
  EXPECT_EQ(text(jobs.find("VisibilityTimeout")), "365");  // 6 x 60 s + the 5 s batching window
  EXPECT_EQ(text(jobs.find("MessageRetentionPeriod")), "86400");
  EXPECT_EQ(text(jobs.find("RedrivePolicy")), R"({"deadLetterTargetArn":{"Fn::GetAtt":["JobsDeadLetterQueue","Arn"]},"maxReceiveCount":3})");
  EXPECT_EQ(resource(template_, "JobsDeadLetterQueue").find("Type")->as_string(), "AWS::SQS::Queue");
  // max_receives 0: no dead-letter queue; no consumer: SQS's default visibility.
  const Value& audit = props(template_, "AuditQueue");
  EXPECT_EQ(audit.find("RedrivePolicy"), nullptr);
  EXPECT_EQ(template_.find("Resources")->find("AuditDeadLetterQueue"), nullptr);
  EXPECT_EQ(text(audit.find("VisibilityTimeout")), "30");
}

TEST_F(EveryKind, ConsumersReportPartialBatchFailures) {
  const Value& m = props(template_, "ConsumeJobsEventSourceMapping");
  EXPECT_EQ(text(m.find("EventSourceArn")), R"({"Fn::GetAtt":["JobsQueue","Arn"]})");
  EXPECT_EQ(text(m.find("FunctionName")), R"({"Ref":"ConsumeJobsFunction"})");
  EXPECT_EQ(text(m.find("BatchSize")), "100");
  EXPECT_EQ(text(m.find("MaximumBatchingWindowInSeconds")), "5");
  EXPECT_EQ(text(m.find("FunctionResponseTypes")), R"(["ReportBatchItemFailures"])");
}

TEST_F(EveryKind, TopicsHaveASubscriptionAndAPermissionPerSubscriber) {
  for (const char* fn : {"OnAlertsPage", "OnAlertsLog"}) {
    const Value& s = props(template_, std::string(fn) + "Subscription");
    EXPECT_EQ(text(s.find("Protocol")), R"("lambda")");
    EXPECT_EQ(text(s.find("TopicArn")), R"({"Ref":"AlertsTopic"})");
    EXPECT_EQ(text(s.find("Endpoint")), std::string(R"({"Fn::GetAtt":[")") + fn + R"(Function","Arn"]})");
    const Value& p = props(template_, std::string(fn) + "TopicPermission");
    EXPECT_EQ(text(p.find("Principal")), R"("sns.amazonaws.com")");
    EXPECT_EQ(text(p.find("SourceArn")), R"({"Ref":"AlertsTopic"})");
    EXPECT_EQ(text(props(template_, std::string(fn) + "AsyncConfig").find("MaximumRetryAttempts")), "2");
  }
}

TEST_F(EveryKind, SchedulesInvokeThroughARoleThatMayInvokeOnlyTheirFunction) {
  const Value& s = props(template_, "HourlyCleanupSchedule");
  EXPECT_EQ(text(s.find("ScheduleExpression")), R"x("rate(1 hour)")x");
  EXPECT_EQ(text(s.find("FlexibleTimeWindow")), R"({"Mode":"OFF"})");
  EXPECT_EQ(text(s.find("Target")),
            R"({"Arn":{"Fn::GetAtt":["HourlyCleanupFunction","Arn"]},"RoleArn":{"Fn::GetAtt":["HourlyCleanupScheduleRole","Arn"]},)"
            R"("RetryPolicy":{"MaximumRetryAttempts":1}})");
  const Value& role = props(template_, "HourlyCleanupScheduleRole");
  EXPECT_THAT(text(role.find("AssumeRolePolicyDocument")), HasSubstr(R"("Service":"scheduler.amazonaws.com")"));
  EXPECT_THAT(text(role.find("AssumeRolePolicyDocument")), HasSubstr(R"("aws:SourceAccount":{"Ref":"AWS::AccountId"})"));
  EXPECT_EQ(text(role.find("Policies")->as_array().at(0).find("PolicyDocument")->find("Statement")),
            R"([{"Sid":"InvokeScheduledFunction","Effect":"Allow","Action":["lambda:InvokeFunction"],)"
            R"("Resource":{"Fn::GetAtt":["HourlyCleanupFunction","Arn"]}}])");
}

TEST_F(EveryKind, RoutesGoThroughOneHttpApiWithPermissionsScopedToTheirRoute) {
  EXPECT_EQ(text(props(template_, "HttpApi").find("ProtocolType")), R"("HTTP")");
  EXPECT_EQ(text(props(template_, "HttpApiDefaultStage").find("StageName")), R"("$default")");
  EXPECT_EQ(text(props(template_, "HttpApiDefaultStage").find("AutoDeploy")), "true");
  const Value& i = props(template_, "AnyFilesProxyIntegration");
  EXPECT_EQ(text(i.find("IntegrationType")), R"("AWS_PROXY")");
  EXPECT_EQ(text(i.find("PayloadFormatVersion")), R"("2.0")");
  EXPECT_EQ(text(i.find("IntegrationUri")), R"({"Fn::GetAtt":["AnyFilesProxyFunction","Arn"]})");
  EXPECT_EQ(text(i.find("TimeoutInMillis")), "29500");
  const Value& r = props(template_, "AnyFilesProxyRoute");
  EXPECT_EQ(text(r.find("RouteKey")), R"("ANY /files/{proxy+}")");
  EXPECT_EQ(text(r.find("Target")), R"({"Fn::Sub":"integrations/${AnyFilesProxyIntegration}"})");
  const Value& p = props(template_, "AnyFilesProxyApiPermission");
  EXPECT_EQ(text(p.find("Principal")), R"("apigateway.amazonaws.com")");
  EXPECT_EQ(text(p.find("SourceArn")),
            R"({"Fn::Sub":"arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/*/*/files/{proxy+}"})");
  EXPECT_EQ(text(props(template_, "PostOrdersRoute").find("RouteKey")), R"("POST /orders")");
}

TEST_F(EveryKind, OutputsNameTheApiAndEveryResource) {
  std::vector<std::string> names;
  for (const auto& o : template_.find("Outputs")->as_object()) names.push_back(o.key);
  for (const char* expected : {"ApiUrl", "OrdersTableName", "SessionsTableName", "UploadsBucketName", "ExportsBucketName", "JobsQueueUrl",
                               "JobsDeadLetterQueueUrl", "AuditQueueUrl", "AlertsTopicArn", "ConsumeJobsFunctionName"}) {
    EXPECT_THAT(names, ::testing::Contains(expected));
  }
  EXPECT_EQ(text(template_.find("Outputs")->find("ApiUrl")->find("Value")), R"({"Fn::GetAtt":["HttpApi","ApiEndpoint"]})");
}

TEST_F(EveryKind, IsTheSameEveryTime) {
  auto again = synthesize(manifest_, {});
  ASSERT_TRUE(again);
  EXPECT_EQ(to_json_pretty(*again), to_json_pretty(template_));
}

// Records where two documents differ: the path of each differing member.
void differences(const Value& a, const Value& b, const std::string& path, std::vector<std::string>& out) {
  if (a.kind() == Value::Kind::object && b.kind() == Value::Kind::object && a.as_object().size() == b.as_object().size()) {
    for (std::size_t i = 0; i < a.as_object().size(); ++i) {
      const auto& ma = a.as_object()[i];
      const auto& mb = b.as_object()[i];
      if (ma.key != mb.key) {
        out.push_back(path + "." + ma.key);
        continue;
      }
      differences(ma.value, mb.value, path + "." + ma.key, out);
    }
  } else if (a.kind() == Value::Kind::array && b.kind() == Value::Kind::array && a.as_array().size() == b.as_array().size()) {
    for (std::size_t i = 0; i < a.as_array().size(); ++i) differences(a.as_array()[i], b.as_array()[i], path + "[]", out);
  } else if (!(a == b)) {
    out.push_back(path);
  }
}

TEST_F(EveryKind, TheStageShowsOnlyInTagsAndDescriptions) {
  auto prod = synthesize(manifest_, {.stage = "prod"});
  ASSERT_TRUE(prod);
  std::vector<std::string> paths;
  differences(template_, *prod, "", paths);
  EXPECT_FALSE(paths.empty());
  for (const auto& p : paths) {
    const bool tag_or_description = p.find(".Tags") != std::string::npos || p.ends_with(".Description");
    EXPECT_TRUE(tag_or_description) << p;
  }
}

TEST(Synth, AppsWithoutRoutesHaveNoApi) {
  manifest::Manifest m = load("every_kind");
  std::erase_if(m.functions, [](const auto& f) { return f.trigger.kind == manifest::TriggerKind::http; });
  auto t = synthesize(m, {});
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t->find("Resources")->find("HttpApi"), nullptr);
  EXPECT_EQ(t->find("Outputs")->find("ApiUrl"), nullptr);
}

TEST(Synth, IntegrationTimeoutStopsAtApiGatewaysThirtySeconds) {
  manifest::Manifest m = load("hello");
  m.functions[0].options.timeout_seconds = 120;
  auto t = synthesize(m, {});
  ASSERT_TRUE(t);
  EXPECT_EQ(text(props(*t, "GetHelloNameIntegration").find("TimeoutInMillis")), "30000");
}

TEST(Synth, LogRetentionIsAnOption) {
  auto t = synthesize(load("hello"), {.log_retention_days = 90});
  ASSERT_TRUE(t);
  EXPECT_EQ(text(props(*t, "GetHelloNameLogGroup").find("RetentionInDays")), "90");
}

TEST(Synth, LogicalIdsAreReadableAndDerivedFromDeclaredNames) {
  EXPECT_EQ(pascal_case("todo-events"), "TodoEvents");
  EXPECT_EQ(pascal_case("get-lists-list-todos-id"), "GetListsListTodosId");
  EXPECT_EQ(pascal_case("snake_case_2"), "SnakeCase2");
  EXPECT_EQ(queue_id("todo-events"), "TodoEventsQueue");
  EXPECT_EQ(dead_letter_id("todo-events"), "TodoEventsDeadLetterQueue");
  EXPECT_EQ(function_id("get-todos-id"), "GetTodosIdFunction");
  EXPECT_EQ(bucket_name_prefix("Todo_App", "attachments"), "todo-app-attachments");
  EXPECT_EQ(bucket_name_prefix("inventory", "product-images-originals"), "inventory-product-images-o");  // cut at 26
  EXPECT_EQ(bucket_name_prefix("a", "b--c"), "a-b-c");
}

TEST(Synth, TwoDeclarationsGivingOneLogicalIdFailWithBothPaths) {
  manifest::Manifest m;
  m.app = "clash";
  m.resources.push_back({.id = "jobs", .kind = manifest::ResourceKind::queue, .env = "GUST_QUEUE_JOBS"});
  m.resources.push_back({.id = "jobs-dead-letter", .kind = manifest::ResourceKind::queue, .env = "GUST_QUEUE_JOBS_DEAD_LETTER"});
  auto t = synthesize(m, {});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().context, "resources[1] (\"jobs-dead-letter\")");
  EXPECT_THAT(t.error().message, HasSubstr("\"JobsDeadLetterQueue\", which resources[0] (\"jobs\") already uses"));
}

TEST(Synth, AppsBeyondAStacksLimitsFailBeforeDeploy) {
  manifest::Manifest m = load("hello");
  const manifest::Function route = m.functions[0];
  for (int i = 0; i < 100; ++i) {  // 6 resources each: 600 > 500
    manifest::Function f = route;
    f.id = fmt::format("get-page-{}", i);
    f.trigger.path = fmt::format("/page/{}", i);
    m.functions.push_back(f);
  }
  auto t = synthesize(m, {});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::resource_exhausted);
  EXPECT_THAT(t.error().message, HasSubstr("a stack holds at most 500"));
}

TEST(Synth, PolicyNamesStayWithinIamsLimit) {
  const std::string id(128, 'x');
  EXPECT_EQ(policy_name(id).size(), 128u);
  EXPECT_EQ(policy_name("get-todos"), "GetTodosPolicy");
}

TEST(Summary, ListsResourcesRoutesAndTheActionsEachFunctionHolds) {
  const std::string s = summarize(load("every_kind"));
  EXPECT_THAT(s, HasSubstr("shop: 9 functions, 3 routes, 7 resources\n"));
  EXPECT_THAT(s, HasSubstr("  queue  audit     $GUST_QUEUE_AUDIT, no dead-letter queue\n"));
  EXPECT_THAT(s, HasSubstr("  function any-files-proxy: ANY /files/{proxy+} (1024 MB, 29 s, x86_64, 5 reserved)\n"
                           "    exports: s3:ListBucket\n"
                           "    exports/*: s3:GetObject\n"));
  EXPECT_THAT(s, HasSubstr("    orders/index/by-sku: dynamodb:Query dynamodb:Scan\n"));
}

}  // namespace
}  // namespace gust::synth
