// local_services_bench: the same client, in the same run, against gust's
// local services and third-party ones (dynalite, s3rver, fauxqs):
//
//   DynamoDB PutItem / GetItem / Query: ops/s and p50/p99 on one keep-alive
//     connection (latency; the median of --rounds rounds, default 3, in which
//     the servers take turns), and ops/s over 4 connections (throughput);
//   S3 PutObject / GetObject of 1 KB and 10 MB;
//   SQS send-to-receive latency: a long-polling receiver wakes for a send.
//
// Every request is signed with gust's SigV4 signer (s3rver checks
// signatures). The client is a minimal Beast one so the figures are the
// servers', not a heavy SDK's. Answers are checked before anything is timed.
//
//   local_services_bench --ddb ours=http://127.0.0.1:4566 --ddb dynalite=http://127.0.0.1:4567
//                        --s3 ours=... --s3 s3rver=... --sqs ours=... --sqs fauxqs=...   (one command line)
//   local_services_bench --ddb ours=... --only PutItem     (one DynamoDB operation, to profile)
#include "aws/crypto.hpp"
#include "aws/sigv4.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Target {
  std::string name;
  std::string host;
  std::string port;
  std::string key = "AKIDBENCH";
  std::string secret = "bench-secret";
};

Target parse_target(const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos) throw std::runtime_error("expected NAME=http://HOST:PORT, got " + spec);
  Target t;
  t.name = spec.substr(0, eq);
  std::string url = spec.substr(eq + 1);
  if (url.rfind("http://", 0) != 0) throw std::runtime_error("only http:// endpoints: " + url);
  url = url.substr(7);
  const auto colon = url.rfind(':');
  t.host = url.substr(0, colon);
  t.port = url.substr(colon + 1);
  while (!t.port.empty() && t.port.back() == '/') t.port.pop_back();
  if (t.name == "s3rver") t.key = t.secret = "S3RVER";  // the only key s3rver accepts
  return t;
}

// One keep-alive connection that signs and sends requests.
class Client {
 public:
  Client(const Target& t, std::string service) : target_(t), service_(std::move(service)), socket_(ioc_) {
    tcp::resolver resolver(ioc_);
    asio::connect(socket_, resolver.resolve(t.host, t.port));
    socket_.set_option(tcp::no_delay(true));
  }

  struct Answer {
    int status;
    std::string body;
  };

  Answer send(const std::string& method, const std::string& path, const std::string& query, std::string body,
              std::vector<std::pair<std::string, std::string>> headers = {}) {
    gust::aws::HttpRequestToSign sign{method, path, query, {}, ""};
    sign.headers.set("Host", target_.host + ":" + target_.port);
    for (const auto& [k, v] : headers) sign.headers.set(k, v);
    const bool s3 = service_ == "s3";
    sign.payload_hash = s3 ? std::string(gust::aws::kUnsignedPayload) : gust::aws::sha256_hex(body);
    gust::aws::Credentials creds{target_.key, target_.secret, "", std::nullopt, "bench"};
    gust::aws::sign_request(sign, creds, {"us-east-1", service_}, std::chrono::system_clock::now(),
                            s3 ? gust::aws::kS3SignOptions : gust::aws::SignOptions{});
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), query.empty() ? path : path + "?" + query, 11};
    for (const auto& [k, v] : sign.headers) req.set(k, v);
    req.body() = std::move(body);
    req.keep_alive(true);
    req.prepare_payload();
    bhttp::write(socket_, req);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (method == "HEAD") parser.skip(true);
    bhttp::read(socket_, buffer_, parser);
    auto res = parser.release();
    return Answer{static_cast<int>(res.result_int()), std::move(res.body())};
  }

  Answer json(const std::string& target, const std::string& body) {
    const std::string content_type = service_ == "sqs" ? "application/x-amz-json-1.0" : "application/x-amz-json-1.0";
    return send("POST", "/", "", body, {{"X-Amz-Target", target}, {"Content-Type", content_type}});
  }

 private:
  Target target_;
  std::string service_;
  asio::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

void expect(bool ok, const std::string& what, const Client::Answer& a) {
  if (!ok) throw std::runtime_error(what + ": status " + std::to_string(a.status) + " " + a.body.substr(0, 300));
}

struct Figures {
  double ops_per_s = 0;
  double p50_us = 0;
  double p99_us = 0;
};

