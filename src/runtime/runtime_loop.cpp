// The Runtime API loop: /next -> handler -> /response or /error, forever.
// One RuntimeApiClient (one keep-alive socket); the Context and the
// client's buffers are reused, so a warm invocation allocates only what the handler does.
#include "runtime/runtime_loop.hpp"

#include "runtime/runtime_api_client.hpp"

#include <gust/log.hpp>
#include <gust/value.hpp>

#include <cxxabi.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <typeinfo>

namespace gust::runtime {
namespace {

constexpr std::string_view kNextPath = "/2018-06-01/runtime/invocation/next";
constexpr std::string_view kInitErrorPath = "/2018-06-01/runtime/init/error";
constexpr std::string_view kErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

std::string type_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(type.name());
}

// {"errorMessage":...,"errorType":...,"stackTrace":[]}: the body AWS documents for /error and /init/error.
std::string error_body(std::string_view type, std::string_view message) {
  Value v;
  v["errorMessage"] = message;
  v["errorType"] = type;
  v["stackTrace"] = Array{};
  return to_json_text(v);
}

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

void fail(std::string_view what) { std::fprintf(stderr, "gust runtime: %.*s\n", static_cast<int>(what.size()), what.data()); }

// Runs `exchange` until it gets an answer that is not a transport failure or
// a 5xx, backing off in between; nullptr when every attempt failed.
// After the last attempt the process exits non-zero and Lambda starts a fresh one.
template <class F>
const HttpResponse* with_retries(const std::vector<std::chrono::milliseconds>& backoff, std::string_view what, F&& exchange) {
  for (std::size_t attempt = 0;; ++attempt) {
    auto r = exchange();
    std::string problem;
    if (r && (*r)->status < 500) return *r;
    problem = r ? "HTTP " + std::to_string((*r)->status) : r.error().message;
    if (attempt == backoff.size()) {
      fail(std::string(what) + " failed " + std::to_string(attempt + 1) + " times, last: " + problem + "; exiting");
      return nullptr;
    }
    std::this_thread::sleep_for(backoff[attempt]);
  }
}

// Sends each write as one chunk of the /response POST.
class ChunkWriter final : public StreamWriter {
 public:
  explicit ChunkWriter(RuntimeApiClient& client) : client_(client) {}
  bool write(std::string_view bytes) override { return client_.write_chunk(bytes); }

