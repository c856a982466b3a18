#include "manifest/manifest.hpp"

#include <gtest/gtest.h>

namespace gust::manifest {
namespace {

Manifest sample() {
  Manifest m;
  m.app = "todo";
  Resource todos;
  todos.id = "todos";
  todos.kind = ResourceKind::table;
  todos.env = "GUST_TABLE_TODOS";
  todos.partition_key = KeyAttribute{"list", "S"};
  todos.sort_key = KeyAttribute{"id", "S"};
  todos.indexes.push_back({"recent", {"list", "S"}, KeyAttribute{"created_at", "N"}});
  todos.source = "main.cpp:10";
  Resource queue;
  queue.id = "events";
  queue.kind = ResourceKind::queue;
  queue.env = "GUST_QUEUE_EVENTS";
  queue.max_receives = 3;
  m.resources = {todos, queue};
  Function get;
  get.id = "get-todos-id";
  get.trigger.kind = TriggerKind::http;
  get.trigger.method = "GET";
  get.trigger.path = "/todos/{id}";
  get.options.reserved_concurrency = 5;
  get.grants.push_back({"todos", "read", {{{"dynamodb:GetItem", "dynamodb:Query"}, "table"}}});
  Function consume;
  consume.id = "consume-events";
  consume.trigger.kind = TriggerKind::queue;
  consume.trigger.resource = "events";
  consume.trigger.batch_size = 25;
  consume.trigger.batch_window_seconds = 2;
  consume.options.timeout_seconds = 30;
  consume.grants.push_back({"events", "consume", {{{"sqs:ReceiveMessage"}, "queue"}}});
  m.functions = {get, consume};
  return m;
}

TEST(ManifestJson, RoundTrips) {
  const auto m = sample();
  auto parsed = parse(to_json(m));
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(*parsed, m);
}

TEST(ManifestJson, WritesVersionFirstAndStably) {
  const auto text = to_json(sample());
  EXPECT_EQ(text.rfind("{\n  \"version\": 1,\n  \"app\": \"todo\"", 0), 0u) << text;
  EXPECT_EQ(text, to_json(sample()));
}

void expect_error(std::string_view json, std::string_view path, std::string_view message_part) {
  auto parsed = parse(json);
  ASSERT_FALSE(parsed) << "accepted: " << json;
  EXPECT_EQ(parsed.error().context, path);
  EXPECT_NE(parsed.error().message.find(message_part), std::string::npos) << parsed.error().message;
}

TEST(ManifestJson, RejectsAnotherVersion) {
  expect_error(R"({"version":2,"app":"a","resources":[],"functions":[]})", "version", "version 2 is not supported");
}

TEST(ManifestJson, RejectsUnknownMembersWithTheirPath) {
  auto text = to_json(sample());
  text.replace(text.find("\"memory_mb\""), 11, "\"memory_gb\": 1, \"memory_mb\"");
  expect_error(text, "functions[0].options.memory_gb", "unknown member");
}

TEST(ManifestJson, RejectsWrongTypes) {
  auto text = to_json(sample());
  text.replace(text.find("\"batch_size\": 25"), 16, "\"batch_size\": \"25\"");
  expect_error(text, "functions[1].trigger.batch_size", "expected integer, got string");
}

TEST(ManifestJson, RejectsDanglingGrant) {
  auto m = sample();
  m.functions[0].grants[0].resource = "todoz";
  expect_error(to_json(m), "functions[0].grants[0].resource", "no resource \"todoz\"");
}

TEST(ManifestJson, RejectsDanglingTrigger) {
  auto m = sample();
  m.functions[1].trigger.resource = "nope";
  m.functions[1].grants.clear();
  expect_error(to_json(m), "functions[1].trigger.resource", "no resource \"nope\"");
}

TEST(ManifestJson, RejectsMissingMembersAndBadKinds) {
  expect_error(R"({"version":1,"resources":[],"functions":[]})", "app", "missing required member");
  expect_error(R"({"version":1,"app":"a","resources":[{"id":"x","kind":"lake","env":"E"}],"functions":[]})",
               "resources[0].kind", "unknown resource kind \"lake\"");
  expect_error(R"({"version":1,"app":"a","resources":[{"id":"x","kind":"table","env":"E","partition_key":{"name":"id","type":"X"}}],"functions":[]})",
               "resources[0].partition_key.type", "key type must be");
}

TEST(ManifestJson, RejectsMalformedJson) {
  auto parsed = parse("{\"version\": 1,");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace gust::manifest
