// `gust dev` as a user runs it: started on a free loopback port, driven with
// raw HTTP (so malformed requests can be sent too), the AWS CLI, edits on
// disk and SIGINT. Every loop here is bounded in count and time.
#include "devcloud/emulator/child_process.hpp"
#include "project/process.hpp"

#include <gust/value.hpp>

#include "../../support/loopback.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

namespace gust {
namespace {
namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; repeated ones joined with "\n"
  std::string body;
  bool complete = true;  // a chunked body ended with its last chunk
};

// Decodes a chunked body from the front of `raw`; consumes what it read. False when it is cut short.
bool decode_chunked(std::string_view& raw, std::string& body) {
  for (;;) {
    const auto eol = raw.find("\r\n");
    if (eol == std::string_view::npos) return false;
    const std::size_t size = std::stoul(std::string(raw.substr(0, eol)), nullptr, 16);
    raw.remove_prefix(eol + 2);
    if (size == 0) {
      const auto end = raw.find("\r\n");  // no trailers are sent
      if (end == std::string_view::npos) return false;
      raw.remove_prefix(end + 2);
      return true;
    }
    if (raw.size() < size + 2) {
      body.append(raw.substr(0, std::min(raw.size(), size)));
      raw = {};
      return false;
    }
    body.append(raw.substr(0, size));
    raw.remove_prefix(size + 2);
  }
}

// Sends raw bytes to 127.0.0.1:port and reads until the server closes or `count` responses are complete.
std::string raw_exchange(int port, std::string_view raw, std::chrono::milliseconds timeout = 10s) {
  const int fd = testing::connect_loopback(port, timeout);
  std::string out;
  if (fd >= 0) {
    for (std::size_t sent = 0; sent < raw.size();) {
      const ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    char buffer[65536];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

std::vector<HttpReply> parse_replies(std::string_view raw) {
  std::vector<HttpReply> out;
  while (!raw.empty()) {
    const auto head_end = raw.find("\r\n\r\n");
    if (head_end == std::string_view::npos) break;
    HttpReply r;
    std::istringstream head{std::string(raw.substr(0, head_end))};
    std::string line;
    std::getline(head, line);
    r.status = std::stoi(line.substr(9, 3));
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      auto& slot = r.headers[name];
      slot = slot.empty() ? value : slot + "\n" + value;
    }
    raw.remove_prefix(head_end + 4);
    if (r.headers["transfer-encoding"] == "chunked") {
      r.complete = decode_chunked(raw, r.body);
    } else {
      const std::size_t length = r.headers.contains("content-length") ? std::stoul(r.headers["content-length"]) : 0;
      r.body = std::string(raw.substr(0, length));
      raw.remove_prefix(std::min(raw.size(), length));
    }
    out.push_back(std::move(r));
  }
  return out;
}

HttpReply request(int port, std::string_view method, std::string_view target, std::string_view body = {},
                  std::vector<std::string> headers = {}) {
  std::string raw = fmt::format("{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n", method, target, body.size());
  for (const auto& h : headers) raw += h + "\r\n";
  raw += "\r\n";
  raw += body;
  auto replies = parse_replies(raw_exchange(port, raw));
  return replies.empty() ? HttpReply{} : replies.front();
}

// One `gust dev` for the whole suite: building the app is the slow part.
// The log `aws lambda invoke --log-type Tail --query LogResult --output text` printed, decoded.
Result<std::string> decoded_log_result(std::string printed) {
  while (!printed.empty() && (printed.back() == '\n' || printed.back() == '\r')) printed.pop_back();
  return base64_decode(printed);
}

class Dev : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / fmt::format("gust-dev-test-{}", ::getpid());
    fs::remove_all(root_);
    fs::create_directories(root_);
    fs::copy(fs::path(GUST_SOURCE_DIR) / "tests/e2e/dev/app", root_ / "app", fs::copy_options::recursive);
    devcloud::ChildOptions options;
    options.argv = {(fs::path(GUST_BINARY_DIR) / "bin" / "gust").string(), "dev", (root_ / "app").string(), "--port", "0"};
    for (char** e = environ; *e != nullptr; ++e) {
      std::string_view kv(*e);
      const auto eq = kv.find('=');
      options.env.emplace_back(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    }
    options.on_line = [](std::string_view line, bool) {
      std::lock_guard lock(mutex_);
      output_ += std::string(line) + "\n";
      changed_.notify_all();
    };
    auto started = devcloud::ChildProcess::start(std::move(options));
    ASSERT_TRUE(started) << started.error().describe();
    dev_ = std::move(*started);
    ASSERT_TRUE(wait_for_output(std::regex("Ctrl-C stops"), 300s)) << output();
    std::smatch m;
    const std::string text = output();
    std::regex_search(text, m, std::regex("serving on http://127\\.0\\.0\\.1:([0-9]+)"));
    port_ = std::stoi(m[1]);
  }
  static void TearDownTestSuite() {
    if (dev_ && dev_->running()) {
      dev_->kill(SIGKILL);
    }
    dev_.reset();
    fs::remove_all(root_);
  }

  static std::string output() {
    std::lock_guard lock(mutex_);
    return output_;
  }
  static bool wait_for_output(const std::regex& pattern, std::chrono::seconds timeout, std::size_t from = 0) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return std::regex_search(output_.substr(std::min(from, output_.size())), pattern); });
  }
  static std::size_t output_size() {
    std::lock_guard lock(mutex_);
    return output_.size();
  }
  // Processes running a snapshot of the test app's binary.
  static std::vector<int> instance_pids() {
    std::vector<int> out;
    const std::string bin_dir = (root_ / "app" / ".gust" / "dev" / "bin").string();
    for (const auto& entry : fs::directory_iterator("/proc")) {
      const std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::error_code ec;
      const auto exe = fs::read_symlink(entry.path() / "exe", ec);
      if (!ec && exe.string().starts_with(bin_dir)) out.push_back(std::stoi(name));
    }
    return out;
  }

  static inline fs::path root_;
  static inline std::unique_ptr<devcloud::ChildProcess> dev_;
  static inline int port_ = 0;
  static inline std::mutex mutex_;
  static inline std::condition_variable changed_;
  static inline std::string output_;
};

