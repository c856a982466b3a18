#include "synth/check.hpp"

#include "synth/synth.hpp"
#include "synth_test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

namespace gust::synth {
namespace {

using ::testing::HasSubstr;
using testing::load;

struct BadManifest {
  std::string name;
  std::function<void(manifest::Manifest&)> spoil;
  std::string path;     // the error's context
  std::string message;  // a part of the error's message
};

void PrintTo(const BadManifest& b, std::ostream* os) { *os << b.name; }

// every_kind: functions[0] get-orders-customer, [1] post-orders, [2] any-files-proxy,
// [3] consume-jobs, [4] on-uploads-jpg, [5] on-uploads-png, [6] hourly-cleanup,
// [7] on-alerts-page, [8] on-alerts-log; resources[0] orders, [1] sessions,
// [2] uploads, [3] exports, [4] jobs, [5] audit, [6] alerts.
const BadManifest kBad[] = {
    {"WrongVersion", [](auto& m) { m.version = 2; }, "version", "manifest version 2 is not 1"},
    {"DanglingGrant", [](auto& m) { m.functions[2].grants[0].resource = "exportz"; }, "functions[2].grants[0].resource",
     "no resource \"exportz\" is declared"},
    {"UnknownTriggerResource", [](auto& m) { m.functions[3].trigger.resource = "jobz"; }, "functions[3].trigger.resource",
     "no queue \"jobz\" is declared"},
    {"TriggerOnTheWrongKind", [](auto& m) { m.functions[7].trigger.resource = "jobs"; }, "functions[7].trigger.resource",
     "no topic \"jobs\" is declared"},
    {"ScopeOfAnotherKind", [](auto& m) { m.functions[0].grants[0].statements[0].scope = "queue"; },
     "functions[0].grants[0].statements[0].scope", "scope \"queue\" does not apply to table \"orders\""},
    {"MissingIndex", [](auto& m) { m.functions[0].grants[1].statements[0].scope = "index/nope"; },
     "functions[0].grants[1].statements[0].scope", "table \"orders\" has no index \"nope\""},
    {"WildcardAction", [](auto& m) { m.functions[1].grants[2].statements[0].actions.push_back("sqs:*"); },
     "functions[1].grants[2].statements[0].actions[1]", "wildcard"},
    {"ActionOfAnotherService", [](auto& m) { m.functions[1].grants[2].statements[0].actions[0] = "s3:GetObject"; },
     "functions[1].grants[2].statements[0].actions[0]", "not a sqs action"},
    {"EmptyActions", [](auto& m) { m.functions[1].grants[2].statements[0].actions.clear(); }, "functions[1].grants[2].statements[0].actions",
     "at least one action"},
    {"TooLittleMemory", [](auto& m) { m.functions[0].options.memory_mb = 64; }, "functions[0].options.memory_mb", "must be 128 to 10240"},
    {"TooLongTimeout", [](auto& m) { m.functions[0].options.timeout_seconds = 901; }, "functions[0].options.timeout_seconds", "1 to 900"},
    {"UnknownArchitecture", [](auto& m) { m.functions[0].options.architecture = "arm"; }, "functions[0].options.architecture",
     "\"arm64\" or \"x86_64\""},
    {"TooManyRetries", [](auto& m) { m.functions[5].options.retries = 3; }, "functions[5].options.retries", "0 to 2"},
    {"BigBatchWithoutWindow", [](auto& m) { m.functions[3].trigger.batch_window_seconds = 0; }, "functions[3].trigger.batch_window_seconds",
     "at least 1 second"},
    {"ConsumerWithoutConsumeGrant", [](auto& m) { m.functions[3].grants.erase(m.functions[3].grants.begin()); }, "functions[3].grants",
     "needs the \"consume\" grant"},
    {"RouteServedTwice", [](auto& m) { m.functions[1].trigger.path = "/orders/{customer}"; m.functions[1].trigger.method = "GET"; },
     "functions[1].trigger", "route \"GET /orders/{customer}\" is also served by functions[0]"},
    {"UnknownMethod", [](auto& m) { m.functions[1].trigger.method = "FETCH"; }, "functions[1].trigger.method", "must be one of"},
    {"RelativePath", [](auto& m) { m.functions[1].trigger.path = "orders"; }, "functions[1].trigger.path", "must start with '/'"},
    {"BadScheduleExpression", [](auto& m) { m.functions[6].trigger.expression = "every(1 hour)"; }, "functions[6].trigger.expression", ""},
    {"OverlappingNotifications", [](auto& m) { m.functions[5].trigger.suffix = "jpg"; }, "functions[5].trigger",
     "S3 refuses overlapping notifications"},
    {"ResourceDeclaredTwice", [](auto& m) { m.resources[3].id = "uploads"; }, "resources[3].id", "declared twice"},
    {"VariableCarriesTwo", [](auto& m) { m.resources[3].env = "GUST_BUCKET_UPLOADS"; }, "resources[3].env", "already carries resources[2]"},
    {"ReservedVariable", [](auto& m) { m.resources[3].env = "AWS_REGION"; }, "resources[3].env", "not AWS_* or LAMBDA_*"},
    {"AttributeWithTwoTypes", [](auto& m) { m.resources[0].indexes[0].partition_key.name = "customer"; m.resources[0].indexes[0].partition_key.type = "N"; },
     "resources[0].indexes[0].partition_key.type", "attribute \"customer\" is \"N\" here and \"S\" elsewhere"},
    {"TableWithoutKey", [](auto& m) { m.resources[1].partition_key.reset(); }, "resources[1].partition_key", "has no partition key"},
    {"IndexNameTooShort", [](auto& m) { m.resources[0].indexes[1].name = "by"; }, "resources[0].indexes[1].name", "3 to 255"},
    {"TooManyReceives", [](auto& m) { m.resources[4].max_receives = 1001; }, "resources[4].max_receives", "0 to 1000"},
    {"FunctionDeclaredTwice", [](auto& m) { m.functions[8].id = "on-alerts-page"; }, "functions[8].id", "declared twice"},
    {"HandlerTooLong", [](auto& m) { m.functions[8].id = std::string(129, 'x'); }, "functions[8].id", "1 to 128"},
};

class Check : public ::testing::TestWithParam<BadManifest> {};

TEST_P(Check, FailsWithTheJsonPathOfTheProblem) {
  manifest::Manifest m = load("every_kind");
  ASSERT_TRUE(check_manifest(m, {})) << "the unspoiled manifest must pass";
  GetParam().spoil(m);
  auto r = synthesize(m, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(r.error().context, GetParam().path);
  EXPECT_THAT(r.error().message, HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(BadManifests, Check, ::testing::ValuesIn(kBad),
                         [](const auto& info) { return info.param.name; });

TEST(CheckStage, OnlyLowerCaseNamesThatStartWithALetter) {
  const manifest::Manifest m = load("hello");
  for (const char* bad : {"Prod", "prod!", "", "1st", "a-very-long-stage-name-of-more-than-32"}) {
    auto r = synthesize(m, {.stage = bad});
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().context, "--stage");
  }
  EXPECT_TRUE(synthesize(m, {.stage = "pr-42"}));
}

TEST(CheckNotifyingBuckets, NamesThatStartAlikeAreRefused) {
  manifest::Manifest m = load("every_kind");
  m.app = "a-very-long-application-name";
  m.resources[3].id = "uploads2";
  m.functions[5].trigger.resource = "uploads2";  // now both buckets notify
  m.functions[2].grants[0].resource = "uploads2";
  auto r = synthesize(m, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().context, "resources[3].id");
  EXPECT_THAT(r.error().message, HasSubstr("their names start alike"));
}

}  // namespace
}  // namespace gust::synth
