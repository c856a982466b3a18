// The runtime loop against our Runtime API server, in process on loopback.
#include "runtime/runtime_loop.hpp"

#include "devcloud/runtime_api_server.hpp"
#include "runtime/events.hpp"

#include <gust/value.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <future>
#include <stdexcept>
#include <thread>

namespace gust::runtime {
namespace {

using devcloud::Invocation;
using devcloud::InvocationOutcome;
using devcloud::RuntimeApiServer;
using Status = InvocationOutcome::Status;
using namespace std::chrono_literals;

LoopOptions quick(std::uint64_t invocations) {
  LoopOptions o;
  o.backoff = {1ms, 2ms, 4ms};
  o.max_invocations = invocations;
  return o;
}

// Runs the loop on a thread for `invocations` events; exit_code() joins it.
class LoopThread {
 public:
  LoopThread(const std::string& endpoint, InitFn init, LoopOptions options)
      : init_(std::move(init)), options_(std::move(options)) {
    result_ = std::async(std::launch::async, [this, endpoint] { return run_loop(endpoint, init_, options_); });
  }
  int exit_code() {
    if (result_.wait_for(20s) != std::future_status::ready) {
      ADD_FAILURE() << "the runtime loop did not end";
      std::abort();
    }
    return result_.get();
  }