TEST_F(Dev, StartUpListsEveryRouteWithItsUrl) {
  const std::string text = output();
  EXPECT_THAT(text, HasSubstr(fmt::format("GET     http://127.0.0.1:{}/hello/{{name}}  -> get-hello-name", port_)));
  EXPECT_THAT(text, HasSubstr("aws lambda invoke --endpoint-url"));
  EXPECT_THAT(text, HasSubstr("state in"));
}

TEST_F(Dev, RoutesWithParamsQueryAndGreedyPaths) {
  auto r = request(port_, "GET", "/hello/ada?q=x+y");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello, ada! q=x y");
  EXPECT_EQ(request(port_, "GET", "/files/a/b/c.txt").body, "a/b/c.txt");
  auto missing = request(port_, "GET", "/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, R"({"message":"Not Found"})");
}

TEST_F(Dev, KeepAliveAndPipelinedRequestsAreAnsweredInOrder) {
  const std::string two = "GET /hello/one HTTP/1.1\r\nHost: x\r\n\r\nGET /hello/two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto replies = parse_replies(raw_exchange(port_, two));
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_THAT(replies[0].body, HasSubstr("hello, one!"));
  EXPECT_THAT(replies[1].body, HasSubstr("hello, two!"));
}

TEST_F(Dev, BinaryBodiesRoundTrip) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  auto r = request(port_, "POST", "/echo", bytes, {"Content-Type: application/octet-stream"});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, bytes);
  EXPECT_EQ(r.headers["content-type"], "application/octet-stream");
}

TEST_F(Dev, LargeBodiesUpToTheLimitAndBeyond) {
  const std::string large(4 * 1024 * 1024, 'x');
  auto r = request(port_, "POST", "/echo", large, {"Content-Type: text/plain"});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.size(), large.size());
  const std::string too_large(11 * 1024 * 1024, 'y');
  EXPECT_EQ(request(port_, "POST", "/echo", too_large, {"Content-Type: text/plain"}).status, 413);
  EXPECT_EQ(request(port_, "GET", "/hello/still-up").status, 200);
}

TEST_F(Dev, CookiesGoBothWays) {
  auto r = request(port_, "GET", "/cookies", {}, {"Cookie: session=s1; other=o"});
  EXPECT_EQ(r.body, "session=s1");
  EXPECT_EQ(r.headers["set-cookie"], "a=1; Path=/; Secure; HttpOnly; SameSite=Lax\nb=2; Path=/; Secure; HttpOnly; SameSite=Lax");
}

