#include "devcloud/services/s3_body.hpp"

#include "devcloud/services/aws_common.hpp"

#include <gust/value.hpp>

#include <openssl/evp.h>

#include <cctype>

namespace gust::localaws::s3 {

namespace {
std::string digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::optional<std::string> decode_aws_chunked(std::string_view body, std::map<std::string, std::string>& trailers) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const auto eol = body.find("\r\n", pos);
    if (eol == std::string_view::npos) return std::nullopt;
    std::string_view line = body.substr(pos, eol - pos);
    line = line.substr(0, line.find(';'));
    if (line.empty() || line.size() > 16) return std::nullopt;
    std::uint64_t size = 0;
    for (const char c : line) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
      size = size * 16 + static_cast<std::uint64_t>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10);
    }
    pos = eol + 2;
    if (size == 0) break;
    if (pos + size + 2 > body.size() || body.substr(pos + size, 2) != "\r\n") return std::nullopt;
    out.append(body.substr(pos, size));
    pos += size + 2;
  }
  // Trailers: "name:value\r\n" lines, then an empty line (which some clients omit).
  while (pos < body.size()) {
    auto eol = body.find("\r\n", pos);
    if (eol == std::string_view::npos) eol = body.size();
    const std::string_view line = body.substr(pos, eol - pos);
    pos = eol + 2;
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    trailers[lower(trim(line.substr(0, colon)))] = std::string(trim(line.substr(colon + 1)));
  }
  return out;
}

std::optional<std::string> checksum(std::string_view algorithm, std::string_view data) {
  const std::string a = lower(algorithm);
  if (a == "crc32") {
    const std::uint32_t c = crc32(data);
    std::string raw{static_cast<char>(c >> 24), static_cast<char>((c >> 16) & 0xFF), static_cast<char>((c >> 8) & 0xFF), static_cast<char>(c & 0xFF)};
    return base64_encode(raw);
  }
  if (a == "sha1") return base64_encode(digest(EVP_sha1(), data));
  if (a == "sha256") return base64_encode(digest(EVP_sha256(), data));
  return std::nullopt;
}

std::string sha256_hex(std::string_view data) { return to_hex(digest(EVP_sha256(), data)); }

RangeResult parse_range(std::string_view header, std::uint64_t size, ByteRange& out) {
  header = trim(header);
  if (header.substr(0, 6) != "bytes=") return RangeResult::none;
  std::string_view spec = header.substr(6);
  if (spec.find(',') != std::string_view::npos) return RangeResult::none;
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeResult::none;
  auto number = [](std::string_view s, std::uint64_t& v) {
    if (s.empty() || s.size() > 19) return false;
    v = 0;
    for (const char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return true;
  };
  const auto a = trim(spec.substr(0, dash));
  const auto b = trim(spec.substr(dash + 1));
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  if (a.empty()) {  // suffix: the last n bytes
    if (!number(b, last)) return RangeResult::none;
    if (last == 0) return RangeResult::unsatisfiable;
    out.first = last >= size ? 0 : size - last;
    out.last = size == 0 ? 0 : size - 1;
    return size == 0 ? RangeResult::unsatisfiable : RangeResult::ok;
  }
  if (!number(a, first)) return RangeResult::none;
  if (b.empty()) {
    last = size == 0 ? 0 : size - 1;
  } else if (!number(b, last) || last < first) {
    return RangeResult::none;
  }
  if (first >= size) return RangeResult::unsatisfiable;
  out.first = first;
  out.last = std::min(last, size - 1);
  return RangeResult::ok;
}

}  // namespace gust::localaws::s3
