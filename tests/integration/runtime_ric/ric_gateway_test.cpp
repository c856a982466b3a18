// The gust dev gateway in front of a function run by the official Node.js
// Runtime Interface Client (aws-lambda-ric), as `gust dev --run
// FUNCTION=COMMAND` does it: an HTTP request in, a JS handler's answer out,
// buffered and streamed.
#include "devcloud/dev/dev_cloud.hpp"

#include "../../support/loopback.hpp"
#include "../runtime/test_process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <gust/value.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <optional>

namespace gust {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

std::string ric_entry() {
  std::string path = testing::read_file(GUST_RIC_ENTRY_FILE);
  while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
  return path;
}

manifest::Function http_function(std::string id, std::string path) {
  manifest::Function fn;
  fn.id = std::move(id);
  fn.trigger.kind = manifest::TriggerKind::http;
  fn.trigger.method = "GET";
  fn.trigger.path = std::move(path);
  fn.options.timeout_seconds = 10;
  return fn;
}

struct Received {
  std::string raw;
  std::optional<std::chrono::steady_clock::time_point> first_at, last_at;  // when `first` and `last` arrived
};

// GET through the gateway with Connection: close; reads to the end (10 s at most).
Received get(int port, std::string_view target, std::string_view first = {}, std::string_view last = {}) {
  Received out;
  const int fd = testing::connect_loopback(port, 10s);
  if (fd >= 0) {
    const std::string request = fmt::format("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", target);
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
      out.raw.append(buffer, static_cast<std::size_t>(n));
      if (!first.empty() && !out.first_at && out.raw.find(first) != std::string::npos) out.first_at = std::chrono::steady_clock::now();
      if (!last.empty() && !out.last_at && out.raw.find(last) != std::string::npos) out.last_at = std::chrono::steady_clock::now();
    }
  }
  ::close(fd);
  return out;
}

class RicBehindTheGateway : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string entry = ric_entry();
    ASSERT_TRUE(std::filesystem::exists(entry)) << "aws-lambda-ric is not installed; run tests/integration/runtime_ric/setup.sh";
    log_path_ = ::testing::TempDir() + "/ric_gateway.log";
    log_file_ = std::fopen(log_path_.c_str(), "w");
    log_ = std::make_unique<devcloud::ConsoleLog>(log_file_, false);
    manifest::Manifest m;
    m.app = "ric";
    m.functions = {http_function("hello", "/hello/{name}"), http_function("stream", "/stream")};
    devcloud::DevOptions options;
    options.port = 0;
    // The Node client takes its handler from _HANDLER, which names the gust function otherwise.
    options.function_commands = {{"hello", fmt::format("env _HANDLER=index.http node '{}'", entry)},
                                 {"stream", fmt::format("env _HANDLER=stream.streamed node '{}'", entry)}};
    options.command_dir = GUST_RIC_HANDLER_DIR;
    options.function_env = {{"NODE_NO_WARNINGS", "1"}};
    // No app binary: every function runs under the command.
    auto cloud = devcloud::DevCloud::start(m, "/nonexistent/app", options, *log_);
    ASSERT_TRUE(cloud) << cloud.error().describe();
    cloud_ = std::move(*cloud);
  }
  void TearDown() override {
    if (cloud_) cloud_->stop();
    EXPECT_TRUE(cloud_ == nullptr || cloud_->pids().empty());
    cloud_.reset();
    log_.reset();
    if (log_file_ != nullptr) std::fclose(log_file_);
  }
  std::string log() const { return testing::read_file(log_path_); }

  std::string log_path_;
  std::FILE* log_file_ = nullptr;
  std::unique_ptr<devcloud::ConsoleLog> log_;
  std::unique_ptr<devcloud::DevCloud> cloud_;
};

TEST_F(RicBehindTheGateway, AJsHandlerAnswersAnHttpRequest) {
  for (int i = 0; i < 2; ++i) {  // cold, then warm on the same process
    auto r = get(cloud_->port(), "/hello/ada?q=42");
    ASSERT_THAT(r.raw, HasSubstr("HTTP/1.1 201 Created\r\n")) << r.raw << "\n" << log();
    EXPECT_THAT(r.raw, HasSubstr("x-runtime: node-ric\r\n"));
    EXPECT_THAT(r.raw, HasSubstr("set-cookie: flavour=node\r\n"));
    auto body = parse_json(r.raw.substr(r.raw.find("\r\n\r\n") + 4));
    ASSERT_TRUE(body) << r.raw;
    EXPECT_EQ(body->find("name")->as_string(), "ada");
    EXPECT_EQ(body->find("method")->as_string(), "GET");
    EXPECT_EQ(body->find("q")->as_string(), "42");
    EXPECT_EQ(body->find("taskRoot")->as_string(), GUST_RIC_HANDLER_DIR);
  }
  EXPECT_THAT(log(), HasSubstr("Init Duration"));
}

// awslambda.streamifyResponse + HttpResponseStream.from, relayed as produced.
TEST_F(RicBehindTheGateway, AStreamingJsHandlerIsPassedThroughAsItWrites) {
  auto r = get(cloud_->port(), "/stream", "first;", "second");
  ASSERT_THAT(r.raw, HasSubstr("HTTP/1.1 202 Accepted\r\n")) << r.raw << "\n" << log();
  EXPECT_THAT(r.raw, HasSubstr("x-streamed: node\r\n"));
  EXPECT_THAT(r.raw, HasSubstr("Transfer-Encoding: chunked\r\n"));
  ASSERT_TRUE(r.first_at && r.last_at) << r.raw;
  EXPECT_GE(*r.last_at - *r.first_at, 400ms) << "the parts were written 600 ms apart but arrived together";
  EXPECT_TRUE(r.raw.ends_with("0\r\n\r\n")) << r.raw;
}

TEST(RicGatewayOptions, RunningAFunctionTheAppDoesNotHaveIsAClearError) {
  manifest::Manifest m;
  m.app = "ric";
  m.functions = {http_function("hello", "/hello/{name}")};
  devcloud::DevOptions options;
  options.port = 0;
  options.function_commands = {{"helo", "node whatever.mjs"}};
  devcloud::ConsoleLog log(stderr, false);
  auto cloud = devcloud::DevCloud::start(m, "/nonexistent/app", options, log);
  ASSERT_FALSE(cloud);
  EXPECT_EQ(cloud.error().code, ErrorCode::invalid_argument);
  EXPECT_THAT(cloud.error().describe(), HasSubstr("no function helo"));
  EXPECT_THAT(cloud.error().describe(), HasSubstr("hello"));
}

}  // namespace
}  // namespace gust