TEST_F(Dev, AHandlerPastItsTimeoutIsKilledAnd503) {
  const auto from = output_size();
  const auto started = std::chrono::steady_clock::now();
  auto r = request(port_, "GET", "/slow");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, R"({"message":"Service Unavailable"})");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);
  EXPECT_TRUE(wait_for_output(std::regex("Task timed out after 1.00 seconds"), 5s, from)) << output().substr(from);
}

TEST_F(Dev, ACrashingHandlerGets500AndTheNextRequestAFreshInstance) {
  const auto from = output_size();
  auto r = request(port_, "GET", "/crash");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"({"message":"Internal Server Error"})");
  EXPECT_TRUE(wait_for_output(std::regex("Runtime exited with error: signal 6"), 5s, from)) << output().substr(from);
  EXPECT_EQ(request(port_, "GET", "/crash").status, 500) << "a replaced instance serves (and crashes) again";
}

TEST_F(Dev, StreamedRoutesArriveChunkedWithTheirPrelude) {
  auto r = request(port_, "GET", "/stream");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["transfer-encoding"], "chunked");
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.body, "part 0\npart 1\npart 2\n");
  EXPECT_EQ(r.headers["content-type"], "text/plain");
}

// The handler writes a part every 400 ms: the first must reach the client
// while the last is still to be written, and the rest must follow as written.
TEST_F(Dev, StreamedBodiesReachTheClientAsTheyAreWritten) {
  const int fd = testing::connect_loopback(port_, 10s);
  ASSERT_GE(fd, 0);
  const std::string get = "GET /stream-slow HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(::send(fd, get.data(), get.size(), MSG_NOSIGNAL), static_cast<ssize_t>(get.size()));
  std::string raw;
  std::optional<std::chrono::steady_clock::time_point> first_at, last_at;
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  char buffer[4096];
  for (ssize_t n; std::chrono::steady_clock::now() < deadline && (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
    raw.append(buffer, static_cast<std::size_t>(n));
    if (!first_at && raw.find("part 0") != std::string::npos) {
      first_at = std::chrono::steady_clock::now();
      EXPECT_EQ(raw.find("part 3"), std::string::npos) << "the first part came only with the last";
    }
    if (!last_at && raw.find("part 3") != std::string::npos) last_at = std::chrono::steady_clock::now();
  }
  ::close(fd);
  ASSERT_TRUE(first_at && last_at) << raw;
  EXPECT_GE(*last_at - *first_at, 800ms) << "parts written 1.2 s apart arrived together";
  auto replies = parse_replies(raw);
  ASSERT_EQ(replies.size(), 1u) << raw;
  EXPECT_EQ(replies[0].status, 201);
  EXPECT_EQ(replies[0].headers["x-streamed"], "yes");
  EXPECT_THAT(replies[0].headers["set-cookie"], HasSubstr("s=1"));
  EXPECT_TRUE(replies[0].complete);
  EXPECT_EQ(replies[0].body, "part 0\npart 1\npart 2\npart 3\n");
}

// Once the head is out the status cannot change: a failure cuts the body
// short (no last chunk), so the client knows the response is incomplete.
TEST_F(Dev, AStreamThatFailsMidwayIsCutShort) {
  const std::size_t from = output_size();
  auto replies = parse_replies(raw_exchange(port_, "GET /stream-fail HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].status, 200);
  EXPECT_EQ(replies[0].body, "before the failure\n");
  EXPECT_FALSE(replies[0].complete);
  EXPECT_TRUE(wait_for_output(std::regex("stream broke"), 5s, from)) << output().substr(from);
  EXPECT_EQ(request(port_, "GET", "/version").body, "v1") << "the gateway carries on";
}

TEST_F(Dev, AThrowingHandlerIs500) {
  EXPECT_EQ(request(port_, "GET", "/throw").status, 500);
}

TEST_F(Dev, ConcurrencyAboveTheLimitIsThrottled) {
  std::vector<std::future<HttpReply>> calls;
  for (int i = 0; i < 4; ++i) calls.push_back(std::async(std::launch::async, [] { return request(port_, "GET", "/busy"); }));
  int ok = 0, throttled = 0;
  for (auto& c : calls) {
    const auto r = c.get();
    ok += r.status == 200;
    throttled += r.status == 429;
  }
  EXPECT_GE(ok, 1);
  EXPECT_GE(throttled, 1);
  EXPECT_EQ(ok + throttled, 4);
}

TEST_F(Dev, MalformedRequestsGet400AndTheServerCarriesOn) {
  const auto raw = raw_exchange(port_, "THIS IS NOT HTTP\r\n\r\n", 5s);
  EXPECT_THAT(raw, HasSubstr("400")) << raw;
  const auto bad_header = raw_exchange(port_, "GET /hello/x HTTP/1.1\r\nHost x\r\n\r\n", 5s);
  EXPECT_THAT(bad_header, HasSubstr("400")) << bad_header;
  EXPECT_EQ(request(port_, "GET", "/hello/fine").status, 200);
}

TEST_F(Dev, AwsCliInvokesThroughTheLambdaApi) {
  const project::ProcessOptions creds{.extra_env = {{"AWS_ACCESS_KEY_ID", "local"}, {"AWS_SECRET_ACCESS_KEY", "local"}, {"AWS_PAGER", ""}},
                                      .timeout = 60s};
  auto version = project::run_process({"aws", "--version"}, creds);
  ASSERT_TRUE(version) << "the AWS CLI is not installed: " << version.error().describe();
  // CLI v2 base64-decodes --payload unless told otherwise; v1 sends it as it is.
  const bool v2 = (version->out + version->err).find("aws-cli/2") != std::string::npos;
  const fs::path out = root_ / "out.json";
  std::vector<std::string> argv = {"aws", "lambda", "invoke", "--endpoint-url", fmt::format("http://127.0.0.1:{}", port_), "--region",
                                   "us-east-1", "--function-name", "get-version", "--payload",
                                   R"({"version":"2.0","rawPath":"/version","requestContext":{"http":{"method":"GET"}}})", out.string()};
  if (v2) argv.insert(argv.end() - 1, {"--cli-binary-format", "raw-in-base64-out"});
  auto r = project::run_process(argv, creds);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->exit_code, 0) << r->out << r->err;
  EXPECT_THAT(r->out, HasSubstr("\"StatusCode\": 200"));
  std::stringstream body;
  body << std::ifstream(out).rdbuf();
  EXPECT_THAT(body.str(), HasSubstr("\"statusCode\":200"));
  EXPECT_THAT(body.str(), HasSubstr("v"));

  auto failing = project::run_process({"aws", "lambda", "invoke", "--endpoint-url", fmt::format("http://127.0.0.1:{}", port_), "--region",
                                       "us-east-1", "--function-name", "get-throw", out.string()},
                                      creds);
  ASSERT_TRUE(failing);
  EXPECT_EQ(failing->exit_code, 0) << failing->err;
  EXPECT_THAT(failing->out, HasSubstr("\"FunctionError\": \"Unhandled\""));

  // --log-type Tail: the end of the invocation's log, as CloudWatch has it, base64 in LogResult.
  auto tailed = project::run_process({"aws", "lambda", "invoke", "--endpoint-url", fmt::format("http://127.0.0.1:{}", port_), "--region",
                                      "us-east-1", "--function-name", "get-throw", "--log-type", "Tail", "--query", "LogResult",
                                      "--output", "text", out.string()},
                                     creds);
  ASSERT_TRUE(tailed);
  ASSERT_EQ(tailed->exit_code, 0) << tailed->err;
  auto log = decoded_log_result(tailed->out);
  ASSERT_TRUE(log) << tailed->out;
  EXPECT_THAT(*log, ::testing::StartsWith("START RequestId: "));
  // No --payload: Lambda hands the function {} (so the runtime names what the event lacks).
  EXPECT_THAT(*log, HasSubstr(" Error: Runtime.MalformedEvent: (event): not an API Gateway HTTP event"));
  EXPECT_THAT(*log, HasSubstr("\nEND RequestId: "));
  EXPECT_THAT(*log, HasSubstr("\nREPORT RequestId: "));
  EXPECT_THAT(*log, HasSubstr("Max Memory Used: "));

  // What the handler logged is in the tail, before END (read from the instance's pipe first).
  std::vector<std::string> tick = {"aws", "lambda", "invoke", "--endpoint-url", fmt::format("http://127.0.0.1:{}", port_), "--region",
                                   "us-east-1", "--function-name", "tick", "--log-type", "Tail", "--query", "LogResult", "--output", "text",
                                   "--payload",
                                   R"({"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events","account":"000000000000","time":"2026-11-27T00:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:000000000000:rule/tick"],"detail":{}})",
                                   out.string()};
  if (v2) tick.insert(tick.end() - 1, {"--cli-binary-format", "raw-in-base64-out"});
  for (int i = 0; i < 3; ++i) {  // the order must hold every time, not once
    auto ticked = project::run_process(tick, creds);
    ASSERT_TRUE(ticked);
    ASSERT_EQ(ticked->exit_code, 0) << ticked->err;
    auto tick_log = decoded_log_result(ticked->out);
    ASSERT_TRUE(tick_log) << ticked->out;
    const auto fired = tick_log->find("tick fired by arn:aws:events:");
    ASSERT_NE(fired, std::string::npos) << *tick_log;
    EXPECT_LT(fired, tick_log->find("\nEND RequestId: ")) << *tick_log;
  }

  auto missing = project::run_process({"aws", "lambda", "invoke", "--endpoint-url", fmt::format("http://127.0.0.1:{}", port_), "--region",
                                       "us-east-1", "--function-name", "nope", out.string()},
                                      creds);
  ASSERT_TRUE(missing);
  EXPECT_NE(missing->exit_code, 0);
  EXPECT_THAT(missing->err, HasSubstr("ResourceNotFoundException"));
}

TEST_F(Dev, InvokeAndTriggerGoThroughTheRunningDevCloud) {
  const std::string gust = (fs::path(GUST_BINARY_DIR) / "bin" / "gust").string();
  auto from = output_size();
  auto invoked = project::run_process({gust, "invoke", (root_ / "app").string(), "get-version"}, {.timeout = 300s});
  ASSERT_TRUE(invoked);
  EXPECT_EQ(invoked->exit_code, 0) << invoked->err;
  EXPECT_THAT(invoked->out, HasSubstr("\"statusCode\":200"));
  EXPECT_TRUE(wait_for_output(std::regex("get-version START RequestId"), 10s, from)) << "the dev cloud served it";

  from = output_size();
  auto fired = project::run_process({gust, "trigger", "tick", (root_ / "app").string()}, {.timeout = 300s});
  ASSERT_TRUE(fired);
  EXPECT_EQ(fired->exit_code, 0) << fired->err;
  EXPECT_THAT(fired->out, HasSubstr("fired tick"));
  EXPECT_TRUE(wait_for_output(std::regex("tick fired by arn:aws:events:"), 10s, from)) << output().substr(from);

  auto unknown = project::run_process({gust, "trigger", "tock", (root_ / "app").string()}, {.timeout = 300s});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->exit_code, 2);
  EXPECT_THAT(unknown->err, HasSubstr("has no schedule \"tock\""));
  EXPECT_THAT(unknown->err, HasSubstr("its schedules: tick"));
}

// Runs last (the Z): it edits the app and finally stops gust dev.
TEST_F(Dev, ZReloadsOnSaveKeepsServingOnBrokenBuildsAndStopsCleanly) {
  const fs::path main = root_ / "app" / "main.cpp";
  std::stringstream source;
  source << std::ifstream(main).rdbuf();
  const std::string original = source.str();
  auto edited = original;
  edited.replace(edited.find("\"v1\""), 4, "\"v2\"");
  auto from = output_size();
  std::ofstream(main) << edited;
  ASSERT_TRUE(wait_for_output(std::regex("reloaded in [0-9]+ ms"), 300s, from)) << output().substr(from);
  EXPECT_EQ(request(port_, "GET", "/version").body, "v2");

  from = output_size();
  std::ofstream(main) << edited + "\nthis does not compile;\n";
  ASSERT_TRUE(wait_for_output(std::regex("the build failed; still serving the last good build"), 300s, from)) << output().substr(from);
  EXPECT_TRUE(wait_for_output(std::regex("this does not compile"), 10s, from)) << "the compiler's words reach the user";
  EXPECT_EQ(request(port_, "GET", "/version").body, "v2");

  ASSERT_FALSE(instance_pids().empty());
  dev_->kill(SIGINT);
  for (int i = 0; i < 300 && dev_->running(); ++i) std::this_thread::sleep_for(100ms);
  ASSERT_FALSE(dev_->running()) << "gust dev did not stop on SIGINT";
  EXPECT_EQ(dev_->exit_status(), 0);
  EXPECT_TRUE(instance_pids().empty()) << "gust dev left function processes behind";
}

}  // namespace
}  // namespace gust
