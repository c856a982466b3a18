// bench/aws: the AWS clients' figures (run.sh runs the modes and the AWS SDK
// for JavaScript v3 beside them).
//
//   aws_bench sign [N]                 SigV4 signings per second, ours vs OpenSSL's one-shot HMAC()
//   aws_bench setup                    creates the bench table (endpoint from AWS_ENDPOINT_URL_DYNAMODB)
//   aws_bench ddb N                    PutItem + GetItem round trips: p50/p99 in microseconds
//   aws_bench cold                     one fresh process: first GetItem (config, credentials,
//                                      connection) vs the next one, in microseconds
//
// Each mode checks its answer before timing.
#include "aws/crypto.hpp"
#include "aws/default_config.hpp"
#include "aws/dynamodb.hpp"
#include "aws/sigv4.hpp"

#include <gust/record.hpp>
#include <gust/table.hpp>

#include <boost/json/array.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using namespace gust;
using namespace gust::aws;

struct Item {
  std::string id;
  std::string title;
  bool done = false;
  std::int64_t count = 0;
  std::vector<std::string> tags;
};
GUST_RECORD(Item, id, title, done, count, tags);

double us_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

HttpRequestToSign put_item_request() {
  HttpRequestToSign r;
  r.method = "POST";
  r.path = "/";
  r.headers.add("Host", "dynamodb.us-east-1.amazonaws.com");
  r.headers.add("Content-Type", "application/x-amz-json-1.0");
  r.headers.add("X-Amz-Target", "DynamoDB_20120810.PutItem");
  r.payload_hash = sha256_hex(R"({"TableName":"todos","Item":{"id":{"S":"42"},"title":{"S":"write the bench"}}})");
  return r;
}

// The same derivation with OpenSSL's one-shot HMAC(), which fetches the MAC each call.
std::string naive_signature(const std::string& secret, const std::string& date, const std::string& sts) {
  unsigned char k[32];
  unsigned int len = 0;
  std::string key = "AWS4" + secret;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(date.data()), date.size(), k, &len);
  for (std::string part : {"us-east-1", "dynamodb", "aws4_request"})
    HMAC(EVP_sha256(), k, 32, reinterpret_cast<const unsigned char*>(part.data()), part.size(), k, &len);
  HMAC(EVP_sha256(), k, 32, reinterpret_cast<const unsigned char*>(sts.data()), sts.size(), k, &len);
  return to_hex(k, 32);
}

int sign(int n) {
  const Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt, "bench"};
  const auto when = std::chrono::system_clock::from_time_t(1440938160);
  // Check: our signature equals the naive derivation.
  HttpRequestToSign check = put_item_request();
  const auto d = sign_request(check, creds, {"us-east-1", "dynamodb"}, when);
  if (d.signature != naive_signature(creds.secret_access_key, "20150830", d.string_to_sign)) {
    std::fprintf(stderr, "signature mismatch\n");
    return 1;
  }
  const auto run = [&](auto&& one) {
    std::vector<double> rates;
    for (int round = 0; round < 5; ++round) {
      const auto t0 = Clock::now();
      for (int i = 0; i < n; ++i) one();
      rates.push_back(n / (us_since(t0) / 1e6));
    }
    return percentile(rates, 0.5);
  };
  const double ours = run([&] {
    HttpRequestToSign r = put_item_request();
    sign_request(r, creds, {"us-east-1", "dynamodb"}, when);
  });
  const double presign = run([&] {
    HttpRequestToSign r;
    r.method = "GET";
    r.path = "/bucket/some/key.txt";
    r.headers.add("Host", "s3.us-east-1.amazonaws.com");
    r.payload_hash = std::string(kUnsignedPayload);
    presign_request(r, creds, {"us-east-1", "s3"}, when, std::chrono::seconds(3600), kS3SignOptions);
  });
  // The five HMACs of a signature (key derivation + final), ours vs OpenSSL's one-shot HMAC().
  const double chain_ours = run([&] {
    Digest k = hmac_sha256("AWS4" + creds.secret_access_key, "20150830");
    for (const char* part : {"us-east-1", "dynamodb", "aws4_request"}) k = hmac_sha256(as_view(k), part);
    volatile auto sig = hmac_sha256(as_view(k), d.string_to_sign)[0];
    (void)sig;
  });
  const double chain_naive = run([&] {
    volatile auto sig = naive_signature(creds.secret_access_key, "20150830", d.string_to_sign)[0];
    (void)sig;
  });
  std::printf("sign  dynamodb PutItem header signing: %.0f /s (%.2f us each)\n", ours, 1e6 / ours);
  std::printf("sign  s3 presigned GET URL:             %.0f /s (%.2f us each)\n", presign, 1e6 / presign);
  std::printf("sign  5-HMAC chain: ours %.0f /s, OpenSSL HMAC() one-shot %.0f /s (%.1fx)\n", chain_ours, chain_naive,
              chain_ours / chain_naive);
  return 0;
}

