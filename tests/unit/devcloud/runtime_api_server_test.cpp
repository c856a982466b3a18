// The Runtime API server, driven by a plain HTTP client standing in for a runtime.
#include "devcloud/runtime_api_server.hpp"

#include "runtime/runtime_api_client.hpp"

#include <gust/value.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace gust::devcloud {
namespace {

using namespace std::chrono_literals;
using runtime::RuntimeApiClient;
using Status = InvocationOutcome::Status;

constexpr std::string_view kNext = "/2018-06-01/runtime/invocation/next";

struct Fixture {
  std::unique_ptr<RuntimeApiServer> api = RuntimeApiServer::start().value();
  RuntimeApiClient client{runtime::resolve_endpoint(api->endpoint()).value()};
};

InvocationOutcome await(std::future<InvocationOutcome>& f) {
  EXPECT_EQ(f.wait_for(10s), std::future_status::ready);
  return f.get();
}

TEST(RuntimeApiServer, LongPollsNextUntilAnInvocationArrives) {
  Fixture f;
  std::thread later([&] {
    std::this_thread::sleep_for(50ms);
    (void)f.api->invoke({.payload = R"({"late":true})", .request_id = "req-1"});
  });
  const auto start = std::chrono::steady_clock::now();
  auto next = f.client.get(kNext);
  later.join();
  ASSERT_TRUE(next) << next.error().describe();
  EXPECT_GE(std::chrono::steady_clock::now() - start, 40ms);
  EXPECT_EQ((*next)->status, 200);
  EXPECT_EQ((*next)->body, R"({"late":true})");
  EXPECT_EQ((*next)->header("Lambda-Runtime-Aws-Request-Id"), "req-1");
  EXPECT_TRUE(f.api->wait_ready(1s));
  EXPECT_EQ(f.api->polls(), 1u);
}

TEST(RuntimeApiServer, SendsTheInvocationHeaders) {
  Fixture f;
  auto outcome = f.api->invoke({.payload = "{}", .timeout = 2000ms, .client_context = "{\"c\":1}", .cognito_identity = "{\"i\":2}"});
  auto next = f.client.get(kNext);
  ASSERT_TRUE(next);
  const auto& r = **next;
  const auto id = std::string(r.header("Lambda-Runtime-Aws-Request-Id"));
  EXPECT_EQ(id.size(), 36u) << id;  // a UUID
  const auto deadline = std::stoll(std::string(r.header("Lambda-Runtime-Deadline-Ms")));
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_GT(deadline, now + 1500);
  EXPECT_LE(deadline, now + 2100);
  EXPECT_EQ(r.header("Lambda-Runtime-Invoked-Function-Arn"), "arn:aws:lambda:us-east-1:000000000000:function:gust-dev");
  EXPECT_TRUE(r.header("Lambda-Runtime-Trace-Id").starts_with("Root=1-"));
  EXPECT_EQ(r.header("Lambda-Runtime-Client-Context"), "{\"c\":1}");
  EXPECT_EQ(r.header("Lambda-Runtime-Cognito-Identity"), "{\"i\":2}");
  auto posted = f.client.post("/2018-06-01/runtime/invocation/" + id + "/response", {}, "\"done\"");
  ASSERT_TRUE(posted);
  EXPECT_EQ((*posted)->status, 202);
  auto o = await(outcome);
  EXPECT_EQ(o.status, Status::success);
  EXPECT_EQ(o.payload, "\"done\"");
  EXPECT_EQ(o.request_id, id);
}

TEST(RuntimeApiServer, HandsInvocationsOutInOrder) {
  Fixture f;
  auto a = f.api->invoke({.payload = "1"});
  auto b = f.api->invoke({.payload = "2"});
  for (const char* expected : {"1", "2"}) {
    auto next = f.client.get(kNext);
    ASSERT_TRUE(next);
    EXPECT_EQ((*next)->body, expected);
    std::string path = "/2018-06-01/runtime/invocation/" + std::string((*next)->header("Lambda-Runtime-Aws-Request-Id")) + "/response";
    ASSERT_TRUE(f.client.post(path, {}, expected));
  }
  EXPECT_EQ(await(a).payload, "1");
  EXPECT_EQ(await(b).payload, "2");
}

TEST(RuntimeApiServer, TimesOutAnUnansweredInvocation) {
  Fixture f;
  auto outcome = f.api->invoke({.payload = "{}", .timeout = 50ms});
  auto next = f.client.get(kNext);
  ASSERT_TRUE(next);
  std::string id((*next)->header("Lambda-Runtime-Aws-Request-Id"));
  auto o = await(outcome);
  EXPECT_EQ(o.status, Status::timed_out);
  EXPECT_EQ(o.error_type, "Sandbox.Timedout");
  EXPECT_GE(o.duration, 50ms);
  auto late = f.client.post("/2018-06-01/runtime/invocation/" + id + "/response", {}, "{}");
  ASSERT_TRUE(late);
  EXPECT_EQ((*late)->status, 400);  // too late: the invocation is over
}

TEST(RuntimeApiServer, RecordsFunctionErrors) {
  Fixture f;
  auto outcome = f.api->invoke({.payload = "{}"});
  auto next = f.client.get(kNext);
  ASSERT_TRUE(next);
  std::string path = "/2018-06-01/runtime/invocation/" + std::string((*next)->header("Lambda-Runtime-Aws-Request-Id")) + "/error";
  auto posted = f.client.post(path, {{"Lambda-Runtime-Function-Error-Type", "Unhandled"}},
                              R"({"errorMessage":"bad input","errorType":"ValueError","stackTrace":[]})");
  ASSERT_TRUE(posted);
  EXPECT_EQ((*posted)->status, 202);
  auto o = await(outcome);
  EXPECT_EQ(o.status, Status::function_error);
  EXPECT_EQ(o.error_type, "ValueError");
  EXPECT_EQ(o.error_message, "bad input");
}

TEST(RuntimeApiServer, TakesTheErrorTypeHeaderWhenTheBodyHasNone) {
  Fixture f;
  auto outcome = f.api->invoke({.payload = "{}"});
  auto next = f.client.get(kNext);
  ASSERT_TRUE(next);
  std::string path = "/2018-06-01/runtime/invocation/" + std::string((*next)->header("Lambda-Runtime-Aws-Request-Id")) + "/error";
  ASSERT_TRUE(f.client.post(path, {{"Lambda-Runtime-Function-Error-Type", "Custom.Failure"}}, "not json"));
  auto o = await(outcome);
  EXPECT_EQ(o.error_type, "Custom.Failure");
  EXPECT_EQ(o.error_body, "not json");
}

TEST(RuntimeApiServer, RejectsAnswersForUnknownRequests) {
  Fixture f;
  auto r = f.client.post("/2018-06-01/runtime/invocation/no-such-id/response", {}, "{}");
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)->status, 400);
  auto body = parse_json((*r)->body);
  ASSERT_TRUE(body);
  EXPECT_EQ(body->find("errorType")->as_string(), "InvalidRequestID");
  auto unknown = f.client.get("/2018-06-01/runtime/whatever");
  ASSERT_TRUE(unknown);
  EXPECT_EQ((*unknown)->status, 404);
}