Figures summarise(std::vector<double> us, double seconds) {
  std::sort(us.begin(), us.end());
  Figures f;
  f.ops_per_s = static_cast<double>(us.size()) / seconds;
  f.p50_us = us[us.size() / 2];
  f.p99_us = us[std::min(us.size() - 1, us.size() * 99 / 100)];
  return f;
}

// Runs `op(client, i)` `n` times on one connection; latencies in microseconds.
template <class Op>
Figures timed(const Target& t, const std::string& service, int n, Op op) {
  Client c(t, service);
  for (int i = 0; i < std::min(n / 10, 50); ++i) op(c, i);  // warm up
  std::vector<double> us;
  us.reserve(static_cast<std::size_t>(n));
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    op(c, i);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  return summarise(std::move(us), std::chrono::duration<double>(Clock::now() - start).count());
}

// The same over `connections` connections in parallel: total ops/s.
template <class Op>
double throughput(const Target& t, const std::string& service, int n, int connections, Op op) {
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  std::atomic<bool> failed{false};
  const auto start = Clock::now();
  for (int k = 0; k < connections; ++k) {
    threads.emplace_back([&] {
      try {
        Client c(t, service);
        for (int i = next++; i < n; i = next++) op(c, i);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", t.name.c_str(), e.what());
        failed = true;
      }
    });
  }
  for (auto& th : threads) th.join();
  if (failed) throw std::runtime_error("a connection failed");
  return n / std::chrono::duration<double>(Clock::now() - start).count();
}

void print(const std::string& target, const std::string& op, const Figures& f, double parallel) {
  std::printf("%-10s %-22s %10.0f %10.0f %10.0f %12.0f\n", target.c_str(), op.c_str(), f.ops_per_s, f.p50_us, f.p99_us, parallel);
  std::fflush(stdout);
}

std::string item(int i) {
  return R"({"pk":{"S":"user)" + std::to_string(i % 50) + R"("},"sk":{"S":"item)" + std::to_string(i) + R"("},"title":{"S":"a todo with a title"},"done":{"BOOL":false},"n":{"N":")" +
         std::to_string(i) + "\"}}";
}

// A fresh table with a hash and range key, ACTIVE, one item checked: the name.
std::string create_bench_table(const Target& t) {
  const std::string table = "bench" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000);
  Client c(t, "dynamodb");
  auto a = c.json("DynamoDB_20120810.CreateTable",
                  R"({"TableName":")" + table + R"(","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},)"
                  R"({"AttributeName":"sk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]})");
  expect(a.status == 200, "CreateTable", a);
  for (int tries = 0; tries < 100; ++tries) {  // dynalite takes a moment to make a table ACTIVE
    auto d = c.json("DynamoDB_20120810.DescribeTable", R"({"TableName":")" + table + "\"}");
    if (d.body.find("\"TableStatus\":\"ACTIVE\"") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Check the answers once before timing.
  expect(c.json("DynamoDB_20120810.PutItem", R"({"TableName":")" + table + R"(","Item":)" + item(0) + "}").status == 200, "PutItem", {});
  auto got = c.json("DynamoDB_20120810.GetItem", R"({"TableName":")" + table + R"(","Key":{"pk":{"S":"user0"},"sk":{"S":"item0"}}})");
  expect(got.status == 200 && got.body.find("a todo with a title") != std::string::npos, "GetItem", got);
  return table;
}

// One DynamoDB operation against `table`, request `i` of `n`.
using DdbOp = std::function<void(Client&, int)>;
DdbOp ddb_op(const std::string& name, const std::string& table, int n) {
  if (name == "PutItem") {
    return [prefix = R"({"TableName":")" + table + R"(","Item":)"](Client& c, int i) {
      auto a = c.json("DynamoDB_20120810.PutItem", prefix + item(i) + "}");
      if (a.status != 200) expect(false, "PutItem", a);
    };
  }
  if (name == "GetItem") {
    return [table, n](Client& c, int i) {
      auto a = c.json("DynamoDB_20120810.GetItem", R"({"TableName":")" + table + R"(","Key":{"pk":{"S":"user)" + std::to_string(i % 50) + R"("},"sk":{"S":"item)" +
                                                       std::to_string(i % n) + R"("}}})");
      if (a.status != 200 || a.body.size() < 20) expect(false, "GetItem", a);
    };
  }
  return [table](Client& c, int i) {
    auto a = c.json("DynamoDB_20120810.Query", R"({"TableName":")" + table + R"x(","KeyConditionExpression":"pk = :p AND begins_with(sk, :s)","Limit":10,)x"
                                                   R"("ExpressionAttributeValues":{":p":{"S":"user)" + std::to_string(i % 50) + R"("},":s":{"S":"item"}}})");
    if (a.status != 200 || a.body.find("\"Count\":10") == std::string::npos) expect(false, "Query", a);
  };
}

