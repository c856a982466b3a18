#include "aws/sigv4.hpp"

#include "aws/crypto.hpp"
#include "aws/percent_encoding.hpp"

#include <algorithm>
#include <ctime>
#include <string_view>
#include <vector>

namespace gust::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

// Never signed: the signature itself, and what proxies and the HTTP layer
// may add or change in transit (the list botocore keeps, plus hop-by-hop).
bool is_unsigned_header(std::string_view lower) {
  static constexpr std::string_view kSkip[] = {"authorization", "user-agent", "expect", "x-amzn-trace-id",
                                               "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                                               "te", "trailer", "transfer-encoding", "upgrade"};
  return std::find(std::begin(kSkip), std::end(kSkip), lower) != std::end(kSkip);
}

// The whitespace Python's str.split() (botocore) and AWS's trimall agree on for ASCII.
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
         (static_cast<unsigned char>(c) >= 0x1c && static_cast<unsigned char>(c) <= 0x1f);
}

// Trims and collapses inner whitespace runs (folded lines too) to one space.
void append_trimmed(std::string& out, std::string_view value) {
  bool pending_space = false;
  bool any = false;
  for (const char c : value) {
    if (is_space(c)) {
      pending_space = any;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
    any = true;
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

struct CanonicalHeaders {
  std::string block;   // "name:value\n" lines
  std::string signed_names;  // "a;b;c"
};

CanonicalHeaders canonical_headers(const Headers& headers) {
  std::vector<std::pair<std::string, std::string_view>> fields;
  fields.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    std::string l = lower(name);
    if (is_unsigned_header(l)) continue;
    fields.emplace_back(std::move(l), value);
  }
  // Stable: repeated names keep their order on the wire.
  std::stable_sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  CanonicalHeaders out;
  for (std::size_t i = 0; i < fields.size();) {
    const std::string& name = fields[i].first;
    out.block.append(name).push_back(':');
    if (!out.signed_names.empty()) out.signed_names.push_back(';');
    out.signed_names.append(name);
    bool first = true;
    for (; i < fields.size() && fields[i].first == name; ++i) {
      if (!first) out.block.push_back(',');
      append_trimmed(out.block, fields[i].second);
      first = false;
    }
    out.block.push_back('\n');
  }
  return out;
}

// RFC 3986 5.2.4 dot-segment removal, with empty segments dropped too
// (what every AWS service but S3 expects; botocore's remove_dot_segments).
std::string normalize_path(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    const std::string_view segment = path.substr(start, end - start);
    if (!segment.empty() && segment != ".") {
      if (segment == "..") {
        if (!out.empty()) out.pop_back();
      } else {
        out.push_back(segment);
      }
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::string result = path.front() == '/' ? "/" : "";
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i > 0) result.push_back('/');
    result.append(out[i]);
  }
  if (path.back() == '/' && !out.empty()) result.push_back('/');
  return result;
}

std::string date_stamp(std::string_view amz) { return std::string(amz.substr(0, 8)); }

// The derived key changes once a day per region and service: keep the last one per thread.
Digest signing_key(std::string_view secret, std::string_view date, std::string_view region, std::string_view service) {
  struct Cache {
    std::string secret, date, region, service;
    Digest key{};
  };
  thread_local Cache cache;
  if (cache.secret == secret && cache.date == date && cache.region == region && cache.service == service)
    return cache.key;
  std::string k_secret = "AWS4";
  k_secret.append(secret);
  const Digest k_date = hmac_sha256(k_secret, date);
  const Digest k_region = hmac_sha256(as_view(k_date), region);
  const Digest k_service = hmac_sha256(as_view(k_region), service);
  const Digest k_signing = hmac_sha256(as_view(k_service), "aws4_request");
  cache = {std::string(secret), std::string(date), std::string(region), std::string(service), k_signing};
  return k_signing;
}

std::string scope_of(std::string_view date, const SigningScope& scope) {
  std::string s;
  s.reserve(64);
  s.append(date).append("/").append(scope.region).append("/").append(scope.service).append("/aws4_request");
  return s;
}

std::string build_canonical_request(const HttpRequestToSign& request, const SignOptions& options,
                                    const CanonicalHeaders& headers) {
  std::string creq;
  creq.reserve(256 + headers.block.size() + request.query.size());
  creq.append(request.method).push_back('\n');
  creq.append(canonical_path(request.path, options)).push_back('\n');
  creq.append(canonical_query(request.query)).push_back('\n');
  creq.append(headers.block).push_back('\n');
  creq.append(headers.signed_names).push_back('\n');
  creq.append(request.payload_hash);
  return creq;
}

SigningDetails finish(const std::string& canonical_request, std::string_view amz, const SigningScope& scope,
                      const Credentials& credentials) {
  SigningDetails d;
  const std::string date = date_stamp(amz);
  d.string_to_sign.reserve(160);
  d.string_to_sign.append(kAlgorithm).append("\n").append(amz).append("\n").append(scope_of(date, scope));
  d.string_to_sign.append("\n").append(sha256_hex(canonical_request));
  d.signature = to_hex(hmac_sha256(as_view(signing_key(credentials.secret_access_key, date, scope.region, scope.service)),
                                   d.string_to_sign));
  d.canonical_request = canonical_request;
  return d;
}

}  // namespace

