#pragma once
// Streamed HTTP responses (Lambda response streaming, HTTP integration).
//
// The dispatcher turns a route's `Response::stream(...)` into an
// InvocationResult with http_streaming_result; the runtime loop then posts
//   Content-Type: application/vnd.awslambda.http-integration-response
//   <prelude JSON {"statusCode","headers","cookies"}> <8 NUL bytes> <body chunks>
// as AWS documents for function URLs in RESPONSE_STREAM mode.

#include "runtime/runtime_loop.hpp"

#include <gust/response.hpp>

#include <string>
#include <string_view>

namespace gust::runtime {

inline constexpr std::string_view kHttpStreamContentType = "application/vnd.awslambda.http-integration-response";
// The separator between the prelude and the body.
inline constexpr std::string_view kHttpStreamSeparator{"\0\0\0\0\0\0\0\0", 8};

// {"statusCode":200,"headers":{...},"cookies":[...]}: the head of a streamed HTTP response.
std::string http_stream_prelude(const Response& response);

// The invocation result of a streaming route (response.is_streaming()).
InvocationResult http_streaming_result(const Response& response);

// Runs the stream body into a string and returns the buffered equivalent
// (for `APP invoke`, where nothing streams).
Response collect_stream(const Response& response);

// Splits a streamed HTTP integration payload into prelude JSON and body;
// false when the separator is missing.
bool split_http_stream(std::string_view payload, std::string_view& prelude, std::string_view& body);

}  // namespace gust::runtime