// Each figure's median over the rounds.
Figures median_of(const std::vector<Figures>& rounds) {
  auto median = [&](double Figures::*field) {
    std::vector<double> v;
    for (const auto& f : rounds) v.push_back(f.*field);
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  return {median(&Figures::ops_per_s), median(&Figures::p50_us), median(&Figures::p99_us)};
}

// PutItem, GetItem and Query against every target. Each operation runs
// `rounds` times, the targets taking turns within a round, so a burst of
// load from elsewhere on the machine lands on all of them rather than on
// whichever ran at the time; the printed figures are the medians over the
// rounds. `only`: empty, or the one operation to time (PutItem always runs:
// it loads the items GetItem and Query read).
void bench_dynamodb(const std::vector<Target>& targets, int n, int rounds, const std::string& only, std::map<std::string, double>& results) {
  std::vector<std::string> tables;
  for (const auto& t : targets) tables.push_back(create_bench_table(t));
  for (const std::string op : {"PutItem", "GetItem", "Query"}) {
    if (!only.empty() && op != "PutItem" && op != only) continue;
    std::vector<std::vector<Figures>> per_target(targets.size());
    for (int round = 0; round < rounds; ++round) {
      for (std::size_t k = 0; k < targets.size(); ++k) per_target[k].push_back(timed(targets[k], "dynamodb", n, ddb_op(op, tables[k], n)));
    }
    for (std::size_t k = 0; k < targets.size(); ++k) {
      const Figures m = median_of(per_target[k]);
      const double parallel = throughput(targets[k], "dynamodb", n, 4, ddb_op(op, tables[k], n));
      print(targets[k].name, "dynamodb " + op, m, parallel);
      results[targets[k].name + " " + op] = m.ops_per_s;
      results[targets[k].name + " " + op + " p99"] = m.p99_us;
    }
  }
}

void bench_s3(const Target& t, int n, std::map<std::string, double>& results) {
  const std::string bucket = "bench-" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000);
  {
    Client c(t, "s3");
    auto a = c.send("PUT", "/" + bucket, "", "");
    expect(a.status == 200, "CreateBucket", a);
  }
  for (const auto& [label, size, count] : {std::tuple<const char*, std::size_t, int>{"1KB", 1024, n}, {"10MB", 10 * 1024 * 1024, std::max(5, n / 200)}}) {
    std::string data(size, 'x');
    for (std::size_t i = 0; i < data.size(); i += 97) data[i] = static_cast<char>('a' + (i % 26));
    {
      Client c(t, "s3");
      auto a = c.send("PUT", "/" + bucket + "/check", "", data, {{"Content-Type", "application/octet-stream"}});
      expect(a.status == 200, "PutObject", a);
      auto g = c.send("GET", "/" + bucket + "/check", "", "");
      expect(g.status == 200 && g.body == data, "GetObject round trip", g);
    }
    auto put = [&](Client& c, int i) {
      auto a = c.send("PUT", "/" + bucket + "/obj" + std::to_string(i % 20), "", data, {{"Content-Type", "application/octet-stream"}});
      if (a.status != 200) expect(false, "PutObject", a);
    };
    auto get = [&](Client& c, int i) {
      auto a = c.send("GET", "/" + bucket + "/obj" + std::to_string(i % 20), "", "");
      if (a.status != 200 || a.body.size() != size) expect(false, "GetObject", a);
    };
    auto p = timed(t, "s3", count, put);
    print(t.name, std::string("s3 PutObject ") + label, p, 0);
    auto g = timed(t, "s3", count, get);
    print(t.name, std::string("s3 GetObject ") + label, g, 0);
    results[t.name + " Put" + label] = p.ops_per_s;
    results[t.name + " Get" + label] = g.ops_per_s;
  }
}

