#include "aws/aws_error.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <pugixml.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace gust::aws {
namespace {

template <std::size_t N>
bool one_of(std::string_view code, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), code) != std::end(list);
}

constexpr std::string_view kThrottling[] = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
    "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
    "PriorRequestNotComplete", "EC2ThrottledException", "ThrottlingError", "RequestThrottledError",
    "AWS.SimpleQueueService.RequestThrottled"};
constexpr std::string_view kTransient[] = {"RequestTimeout", "RequestTimeoutException", "InternalError",
                                           "InternalFailure", "InternalServerError", "ServiceUnavailable",
                                           "ServiceUnavailableException", "IDPCommunicationError"};
constexpr std::string_view kClockSkew[] = {"RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture",
                                           "InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure"};
constexpr std::string_view kExpired[] = {"ExpiredToken", "ExpiredTokenException", "RequestExpired",
                                         "InvalidClientTokenId", "UnrecognizedClientException"};
constexpr std::string_view kNotFound[] = {
    "ResourceNotFoundException", "NoSuchKey", "NoSuchBucket", "NoSuchUpload", "NotFound", "NotFoundException",
    "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "NoSuchEntity", "NoSuchVersion"};
constexpr std::string_view kPrecondition[] = {"ConditionalCheckFailedException", "PreconditionFailed",
                                              "TransactionCanceledException", "TransactionConflictException",
                                              "InvalidObjectState", "MessageNotInflight"};
constexpr std::string_view kPermission[] = {"AccessDenied", "AccessDeniedException", "AuthorizationError",
                                            "Forbidden", "AllAccessDisabled", "AccountProblem",
                                            "KMSAccessDeniedException", "KMSDisabledException"};
constexpr std::string_view kUnauthenticated[] = {
    "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch", "InvalidAccessKeyId",
    "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "MissingAuthenticationToken",
    "MissingAuthenticationTokenException", "IncompleteSignature", "IncompleteSignatureException", "AuthFailure",
    "RequestExpired", "RequestTimeTooSkewed", "InvalidToken", "MissingSecurityHeader", "InvalidSecurity"};
constexpr std::string_view kExists[] = {"ResourceInUseException", "BucketAlreadyExists", "BucketAlreadyOwnedByYou",
                                        "QueueAlreadyExists", "QueueNameExists", "EntityAlreadyExists",
                                        "TableAlreadyExistsException", "AlreadyExistsException"};
constexpr std::string_view kTooBig[] = {"ItemCollectionSizeLimitExceededException", "EntityTooLarge",
                                        "RequestEntityTooLarge", "KeyTooLongError", "MaxMessageLengthExceeded"};

// "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" -> "ConditionalCheckFailedException";
// "Code:http://internal.amazon.com/..." (X-Amzn-ErrorType) -> "Code".
std::string sanitize_code(std::string_view code) {
  if (const auto colon = code.find(':'); colon != std::string_view::npos) code = code.substr(0, colon);
  if (const auto hash = code.rfind('#'); hash != std::string_view::npos) code = code.substr(hash + 1);
  return std::string(code);
}

std::string status_code_name(int status) {
  switch (status) {
    case 304: return "NotModified";
    case 400: return "BadRequest";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 412: return "PreconditionFailed";
    case 416: return "InvalidRange";
    case 429: return "TooManyRequests";
    case 500: return "InternalError";
    case 503: return "ServiceUnavailable";
    default: return fmt::format("Http{}", status);
  }
}

}  // namespace

bool is_throttling_error(std::string_view code, int status) { return status == 429 || one_of(code, kThrottling); }

bool is_transient_error(std::string_view code, int status) {
  return status == 500 || status == 502 || status == 503 || status == 504 || one_of(code, kTransient);
}

bool is_clock_skew_error(std::string_view code) { return one_of(code, kClockSkew); }
bool is_expired_credentials_error(std::string_view code) { return one_of(code, kExpired); }