std::string amz_date(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[20];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string canonical_path(std::string_view path, const SignOptions& options) {
  if (path.empty()) return "/";
  std::string p = options.normalize_path ? normalize_path(path) : std::string(path);
  return options.encode_path ? uri_encode(p, true) : p;
}

std::string canonical_query(std::string_view query) {
  if (query.empty()) return {};
  std::vector<std::pair<std::string, std::string>> pairs;
  for (auto& [key, value] : parse_query(query)) pairs.emplace_back(uri_encode(key), uri_encode(value));
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out.append(key).append("=").append(value);
  }
  return out;
}

SigningDetails sign_request(HttpRequestToSign& request, const Credentials& credentials, const SigningScope& scope,
                            std::chrono::system_clock::time_point when, const SignOptions& options) {
  const std::string amz = amz_date(when);
  request.headers.remove("authorization");
  request.headers.set("X-Amz-Date", amz);
  request.headers.remove("x-amz-security-token");
  if (!credentials.session_token.empty() && options.sign_session_token)
    request.headers.set("X-Amz-Security-Token", credentials.session_token);
  if (options.content_sha256_header) request.headers.set("x-amz-content-sha256", request.payload_hash);

  const CanonicalHeaders headers = canonical_headers(request.headers);
  SigningDetails d = finish(build_canonical_request(request, options, headers), amz, scope, credentials);
  d.authorization.reserve(200);
  d.authorization.append(kAlgorithm)
      .append(" Credential=")
      .append(credentials.access_key_id)
      .append("/")
      .append(scope_of(date_stamp(amz), scope))
      .append(", SignedHeaders=")
      .append(headers.signed_names)
      .append(", Signature=")
      .append(d.signature);
  request.headers.set("Authorization", d.authorization);
  if (!credentials.session_token.empty() && !options.sign_session_token)
    request.headers.set("X-Amz-Security-Token", credentials.session_token);
  return d;
}

SigningDetails presign_request(HttpRequestToSign& request, const Credentials& credentials, const SigningScope& scope,
                               std::chrono::system_clock::time_point when, std::chrono::seconds expires,
                               const SignOptions& options) {
  const std::string amz = amz_date(when);
  const CanonicalHeaders headers = canonical_headers(request.headers);
  QueryParams auth = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential", credentials.access_key_id + "/" + scope_of(date_stamp(amz), scope)},
      {"X-Amz-Date", amz},
      {"X-Amz-Expires", std::to_string(expires.count())},
      {"X-Amz-SignedHeaders", headers.signed_names},
  };
  if (!credentials.session_token.empty() && options.sign_session_token)
    auth.emplace_back("X-Amz-Security-Token", credentials.session_token);
  if (!request.query.empty()) request.query.push_back('&');
  request.query.append(encode_query(auth));

  SigningDetails d = finish(build_canonical_request(request, options, headers), amz, scope, credentials);
  request.query.append("&X-Amz-Signature=").append(d.signature);
  if (!credentials.session_token.empty() && !options.sign_session_token)
    request.query.append("&X-Amz-Security-Token=").append(uri_encode(credentials.session_token));
  return d;
}

}  // namespace gust::aws
