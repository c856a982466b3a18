#pragma once
// AWS error answers -> gust::Error, keeping AWS's code, message and request
// id (Error::aws) and mapping the code to a gust::ErrorCode:
//
//   ConditionalCheckFailedException, PreconditionFailed     -> failed_precondition
//   ResourceNotFoundException, NoSuchKey, QueueDoesNotExist -> not_found
//   AccessDenied(Exception), AuthorizationError             -> permission_denied
//   UnrecognizedClient, SignatureDoesNotMatch, ExpiredToken -> unauthenticated
//   Throttling(Exception), ProvisionedThroughputExceeded, SlowDown -> resource_exhausted
//   ValidationException, InvalidParameterValue, ...         -> invalid_argument
//   5xx, InternalError, ServiceUnavailable                  -> unavailable
// Unknown codes fall back on the HTTP status.

#include "http/client.hpp"

#include <gust/error.hpp>

#include <string>
#include <string_view>

namespace gust::aws {

ErrorCode error_code_for(std::string_view aws_code, int http_status);
// The standard retry mode's classes.
bool is_throttling_error(std::string_view aws_code, int http_status);
bool is_transient_error(std::string_view aws_code, int http_status);
bool is_clock_skew_error(std::string_view aws_code);
bool is_expired_credentials_error(std::string_view aws_code);

// x-amzn-RequestId, x-amz-request-id or x-amzn-requestid.
std::string request_id_of(const Headers& headers);

Error make_aws_error(int http_status, std::string aws_code, std::string message, std::string request_id,
                     std::string context);

// Errors of the JSON protocols (DynamoDB, SQS): {"__type": "...#Code", "message": "..."}.
Error parse_json_error(const http::ClientResponse& response, std::string context);
// Errors of S3 (<Error>) and the query protocol (<ErrorResponse><Error>).
Error parse_xml_error(const http::ClientResponse& response, std::string context);

}  // namespace gust::aws
