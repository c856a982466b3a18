#pragma once
// The Lambda Runtime API client loop: fetch the next invocation, run the
// handler, post its response or error, repeat. App::run enters it when
// AWS_LAMBDA_RUNTIME_API is set.

#include <gust/context.hpp>
#include <gust/result.hpp>
#include <gust/stream.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace gust::runtime {

// What one invocation produced.
struct InvocationResult {
  enum class Status { ok, function_error, streaming };
  Status status = Status::ok;
  std::string payload;        // ok: the response body (JSON); streaming: bytes sent before `stream` runs
  std::string error_type;     // function_error: "Runtime.HandlerError", "Runtime.MalformedEvent", ...
  std::string error_message;  // function_error: one line for a human
  std::string content_type;   // streaming: Content-Type of the streamed response
  StreamBody stream;          // streaming: writes the rest of the body

  static InvocationResult ok(std::string payload) { return {Status::ok, std::move(payload), {}, {}, {}, {}}; }
  static InvocationResult failed(std::string type, std::string message) {
    return {Status::function_error, {}, std::move(type), std::move(message), {}, {}};
  }
  // A streamed response (Lambda-Runtime-Function-Response-Mode: streaming):
  // `head` first, then whatever `body` writes. HTTP routes build it with
  // runtime::http_streaming_result (runtime/response_stream.hpp).
  static InvocationResult streamed(std::string content_type, std::string head, StreamBody body) {
    return {Status::streaming, std::move(head), {}, {}, std::move(content_type), std::move(body)};
  }
};

// Runs one invocation: `event` is the raw payload from /next; the context is
// also current (gust::context()) for the duration of the call. Must not throw.
using InvokeFn = std::function<InvocationResult(std::string_view event, const Context& ctx)>;

// Initialisation, run once before the first /next: returns the invoke
// function, or an Error that is posted to /runtime/init/error (the process
// then exits non-zero, as Lambda expects).
using InitFn = std::function<Result<InvokeFn>()>;

// Serves invocations from the Runtime API at `endpoint` ("host:port") until
// the API becomes unreachable after retries; returns the process exit code.
int run_loop(std::string_view endpoint, const InitFn& init);

struct LoopOptions {
  // Pauses between attempts when the Runtime API resets or answers 5xx;
  // after the last the loop gives up (exit code 1).
  std::vector<std::chrono::milliseconds> backoff{std::chrono::milliseconds(10), std::chrono::milliseconds(50),
                                                 std::chrono::milliseconds(250), std::chrono::milliseconds(1000)};
  // Return 0 after this many invocations (0: never). Tests and benchmarks.
  std::uint64_t max_invocations = 0;
};
int run_loop(std::string_view endpoint, const InitFn& init, const LoopOptions& options);

}  // namespace gust::runtime
