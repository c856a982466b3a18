// The standard retry mode against a loopback server of our own that answers
// from a script: throttling, 500s, dropped connections, slow answers, expired
// tokens and clock skew.
#include "aws/retry.hpp"

#include "aws/aws_client.hpp"
#include "aws/dynamodb.hpp"
#include "http/server.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <deque>
#include <mutex>
#include <thread>

namespace gust::aws {
namespace {

using namespace std::chrono_literals;

enum class Act { ok, throttle, server_error, unavailable_xml, reset, slow, validation, expired_token, skewed };

class ScriptedServer {
 public:
  explicit ScriptedServer(std::deque<Act> script = {}) : script_(std::move(script)) {
    auto s = http::Server::start({}, {.on_request = [this](http::ServerRequest req, http::Responder reply) {
      Act act = Act::ok;
      {
        std::lock_guard lock(mu_);
        requests_.push_back(req);
        if (!script_.empty()) {
          act = script_.front();
          script_.pop_front();
        }
      }
      answer(act, req, reply);
    }});
    EXPECT_TRUE(s) << s.error().describe();
    server_ = std::move(*s);
  }
  ~ScriptedServer() {
    for (auto& t : slow_) t.join();
  }

  std::string url() const { return "http://" + server_->endpoint(); }
  std::vector<http::ServerRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  void push(std::deque<Act> more) {
    std::lock_guard lock(mu_);
    for (auto a : more) script_.push_back(a);
  }
  // Answers with this body to Act::ok requests.
  std::function<std::string(const http::ServerRequest&)> ok_body = [](const http::ServerRequest&) { return "{}"; };

 private:
  static http::ServerResponse json_error(int status, std::string_view type, std::string_view message) {
    http::ServerResponse r{status, {}, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + std::string(type) +
                                           "\",\"message\":\"" + std::string(message) + "\"}"};
    r.headers.set("Content-Type", "application/x-amz-json-1.0");
    r.headers.set("x-amzn-RequestId", "req-" + std::string(type));
    return r;
  }
  void answer(Act act, const http::ServerRequest& req, const http::Responder& reply) {
    switch (act) {
      case Act::ok: {
        http::ServerResponse r{200, {}, ok_body(req)};
        r.headers.set("x-amzn-RequestId", "req-ok");
        reply.send(std::move(r));
        return;
      }
      case Act::throttle: reply.send(json_error(400, "ThrottlingException", "Rate exceeded")); return;
      case Act::server_error: reply.send(json_error(500, "InternalServerError", "boom")); return;
      case Act::validation: reply.send(json_error(400, "ValidationException", "bad input")); return;
      case Act::expired_token: reply.send(json_error(400, "ExpiredTokenException", "The security token has expired")); return;
      case Act::unavailable_xml: {
        http::ServerResponse r{503, {},
                               "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message>"
                               "<RequestId>xml-req</RequestId></Error>"};
        reply.send(std::move(r));
        return;
      }
      case Act::skewed: {
        auto r = json_error(400, "InvalidSignatureException", "Signature expired");
        // An hour ahead of us.
        const std::time_t t = std::time(nullptr) + 3600;
        std::tm tm{};
        gmtime_r(&t, &tm);
        char date[64];
        std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        r.headers.set("Date", date);
        reply.send(std::move(r));
        return;
      }
      case Act::reset: reply.abort(); return;
      case Act::slow: {
        std::lock_guard lock(mu_);
        slow_.emplace_back([reply] {
          std::this_thread::sleep_for(700ms);
          reply.send({200, {}, "{}"});
        });
        return;
      }
    }
  }

  mutable std::mutex mu_;
  std::deque<Act> script_;
  std::vector<http::ServerRequest> requests_;
  std::vector<std::thread> slow_;
  std::unique_ptr<http::Server> server_;
};

struct Harness {
  explicit Harness(const ScriptedServer& server, int quota = RetryQuota::kInitialTokens,
                   std::chrono::milliseconds request_timeout = 5s) {
    http::ClientOptions options;
    options.request_timeout = request_timeout;
    auto cfg = ClientConfig::from_environment(Environment::from({{"AWS_REGION", "us-east-1"},
                                                                 {"AWS_ENDPOINT_URL", server.url()},
                                                                 {"AWS_ACCESS_KEY_ID", "AKIDTEST"},
                                                                 {"AWS_SECRET_ACCESS_KEY", "secret"},
                                                                 {"AWS_SESSION_TOKEN", "token"},
                                                                 {"HOME", "/dev/null/none"}}),
                                              std::make_shared<http::Client>(options));
    EXPECT_TRUE(cfg) << cfg.error().describe();
    config = *cfg;
    config->quota = std::make_shared<RetryQuota>(quota);
    config->sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
  }
  Result<AwsResponse> call() const {
    return AwsClient(kDynamoDb, Protocol::json, config).call_json("DynamoDB_20120810.ListTables", "{}");
  }
  std::shared_ptr<ClientConfig> config;
  std::vector<std::chrono::milliseconds> sleeps;
};

TEST(AwsRetry, RetriesThrottlingWithBackoffThenSucceeds) {
  ScriptedServer server({Act::throttle, Act::throttle, Act::ok});
  Harness h(server);
  auto r = h.call();
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->request_id, "req-ok");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].headers.get("amz-sdk-request").value_or(""), "attempt=3; max=3");
  ASSERT_EQ(h.sleeps.size(), 2u);
  EXPECT_LE(h.sleeps[0], 500ms);   // throttling base 500 ms, full jitter
  EXPECT_LE(h.sleeps[1], 1000ms);
  // Each attempt is signed afresh.
  EXPECT_TRUE(requests[0].headers.get("authorization").has_value());
  EXPECT_EQ(requests[0].headers.get("x-amz-security-token").value_or(""), "token");
}

