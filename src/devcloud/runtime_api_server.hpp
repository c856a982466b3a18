#pragma once
// The Lambda Runtime API, server side: what one function instance (one
// runtime process) talks to in `gust dev` and in the runtime's tests.
// Long-polled /next, deadlines, /response (buffered or streamed), /error and
// /init/error, as AWS documents them under /2018-06-01/runtime/.
//
//   auto api = devcloud::RuntimeApiServer::start({}).value();
//   // start the runtime with AWS_LAMBDA_RUNTIME_API=api->endpoint()
//   auto outcome = api->invoke({.payload = R"({"x":1})"}).get();
//
// One server per function instance: its queue feeds whichever runtime polls it.

#include <gust/result.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gust::http {
class IoThread;
}

namespace gust::devcloud {

struct Invocation {
  std::string payload;                          // the event (JSON)
  std::chrono::milliseconds timeout{3000};      // from hand-out to the runtime
  std::string request_id;                       // generated when empty
  std::string trace_id;                         // generated when empty
  std::string client_context;                   // Lambda-Runtime-Client-Context, when set
  std::string cognito_identity;                 // Lambda-Runtime-Cognito-Identity, when set
  std::optional<std::string> deadline_header;   // sent instead of the real deadline (tests of bad headers)
  // Streamed responses: called once with the stream's Content-Type when the
  // runtime starts streaming, then with each body piece as it arrives.
  std::function<void(std::string_view content_type)> on_stream_start;
  std::function<void(std::string_view bytes)> on_chunk;
};

struct InvocationOutcome {
  enum class Status {
    success,         // /response
    function_error,  // /error, or a stream ended with error trailers
    init_error,      // the runtime posted /init/error (before or instead of this invocation)
    timed_out,       // no answer before the deadline
    aborted,         // abort_all(): the runtime process went away, or the server stopped
  };
  Status status = Status::aborted;
  std::string request_id;
  std::string payload;        // success: the response body (streamed: every chunk, in order)
  std::string content_type;   // of the response
  bool streamed = false;      // Lambda-Runtime-Function-Response-Mode: streaming
  std::string error_type;     // errorType of the error body, else the Lambda-Runtime-Function-Error-Type header
  std::string error_message;  // errorMessage of the error body
  std::string error_body;     // the error document as posted (streams: decoded from the trailer)
  std::chrono::microseconds duration{0};  // hand-out to answer
};

std::string_view to_string(InvocationOutcome::Status status) noexcept;

struct InitError {
  std::string error_type;
  std::string error_message;
  std::string body;
};

class RuntimeApiServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  // 0: any free port
    std::string function_arn = "arn:aws:lambda:us-east-1:000000000000:function:gust-dev";
    std::shared_ptr<http::IoThread> io;  // shared with other servers (gust dev); empty: a thread of its own
  };

  static Result<std::unique_ptr<RuntimeApiServer>> start(Options options);
  static Result<std::unique_ptr<RuntimeApiServer>> start() { return start(Options{}); }
  ~RuntimeApiServer();
  RuntimeApiServer(const RuntimeApiServer&) = delete;
  RuntimeApiServer& operator=(const RuntimeApiServer&) = delete;

  // "127.0.0.1:PORT": the runtime's AWS_LAMBDA_RUNTIME_API.
  std::string endpoint() const;

  // Queues an invocation; `done` runs exactly once, on a server thread.
  void invoke(Invocation invocation, std::function<void(InvocationOutcome)> done);
  std::future<InvocationOutcome> invoke(Invocation invocation);

  // True once a runtime has polled /next (it finished initialising); waits up to `timeout`.
  bool wait_ready(std::chrono::milliseconds timeout) const;
  std::optional<std::chrono::steady_clock::time_point> first_poll_at() const;
  std::uint64_t polls() const;
  std::optional<InitError> init_error() const;

  // Ends every queued and running invocation with Status::aborted (the
  // runtime process exited); `reason` becomes their error message, and that
  // of every invocation made afterwards, which ends at once.
  void abort_all(std::string_view reason);

  // Fault injection for tests: the next `count` requests to /next are
  // answered with HTTP `status` (status 0: the connection is dropped).
  void fail_next_polls(int count, int status);

  void stop();

  struct Impl;  // opaque

 private:
  explicit RuntimeApiServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gust::devcloud