detail::ResourceBinding bench_table() { return {"bench", "bench", "id", ""}; }

int setup() {
  auto config = default_client_config();
  if (!config) {
    std::fprintf(stderr, "%s\n", config.error().describe().c_str());
    return 1;
  }
  DynamoDbClient ddb(*config);
  boost::json::object req{
      {"TableName", "bench"},
      {"AttributeDefinitions", boost::json::array{boost::json::object{{"AttributeName", "id"}, {"AttributeType", "S"}}}},
      {"KeySchema", boost::json::array{boost::json::object{{"AttributeName", "id"}, {"KeyType", "HASH"}}}},
      {"BillingMode", "PAY_PER_REQUEST"}};
  auto r = ddb.call("CreateTable", req);
  if (!r && r.error().aws.code != "ResourceInUseException") {
    std::fprintf(stderr, "%s\n", r.error().describe().c_str());
    return 1;
  }
  for (int i = 0; i < 100; ++i) {
    auto d = ddb.call("DescribeTable", boost::json::object{{"TableName", "bench"}});
    if (d && d->at("Table").at("TableStatus").as_string() == "ACTIVE") return 0;
  }
  return 1;
}

Item sample(int i) { return {"item-" + std::to_string(i % 100), "title " + std::to_string(i), i % 2 == 0, i, {"a", "b"}}; }

int ddb(int n) {
  const detail::ResourceBinding binding = bench_table();
  TableReadWriter<Item> table(binding);
  // Check: what we put is what we get.
  const Item probe = sample(7);
  if (!table.put(probe)) return 1;
  auto got = table.get(probe.id);
  if (!got || got->title != probe.title || got->count != probe.count) {
    std::fprintf(stderr, "check failed: %s\n", got ? "wrong item" : got.error().describe().c_str());
    return 1;
  }
  std::vector<double> puts, gets;
  puts.reserve(n);
  gets.reserve(n);
  for (int i = 0; i < n; ++i) {
    const Item it = sample(i);
    auto t0 = Clock::now();
    if (!table.put(it)) return 1;
    puts.push_back(us_since(t0));
    t0 = Clock::now();
    if (!table.get(it.id)) return 1;
    gets.push_back(us_since(t0));
  }
  std::printf("{\"client\":\"gust\",\"n\":%d,\"put_p50\":%.0f,\"put_p99\":%.0f,\"get_p50\":%.0f,\"get_p99\":%.0f}\n", n,
              percentile(puts, 0.5), percentile(puts, 0.99), percentile(gets, 0.5), percentile(gets, 0.99));
  return 0;
}

// The trust store's set-up cost at the first TLS connection: a hashed
// directory (what the client prefers) against the bundle file.
int trust() {
  const auto t0 = Clock::now();
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  const double context = us_since(t0);
  auto t1 = Clock::now();
  const int dir_ok = SSL_CTX_load_verify_locations(ctx, nullptr, "/etc/ssl/certs");
  const double dir = us_since(t1);
  SSL_CTX* ctx2 = SSL_CTX_new(TLS_client_method());
  t1 = Clock::now();
  const int file_ok = SSL_CTX_load_verify_locations(ctx2, "/etc/ssl/certs/ca-certificates.crt", nullptr);
  const double file = us_since(t1);
  SSL_CTX_free(ctx);
  SSL_CTX_free(ctx2);
  if (dir_ok != 1 || file_ok != 1) return 1;
  std::printf("%.0f %.0f %.0f\n", context, dir, file);
  return 0;
}

// Prints: first GetItem, second GetItem, and the parts of the first that
// need no network (configuration + credentials, first signature).
int cold() {
  const detail::ResourceBinding binding = bench_table();
  TableReader<Item> table(binding);
  auto t0 = Clock::now();
  if (!table.get("item-1")) return 1;
  const double first = us_since(t0);
  t0 = Clock::now();
  if (!table.get("item-2")) return 1;
  const double second = us_since(t0);
  std::printf("%.0f %.0f\n", first, second);
  return 0;
}

int cold_parts() {
  auto t0 = Clock::now();
  const auto& config = default_client_config();
  if (!config) return 1;
  auto creds = (*config)->credentials->get();
  if (!creds) return 1;
  const double setup = us_since(t0);
  t0 = Clock::now();
  HttpRequestToSign r = put_item_request();
  sign_request(r, *creds, {"us-east-1", "dynamodb"}, std::chrono::system_clock::now());
  const double first_sign = us_since(t0);
  std::printf("%.0f %.0f\n", setup, first_sign);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  const int n = argc > 2 ? std::atoi(argv[2]) : 0;
  if (mode == "sign") return sign(n > 0 ? n : 100000);
  if (mode == "setup") return setup();
  if (mode == "ddb") return ddb(n > 0 ? n : 2000);
  if (mode == "cold") return cold();
  if (mode == "cold-parts") return cold_parts();
  if (mode == "trust") return trust();
  std::fprintf(stderr, "usage: aws_bench sign [N] | setup | ddb [N] | cold\n");
  return 2;
}
