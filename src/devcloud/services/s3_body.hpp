#pragma once
// Pieces of S3's wire format that are not XML: aws-chunked request bodies,
// checksum headers, Range headers.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gust::localaws::s3 {

// Decodes an aws-chunked body ("<hex size>[;chunk-signature=...]\r\n<data>\r\n
// ... 0\r\n<trailers>\r\n"); trailer fields go to `trailers` (lower-case
// names). nullopt when the framing is broken.
std::optional<std::string> decode_aws_chunked(std::string_view body, std::map<std::string, std::string>& trailers);

// The base64 checksum S3 reports for `algorithm` ("crc32", "sha1", "sha256"),
// or nullopt for an algorithm we do not compute (crc32c, crc64nvme: stored as sent).
std::optional<std::string> checksum(std::string_view algorithm, std::string_view data);

std::string sha256_hex(std::string_view data);

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
};
enum class RangeResult { none, ok, unsatisfiable };
// Parses "bytes=a-b", "bytes=a-", "bytes=-n" against an object of `size` bytes.
// Anything else (several ranges, other units, garbage) is ignored, as S3 does.
RangeResult parse_range(std::string_view header, std::uint64_t size, ByteRange& out);

}  // namespace gust::localaws::s3
