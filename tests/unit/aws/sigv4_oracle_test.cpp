// Differential test: our SigV4 against botocore (shared/tools/sigv4-oracle)
// on generated requests — random methods, paths with odd characters and dot
// segments, repeated query keys, repeated and multi-line headers, session
// tokens, S3 and presigned variants. All requests go to one oracle process.
#include "aws/sigv4.hpp"

#include "aws/crypto.hpp"
#include "aws/percent_encoding.hpp"

#include <gust/value.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace gust::aws {
namespace {

namespace fs = std::filesystem;

constexpr int kRequests = 1200;

struct Generated {
  HttpRequestToSign request;
  std::string url;
  std::string body;
  Credentials credentials;
  std::string region, service;
  std::chrono::system_clock::time_point when;
  bool s3 = false;
  bool unsigned_payload = false;
  std::optional<int> presign;
};

class Generator {
 public:
  explicit Generator(std::uint32_t seed) : rng_(seed) {}

  Generated next() {
    Generated g;
    const int kind = pick(20);  // 0-9 header, 10-13 S3 header, 14 S3 unsigned, 15-17 presign, 18-19 S3 presign
    g.s3 = kind >= 10 && kind != 15 && kind != 16 && kind != 17;
    g.unsigned_payload = kind == 14;
    if (kind >= 15) g.presign = 1 + pick(604800);
    static const char* kMethods[] = {"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"};
    g.request.method = kMethods[pick(7)];
    static const char* kRegions[] = {"us-east-1", "eu-west-3", "ap-southeast-2", "cn-north-1", "us-gov-west-1"};
    g.region = kRegions[pick(5)];
    static const char* kServices[] = {"dynamodb", "sqs", "sns", "service", "execute-api", "logs"};
    g.service = g.s3 ? "s3" : kServices[pick(6)];
    g.credentials.access_key_id = "AKID" + word(12, kUpperDigits);
    g.credentials.secret_access_key = word(40, kSecretChars);
    if (pick(3) == 0) g.credentials.session_token = word(20 + pick(300), kSecretChars);
    g.when = std::chrono::system_clock::from_time_t(1420070400 + pick(500000000));

    const bool with_port = pick(4) == 0;
    const std::string host = (g.s3 && pick(2) == 0 ? "bucket-" + word(5, kLower) + ".s3." : g.service + ".") +
                             g.region + ".amazonaws.com";
    const std::string host_header = with_port ? host + ":" + std::to_string(1024 + pick(60000)) : host;
    g.request.path = g.s3 ? s3_path() : wire_path();
    g.request.query = query(g.presign.has_value());
    g.url = "https://" + host_header + g.request.path + (g.request.query.empty() ? "" : "?" + g.request.query);
    g.request.headers.add("Host", host_header);
    add_headers(g.request.headers);
    // Presigned URLs carry no body (botocore's presigner would move one into the query).
    const bool body_method = g.request.method == "POST" || g.request.method == "PUT" || g.request.method == "PATCH";
    if (!g.presign && (body_method || pick(10) == 0))
      g.body = word(pick(200), kPrintable);
    if (g.unsigned_payload || (g.s3 && g.presign)) g.request.payload_hash = std::string(kUnsignedPayload);
    else g.request.payload_hash = sha256_hex(g.body);
    return g;
  }

 private:
  static constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
  static constexpr std::string_view kUpperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  static constexpr std::string_view kSecretChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
  static constexpr std::string_view kPrintable =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::string word(int length, std::string_view alphabet) {
    std::string s;
    for (int i = 0; i < length; ++i) s.push_back(alphabet[static_cast<std::size_t>(pick(static_cast<int>(alphabet.size())))]);
    return s;
  }