 private:
  InitFn init_;
  LoopOptions options_;
  std::future<int> result_;
};

InitFn serving(InvokeFn fn) {
  return [fn] { return Result<InvokeFn>(fn); };
}

std::unique_ptr<RuntimeApiServer> start_api() {
  auto api = RuntimeApiServer::start();
  if (!api) {
    ADD_FAILURE() << api.error().describe();
    std::abort();
  }
  return std::move(*api);
}

InvocationOutcome await(std::future<InvocationOutcome> f) {
  if (f.wait_for(20s) != std::future_status::ready) {
    ADD_FAILURE() << "no outcome";
    std::abort();
  }
  return f.get();
}

TEST(RuntimeLoop, PostsTheHandlersResponse) {
  auto api = start_api();
  LoopThread loop(api->endpoint(), serving([](std::string_view event, const Context&) {
                    return InvocationResult::ok("{\"echo\":" + std::string(event) + "}");
                  }),
                  quick(1));
  auto outcome = await(api->invoke({.payload = R"({"n":1})"}));
  EXPECT_EQ(outcome.status, Status::success) << outcome.error_message;
  EXPECT_EQ(outcome.payload, R"({"echo":{"n":1}})");
  EXPECT_EQ(loop.exit_code(), 0);
}

TEST(RuntimeLoop, HandsTheHandlerTheInvocationContext) {
  auto api = start_api();
  struct Seen {
    std::string request_id, arn, trace, trace_env, client_context, cognito, current_id;
    std::chrono::milliseconds remaining{};
  };
  auto seen = std::make_shared<Seen>();
  LoopThread loop(api->endpoint(), serving([seen](std::string_view, const Context& ctx) {
                    seen->request_id = ctx.request_id;
                    seen->arn = ctx.invoked_function_arn;
                    seen->trace = ctx.trace_id;
                    const char* env = std::getenv("_X_AMZN_TRACE_ID");
                    seen->trace_env = env ? env : "";
                    seen->client_context = ctx.client_context;
                    seen->cognito = ctx.cognito_identity;
                    seen->remaining = ctx.remaining();
                    seen->current_id = context().request_id;
                    return InvocationResult::ok("null");
                  }),
                  quick(1));
  Invocation inv;
  inv.payload = "{}";
  inv.request_id = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";
  inv.trace_id = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
  inv.client_context = R"({"client":{"installation_id":"abc"}})";
  inv.cognito_identity = R"({"cognitoIdentityId":"us-east-1:123"})";
  inv.timeout = 5s;
  auto outcome = await(api->invoke(std::move(inv)));
  ASSERT_EQ(outcome.status, Status::success) << outcome.error_message;
  EXPECT_EQ(loop.exit_code(), 0);
  EXPECT_EQ(seen->request_id, "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
  EXPECT_EQ(seen->current_id, seen->request_id);
  EXPECT_EQ(seen->arn, "arn:aws:lambda:us-east-1:000000000000:function:gust-dev");
  EXPECT_EQ(seen->trace, "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1");
  EXPECT_EQ(seen->trace_env, seen->trace);
  EXPECT_EQ(seen->client_context, R"({"client":{"installation_id":"abc"}})");
  EXPECT_EQ(seen->cognito, R"({"cognitoIdentityId":"us-east-1:123"})");
  EXPECT_GT(seen->remaining, 3s);
  EXPECT_LE(seen->remaining, 5s);
}

TEST(RuntimeLoop, ReportsAThrowingHandlerAndKeepsServing) {
  auto api = start_api();
  LoopThread loop(api->endpoint(), serving([](std::string_view event, const Context&) -> InvocationResult {
                    if (event == "\"boom\"") throw std::out_of_range("index 7 is past the end");
                    return InvocationResult::ok("\"fine\"");
                  }),
                  quick(2));
  auto failed = await(api->invoke({.payload = "\"boom\""}));
  auto next = await(api->invoke({.payload = "\"calm\""}));
  EXPECT_EQ(loop.exit_code(), 0);
  EXPECT_EQ(failed.status, Status::function_error);
  EXPECT_EQ(failed.error_type, "std::out_of_range");
  EXPECT_EQ(failed.error_message, "index 7 is past the end");
  auto body = parse_json(failed.error_body);
  ASSERT_TRUE(body) << failed.error_body;
  EXPECT_EQ(body->find("errorType")->as_string(), "std::out_of_range");
  EXPECT_EQ(body->find("stackTrace")->kind(), Value::Kind::array);
  EXPECT_EQ(next.status, Status::success);
  EXPECT_EQ(next.payload, "\"fine\"");
}

TEST(RuntimeLoop, PostsAFunctionErrorWithItsType) {
  auto api = start_api();
  LoopThread loop(api->endpoint(), serving([](std::string_view, const Context&) {
                    return InvocationResult::failed("Orders.NotFound", "order 17 does not exist");
                  }),
                  quick(1));
  auto outcome = await(api->invoke({.payload = "{}"}));
  EXPECT_EQ(loop.exit_code(), 0);
  EXPECT_EQ(outcome.status, Status::function_error);
  EXPECT_EQ(outcome.error_type, "Orders.NotFound");
  EXPECT_EQ(outcome.error_message, "order 17 does not exist");
}

TEST(RuntimeLoop, NamesTheProblemOfAMalformedEvent) {
  auto api = start_api();
  LoopThread loop(api->endpoint(), serving([](std::string_view event, const Context&) {
                    auto request = parse_http_event(event);
                    if (!request) return InvocationResult::failed("Runtime.MalformedEvent", request.error().describe());
                    return InvocationResult::ok("null");
                  }),
                  quick(1));
  auto outcome = await(api->invoke({.payload = "{\"version\":\"2.0\",\"rawPath\":"}));
  EXPECT_EQ(loop.exit_code(), 0);
  EXPECT_EQ(outcome.status, Status::function_error);
  EXPECT_EQ(outcome.error_type, "Runtime.MalformedEvent");
  EXPECT_FALSE(outcome.error_message.empty());
}

TEST(RuntimeLoop, RejectsABadDeadlineHeaderAndKeepsServing) {
  auto api = start_api();
  int calls = 0;
  LoopThread loop(api->endpoint(), serving([&calls](std::string_view, const Context&) {
                    ++calls;
                    return InvocationResult::ok("1");
                  }),
                  quick(2));
  Invocation bad;
  bad.payload = "{}";
  bad.deadline_header = "tomorrow";
  auto rejected = await(api->invoke(std::move(bad)));
  auto fine = await(api->invoke({.payload = "{}"}));
  EXPECT_EQ(loop.exit_code(), 0);
  EXPECT_EQ(rejected.status, Status::function_error);
  EXPECT_EQ(rejected.error_type, "Runtime.InvalidDeadline");
  EXPECT_NE(rejected.error_message.find("\"tomorrow\""), std::string::npos) << rejected.error_message;
  EXPECT_EQ(fine.status, Status::success);
  EXPECT_EQ(calls, 1);
}

// status 0: the server drops the connection instead of answering.
class RuntimeLoopRetry : public ::testing::TestWithParam<int> {};

TEST_P(RuntimeLoopRetry, RetriesAndThenServes) {
  auto api = start_api();
  api->fail_next_polls(2, GetParam());  // before the loop starts: no race with its first poll
  LoopThread loop(api->endpoint(), serving([](std::string_view, const Context&) { return InvocationResult::ok("\"ok\""); }),
                  quick(1));
  auto outcome = await(api->invoke({.payload = "{}"}));
  EXPECT_EQ(loop.exit_code(), 0);
  EXPECT_EQ(outcome.status, Status::success);
  EXPECT_EQ(api->polls(), 3u);  // two failures, then the invocation
}

INSTANTIATE_TEST_SUITE_P(ServerErrorsAndResets, RuntimeLoopRetry, ::testing::Values(500, 502, 0));

TEST(RuntimeLoop, ExitsNonZeroWhenTheApiKeepsFailing) {
  auto api = start_api();
  api->fail_next_polls(100, 503);
  LoopThread loop(api->endpoint(), serving([](std::string_view, const Context&) { return InvocationResult::ok("1"); }), quick(0));
  EXPECT_EQ(loop.exit_code(), 1);
  EXPECT_EQ(api->polls(), 4u);  // the first try and three retries
}

TEST(RuntimeLoop, ExitsNonZeroWhenTheApiIsGone) {
  auto api = start_api();
  const std::string endpoint = api->endpoint();
  api.reset();
  LoopThread loop(endpoint, serving([](std::string_view, const Context&) { return InvocationResult::ok("1"); }), quick(0));
  EXPECT_EQ(loop.exit_code(), 1);
}

TEST(RuntimeLoop, PostsInitErrorsAndExitsNonZero) {
  auto api = start_api();
  auto pending = api->invoke({.payload = "{}"});
  LoopThread loop(api->endpoint(),
                  [] { return Result<InvokeFn>(unexpected(ErrorCode::not_found, "no handler \"nope\" in app \"demo\"", "_HANDLER")); },
                  quick(0));
  EXPECT_EQ(loop.exit_code(), 1);
  auto init = api->init_error();
  ASSERT_TRUE(init);
  EXPECT_EQ(init->error_type, "Runtime.HandlerNotFound");
  EXPECT_EQ(init->error_message, "_HANDLER: no handler \"nope\" in app \"demo\"");
  auto outcome = await(std::move(pending));
  EXPECT_EQ(outcome.status, Status::init_error);
  EXPECT_EQ(outcome.error_type, "Runtime.HandlerNotFound");
}

TEST(RuntimeLoop, ReportsAnInitThatThrows) {
  auto api = start_api();
  LoopThread loop(api->endpoint(), []() -> Result<InvokeFn> { throw std::runtime_error("config file missing"); }, quick(0));
  EXPECT_EQ(loop.exit_code(), 1);
  auto init = api->init_error();
  ASSERT_TRUE(init);
  EXPECT_EQ(init->error_type, "Runtime.InitError");
  EXPECT_NE(init->error_message.find("config file missing"), std::string::npos);
}

TEST(RuntimeLoop, CarriesLargeEventsAndResponses) {
  auto api = start_api();
  LoopThread loop(api->endpoint(), serving([](std::string_view event, const Context&) { return InvocationResult::ok(std::string(event)); }),
                  quick(3));
  for (std::size_t size : {std::size_t(1), std::size_t(100 * 1024), std::size_t(3 * 1024 * 1024)}) {
    std::string payload = "\"" + std::string(size, 'x') + "\"";
    for (std::size_t i = 1; i + 1 < payload.size(); i += 97) payload[i] = static_cast<char>('a' + i % 26);
    auto outcome = await(api->invoke({.payload = payload}));
    ASSERT_EQ(outcome.status, Status::success);
    EXPECT_EQ(outcome.payload, payload) << "size " << size;
  }
  EXPECT_EQ(loop.exit_code(), 0);
}

TEST(RuntimeLoop, StreamsAResponseAsItIsWritten) {
  auto api = start_api();
  auto second_chunk_may_go = std::make_shared<std::promise<void>>();
  LoopThread loop(api->endpoint(), serving([second_chunk_may_go](std::string_view, const Context&) {
                    return InvocationResult::streamed("text/plain", "head|", [second_chunk_may_go](StreamWriter& out) {
                      out.write("one|");
                      second_chunk_may_go->get_future().wait_for(10s);
                      out.write("two");
                    });
                  }),
                  quick(1));
  std::promise<void> saw_first;
  std::string seen;
  Invocation inv;
  inv.payload = "{}";
  inv.on_chunk = [&](std::string_view bytes) {
    seen.append(bytes);
    if (seen == "head|one|") {
      saw_first.set_value();
      second_chunk_may_go->set_value();  // the first chunk arrived before the handler finished
    }
  };
  auto outcome = api->invoke(std::move(inv));
  ASSERT_EQ(saw_first.get_future().wait_for(10s), std::future_status::ready);
  auto done = await(std::move(outcome));
  EXPECT_EQ(loop.exit_code(), 0);
  EXPECT_EQ(done.status, Status::success);
  EXPECT_TRUE(done.streamed);
  EXPECT_EQ(done.content_type, "text/plain");
  EXPECT_EQ(done.payload, "head|one|two");
  EXPECT_EQ(seen, done.payload);
}

TEST(RuntimeLoop, EndsAFailingStreamWithErrorTrailers) {
  auto api = start_api();
  LoopThread loop(api->endpoint(), serving([](std::string_view, const Context&) {
                    return InvocationResult::streamed("text/plain", "", [](StreamWriter& out) {
                      out.write("partial");
                      throw std::invalid_argument("the cursor expired");
                    });
                  }),
                  quick(2));
  auto failed = await(api->invoke({.payload = "{}"}));
  auto after = await(api->invoke({.payload = "{}"}));
  EXPECT_EQ(loop.exit_code(), 0);
  EXPECT_EQ(failed.status, Status::function_error);
  EXPECT_TRUE(failed.streamed);
  EXPECT_EQ(failed.payload, "partial");
  EXPECT_EQ(failed.error_type, "std::invalid_argument");
  EXPECT_EQ(failed.error_message, "the cursor expired");
  EXPECT_EQ(after.status, Status::function_error);  // the same handler again, on the same connection
}

}  // namespace
}  // namespace gust::runtime