ErrorCode error_code_for(std::string_view code, int status) {
  if (one_of(code, kThrottling)) return ErrorCode::resource_exhausted;
  if (one_of(code, kPrecondition)) return ErrorCode::failed_precondition;
  if (one_of(code, kNotFound)) return ErrorCode::not_found;
  if (one_of(code, kPermission)) return ErrorCode::permission_denied;
  if (one_of(code, kUnauthenticated)) return ErrorCode::unauthenticated;
  if (one_of(code, kExists)) return ErrorCode::already_exists;
  if (one_of(code, kTooBig)) return ErrorCode::resource_exhausted;
  if (one_of(code, kTransient)) return ErrorCode::unavailable;
  if (code.find("Invalid") != std::string_view::npos || code.find("Validation") != std::string_view::npos ||
      code.find("Malformed") != std::string_view::npos || code.find("Missing") != std::string_view::npos ||
      code.find("Serialization") != std::string_view::npos)
    return ErrorCode::invalid_argument;
  if (status == 400 || status == 413 || status == 416 || status == 405 || status == 411) return ErrorCode::invalid_argument;
  if (status == 401) return ErrorCode::unauthenticated;
  if (status == 403) return ErrorCode::permission_denied;
  if (status == 404) return ErrorCode::not_found;
  if (status == 409) return ErrorCode::failed_precondition;
  if (status == 412) return ErrorCode::failed_precondition;
  if (status == 429) return ErrorCode::resource_exhausted;
  if (status >= 500) return ErrorCode::unavailable;
  return ErrorCode::internal;
}

std::string request_id_of(const Headers& headers) {
  for (std::string_view name : {"x-amzn-RequestId", "x-amz-request-id", "x-amzn-requestid"}) {
    if (auto v = headers.get(name)) return std::string(*v);
  }
  return {};
}

Error make_aws_error(int http_status, std::string aws_code, std::string message, std::string request_id,
                     std::string context) {
  Error e;
  e.code = error_code_for(aws_code, http_status);
  e.message = message.empty() ? fmt::format("{} (HTTP {})", aws_code, http_status)
                              : fmt::format("{} ({})", message, aws_code);
  e.context = std::move(context);
  e.aws.code = std::move(aws_code);
  e.aws.request_id = std::move(request_id);
  e.aws.http_status = http_status;
  return e;
}

Error parse_json_error(const http::ClientResponse& response, std::string context) {
  // Gateways and emulators in front of a JSON service may answer in XML.
  const auto first = response.body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && response.body[first] == '<') return parse_xml_error(response, std::move(context));
  std::string code;
  std::string message;
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(response.body, ec);
  if (!ec && doc.is_object()) {
    const auto& o = doc.get_object();
    if (const auto* t = o.if_contains("__type"); t != nullptr && t->is_string()) code = sanitize_code(t->get_string());
    if (code.empty()) {
      if (const auto* t = o.if_contains("code"); t != nullptr && t->is_string()) code = sanitize_code(t->get_string());
    }
    for (const char* key : {"message", "Message", "errorMessage"}) {
      if (const auto* m = o.if_contains(key); m != nullptr && m->is_string()) {
        message = std::string(m->get_string());
        break;
      }
    }
  }
  if (code.empty()) {
    if (auto t = response.headers.get("x-amzn-ErrorType")) code = sanitize_code(*t);
  }
  if (code.empty()) code = status_code_name(response.status);
  if (message.empty() && ec && !response.body.empty()) message = response.body.substr(0, 200);
  return make_aws_error(response.status, std::move(code), std::move(message), request_id_of(response.headers),
                        std::move(context));
}

Error parse_xml_error(const http::ClientResponse& response, std::string context) {
  std::string code;
  std::string message;
  std::string request_id = request_id_of(response.headers);
  pugi::xml_document doc;
  if (!response.body.empty() && doc.load_buffer(response.body.data(), response.body.size())) {
    // <Error> (S3), <ErrorResponse><Error> (query protocol),
    // <ErrorResponse|Response><Errors><Error> (EC2 style; moto's auth layer).
    pugi::xml_node error = doc.child("Error");
    pugi::xml_node root = error;
    if (!error) {
      root = doc.document_element();
      error = root.child("Error");
      if (!error) error = root.child("Errors").child("Error");
    }
    if (error) {
      code = error.child_value("Code");
      message = error.child_value("Message");
      if (request_id.empty()) request_id = error.child_value("RequestId");
      if (request_id.empty()) request_id = root.child_value("RequestId");
    }
  }
  if (code.empty()) code = status_code_name(response.status);
  return make_aws_error(response.status, std::move(code), std::move(message), std::move(request_id),
                        std::move(context));
}

}  // namespace gust::aws
