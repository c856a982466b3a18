#pragma once
// gust::Error: what went wrong, where, and (for AWS calls) what AWS said.

#include <string>
#include <string_view>

namespace gust {

// One code per way a call can fail. Pick the first that fits.
enum class ErrorCode {
  invalid_argument,     // the caller's input is malformed (bad JSON, wrong type, bad name)
  not_found,            // the item, object, queue or route does not exist
  already_exists,       // a create or conditional put met an existing item
  permission_denied,    // credentials are valid but not allowed (AccessDenied)
  unauthenticated,      // no credentials, or a signature the service rejected
  failed_precondition,  // a condition expression or state check did not hold
  resource_exhausted,   // throttled, or a limit (size, count, concurrency) was hit
  deadline_exceeded,    // the call or the invocation ran out of time
  unavailable,          // the service or network is down; retrying may help
  internal,             // a bug or an answer we cannot understand
};

// Stable lower-case name of a code ("not_found").
std::string_view to_string(ErrorCode code) noexcept;
// The HTTP status a handler's unhandled error of this code maps to (404, 409, ...).
int http_status(ErrorCode code) noexcept;
// True where the same call may succeed later without any change.
bool is_retryable(ErrorCode code) noexcept;

// What AWS said, when the error came from an AWS service.
struct AwsDetail {
  std::string code;        // "ConditionalCheckFailedException"
  std::string request_id;  // x-amzn-RequestId / x-amz-request-id
  int http_status = 0;     // 0 when no response arrived
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;  // what happened, for a human
  std::string context;  // where: a field path, a declaration, a resource
  AwsDetail aws;

  // "context: message" (or just the message).
  std::string describe() const;
};

}  // namespace gust
