#pragma once
// gust::Context: facts about the invocation in progress, as the Lambda
// Runtime API hands them over. Reach it from any handler with gust::context().

#include <chrono>
#include <string>

namespace gust {

struct Context {
  std::string request_id;            // Lambda-Runtime-Aws-Request-Id
  std::chrono::system_clock::time_point deadline{};  // Lambda-Runtime-Deadline-Ms
  std::string invoked_function_arn;  // Lambda-Runtime-Invoked-Function-Arn
  std::string trace_id;              // Lambda-Runtime-Trace-Id (also in _X_AMZN_TRACE_ID)
  std::string client_context;        // JSON, mobile SDK invocations only
  std::string cognito_identity;      // JSON, mobile SDK invocations only
  std::string function_name;         // AWS_LAMBDA_FUNCTION_NAME
  std::string function_version;      // AWS_LAMBDA_FUNCTION_VERSION
  int memory_mb = 0;                 // AWS_LAMBDA_FUNCTION_MEMORY_SIZE
  std::string log_group;             // AWS_LAMBDA_LOG_GROUP_NAME
  std::string log_stream;            // AWS_LAMBDA_LOG_STREAM_NAME

  // Time left before Lambda stops the invocation (zero when past, or no deadline).
  std::chrono::milliseconds remaining() const;
};

// The invocation in progress on this thread (an empty Context outside one).
const Context& context() noexcept;

namespace detail {
// Makes `ctx` current for the scope's lifetime (the runtime and `invoke` use it).
class ScopedContext {
 public:
  explicit ScopedContext(const Context& ctx) noexcept;
  ~ScopedContext();
  ScopedContext(const ScopedContext&) = delete;
  ScopedContext& operator=(const ScopedContext&) = delete;

 private:
  const Context* previous_;
};
}  // namespace detail

}  // namespace gust
