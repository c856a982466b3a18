#pragma once
// The Lambda emulator for one function: real processes of the app binary,
// each with its own Runtime API endpoint and the environment AWS sets. Warm
// instances are reused; a new one starts when all are busy, up to the
// function's concurrency, after which invocations are throttled. The timeout
// kills the process; a crash ends its invocation with an error and the next
// invocation gets a fresh instance. Idle instances are reaped.

#include "devcloud/runtime_api_server.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gust::devcloud {

struct FunctionConfig {
  std::string id;             // the handler id (_HANDLER)
  std::string function_name;  // AWS_LAMBDA_FUNCTION_NAME
  std::filesystem::path binary;
  // Set: each instance runs this shell command (`/bin/sh -c "exec COMMAND"`,
  // in command_dir) instead of `binary` — another runtime serving this
  // function, e.g. `env _HANDLER=index.handler node .../aws-lambda-ric/index.mjs`.
  std::string command;
  std::filesystem::path command_dir;
  int memory_mb = 128;
  int timeout_seconds = 10;
  std::string architecture = "arm64";
  int max_concurrency = 10;  // reserved concurrency, or gust dev's default
  std::chrono::seconds idle_timeout{300};
  std::chrono::seconds init_timeout{10};  // Lambda's limit for initialisation
  std::vector<std::pair<std::string, std::string>> env;  // resource variables, endpoints, credentials, region
  std::shared_ptr<http::IoThread> io;  // the instances' Runtime API servers run on it (empty: one thread each)
};

struct InvokeResult {
  enum class Status { success, function_error, timed_out, throttled, crashed, init_error };
  Status status = Status::success;
  std::string request_id;
  std::string payload;        // success: the response
  bool streamed = false;
  std::string error_type;
  std::string error_message;
  std::chrono::microseconds duration{0};
  std::optional<std::chrono::microseconds> init_duration;  // cold starts
  long max_memory_kib = 0;
};

std::string_view to_string(InvokeResult::Status status) noexcept;

// The answer for a function nobody declared or deployed (Lambda's message).
InvokeResult function_not_found(std::string_view name);

// A streamed response (Lambda response streaming) as it arrives, before the invocation ends.
struct StreamObserver {
  std::function<void(std::string_view content_type)> on_start;
  std::function<void(std::string_view bytes)> on_chunk;
};

// Where instance output and invocation reports go (gust dev prints them like CloudWatch).
class InvocationLog {
 public:
  virtual ~InvocationLog() = default;
  virtual void start(const FunctionConfig& fn, std::string_view request_id) = 0;
  virtual void output(const FunctionConfig& fn, std::string_view request_id, std::string_view line) = 0;
  virtual void end(const FunctionConfig& fn, const InvokeResult& result) = 0;
};

class FunctionPool {
 public:
  FunctionPool(FunctionConfig config, InvocationLog& log);
  ~FunctionPool();  // stops every instance
  FunctionPool(const FunctionPool&) = delete;
  FunctionPool& operator=(const FunctionPool&) = delete;

  // Runs one invocation; `done` is called exactly once, from another thread.
  // `stream` sees a streamed response as it arrives (then `done` ends it).
  void invoke(std::string payload, std::function<void(InvokeResult)> done, StreamObserver stream = {});

  // A new build: new invocations go to instances of `binary`; the old ones
  // finish what they are doing and are stopped (no request is dropped).
  void replace_binary(std::filesystem::path binary);
  // Stops instances idle for longer than the idle timeout, and instances stuck in init.
  void reap(std::chrono::steady_clock::time_point now);
  void stop_all();
  // Lets the invocations in flight finish (up to `grace`), then stops every
  // instance: a function a reload or a stack update replaces drops no request.
  void retire(std::chrono::milliseconds grace = std::chrono::seconds(30));

  const FunctionConfig& config() const { return config_; }
  std::size_t instance_count() const;
  std::size_t busy_count() const;
  // Process ids of the running instances (tests check none is left behind).
  std::vector<int> pids() const;

  struct Instance;

 private:
  // Polls until no invocation is in flight, for at most `limit`.
  void wait_until_idle(std::chrono::milliseconds limit) const;
  std::shared_ptr<Instance> acquire(bool& cold, std::string& error);
  std::shared_ptr<Instance> start_instance(std::string& error);
  void release(const std::shared_ptr<Instance>& instance, bool healthy);

  FunctionConfig config_;
  InvocationLog& log_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Instance>> instances_;
  std::uint64_t generation_ = 0;
};

}  // namespace gust::devcloud
