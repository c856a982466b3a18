#include "app/describe.hpp"

#include "test_records.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gust::detail {
namespace {

using app_test::Todo;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> rendered_errors(const App& app) {
  std::vector<std::string> out;
  for (const auto& e : describe(app.state()).errors) out.push_back(render(e));
  return out;
}

Response ok(const Request&) { return Response::no_content(); }

TEST(Describe, BuildsTheManifestOfAValidApp) {
  App app{"todo"};
  auto todos = app.table<Todo>("todos", &Todo::list, &Todo::id);
  auto recent = todos.index("recent", &Todo::list, &Todo::created_at);
  auto events = app.queue<Todo>("todo-events");
  app.get("/lists/{list}/todos/{id}", reads(todos), [](const Request&, TableReader<Todo>) { return Response(); });
  app.get("/lists/{list}/recent", reads(recent), [](const Request&, IndexReader<Todo>) { return Response(); })
      .memory(256)
      .timeout(std::chrono::seconds(5));
  app.consume(events, [](const Todo&) {}).batch_size(5);
  const int schedule_line = __LINE__ + 1;
  app.schedule("nightly", "cron(0 3 * * ? *)", [](const ScheduleEvent&) {});

  auto d = describe(app.state());
  ASSERT_TRUE(d.errors.empty()) << render(d.errors.front());
  const auto& m = d.manifest;
  EXPECT_EQ(m.app, "todo");
  ASSERT_EQ(m.resources.size(), 2u);
  EXPECT_EQ(m.resources[0].env, "GUST_TABLE_TODOS");
  EXPECT_EQ(m.resources[0].partition_key, (manifest::KeyAttribute{"list", "S"}));
  EXPECT_EQ(m.resources[0].sort_key, (manifest::KeyAttribute{"id", "S"}));
  ASSERT_EQ(m.resources[0].indexes.size(), 1u);
  EXPECT_EQ(m.resources[0].indexes[0].sort_key, (manifest::KeyAttribute{"created_at", "N"}));
  EXPECT_EQ(m.resources[1].env, "GUST_QUEUE_TODO_EVENTS");

  ASSERT_EQ(m.functions.size(), 4u);
  EXPECT_EQ(m.functions[0].id, "get-lists-list-todos-id");
  EXPECT_EQ(m.functions[0].options.timeout_seconds, 10);
  EXPECT_EQ(m.functions[0].options.memory_mb, 128);
  EXPECT_EQ(m.functions[0].options.architecture, "arm64");
  EXPECT_EQ(m.functions[1].options.memory_mb, 256);
  EXPECT_EQ(m.functions[1].options.timeout_seconds, 5);
  EXPECT_EQ(m.functions[1].grants[0].statements[0].scope, "index/recent");
  EXPECT_EQ(m.functions[2].id, "consume-todo-events");
  EXPECT_EQ(m.functions[2].trigger.batch_size, 5);
  EXPECT_EQ(m.functions[2].options.timeout_seconds, 30);
  EXPECT_EQ(m.functions[2].grants[0].permission, "consume");
  EXPECT_EQ(m.functions[3].id, "nightly");
  EXPECT_EQ(m.functions[3].source, "describe_test.cpp:" + std::to_string(schedule_line));
}

TEST(Describe, ReportsDuplicateRoutesWithBothPlaces) {
  App app{"a"};
  app.get("/todos/{id}", ok);
  const int first = __LINE__ - 1;
  app.get("/todos/{key}", ok);
  const int second = __LINE__ - 1;
  EXPECT_THAT(rendered_errors(app),
              ElementsAre(fmt::format("describe_test.cpp:{}: error: route \"GET /todos/{{key}}\" is declared twice (first at "
                                      "describe_test.cpp:{} as \"GET /todos/{{id}}\"); help: remove one of them, or change its method or path",
                                      second, first)));
}

TEST(Describe, ReportsBadPathPatterns) {
  App app{"a"};
  app.get("todos", ok);
  app.get("/files/{path+}/meta", ok);
  app.get("/a/{id}/b/{id}", ok);
  app.get("/a//b", ok);
  app.get("/a/x{id}", ok);
  app.get("/a/", ok);
  app.get("/a/{bad-name}", ok);
  app.get("/files/{proxy+}", ok);  // valid: greedy last segment
  auto errors = rendered_errors(app);
  ASSERT_EQ(errors.size(), 7u);
  EXPECT_THAT(errors[0], HasSubstr("route path \"todos\" does not start with '/'"));
  EXPECT_THAT(errors[1], HasSubstr("greedy parameter \"{path+}\" before its last segment"));
  EXPECT_THAT(errors[2], HasSubstr("names the parameter \"id\" twice"));
  EXPECT_THAT(errors[3], HasSubstr("empty segment"));
  EXPECT_THAT(errors[4], HasSubstr("has '{' inside the segment \"x{id}\""));
  EXPECT_THAT(errors[5], HasSubstr("ends with '/'"));
  EXPECT_THAT(errors[6], HasSubstr("malformed parameter \"{bad-name}\""));
}

TEST(Describe, ReportsInvalidAndDuplicateNames) {
  App app{"9lives"};
  app.table<Todo>("to dos", &Todo::id);
  app.bucket("files");
  app.bucket("files");
  app.get("/", ok);
  auto errors = rendered_errors(app);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_THAT(errors[0], HasSubstr("app \"9lives\" must start with a letter"));
  EXPECT_THAT(errors[1], HasSubstr("table \"to dos\" has characters other than letters"));
  EXPECT_THAT(errors[2], HasSubstr("bucket \"files\" is declared twice"));
}

TEST(Describe, ReportsMalformedScheduleExpressions) {
  App app{"a"};
  app.schedule("every-five", "rate(5 minute)", [](const ScheduleEvent&) {});
  app.schedule("nightly", "cron(0 3 * * * *)", [](const ScheduleEvent&) {});
  auto errors = rendered_errors(app);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], HasSubstr("schedule \"every-five\": rate(5 minute): use the plural form"));
  EXPECT_THAT(errors[1], HasSubstr("schedule \"nightly\": cron: exactly one of day-of-month and day-of-week must be ?"));
}

