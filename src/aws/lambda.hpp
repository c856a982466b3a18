#pragma once
// Lambda (REST JSON): Invoke, for `gust invoke --remote`.
//
//   LambdaClient lambda(config);
//   auto r = lambda.invoke("todo-dev-GetTodosFunction-1A2B", R"({"id":"1"})");
//   if (r && !r->function_error.empty()) ...   // the handler failed; r->payload holds its error

#include "aws/aws_client.hpp"

#include <string>

namespace gust::aws {

struct InvokeResult {
  int status = 0;               // 200 for RequestResponse
  std::string payload;          // the function's response, or its error document
  std::string function_error;   // X-Amz-Function-Error: "Unhandled", "Handled"; empty on success
  std::string log_tail;         // the last 4 KB of the invocation's log, decoded (when asked for)
  std::string executed_version;
};

class LambdaClient {
 public:
  explicit LambdaClient(std::shared_ptr<ClientConfig> config) : client_(kLambda, Protocol::json, std::move(config)) {}

  // A synchronous (RequestResponse) invocation; `tail_log` asks for the log tail.
  Result<InvokeResult> invoke(std::string_view function_name, std::string payload, bool tail_log = false) const;

 private:
  AwsClient client_;
};

}  // namespace gust::aws
