#include "aws/sigv4.hpp"

#include "aws/crypto.hpp"

#include <gust/value.hpp>

#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gust::aws {
namespace {

namespace fs = std::filesystem;

const fs::path kVectors = fs::path(GUST_SHARED_DIR) / "testdata" / "sigv4";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string strip_trailing_newlines(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

std::chrono::system_clock::time_point parse_iso(const std::string& text) {
  std::tm tm{};
  strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// request.txt: request line (split on the first and last space), header
// lines (a leading space continues the previous one), blank line, body.
struct SuiteRequest {
  HttpRequestToSign request;
  std::string body;
};

SuiteRequest parse_suite_request(const std::string& raw) {
  SuiteRequest out;
  const auto blank = raw.find("\n\n");
  const std::string head = raw.substr(0, blank);
  out.body = blank == std::string::npos ? "" : raw.substr(blank + 2);
  std::istringstream lines(head);
  std::string line;
  std::getline(lines, line);
  const auto first = line.find(' ');
  const auto last = line.rfind(' ');
  out.request.method = line.substr(0, first);
  const std::string target = line.substr(first + 1, last - first - 1);
  const auto q = target.find('?');
  out.request.path = target.substr(0, q);
  out.request.query = q == std::string::npos ? "" : target.substr(q + 1);
  std::vector<std::pair<std::string, std::string>> fields;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    if ((line[0] == ' ' || line[0] == '\t') && !fields.empty()) {
      fields.back().second += "\n" + line;
      continue;
    }
    const auto colon = line.find(':');
    fields.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  for (auto& [k, v] : fields) out.request.headers.add(k, v);
  return out;
}

struct SuiteCase {
  SuiteRequest request;
  Credentials credentials;
  std::string region, service;
  std::chrono::system_clock::time_point when;
  std::chrono::seconds expires{3600};
  SignOptions options;
};

SuiteCase load_case(const fs::path& dir) {
  SuiteCase c;
  c.request = parse_suite_request(read_file(dir / "request.txt"));
  const Value ctx = parse_json(read_file(dir / "context.json")).value();
  const Value& creds = *ctx.find("credentials");
  c.credentials.access_key_id = creds.find("access_key_id")->as_string();
  c.credentials.secret_access_key = creds.find("secret_access_key")->as_string();
  if (const Value* token = creds.find("token")) c.credentials.session_token = token->as_string();
  c.region = ctx.find("region")->as_string();
  c.service = ctx.find("service")->as_string();
  c.when = parse_iso(ctx.find("timestamp")->as_string());
  if (const Value* e = ctx.find("expiration_in_seconds")) c.expires = std::chrono::seconds(e->as_int());
  c.options.normalize_path = ctx.find("normalize")->as_bool();
  c.options.encode_path = true;  // the suite's paths are raw: one round of encoding
  if (const Value* s = ctx.find("sign_body")) c.options.content_sha256_header = s->as_bool();
  if (const Value* o = ctx.find("omit_session_token")) c.options.sign_session_token = !o->as_bool();
  c.request.request.payload_hash = sha256_hex(c.request.body);
  return c;
}

std::vector<std::string> suite_cases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kVectors / "v4")) {
    if (fs::exists(entry.path() / "context.json")) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string out;
  bool upper = true;
  for (const char c : info.param) {
    if (c == '-') {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out;
}

class Sigv4Vector : public testing::TestWithParam<std::string> {};

TEST_P(Sigv4Vector, MatchesOfficialHeaderSigning) {
  const fs::path dir = kVectors / "v4" / GetParam();
  SuiteCase c = load_case(dir);
  const SigningDetails d = sign_request(c.request.request, c.credentials, {c.region, c.service}, c.when, c.options);
  EXPECT_EQ(d.canonical_request, strip_trailing_newlines(read_file(dir / "header-canonical-request.txt")));
  EXPECT_EQ(d.string_to_sign, strip_trailing_newlines(read_file(dir / "header-string-to-sign.txt")));
  EXPECT_EQ(d.signature, strip_trailing_newlines(read_file(dir / "header-signature.txt")));
  // The signed request carries the same Authorization line.
  const std::string signed_request = read_file(dir / "header-signed-request.txt");
  EXPECT_NE(signed_request.find("Authorization:" + d.authorization), std::string::npos) << d.authorization;
}

TEST_P(Sigv4Vector, MatchesOfficialQuerySigning) {
  const fs::path dir = kVectors / "v4" / GetParam();
  if (!fs::exists(dir / "query-signature.txt")) GTEST_SKIP() << "no query-signing vector";
  SuiteCase c = load_case(dir);
  const SigningDetails d =
      presign_request(c.request.request, c.credentials, {c.region, c.service}, c.when, c.expires, c.options);
  EXPECT_EQ(d.canonical_request, strip_trailing_newlines(read_file(dir / "query-canonical-request.txt")));
  EXPECT_EQ(d.string_to_sign, strip_trailing_newlines(read_file(dir / "query-string-to-sign.txt")));
  EXPECT_EQ(d.signature, strip_trailing_newlines(read_file(dir / "query-signature.txt")));
  // The request line's query ends with our signature.
  const std::string signed_request = read_file(dir / "query-signed-request.txt");
  EXPECT_NE(signed_request.find("X-Amz-Signature=" + d.signature), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(AwsSuite, Sigv4Vector, testing::ValuesIn(suite_cases()), test_name);

TEST(Sigv4Vectors, SuiteIsComplete) {
  // The README lists 38 cases; a missing folder would silently shrink the parameterised test.
  EXPECT_GE(suite_cases().size(), 38u);
}

// AWS's published S3 examples (s3-examples.json): S3 rules, UNSIGNED-PAYLOAD presign.
TEST(Sigv4S3, MatchesPublishedExamples) {
  const Value doc = parse_json(read_file(kVectors / "s3-examples.json")).value();
  Credentials creds;
  creds.access_key_id = doc.find("credentials")->find("access_key_id")->as_string();
  creds.secret_access_key = doc.find("credentials")->find("secret_access_key")->as_string();
  const auto when = parse_iso(doc.find("timestamp")->as_string());
  int checked = 0;
  for (const Value& c : doc.find("cases")->as_array()) {
    SCOPED_TRACE(c.find("name")->as_string());
    const std::string url = c.find("url")->as_string();
    const auto host_start = url.find("://") + 3;
    const auto path_start = url.find('/', host_start);
    HttpRequestToSign req;
    req.method = c.find("method")->as_string();
    const std::string target = url.substr(path_start);
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    req.query = q == std::string::npos ? "" : target.substr(q + 1);
    req.headers.add("Host", url.substr(host_start, path_start - host_start));
    for (const Value& h : c.find("headers")->as_array()) req.headers.add(h.as_array()[0].as_string(), h.as_array()[1].as_string());
    if (c.find("mode")->as_string() == "header") {
      req.payload_hash = sha256_hex(c.find("body")->as_string());
      const auto d = sign_request(req, creds, {"us-east-1", "s3"}, when, kS3SignOptions);
      EXPECT_EQ(d.canonical_request, c.find("canonical_request")->as_string());
      EXPECT_EQ(d.string_to_sign, c.find("string_to_sign")->as_string());
      EXPECT_EQ(d.authorization, c.find("authorization")->as_string());
    } else {
      req.payload_hash = std::string(kUnsignedPayload);
      const auto d = presign_request(req, creds, {"us-east-1", "s3"}, when,
                                     std::chrono::seconds(c.find("expires")->as_int()), kS3SignOptions);
      EXPECT_EQ(d.canonical_request, c.find("canonical_request")->as_string());
      EXPECT_EQ(d.signature, c.find("signature")->as_string());
      EXPECT_EQ(url.substr(0, path_start) + req.path + "?" + req.query, c.find("presigned_url")->as_string());
    }
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

TEST(Sigv4Canonical, S3PathIsNotNormalisedOrEncodedAgain) {
  EXPECT_EQ(canonical_path("/a/./b//c/../d%20e", kS3SignOptions), "/a/./b//c/../d%20e");
  EXPECT_EQ(canonical_path("/a/./b//c/../d%20e", {}), "/a/b/d%2520e");
  EXPECT_EQ(canonical_path("", {}), "/");
}

TEST(Sigv4Canonical, QueryIsDecodedReencodedAndSortedByNameThenValue) {
  EXPECT_EQ(canonical_query("b=2&a=z&a=y&c&d=%2f%7E"), "a=y&a=z&b=2&c=&d=%2F~");
  EXPECT_EQ(canonical_query("k=a b"), "k=a%20b");
}

TEST(Sigv4Sign, ResigningReplacesEarlierSignatureHeaders) {
  Credentials creds{"AK", "SECRET", "TOKEN", std::nullopt, "test"};
  HttpRequestToSign req{"GET", "/", "", {}, std::string(kEmptyPayloadHash)};
  req.headers.add("Host", "example.amazonaws.com");
  const auto t = std::chrono::system_clock::from_time_t(1440938160);
  const auto first = sign_request(req, creds, {"us-east-1", "service"}, t);
  const auto second = sign_request(req, creds, {"us-east-1", "service"}, t);
  EXPECT_EQ(first.signature, second.signature);
  int authorizations = 0;
  for (const auto& [k, v] : req.headers) authorizations += iequals(k, "authorization") ? 1 : 0;
  EXPECT_EQ(authorizations, 1);
  EXPECT_EQ(req.headers.get("x-amz-security-token").value_or(""), "TOKEN");
  EXPECT_NE(first.canonical_request.find("x-amz-security-token:TOKEN"), std::string::npos);
}

}  // namespace
}  // namespace gust::aws
