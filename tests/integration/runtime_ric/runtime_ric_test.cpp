// Our Runtime API server against the official Node.js Runtime Interface
// Client (aws-lambda-ric), which nobody here wrote: success, function error
// and init error.
#include "devcloud/runtime_api_server.hpp"

#include "../runtime/test_process.hpp"

#include <gust/value.hpp>

#include <gtest/gtest.h>

#include <filesystem>

namespace gust {
namespace {

using namespace std::chrono_literals;
using devcloud::InvocationOutcome;
using devcloud::RuntimeApiServer;
using Status = InvocationOutcome::Status;
using testing::Child;
using testing::read_file;

std::string ric_entry() {
  std::string path = read_file(GUST_RIC_ENTRY_FILE);
  while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
  return path;
}

InvocationOutcome await(std::future<InvocationOutcome> f) {
  if (f.wait_for(30s) != std::future_status::ready) {
    ADD_FAILURE() << "no outcome within 30 s";
    std::abort();
  }
  return f.get();
}

class NodeRic : public ::testing::Test {
 protected:
  void SetUp() override {
    entry_ = ric_entry();
    ASSERT_TRUE(std::filesystem::exists(entry_)) << "aws-lambda-ric is not installed; run tests/integration/runtime_ric/setup.sh "
                                                     "(ctest runs it as runtime_ric_setup): "
                                                  << GUST_RIC_ENTRY_FILE;
    auto api = RuntimeApiServer::start();
    ASSERT_TRUE(api) << api.error().describe();
    api_ = std::move(*api);
    log_ = ::testing::TempDir() + "/ric_" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".log";
  }

  std::unique_ptr<Child> start(const std::string& handler) {
    return std::make_unique<Child>(std::vector<std::string>{"node", entry_, handler},
                                   std::vector<std::pair<std::string, std::string>>{
                                       {"AWS_LAMBDA_RUNTIME_API", api_->endpoint()},
                                       {"LAMBDA_TASK_ROOT", GUST_RIC_HANDLER_DIR},
                                       {"_HANDLER", handler},
                                       {"AWS_LAMBDA_FUNCTION_NAME", "ric-interop"},
                                       {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"},
                                       {"AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"},
                                       {"AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/ric-interop"},
                                       {"AWS_LAMBDA_LOG_STREAM_NAME", "local"},
                                       {"AWS_REGION", "us-east-1"},
                                       {"NODE_NO_WARNINGS", "1"}},
                                   log_);
  }

  std::string log() { return read_file(log_); }

  std::string entry_;
  std::unique_ptr<RuntimeApiServer> api_;
  std::string log_;
};

TEST_F(NodeRic, ServesASuccessfulInvocation) {
  auto node = start("index.echo");
  auto outcome = await(api_->invoke({.payload = R"({"order":17,"items":["a","b"]})", .timeout = 10s, .request_id = "ric-req-1"}));
  ASSERT_EQ(outcome.status, Status::success) << outcome.error_type << ": " << outcome.error_message << "\n" << log();
  auto v = parse_json(outcome.payload);
  ASSERT_TRUE(v) << outcome.payload;
  EXPECT_EQ(v->find("echoed")->find("order")->as_int(), 17);
  EXPECT_EQ(v->find("requestId")->as_string(), "ric-req-1");
  EXPECT_TRUE(v->find("remainingPositive")->as_bool());  // it understood our deadline header
  EXPECT_EQ(v->find("functionArn")->as_string(), "arn:aws:lambda:us-east-1:000000000000:function:gust-dev");
  // Warm: the same process serves the next one.
  auto second = await(api_->invoke({.payload = "[1]", .timeout = 10s}));
  EXPECT_EQ(second.status, Status::success) << log();
}

TEST_F(NodeRic, ReportsAFunctionError) {
  auto node = start("index.fail");
  auto outcome = await(api_->invoke({.payload = "{}", .timeout = 10s}));
  ASSERT_EQ(outcome.status, Status::function_error) << outcome.payload << "\n" << log();
  EXPECT_EQ(outcome.error_type, "OrderGone");
  EXPECT_EQ(outcome.error_message, "the order is gone");
  auto body = parse_json(outcome.error_body);
  ASSERT_TRUE(body) << outcome.error_body;
  ASSERT_NE(body->find("errorType"), nullptr) << outcome.error_body;
  EXPECT_EQ(body->find("errorType")->as_string(), "OrderGone");
  ASSERT_NE(body->find("trace"), nullptr) << outcome.error_body;  // the Node client's stack field
  EXPECT_EQ(body->find("trace")->kind(), Value::Kind::array);
}

TEST_F(NodeRic, ReportsAnInitError) {
  auto pending = api_->invoke({.payload = "{}", .timeout = 10s});
  auto node = start("index.missing");
  auto outcome = await(std::move(pending));
  EXPECT_EQ(outcome.status, Status::init_error) << log();
  auto init = api_->init_error();
  ASSERT_TRUE(init) << log();
  EXPECT_EQ(init->error_type, "Runtime.HandlerNotFound");
  EXPECT_NE(init->error_message.find("missing"), std::string::npos) << init->error_message;
}

}  // namespace
}  // namespace gust
