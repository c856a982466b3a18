#include <gust/result.hpp>

namespace gust {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::already_exists: return "already_exists";
    case ErrorCode::permission_denied: return "permission_denied";
    case ErrorCode::unauthenticated: return "unauthenticated";
    case ErrorCode::failed_precondition: return "failed_precondition";
    case ErrorCode::resource_exhausted: return "resource_exhausted";
    case ErrorCode::deadline_exceeded: return "deadline_exceeded";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

// The one table of status and retryability per code.
int http_status(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument: return 400;
    case ErrorCode::not_found: return 404;
    case ErrorCode::already_exists: return 409;
    case ErrorCode::permission_denied: return 403;
    case ErrorCode::unauthenticated: return 401;
    case ErrorCode::failed_precondition: return 412;
    case ErrorCode::resource_exhausted: return 429;
    case ErrorCode::deadline_exceeded: return 504;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::internal: return 500;
  }
  return 500;
}

bool is_retryable(ErrorCode code) noexcept {
  return code == ErrorCode::resource_exhausted || code == ErrorCode::unavailable ||
         code == ErrorCode::deadline_exceeded;
}

std::string Error::describe() const {
  if (context.empty()) return message;
  return context + ": " + message;
}

BadResultAccess::BadResultAccess(Error error) : std::runtime_error(error.describe()), error_(std::move(error)) {}

}  // namespace gust