// Send-to-consumer latency: a receiver long-polls; the sender sends; time until the receiver has it.
void bench_sqs(const Target& t, int n, std::map<std::string, double>& results) {
  std::string url;
  {
    Client c(t, "sqs");
    auto a = c.json("AmazonSQS.CreateQueue", R"({"QueueName":"bench)" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000) + "\"}");
    expect(a.status == 200, "CreateQueue", a);
    url = std::string(json::parse(a.body).at("QueueUrl").as_string());
  }
  Client sender(t, "sqs");
  Client receiver(t, "sqs");
  std::vector<double> us;
  const int rounds = std::max(20, n / 20);
  for (int i = 0; i < rounds; ++i) {
    std::atomic<bool> got{false};
    Clock::time_point sent_at;
    double latency = 0;
    std::thread rx([&] {
      for (int tries = 0; tries < 5 && !got; ++tries) {
        auto a = receiver.json("AmazonSQS.ReceiveMessage", R"({"QueueUrl":")" + url + R"(","WaitTimeSeconds":5,"MaxNumberOfMessages":1})");
        if (a.status == 200 && a.body.find("\"Messages\"") != std::string::npos) {
          latency = std::chrono::duration<double, std::micro>(Clock::now() - sent_at).count();
          got = true;
          const auto rh = json::parse(a.body).at("Messages").at(0).at("ReceiptHandle");
          receiver.json("AmazonSQS.DeleteMessage", R"({"QueueUrl":")" + url + R"(","ReceiptHandle":)" + json::serialize(rh) + "}");
        }
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(30));  // the receive is parked
    sent_at = Clock::now();
    auto s = sender.json("AmazonSQS.SendMessage", R"({"QueueUrl":")" + url + R"(","MessageBody":"ping )" + std::to_string(i) + "\"}");
    expect(s.status == 200, "SendMessage", s);
    rx.join();
    if (!got) throw std::runtime_error(t.name + ": a sent message was not received");
    us.push_back(latency);
  }
  auto f = summarise(us, 1);
  f.ops_per_s = 0;
  print(t.name, "sqs send->receive", f, 0);
  results[t.name + " sqs p50"] = f.p50_us;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<Target> ddb;
  std::vector<Target> s3;
  std::vector<Target> sqs;
  int n = 2000;
  std::string only;
  int rounds = 3;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
        return argv[++i];
      };
      if (arg == "--ddb") {
        ddb.push_back(parse_target(value()));
      } else if (arg == "--s3") {
        s3.push_back(parse_target(value()));
      } else if (arg == "--sqs") {
        sqs.push_back(parse_target(value()));
      } else if (arg == "--only") {
        only = value();
        if (only != "PutItem" && only != "GetItem" && only != "Query") throw std::runtime_error("--only takes PutItem, GetItem or Query, got " + only);
      } else if (arg == "--rounds") {
        rounds = std::stoi(value());
        if (rounds < 1) throw std::runtime_error("--rounds needs at least 1");
      } else if (arg == "--ops") {
        n = std::stoi(value());
      } else {
        throw std::runtime_error("unknown argument " + arg);
      }
    }
    std::printf("%-10s %-22s %10s %10s %10s %12s\n", "server", "operation", "ops/s", "p50 us", "p99 us", "ops/s x4conn");
    std::map<std::string, double> r;
    if (!ddb.empty()) bench_dynamodb(ddb, n, rounds, only, r);
    for (const auto& t : s3) bench_s3(t, n, r);
    for (const auto& t : sqs) bench_sqs(t, n, r);
    // Ratios against the first target of each kind ("ours").
    auto ratio = [&](const std::vector<Target>& ts, const std::vector<std::string>& ops) {
      if (ts.size() < 2) return;
      for (std::size_t k = 1; k < ts.size(); ++k) {
        for (const auto& op : ops) {
          const double a = r[ts[0].name + " " + op];
          const double b = r[ts[k].name + " " + op];
          if (b > 0) std::printf("ratio %-8s/%-8s %-12s %6.1fx\n", ts[0].name.c_str(), ts[k].name.c_str(), op.c_str(), a / b);
        }
      }
    };
    ratio(ddb, {"PutItem", "GetItem", "Query"});
    ratio(s3, {"Put1KB", "Get1KB", "Put10MB", "Get10MB"});
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
