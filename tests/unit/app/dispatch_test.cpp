#include "app/dispatch.hpp"

#include "app/describe.hpp"
#include "test_records.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace gust::detail {
namespace {

using app_test::Todo;
using runtime::InvocationResult;
using ::testing::HasSubstr;

std::string http_event(std::string_view method, std::string_view path, std::string_view params_json, std::string_view body = "") {
  Value event;
  event["version"] = "2.0";
  event["rawPath"] = path;
  event["rawQueryString"] = "";
  Value ctx;
  ctx["http"]["method"] = method;
  event["requestContext"] = std::move(ctx);
  event["pathParameters"] = *parse_json(params_json);
  event["body"] = body;
  event["isBase64Encoded"] = false;
  return to_json_text(event);
}

std::string sqs_event(const std::vector<std::pair<std::string, std::string>>& id_and_body) {
  Array records;
  for (const auto& [id, body] : id_and_body) {
    Value r;
    r["messageId"] = id;
    r["receiptHandle"] = "rh-" + id;
    r["body"] = body;
    records.push_back(std::move(r));
  }
  Value event;
  event["Records"] = std::move(records);
  return to_json_text(event);
}

class Dispatch : public ::testing::Test {
 protected:
  InvocationResult invoke(std::string_view handler, std::string_view event, BindingMode mode = BindingMode::local) {
    auto d = describe(app_.state());
    EXPECT_TRUE(d.errors.empty()) << (d.errors.empty() ? "" : render(d.errors.front()));
    auto invoker = make_invoker(app_.state(), d.manifest, handler, mode);
    EXPECT_TRUE(invoker) << invoker.error().describe();
    if (!invoker) return InvocationResult::failed("test", invoker.error().describe());
    return (*invoker)(event, Context{});
  }
  Value response_of(const InvocationResult& r) {
    EXPECT_EQ(r.status, InvocationResult::Status::ok) << r.error_type << ": " << r.error_message;
    auto v = parse_json(r.payload);
    EXPECT_TRUE(v) << r.payload;
    return v ? *v : Value();
  }
  App app_{"dispatch"};
};

TEST_F(Dispatch, RouteGetsParamsAndBodyAndAnswersPayload2) {
  app_.post("/todos/{id}", [](const Request& req) {
    auto todo = req.json<Todo>();
    todo.id = std::string(req.param("id"));
    return Response::json(todo, 201);
  });
  auto r = response_of(invoke("post-todos-id", http_event("POST", "/todos/7", R"({"id":"7"})", R"({"title":"x"})")));
  EXPECT_EQ(r.find("statusCode")->as_int(), 201);
  auto body = from_json<Todo>(r.find("body")->as_string());
  ASSERT_TRUE(body);
  EXPECT_EQ(body->id, "7");
  EXPECT_EQ(body->title, "x");
}

TEST_F(Dispatch, BadJsonBodyAnswers400WithTheFieldPath) {
  app_.post("/todos", [](const Request& req) { return Response::json(req.json<Todo>()); });
  auto r = response_of(invoke("post-todos", http_event("POST", "/todos", "{}", R"({"done":"yes"})")));
  EXPECT_EQ(r.find("statusCode")->as_int(), 400);
  EXPECT_EQ(r.find("body")->as_string(), R"({"message":"done: expected boolean, got string"})");
}

TEST_F(Dispatch, ErrorsMapToStatusCodes) {
  app_.get("/missing", [](const Request&) -> Response { throw BadResultAccess(Error{ErrorCode::not_found, "no such todo", "todos", {}}); });
  app_.get("/result", [](const Request&) -> Result<Response> { return unexpected(ErrorCode::already_exists, "taken"); });
  app_.get("/teapot", [](const Request&) -> Response { throw HttpError(418, "short and stout"); });
  app_.get("/down", [](const Request&) -> Result<Response> { return unexpected(ErrorCode::unavailable, "db is down", "todos"); });
  EXPECT_EQ(response_of(invoke("get-missing", http_event("GET", "/missing", "{}"))).find("statusCode")->as_int(), 404);
  EXPECT_EQ(response_of(invoke("get-result", http_event("GET", "/result", "{}"))).find("statusCode")->as_int(), 409);
  auto teapot = response_of(invoke("get-teapot", http_event("GET", "/teapot", "{}")));
  EXPECT_EQ(teapot.find("statusCode")->as_int(), 418);
  EXPECT_EQ(teapot.find("body")->as_string(), R"({"message":"short and stout"})");
  auto down = response_of(invoke("get-down", http_event("GET", "/down", "{}")));
  EXPECT_EQ(down.find("statusCode")->as_int(), 503);
  EXPECT_THAT(down.find("body")->as_string(), ::testing::Not(HasSubstr("db is down"))) << "server errors keep details out of the answer";
}

TEST_F(Dispatch, AThrowingHandlerIsAFunctionErrorNamedAfterTheException) {
  app_.get("/boom", [](const Request&) -> Response { throw std::out_of_range("index 9"); });
  auto r = invoke("get-boom", http_event("GET", "/boom", "{}"));
  EXPECT_EQ(r.status, InvocationResult::Status::function_error);
  EXPECT_EQ(r.error_type, "std::out_of_range");
  EXPECT_EQ(r.error_message, "index 9");
}

TEST_F(Dispatch, MalformedEventIsReportedNotCrashed) {
  app_.get("/x", [](const Request&) { return Response(); });
  auto r = invoke("get-x", "{\"hello\":");
  EXPECT_EQ(r.status, InvocationResult::Status::function_error);
  EXPECT_EQ(r.error_type, "Runtime.MalformedEvent");
  EXPECT_THAT(r.error_message, HasSubstr("malformed HTTP event"));
}

TEST_F(Dispatch, ConsumerReportsPartialBatchFailures) {
  auto q = app_.queue<Todo>("q");
  int handled = 0;
  app_.consume(q, [&handled](const Todo& t) {
    if (t.title == "poison") throw std::runtime_error("cannot handle poison");
    ++handled;
  });
  auto r = invoke("consume-q", sqs_event({{"m1", R"({"title":"ok"})"}, {"m2", R"({"title":"poison"})"},
                                          {"m3", R"({"title":7})"}, {"m4", R"({"title":"fine"})"}}));
  EXPECT_EQ(handled, 2);
  auto v = response_of(r);
  const auto& failures = v.find("batchItemFailures")->as_array();
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].find("itemIdentifier")->as_string(), "m2");
  EXPECT_EQ(failures[1].find("itemIdentifier")->as_string(), "m3");
}