 private:
  RuntimeApiClient& client_;
};

class Loop {
 public:
  Loop(Endpoint endpoint, const LoopOptions& options) : options_(options), client_(std::move(endpoint)) {
    ctx_.function_name = env_or_empty("AWS_LAMBDA_FUNCTION_NAME");
    ctx_.function_version = env_or_empty("AWS_LAMBDA_FUNCTION_VERSION");
    ctx_.log_group = env_or_empty("AWS_LAMBDA_LOG_GROUP_NAME");
    ctx_.log_stream = env_or_empty("AWS_LAMBDA_LOG_STREAM_NAME");
    std::string memory = env_or_empty("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
    std::from_chars(memory.data(), memory.data() + memory.size(), ctx_.memory_mb);
    path_.reserve(128);
  }

  int run(const InitFn& init) {
    Result<InvokeFn> invoke = [&]() -> Result<InvokeFn> {
      try {
        return init();
      } catch (const std::exception& e) {
        return unexpected(ErrorCode::internal, e.what(), "initialisation threw " + type_name(typeid(e)));
      } catch (...) {
        return unexpected(ErrorCode::internal, "initialisation threw something that is not a std::exception");
      }
    }();
    if (!invoke) return init_error(invoke.error());
    for (std::uint64_t served = 0; options_.max_invocations == 0 || served < options_.max_invocations; ++served) {
      const HttpResponse* next = with_retries(options_.backoff, "GET /runtime/invocation/next", [&] { return client_.get(kNextPath); });
      if (next == nullptr) return 1;
      if (next->status != 200) {
        fail("GET /runtime/invocation/next answered HTTP " + std::to_string(next->status) + ": " + std::string(next->body) + "; exiting");
        return 1;
      }
      if (!serve(*next, *invoke)) return 1;
    }
    return 0;
  }

 private:
  int init_error(const Error& error) {
    const std::string type = error.context == "_HANDLER" ? "Runtime.HandlerNotFound" : "Runtime.InitError";
    const std::string message = error.describe();
    fail("initialisation failed: " + message);
    const std::string body = error_body(type, message);
    HeaderList headers{{kErrorTypeHeader, type}, {"Content-Type", "application/json"}};
    with_retries(options_.backoff, "POST /runtime/init/error", [&] { return client_.post(kInitErrorPath, headers, body); });
    return 1;
  }

  // One invocation; false when the Runtime API is gone.
  bool serve(const HttpResponse& next, const InvokeFn& invoke) {
    const std::string_view id = next.header("Lambda-Runtime-Aws-Request-Id");
    if (id.empty()) {
      fail("GET /runtime/invocation/next returned no Lambda-Runtime-Aws-Request-Id; skipping the event");
      return true;
    }
    ctx_.request_id.assign(id);
    ctx_.invoked_function_arn.assign(next.header("Lambda-Runtime-Invoked-Function-Arn"));
    ctx_.trace_id.assign(next.header("Lambda-Runtime-Trace-Id"));
    ctx_.client_context.assign(next.header("Lambda-Runtime-Client-Context"));
    ctx_.cognito_identity.assign(next.header("Lambda-Runtime-Cognito-Identity"));
    set_trace_env(ctx_.trace_id);
    // The event is read in place from the client's body buffer: nothing
    // reuses it before this invocation's response is posted.
    const std::string_view event = next.body;

    const std::string_view deadline = next.header("Lambda-Runtime-Deadline-Ms");
    std::int64_t deadline_ms = 0;
    auto [end, ec] = std::from_chars(deadline.data(), deadline.data() + deadline.size(), deadline_ms);
    detail::ScopedContext scope(ctx_);
    if (deadline.empty() || ec != std::errc() || end != deadline.data() + deadline.size() || deadline_ms <= 0) {
      ctx_.deadline = {};
      return post_error("Runtime.InvalidDeadline",
                        "the Runtime API sent Lambda-Runtime-Deadline-Ms \"" + std::string(deadline) +
                            "\"; it must be milliseconds since the epoch");
    }
    ctx_.deadline = std::chrono::system_clock::time_point(std::chrono::milliseconds(deadline_ms));

    InvocationResult result;
    try {
      result = invoke(event, ctx_);
    } catch (const std::exception& e) {
      result = InvocationResult::failed(type_name(typeid(e)), e.what());
    } catch (...) {
      result = InvocationResult::failed("Runtime.UnknownException", "the handler threw something that is not a std::exception");
    }
    switch (result.status) {
      case InvocationResult::Status::ok: return post_response(result.payload);
      case InvocationResult::Status::function_error: return post_error(result.error_type, result.error_message);
      case InvocationResult::Status::streaming: return post_stream(result);
    }
    return true;
  }

  // _X_AMZN_TRACE_ID for the invocation. Not setenv: glibc never frees the
  // strings setenv makes, so a new trace id per invocation would leak ~100
  // bytes each time. One buffer handed to putenv is rewritten in place.
  void set_trace_env(std::string_view trace) {
    static constexpr std::string_view kName = "_X_AMZN_TRACE_ID=";
    if (trace.empty()) {
      if (trace_env_set_) ::unsetenv("_X_AMZN_TRACE_ID");
      trace_env_set_ = false;
      return;
    }
    const std::size_t need = kName.size() + trace.size() + 1;
    if (need > trace_env_capacity_) {
      // The old buffer may still be in environ; it is kept alive (grows only, so rarely).
      retired_trace_envs_.push_back(std::move(trace_env_));
      trace_env_capacity_ = need < 256 ? 256 : need * 2;
      trace_env_ = std::make_unique<char[]>(trace_env_capacity_);
      std::memcpy(trace_env_.get(), kName.data(), kName.size());
      trace_env_set_ = false;
    }
    std::memcpy(trace_env_.get() + kName.size(), trace.data(), trace.size());
    trace_env_[kName.size() + trace.size()] = '\0';
    if (!trace_env_set_) ::putenv(trace_env_.get());
    trace_env_set_ = true;
  }

  void set_path(std::string_view what) {
    path_.assign("/2018-06-01/runtime/invocation/").append(ctx_.request_id).append(what);
  }

  // A 4xx to a post means Lambda refused it (too large, already answered,
  // gone): logged, and the loop goes on to the next event.
  bool check_post(const HttpResponse* r, std::string_view what) {
    if (r == nullptr) return false;
    if (r->status != 202 && r->status != 200) {
      fail(std::string(what) + " for " + ctx_.request_id + " answered HTTP " + std::to_string(r->status) + ": " +
           std::string(r->body));
    }
    return true;
  }

  bool post_response(std::string_view payload) {
    set_path("/response");
    static const HeaderList kNone;
    return check_post(with_retries(options_.backoff, "POST /response", [&] { return client_.post(path_, kNone, payload); }), "POST /response");
  }

  bool post_error(std::string_view type, std::string_view message) {
    set_path("/error");
    const std::string body = error_body(type, message);
    HeaderList headers{{kErrorTypeHeader, type}, {"Content-Type", "application/json"}};
    return check_post(with_retries(options_.backoff, "POST /error", [&] { return client_.post(path_, headers, body); }), "POST /error");
  }

  // Streamed response: the head, then each write as a chunk; a body that
  // throws ends the stream with the error trailers AWS documents.
  bool post_stream(const InvocationResult& result) {
    set_path("/response");
    HeaderList headers{{"Lambda-Runtime-Function-Response-Mode", "streaming"},
                       {"Content-Type", result.content_type.empty() ? std::string_view("application/octet-stream")
                                                                     : std::string_view(result.content_type)},
                       {"Trailer", "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body"}};
    // The head is sent once only: a stream cannot be replayed, so only its start is retried.
    const HttpResponse* started = with_retries(options_.backoff, "POST /response (stream)", [&]() -> Result<const HttpResponse*> {
      if (auto r = client_.begin_chunked(path_, headers); !r) return Unexpected{std::move(r).error()};
      static const HttpResponse kStarted{200, {}, {}};
      return &kStarted;
    });
    if (started == nullptr) return false;
    ChunkWriter writer(client_);
    std::string error_type, error_message;
    writer.write(result.payload);
    if (result.stream) {
      try {
        result.stream(writer);
      } catch (const std::exception& e) {
        error_type = type_name(typeid(e));
        error_message = e.what();
      } catch (...) {
        error_type = "Runtime.UnknownException";
        error_message = "the stream body threw something that is not a std::exception";
      }
    }
    HeaderList trailers;
    std::string encoded;
    if (!error_type.empty()) {
      log::error("streamed response failed: {}: {}", error_type, error_message);
      encoded = base64_encode(error_body(error_type, error_message));
      trailers = {{kErrorTypeHeader, error_type}, {"Lambda-Runtime-Function-Error-Body", encoded}};
    }
    auto done = client_.end_chunked(trailers);
    if (!done) {
      // The response is lost; the API may still be there for the next event.
      fail("streamed response for " + ctx_.request_id + " broke: " + done.error().message);
      return true;
    }
    return check_post(*done, "POST /response (stream)");
  }

  const LoopOptions& options_;
  RuntimeApiClient client_;
  Context ctx_;
  std::string path_;
  std::unique_ptr<char[]> trace_env_;
  std::size_t trace_env_capacity_ = 0;
  bool trace_env_set_ = false;
  std::vector<std::unique_ptr<char[]>> retired_trace_envs_;
};

}  // namespace

int run_loop(std::string_view endpoint, const InitFn& init) { return run_loop(endpoint, init, LoopOptions{}); }

int run_loop(std::string_view endpoint, const InitFn& init, const LoopOptions& options) {
  auto resolved = resolve_endpoint(endpoint);
  if (!resolved) {
    fail(resolved.error().describe());
    return 1;
  }
  Loop loop(std::move(*resolved), options);
  return loop.run(init);
}

}  // namespace gust::runtime
