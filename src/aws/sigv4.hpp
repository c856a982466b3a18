#pragma once
// AWS Signature Version 4: the Authorization header, or a presigned URL's
// query string, for a request exactly as it goes on the wire.
//
//   HttpRequestToSign req{"POST", "/", "", headers, sha256_hex(body)};
//   sign_request(req, credentials, {"us-east-1", "dynamodb"}, now);   // adds X-Amz-Date, Authorization
//
// Canonicalisation follows the AWS rules (and botocore, checked by
// tests/unit/aws/sigv4_oracle_test.cpp): every service except S3 removes dot
// segments and empty segments from the path and percent-encodes it once
// more; S3 signs the path as given. Query parameters are decoded,
// re-encoded strictly and sorted by name then value. Header names are
// lower-cased, values trimmed with inner whitespace (line folds included)
// collapsed to one space, and repeated names joined with ','.

#include "aws/credentials.hpp"

#include <gust/headers.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace gust::aws {

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kStreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kStreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
inline constexpr std::string_view kEmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct SigningScope {
  std::string_view region;   // "us-east-1"
  std::string_view service;  // signing name: "dynamodb", "s3", "sqs", "sns", ...
};

struct SignOptions {
  bool normalize_path = true;           // drop "." ".." and empty segments (all services but S3)
  bool encode_path = true;              // percent-encode the path once more (all services but S3)
  bool content_sha256_header = false;   // add and sign x-amz-content-sha256 (S3, header signing)
  bool sign_session_token = true;       // false: the token is added after signing, unsigned
};

// S3's rules: path as given, x-amz-content-sha256 always present.
inline constexpr SignOptions kS3SignOptions{false, false, true, true};

struct HttpRequestToSign {
  std::string method;
  std::string path;          // as on the request line, before '?'
  std::string query;         // as on the request line, after '?' (may be empty)
  Headers headers;           // what will be sent; must hold Host
  std::string payload_hash;  // hex SHA-256 of the body, kUnsignedPayload or a streaming marker
};

// What was signed, for tests and for error messages on SignatureDoesNotMatch.
struct SigningDetails {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // hex
  std::string authorization;  // header signing only
};

// Header signing: sets X-Amz-Date, X-Amz-Security-Token (with a session
// token), x-amz-content-sha256 (when asked) and Authorization on `request`.
SigningDetails sign_request(HttpRequestToSign& request, const Credentials& credentials, const SigningScope& scope,
                            std::chrono::system_clock::time_point when, const SignOptions& options = {});

// Query signing (presigned URL): appends X-Amz-Algorithm, -Credential,
// -Date, -Expires, -SignedHeaders, -Security-Token and -Signature to
// request.query. `expires` is at most 7 days.
SigningDetails presign_request(HttpRequestToSign& request, const Credentials& credentials, const SigningScope& scope,
                               std::chrono::system_clock::time_point when, std::chrono::seconds expires,
                               const SignOptions& options = {});

// The pieces, for tests.
std::string canonical_path(std::string_view path, const SignOptions& options);
std::string canonical_query(std::string_view query);
std::string amz_date(std::chrono::system_clock::time_point when);  // "20150830T123600Z"

}  // namespace gust::aws