TEST(Describe, ReportsOptionsOutsideLambdaLimits) {
  App app{"a"};
  auto q = app.queue<Todo>("q");
  app.get("/slow", ok).timeout(std::chrono::seconds(60));
  app.get("/huge", ok).memory(20000);
  app.get("/neg", ok).reserved_concurrency(-1);
  app.consume(q, [](const Todo&) {}).batch_size(100);
  app.schedule("s", "rate(1 day)", [](const ScheduleEvent&) {}).retries(5);
  auto errors = rendered_errors(app);
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_THAT(errors[0], HasSubstr("timeout of the route \"GET /slow\" is 60 s; Lambda allows 1 to 30 s"));
  EXPECT_THAT(errors[1], HasSubstr("memory of the route \"GET /huge\" is 20000 MB; Lambda allows 128 to 10240 MB"));
  EXPECT_THAT(errors[2], HasSubstr("reserved concurrency"));
  EXPECT_THAT(errors[3], HasSubstr("batches over 10 messages need .batch_window"));
  EXPECT_THAT(errors[4], HasSubstr("retries of the schedule \"s\" is 5"));
}

TEST(Describe, ReportsDuplicateFunctionIdsAndSecondConsumers) {
  App app{"a"};
  auto q = app.queue<Todo>("q");
  app.get("/a-b", ok);
  app.get("/a/b", ok);
  app.consume(q, [](const Todo&) {});
  app.consume(q, [](const Todo&) {});
  auto errors = rendered_errors(app);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_THAT(errors[0], HasSubstr("has the function id \"get-a-b\""));
  EXPECT_THAT(errors[0], HasSubstr("help: give one of them its own id with .id(\"...\")"));
  EXPECT_THAT(errors[1], HasSubstr("has the function id \"consume-q\""));
  EXPECT_THAT(errors[2], HasSubstr("queue \"q\" has a second consumer"));
}

TEST(Describe, ExplicitIdResolvesACollision) {
  App app{"a"};
  app.get("/a-b", ok);
  app.get("/a/b", ok).id("get-a-slash-b");
  EXPECT_TRUE(rendered_errors(app).empty());
}

TEST(Describe, ReportsKeysMissingFromTheRecordDescription) {
  App app{"a"};
  app.table<app_test::Unlisted>("secrets", &app_test::Unlisted::secret);
  app.get("/", ok);
  auto errors = rendered_errors(app);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("the partition key of table \"secrets\" is a field that GUST_RECORD does not list"));
}

TEST(Describe, ReportsOverlappingObjectHandlersAndRepeatedGrants) {
  App app{"a"};
  auto files = app.bucket("files");
  auto todos = app.table<Todo>("todos", &Todo::id);
  app.on_object_created(files, [](const ObjectCreated&) {}).key_prefix("img/");
  app.on_object_created(files, [](const ObjectCreated&) {}).id("second").key_prefix("img/raw/");
  app.on_object_created(files, [](const ObjectCreated&) {}).id("third").key_prefix("doc/");
  app.get("/t", reads(todos), reads(todos), [](const Request&, TableReader<Todo>, TableReader<Todo>) { return Response(); });
  auto errors = rendered_errors(app);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], HasSubstr("bucket \"files\" has overlapping object-created handlers"));
  EXPECT_THAT(errors[1], HasSubstr("granted read on \"todos\" twice"));
}

TEST(Describe, AnAppWithoutFunctionsIsAMistake) {
  App app{"empty"};
  auto errors = rendered_errors(app);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("declares no functions"));
}

}  // namespace
}  // namespace gust::detail