TEST(AwsRetry, Retries5xxAndDroppedConnections) {
  // 500; then a reset on the pooled connection, which the HTTP client
  // replaces once by itself; then a reset on the fresh one, which the retry
  // layer retries after a backoff.
  ScriptedServer server({Act::server_error, Act::reset, Act::reset, Act::ok});
  Harness h(server);
  auto r = h.call();
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(server.requests().size(), 4u);
  ASSERT_EQ(h.sleeps.size(), 2u);
  EXPECT_LE(h.sleeps[0], 100ms);  // transient base 100 ms
  EXPECT_LE(h.sleeps[1], 200ms);
}

TEST(AwsRetry, GivesUpAfterThreeAttemptsWithTheLastError) {
  ScriptedServer server({Act::server_error, Act::unavailable_xml, Act::server_error, Act::ok});
  Harness h(server);
  auto r = h.call();
  ASSERT_FALSE(r);
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(r.error().code, ErrorCode::unavailable);
  EXPECT_EQ(r.error().aws.code, "InternalServerError");
  EXPECT_EQ(r.error().aws.request_id, "req-InternalServerError");
  EXPECT_EQ(r.error().aws.http_status, 500);
}

TEST(AwsRetry, ThrottlingAsAnXmlErrorIsResourceExhausted) {
  ScriptedServer server({Act::unavailable_xml, Act::unavailable_xml, Act::unavailable_xml});
  Harness h(server);
  auto r = AwsClient(kS3, Protocol::rest_xml, h.config).send({.method = "GET", .path = "/bucket/key"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::resource_exhausted);
  EXPECT_EQ(r.error().aws.code, "SlowDown");
  EXPECT_EQ(r.error().aws.request_id, "xml-req");
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(AwsRetry, ClientErrorsAreNotRetried) {
  ScriptedServer server({Act::validation, Act::ok});
  Harness h(server);
  auto r = h.call();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(r.error().message, "bad input (ValidationException)");
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_TRUE(h.sleeps.empty());
}

TEST(AwsRetry, RetryQuotaStopsRetriesWhenSpentAndRefillsOnSuccess) {
  ScriptedServer server;
  Harness h(server, 12);
  server.push({Act::server_error, Act::server_error, Act::server_error});
  ASSERT_FALSE(h.call());
  EXPECT_EQ(h.config->quota->available(), 2);  // two retries at 5 tokens
  server.push({Act::server_error, Act::ok});
  auto r = h.call();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("retry quota"), std::string::npos) << r.error().message;
  EXPECT_EQ(server.requests().size(), 4u);  // no retry without tokens
  // First-try successes earn a token each.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(h.call());
  EXPECT_EQ(h.config->quota->available(), 5);
  // A retry that succeeds gives its tokens back.
  server.push({Act::server_error, Act::ok});
  ASSERT_TRUE(h.call());
  EXPECT_EQ(h.config->quota->available(), 5);
}

TEST(AwsRetry, TimeoutsAreRetriedAtTheHigherCost) {
  ScriptedServer server({Act::slow, Act::ok});
  Harness h(server, RetryQuota::kInitialTokens, 300ms);
  auto r = h.call();
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(server.requests().size(), 2u);
  // The retry succeeded, so its 10 tokens came back.
  EXPECT_EQ(h.config->quota->available(), RetryQuota::kInitialTokens);

  ScriptedServer never({Act::slow, Act::slow, Act::slow});
  Harness h2(never, RetryQuota::kInitialTokens, 200ms);
  auto failed = h2.call();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::deadline_exceeded);
  EXPECT_EQ(h2.config->quota->available(), RetryQuota::kInitialTokens - 2 * RetryQuota::kTimeoutRetryCost);
}