TEST_F(Dispatch, SubscriberScheduleAndObjectHandlersReceiveTypedEvents) {
  auto topic = app_.topic<Todo>("t");
  auto files = app_.bucket("files");
  std::vector<std::string> seen;
  app_.subscribe(topic, [&seen](const Todo& t) { seen.push_back("topic:" + t.title); });
  app_.schedule("tick", "rate(1 minute)", [&seen](const ScheduleEvent& e) { seen.push_back("schedule:" + e.rule); });
  app_.on_object_created(files, [&seen](const ObjectCreated& o) { seen.push_back("object:" + o.key); });
  invoke("on-t", R"({"Records":[{"Sns":{"Message":"{\"title\":\"hi\"}","MessageId":"1","TopicArn":"arn:t"}}]})");
  invoke("tick", R"({"detail-type":"Scheduled Event","resources":["arn:aws:events:eu-west-1:1:rule/tick"]})");
  invoke("on-files-created", R"({"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"a%20b.txt","size":3}}},
                                           {"eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"b"},"object":{"key":"gone"}}}]})");
  EXPECT_EQ(seen, (std::vector<std::string>{"topic:hi", "schedule:arn:aws:events:eu-west-1:1:rule/tick", "object:a b.txt"}));
}

TEST_F(Dispatch, DeployedModeNeedsEachResourceVariable) {
  auto todos = app_.table<Todo>("todos", &Todo::list, &Todo::id);
  std::string physical;
  app_.get("/t", reads(todos), [&physical](const Request&, TableReader<Todo> t) {
    physical = t.binding().physical + " " + t.binding().partition_key + "/" + t.binding().sort_key;
    return Response();
  });
  auto d = describe(app_.state());
  ::unsetenv("GUST_TABLE_TODOS");
  auto missing = make_invoker(app_.state(), d.manifest, "get-t", BindingMode::deployed);
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr("environment variable GUST_TABLE_TODOS is not set"));
  ::setenv("GUST_TABLE_TODOS", "todo-prod-TodosTable-ABC", 1);
  auto invoker = make_invoker(app_.state(), d.manifest, "get-t", BindingMode::deployed);
  ASSERT_TRUE(invoker);
  (*invoker)(http_event("GET", "/t", "{}"), Context{});
  EXPECT_EQ(physical, "todo-prod-TodosTable-ABC list/id");
  ::unsetenv("GUST_TABLE_TODOS");
}

TEST_F(Dispatch, UnknownHandlerListsTheKnownOnes) {
  app_.get("/a", [](const Request&) { return Response(); });
  app_.get("/b", [](const Request&) { return Response(); });
  auto d = describe(app_.state());
  auto invoker = make_invoker(app_.state(), d.manifest, "get-c", BindingMode::local);
  ASSERT_FALSE(invoker);
  EXPECT_EQ(invoker.error().message, "no handler \"get-c\" in app \"dispatch\"; its handlers are: get-a, get-b");
}

}  // namespace
}  // namespace gust::detail
