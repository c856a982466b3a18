#include "aws/lambda.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

namespace gust::aws {

Result<InvokeResult> LambdaClient::invoke(std::string_view function_name, std::string payload, bool tail_log) const {
  AwsRequest req;
  req.method = "POST";
  // A name or an ARN: the colons of an ARN are encoded as the SDKs encode them.
  req.path = fmt::format("/2015-03-31/functions/{}/invocations", uri_encode(function_name));
  req.headers.add("X-Amz-Invocation-Type", "RequestResponse");
  if (tail_log) req.headers.add("X-Amz-Log-Type", "Tail");
  req.headers.add("Content-Type", "application/json");
  req.body = std::move(payload);
  req.context = fmt::format("lambda Invoke {}", function_name);
  auto res = client_.send(req);
  if (!res) return Unexpected{std::move(res).error()};
  InvokeResult out;
  out.status = res->status;
  out.payload = std::move(res->body);
  if (auto v = res->headers.get("x-amz-function-error")) out.function_error = std::string(*v);
  if (auto v = res->headers.get("x-amz-executed-version")) out.executed_version = std::string(*v);
  if (auto v = res->headers.get("x-amz-log-result")) {
    if (auto decoded = base64_decode(*v)) out.log_tail = *std::move(decoded);
  }
  return out;
}

}  // namespace gust::aws