TEST(AwsRetry, BackoffIsFullJitterUnderTheCap) {
  RetryPolicy p;
  for (int retry = 0; retry < 12; ++retry) {
    const auto cap = std::min<long long>(p.max_backoff.count(), p.base_delay.count() << retry);
    long long lo = cap, hi = 0;
    for (int i = 0; i < 2000; ++i) {
      const long long d = backoff_delay(p, retry, false).count();
      ASSERT_GE(d, 0);
      ASSERT_LE(d, cap);
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    EXPECT_LT(lo, cap / 5 + 1) << "retry " << retry;
    EXPECT_GT(hi, cap * 4 / 5) << "retry " << retry;
  }
  EXPECT_LE(backoff_delay(p, 40, true), p.max_backoff);
}

TEST(AwsRetry, ExpiredTokenLoadsCredentialsAgainOnce) {
  ScriptedServer server({Act::expired_token, Act::ok});
  Harness h(server);
  int loads = 0;
  struct Counting : CredentialsProvider {
    int* loads;
    explicit Counting(int* l) : loads(l) {}
    Result<std::optional<Credentials>> load(std::string&) override {
      ++*loads;
      return std::optional<Credentials>(Credentials{"AKID" + std::to_string(*loads), "s", "tok", std::nullopt, "test"});
    }
  };
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  providers.push_back(std::make_unique<Counting>(&loads));
  h.config->credentials = std::make_shared<CredentialChain>(std::move(providers));
  auto r = h.call();
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(loads, 2);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[1].headers.get("authorization")->find("Credential=AKID2/"), std::string::npos);
  EXPECT_TRUE(h.sleeps.empty());
}

TEST(AwsRetry, ClockSkewIsLearntFromTheDateHeader) {
  ScriptedServer server({Act::skewed, Act::ok});
  Harness h(server);
  auto r = h.call();
  ASSERT_TRUE(r) << r.error().describe();
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  const auto stamp = [](std::string_view text) {
    std::tm tm{};
    strptime(std::string(text).c_str(), "%Y%m%dT%H%M%SZ", &tm);
    return static_cast<long long>(timegm(&tm));
  };
  const long long first = stamp(requests[0].headers.get("x-amz-date").value_or(""));
  const long long second = stamp(requests[1].headers.get("x-amz-date").value_or(""));
  EXPECT_NEAR(second - first, 3600, 5);  // signed again with the server's clock
  EXPECT_TRUE(h.sleeps.empty());
  EXPECT_NEAR(h.config->clock_offset_s->load(), 3600, 5);
}

// BatchWriteItem/BatchGetItem: unprocessed entries are sent again, and only they.
TEST(DynamoBatch, UnprocessedItemsAreResentUntilDone) {
  ScriptedServer server;
  int calls = 0;
  std::vector<std::size_t> sizes;
  server.ok_body = [&](const http::ServerRequest& req) -> std::string {
    ++calls;
    auto doc = boost::json::parse(req.body).as_object();
    auto& items = doc["RequestItems"].as_object()["t"].as_array();
    sizes.push_back(items.size());
    if (calls == 1) {
      boost::json::array rest(items.begin() + 20, items.end());  // 5 of 25 left over
      boost::json::object un{{"t", rest}};
      return boost::json::serialize(boost::json::object{{"UnprocessedItems", un}});
    }
    return "{\"UnprocessedItems\":{}}";
  };
  Harness h(server);
  DynamoTableService service(h.config);
  service.set_batch_backoff(1ms);
  std::vector<Value> items;
  for (int i = 0; i < 30; ++i) items.push_back(Value(Object{{"id", "k" + std::to_string(i)}}));
  auto r = service.batch_write({"t", "t", "id", ""}, items, {});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(sizes, (std::vector<std::size_t>{25, 5, 5}));
}

TEST(DynamoBatch, PersistentlyUnprocessedKeysEndInResourceExhausted) {
  ScriptedServer server;
  server.ok_body = [](const http::ServerRequest& req) -> std::string {
    auto doc = boost::json::parse(req.body).as_object();
    auto keys = doc["RequestItems"].as_object()["t"].as_object()["Keys"];
    return boost::json::serialize(boost::json::object{
        {"Responses", boost::json::object{{"t", boost::json::array{}}}},
        {"UnprocessedKeys", boost::json::object{{"t", boost::json::object{{"Keys", keys}}}}}});
  };
  Harness h(server);
  DynamoTableService service(h.config);
  service.set_batch_backoff(1ms);
  auto r = service.batch_get({"t", "t", "id", ""}, {{Value("a"), std::nullopt}, {Value("b"), std::nullopt}}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::resource_exhausted);
  EXPECT_EQ(server.requests().size(), 10u);
}

}  // namespace
}  // namespace gust::aws