  // Raw text for a path segment or a query value: ASCII oddities and UTF-8.
  std::string raw_text() {
    static const char* kPieces[] = {"a", "Z", "0", "-", "_", ".", "~", " ", "+", "%", "&", "=", "?", "#", "/",
                                    "!", "$", "'", "(", ")", "*", ",", ";", ":", "@", "[", "]", "é", "ሴ",
                                    "😀", "\"", "<", ">", "\\", "^", "`", "{", "|", "}", "key", "Value"};
    std::string s;
    const int n = pick(8);
    for (int i = 0; i < n; ++i) s += kPieces[pick(static_cast<int>(std::size(kPieces)))];
    return s;
  }

  // A non-S3 path as a client puts it on the wire: encoded segments, some
  // sub-delimiters left raw, dot segments and doubled slashes.
  std::string wire_path() {
    std::string p;
    const int segments = pick(6);
    for (int i = 0; i < segments; ++i) {
      p += "/";
      switch (pick(8)) {
        case 0: p += "."; break;
        case 1: p += ".."; break;
        case 2: break;  // empty segment: "//"
        case 3: p += word(1 + pick(4), "!$&'()*+,;=:@"); break;
        default: p += uri_encode(raw_text()); break;
      }
    }
    if (p.empty() || pick(4) == 0) p += "/";
    return p;
  }

  // An S3 key path: canonically encoded, '/' kept, dot segments untouched.
  std::string s3_path() {
    std::string key;
    const int parts = 1 + pick(4);
    for (int i = 0; i < parts; ++i) {
      if (i > 0) key += "/";
      const int k = pick(6);
      key += k == 0 ? ".." : k == 1 ? "." : raw_text();
    }
    return "/" + uri_encode(key, true);
  }

  std::string query(bool presign) {
    static const char* kKeys[] = {"a", "a", "b", "Param", "list-type", "prefix", "x-id", "é"};
    std::vector<std::string> pairs;
    std::vector<std::string> used;
    const int n = pick(6);
    for (int i = 0; i < n; ++i) {
      std::string key = kKeys[pick(8)];
      if (presign) {  // botocore's presigner keeps one value per key
        if (std::find(used.begin(), used.end(), key) != used.end()) continue;
        used.push_back(key);
      }
      const int shape = pick(6);
      if (shape == 0) pairs.push_back(uri_encode(key));               // no '='
      else if (shape == 1) pairs.push_back(uri_encode(key) + "=");   // empty value
      else pairs.push_back(uri_encode(key) + "=" + uri_encode(raw_text()));
    }
    std::string q;
    for (const auto& p : pairs) q += (q.empty() ? "" : "&") + p;
    return q;
  }

  void add_headers(Headers& headers) {
    static const char* kNames[] = {"X-Amz-Meta-Color", "x-custom", "Content-Type", "X-Amz-Target", "My-Header",
                                   "x-amz-meta-color", "Range", "If-Match", "Cache-Control"};
    const int n = pick(6);
    for (int i = 0; i < n; ++i) {
      std::string value;
      switch (pick(6)) {
        case 0: value = "  padded   value  "; break;
        case 1: value = "first\n  second\n\tthird"; break;  // folded lines
        case 2: value = "a\tb  c"; break;
        case 3: value = ""; break;
        default: value = word(1 + pick(20), kPrintable); break;
      }
      headers.add(kNames[pick(9)], value);
    }
  }