TEST(RuntimeApiServer, InitErrorFailsQueuedAndLaterInvocations) {
  Fixture f;
  auto queued = f.api->invoke({.payload = "{}"});
  auto r = f.client.post("/2018-06-01/runtime/init/error", {{"Lambda-Runtime-Function-Error-Type", "Runtime.InitError"}},
                         R"({"errorMessage":"TABLE_TODOS is not set","errorType":"Runtime.InitError"})");
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)->status, 202);
  auto o = await(queued);
  EXPECT_EQ(o.status, Status::init_error);
  EXPECT_EQ(o.error_message, "TABLE_TODOS is not set");
  auto later = f.api->invoke({.payload = "{}"});
  EXPECT_EQ(await(later).status, Status::init_error);
  ASSERT_TRUE(f.api->init_error());
  EXPECT_FALSE(f.api->wait_ready(10ms));
}

TEST(RuntimeApiServer, AbortEndsQueuedAndRunningInvocations) {
  Fixture f;
  auto running = f.api->invoke({.payload = "1"});
  auto queued = f.api->invoke({.payload = "2"});
  ASSERT_TRUE(f.client.get(kNext));
  f.api->abort_all("the runtime exited with status 139");
  auto a = await(running), b = await(queued);
  EXPECT_EQ(a.status, Status::aborted);
  EXPECT_EQ(b.status, Status::aborted);
  EXPECT_EQ(a.error_message, "the runtime exited with status 139");
  // The runtime is gone: a later invocation ends at once instead of waiting for a poll.
  auto later = f.api->invoke({.payload = "3"});
  ASSERT_EQ(later.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(later.get().status, Status::aborted);
}

TEST(RuntimeApiServer, StopEndsWhatIsPending) {
  auto api = RuntimeApiServer::start().value();
  auto pending = api->invoke({.payload = "1"});
  api->stop();
  EXPECT_EQ(await(pending).status, Status::aborted);
  EXPECT_EQ(api->invoke({.payload = "2"}).get().status, Status::aborted);
}

}  // namespace
}  // namespace gust::devcloud
