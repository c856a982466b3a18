#pragma once
// The Lambda Invoke API (POST /2015-03-31/functions/NAME/invocations) over
// function pools, shared by gust dev and the deploy target: RequestResponse,
// Event and DryRun, AWS's error shapes for unknown functions, throttles and
// function errors, and LogType Tail where the caller keeps the logs.

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
  std::string log_type;  // X-Amz-Log-Type: "Tail" asks for the log's end in X-Amz-Log-Result

  // The request as it came over HTTP: the two headers Invoke reads are taken from `headers`.
  static InvokeApiRequest from_http(std::string method, std::string target, const Headers& headers, std::string body);
};

struct InvokeApiResponse {
  int status = 200;
  Headers headers;
  std::string body;
};

// Finds a function by the name or ARN the client used; nullptr when unknown.
using PoolLookup = std::function<std::shared_ptr<FunctionPool>(std::string_view name)>;

// The last 4 KB of a finished invocation's log, by request id ("" when unknown).
using LogTailLookup = std::function<std::string(const std::string& request_id)>;

// Answers through `reply`, exactly once (later, from another thread, for an
// invocation). Without `log_tail`, LogType Tail returns no log (as before the
// logs are kept anywhere).
void serve_invoke_api(InvokeApiRequest request, const PoolLookup& lookup, const std::string& region,
                      std::function<void(InvokeApiResponse)> reply, LogTailLookup log_tail = {});

// "NAME" from "NAME", "arn:aws:lambda:R:A:function:NAME" or "...:function:NAME:QUALIFIER".
std::string_view function_name_from_arn(std::string_view name_or_arn);

}  // namespace gust::devcloud