  std::mt19937 rng_;
};

std::string json_line(const Generated& g) {
  Value r;
  r["method"] = g.request.method;
  r["url"] = g.url;
  Array headers;
  for (const auto& [k, v] : g.request.headers) headers.push_back(Array{Value(k), Value(v)});
  r["headers"] = std::move(headers);
  r["body"] = g.body;
  r["date"] = amz_date(g.when);
  r["access_key"] = g.credentials.access_key_id;
  r["secret_key"] = g.credentials.secret_access_key;
  r["token"] = g.credentials.session_token;
  r["region"] = g.region;
  r["service"] = g.service;
  r["s3"] = g.s3;
  r["unsigned_payload"] = g.unsigned_payload;
  if (g.presign) r["presign"] = *g.presign;
  return to_json_text(r);
}

std::string query_param(std::string_view url, std::string_view name) {
  const auto q = url.find('?');
  for (auto& [k, v] : parse_query(url.substr(q + 1))) {
    if (k == name) return v;
  }
  return {};
}

TEST(Sigv4Oracle, MatchesBotocoreOnGeneratedRequests) {
  const fs::path oracle = fs::path(GUST_SHARED_DIR) / "tools" / "sigv4-oracle";
  ASSERT_TRUE(fs::exists(oracle)) << oracle;
  const fs::path driver = fs::path(GUST_SOURCE_DIR) / "tests" / "unit" / "aws" / "sigv4_oracle_batch.py";
  const fs::path dir = fs::temp_directory_path() / ("gust-sigv4-oracle-" + std::to_string(::getpid()));
  fs::create_directories(dir);

  const std::uint32_t seed = 20240611;
  Generator gen(seed);
  std::vector<Generated> requests;
  {
    std::ofstream in(dir / "requests.jsonl");
    for (int i = 0; i < kRequests; ++i) {
      requests.push_back(gen.next());
      in << json_line(requests.back()) << "\n";
    }
  }
  const std::string command = "/usr/bin/python3 '" + driver.string() + "' '" + oracle.string() + "' < '" +
                              (dir / "requests.jsonl").string() + "' > '" + (dir / "answers.jsonl").string() +
                              "' 2> '" + (dir / "stderr.txt").string() + "'";
  const int rc = std::system(command.c_str());
  std::ifstream err_file(dir / "stderr.txt");
  std::stringstream err;
  err << err_file.rdbuf();
  ASSERT_EQ(rc, 0) << "the oracle failed (needs Debian's python3-botocore: scripts/install-deps.sh):\n" << err.str();

  std::ifstream answers(dir / "answers.jsonl");
  std::string line;
  int compared = 0, presigned = 0, s3 = 0, tokens = 0;
  for (auto& g : requests) {
    ASSERT_TRUE(std::getline(answers, line)) << "the oracle answered only " << compared << " requests";
    const Value answer = parse_json(line).value();
    ASSERT_EQ(answer.find("error"), nullptr) << answer.find("error")->as_string() << "\nrequest: " << json_line(g);
    SignOptions options = g.s3 ? kS3SignOptions : SignOptions{};
    const SigningScope scope{g.region, g.service};
    HttpRequestToSign req = g.request;
    if (g.presign) {
      options.content_sha256_header = false;
      const auto d = presign_request(req, g.credentials, scope, g.when, std::chrono::seconds(*g.presign), options);
      EXPECT_EQ(d.signature, answer.find("signature")->as_string())
          << "request: " << json_line(g) << "\nours:\n" << d.canonical_request << "\nbotocore:\n"
          << answer.find("canonical_request")->as_string();
      EXPECT_EQ(query_param("?" + req.query, "X-Amz-SignedHeaders"),
                query_param(answer.find("url")->as_string(), "X-Amz-SignedHeaders"));
      ++presigned;
    } else {
      if (g.unsigned_payload) options.content_sha256_header = true;
      const auto d = sign_request(req, g.credentials, scope, g.when, options);
      EXPECT_EQ(d.authorization, answer.find("authorization")->as_string())
          << "request: " << json_line(g) << "\nours:\n" << d.canonical_request << "\nbotocore:\n"
          << answer.find("canonical_request")->as_string();
    }
    s3 += g.s3 ? 1 : 0;
    tokens += g.credentials.session_token.empty() ? 0 : 1;
    ++compared;
  }
  EXPECT_EQ(compared, kRequests);
  EXPECT_GT(presigned, 100);
  EXPECT_GT(s3, 200);
  EXPECT_GT(tokens, 200);
  if (!HasFailure()) fs::remove_all(dir);
}

}  // namespace
}  // namespace gust::aws
