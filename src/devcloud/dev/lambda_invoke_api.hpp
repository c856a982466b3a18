#pragma once
// The Lambda Invoke API (POST /2015-03-31/functions/NAME/invocations) over
// function pools, shared by gust dev and the deploy target: RequestResponse,
// Event and DryRun, AWS's error shapes for unknown functions, throttles and
// function errors.

#include "devcloud/emulator/function_pool.hpp"

#include <gust/headers.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace gust::devcloud {

inline constexpr std::string_view kInvokeApiPrefix = "/2015-03-31/functions/";

struct InvokeApiRequest {
  std::string method;
  std::string target;           // "/2015-03-31/functions/NAME/invocations?..."
  std::string invocation_type;  // X-Amz-Invocation-Type ("" = RequestResponse)
  std::string body;
};

struct InvokeApiResponse {
  int status = 200;
  Headers headers;
  std::string body;
};

// Finds a function by the name or ARN the client used; nullptr when unknown.
using PoolLookup = std::function<std::shared_ptr<FunctionPool>(std::string_view name)>;

// Answers through `reply`, exactly once (later, from another thread, for an invocation).
void serve_invoke_api(InvokeApiRequest request, const PoolLookup& lookup, const std::string& region,
                      std::function<void(InvokeApiResponse)> reply);

// "NAME" from "NAME", "arn:aws:lambda:R:A:function:NAME" or "...:function:NAME:QUALIFIER".
std::string_view function_name_from_arn(std::string_view name_or_arn);

}  // namespace gust::devcloud
