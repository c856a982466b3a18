#pragma once
// Small pieces every local service shares: the error they throw internally,
// request ids, AWS's time formats, digests, XML escaping.

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

namespace gust::localaws {

// An AWS error on its way to the client. Services throw it from deep inside
// (expression parsers, validators) and render it once, at the handler
// boundary, in their protocol's shape; nothing else crosses that boundary.
struct AwsError : std::exception {
  AwsError(int status_code, std::string error_type, std::string error_message, std::string extra_fields = {})
      : status(status_code), type(std::move(error_type)), message(std::move(error_message)), extra(std::move(extra_fields)) {}
  const char* what() const noexcept override { return message.c_str(); }

  int status;
  std::string type;     // "ResourceNotFoundException", "NoSuchKey", ...
  std::string message;
  std::string extra;    // protocol-specific fragment: JSON members (",\"X\":...") or XML elements
};

// Milliseconds since the Unix epoch, wall clock.
std::int64_t now_ms();
// "2024-05-01T12:34:56.789Z" (S3 XML, SNS).
std::string iso8601_ms(std::int64_t epoch_ms);
// "Wed, 01 May 2024 12:34:56 GMT" (HTTP Last-Modified, Date).
std::string http_date(std::int64_t epoch_ms);
// "20240501T123456Z" -> epoch seconds; -1 when malformed.
std::int64_t parse_amz_date(std::string_view text);

// Random identifiers.
std::string uuid_v4();                         // "6f1c...-..."
std::string random_token(std::size_t length);  // [A-Z0-9], for request ids
std::string random_hex(std::size_t bytes);

// Digests (OpenSSL).
std::string md5_raw(std::string_view data);
std::string md5_hex(std::string_view data);
std::string to_hex(std::string_view bytes);
std::uint32_t crc32(std::string_view data);

// Escapes &, <, >, " and ' for XML text and attributes.
std::string xml_escape(std::string_view text);

}  // namespace gust::localaws
