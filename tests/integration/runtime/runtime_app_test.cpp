// The runtime as a real process: the statically linked test app serves our
// Runtime API server over loopback, in the normal root and in an empty one.
#include "devcloud/runtime_api_server.hpp"
#include "test_process.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace gust {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using devcloud::InvocationOutcome;
using devcloud::RuntimeApiServer;
using Status = InvocationOutcome::Status;
using testing::Child;
using testing::read_file;

std::string http_event(std::string_view method, std::string_view path, std::string_view route, std::string_view params) {
  return fmt::format(R"({{"version":"2.0","routeKey":"{0} {2}","rawPath":"{1}","rawQueryString":"","headers":{{"host":"localhost"}},)"
                     R"("requestContext":{{"http":{{"method":"{0}","path":"{1}","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"}},)"
                     R"("requestId":"r1","routeKey":"{0} {2}","stage":"$default"}},"pathParameters":{3},"isBase64Encoded":false}})",
                     method, path, route, params);
}

InvocationOutcome await(std::future<InvocationOutcome> f) {
  if (f.wait_for(20s) != std::future_status::ready) {
    ADD_FAILURE() << "no outcome within 20 s";
    std::abort();
  }
  return f.get();
}

class RuntimeApp : public ::testing::Test {
 protected:
  void SetUp() override {
    auto api = RuntimeApiServer::start();
    ASSERT_TRUE(api) << api.error().describe();
    api_ = std::move(*api);
    log_ = ::testing::TempDir() + "/runtime_app_" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".log";
  }
  std::vector<std::pair<std::string, std::string>> env(std::string handler, std::string endpoint = {}) {
    return {{"AWS_LAMBDA_RUNTIME_API", endpoint.empty() ? api_->endpoint() : endpoint},
            {"_HANDLER", std::move(handler)},
            {"AWS_LAMBDA_FUNCTION_NAME", "runtime-test"},
            {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"}};
  }
  std::string log() { return read_file(log_); }

  std::unique_ptr<RuntimeApiServer> api_;
  std::string log_;
};

TEST_F(RuntimeApp, ServesInvocationsAndFunctionErrors) {
  Child app({GUST_TEST_APP}, env("get-echo-word"), log_);
  ASSERT_TRUE(api_->wait_ready(10s)) << log();
  auto ok = await(api_->invoke({.payload = http_event("GET", "/echo/hi", "/echo/{word}", R"({"word":"hi"})"), .request_id = "req-42"}));
  ASSERT_EQ(ok.status, Status::success) << ok.error_type << ": " << ok.error_message << "\n" << log();
  auto response = parse_json(ok.payload);
  ASSERT_TRUE(response) << ok.payload;
  EXPECT_EQ(response->find("statusCode")->as_int(), 200);
  auto body = parse_json(response->find("body")->as_string());
  ASSERT_TRUE(body);
  EXPECT_EQ(body->find("word")->as_string(), "hi");
  EXPECT_EQ(body->find("requestId")->as_string(), "req-42");

  auto malformed = await(api_->invoke({.payload = "[1,2"}));
  EXPECT_EQ(malformed.status, Status::function_error);
  EXPECT_EQ(malformed.error_type, "Runtime.MalformedEvent");
  EXPECT_FALSE(malformed.error_message.empty());

  auto again = await(api_->invoke({.payload = http_event("GET", "/echo/yo", "/echo/{word}", R"({"word":"yo"})")}));
  EXPECT_EQ(again.status, Status::success) << log();
}

TEST_F(RuntimeApp, ReportsAThrowingHandler) {
  Child app({GUST_TEST_APP}, env("post-fail"), log_);
  auto failed = await(api_->invoke({.payload = http_event("POST", "/fail", "/fail", "null")}));
  ASSERT_EQ(failed.status, Status::function_error) << log();
  EXPECT_EQ(failed.error_message, "asked to fail");
  EXPECT_EQ(failed.error_type, "std::runtime_error");
}

TEST_F(RuntimeApp, PostsAnInitErrorForAnUnknownHandler) {
  Child app({GUST_TEST_APP}, env("get-nothing"), log_);
  EXPECT_EQ(app.wait(10s), 1) << log();
  auto init = api_->init_error();
  ASSERT_TRUE(init) << log();
  EXPECT_EQ(init->error_type, "Runtime.HandlerNotFound");
  EXPECT_NE(init->error_message.find("get-echo-word"), std::string::npos) << init->error_message;
}

TEST_F(RuntimeApp, ExitsNonZeroWhenTheApiGoesAway) {
  Child app({GUST_TEST_APP}, env("get-echo-word"), log_);
  ASSERT_TRUE(api_->wait_ready(10s)) << log();
  api_->stop();
  EXPECT_EQ(app.wait(20s), 1) << log();
  EXPECT_NE(log().find("exiting"), std::string::npos) << log();
}

// The deploy package's shape: one static binary, nothing else in the root.
TEST_F(RuntimeApp, RunsInAnEmptyRoot) {
  if (!GUST_TEST_APP_STATIC) GTEST_SKIP() << "the test app is not static in this build (sanitizers)";
  const fs::path root = fs::path(::testing::TempDir()) / ("gust-empty-root-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  fs::copy_file(GUST_TEST_APP, root / "bootstrap");
  fs::permissions(root / "bootstrap", fs::perms::owner_all);
  std::vector<std::string> entries;
  for (const auto& e : fs::directory_iterator(root)) entries.push_back(e.path().filename());
  ASSERT_EQ(entries, std::vector<std::string>{"bootstrap"});
  // A user namespace makes chroot work without privileges where the kernel allows it; as root, plain chroot works too.
  std::vector<std::string> argv = geteuid() == 0 ? std::vector<std::string>{"unshare", "--mount", "chroot", root.string(), "/bootstrap"}
                                                 : std::vector<std::string>{"unshare", "--user", "--map-root-user", "--mount", "chroot",
                                                                            root.string(), "/bootstrap"};
  // "localhost" needs the resolver's fallback: there is no /etc/hosts in the empty root.
  const std::string endpoint = "localhost:" + api_->endpoint().substr(api_->endpoint().rfind(':') + 1);
  {
    Child app(argv, env("get-echo-word", endpoint), log_);
    ASSERT_TRUE(api_->wait_ready(10s)) << log();
    auto ok = await(api_->invoke({.payload = http_event("GET", "/echo/root", "/echo/{word}", R"({"word":"root"})")}));
    ASSERT_EQ(ok.status, Status::success) << ok.error_message << "\n" << log();
    EXPECT_NE(ok.payload.find("root"), std::string::npos);
  }
  fs::remove_all(root);
}

}  // namespace
}  // namespace gust
