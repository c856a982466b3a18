#include "devcloud/dev/lambda_invoke_api.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

namespace gust::devcloud {
namespace {

InvokeApiResponse json_response(int status, const Value& body, std::vector<std::pair<std::string, std::string>> headers = {}) {
  InvokeApiResponse out{status, {}, to_json_text(body)};
  out.headers.set("content-type", "application/json");
  for (const auto& [k, v] : headers) out.headers.set(k, v);
  return out;
}

}  // namespace

std::string_view function_name_from_arn(std::string_view name) {
  if (auto colon = name.rfind(":function:"); colon != std::string_view::npos) {
    name = name.substr(colon + 10);
    if (auto qualifier = name.find(':'); qualifier != std::string_view::npos) name = name.substr(0, qualifier);
  }
  return name;
}

InvokeApiRequest InvokeApiRequest::from_http(std::string method, std::string target, const Headers& headers, std::string body) {
  return {std::move(method), std::move(target), std::string(headers.get("X-Amz-Invocation-Type").value_or("")), std::move(body),
          std::string(headers.get("X-Amz-Log-Type").value_or(""))};
}

void serve_invoke_api(InvokeApiRequest req, const PoolLookup& lookup, const std::string& region,
                      std::function<void(InvokeApiResponse)> reply, LogTailLookup log_tail) {
  std::string_view rest = std::string_view(req.target).substr(kInvokeApiPrefix.size());
  rest = rest.substr(0, rest.find('?'));
  const auto slash = rest.find('/');
  const std::string name(rest.substr(0, slash));
  if (req.method != "POST" || slash == std::string_view::npos || rest.substr(slash) != "/invocations") {
    Value body;
    body["message"] = "the local cloud serves only Invoke: POST /2015-03-31/functions/NAME/invocations";
    return reply(json_response(400, body, {{"x-amzn-ErrorType", "InvalidRequestContentException"}}));
  }
  auto target = lookup(name);
  if (!target) {
    Value body;
    body["Type"] = "User";
    body["Message"] = fmt::format("Function not found: arn:aws:lambda:{}:000000000000:function:{}", region, function_name_from_arn(name));
    return reply(json_response(404, body, {{"x-amzn-ErrorType", "ResourceNotFoundException"}}));
  }
  // No payload: Lambda hands the function an empty JSON object.
  if (req.body.empty()) req.body = "{}";
  const std::string type = req.invocation_type.empty() ? "RequestResponse" : req.invocation_type;
  if (type == "DryRun") return reply({204, {}, {}});
  if (type == "Event") {
    target->invoke(std::move(req.body), [](InvokeResult) {});
    return reply({202, {}, {}});
  }
  if (type != "RequestResponse") {
    Value body;
    body["message"] = fmt::format("X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not {}", type);
    return reply(json_response(400, body, {{"x-amzn-ErrorType", "InvalidParameterValueException"}}));
  }
  if (!req.log_type.empty() && req.log_type != "None" && req.log_type != "Tail") {
    Value body;
    body["message"] = fmt::format("X-Amz-Log-Type must be None or Tail, not {}", req.log_type);
    return reply(json_response(400, body, {{"x-amzn-ErrorType", "InvalidParameterValueException"}}));
  }
  if (req.log_type != "Tail") log_tail = nullptr;
  target->invoke(std::move(req.body), [reply, log_tail](InvokeResult r) {
    if (r.status == InvokeResult::Status::throttled) {
      Value body;
      body["Type"] = "User";
      body["Reason"] = "ReservedFunctionConcurrentInvocationLimitExceeded";
      body["message"] = "Rate Exceeded.";
      return reply(json_response(429, body, {{"x-amzn-ErrorType", "TooManyRequestsException"}}));
    }
    if (r.status == InvokeResult::Status::success) {
      InvokeApiResponse ok{200, {}, std::move(r.payload)};
      ok.headers.set("content-type", "application/json");
      ok.headers.set("x-amz-executed-version", "$LATEST");
      ok.headers.set("x-amzn-requestid", r.request_id);
      if (log_tail) ok.headers.set("x-amz-log-result", base64_encode(log_tail(r.request_id)));
      return reply(std::move(ok));
    }
    Value body;
    body["errorMessage"] = r.status == InvokeResult::Status::timed_out && r.error_message.empty() ? "Task timed out" : r.error_message;
    body["errorType"] = r.error_type.empty() ? "Runtime.Unknown" : r.error_type;
    body["stackTrace"] = Array{};
    InvokeApiResponse failed = json_response(200, body, {{"x-amz-function-error", "Unhandled"}, {"x-amz-executed-version", "$LATEST"},
                                                         {"x-amzn-requestid", r.request_id}});
    if (log_tail) failed.headers.set("x-amz-log-result", base64_encode(log_tail(r.request_id)));
    reply(std::move(failed));
  });
}

}  // namespace gust::devcloud
