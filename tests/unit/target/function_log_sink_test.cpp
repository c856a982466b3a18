#include "devcloud/emulator/log_tails.hpp"
#include "devcloud/target/function_log_sink.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <unistd.h>

namespace gust::devcloud::target {
namespace {

class FunctionLogSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::remove_all(dir_);
    auto opened = LogStore::open(dir_);
    ASSERT_TRUE(opened);
    store_ = std::move(*opened);
    store_->create_group("/aws/lambda/f");
    fn_.function_name = "f";
    fn_.env = {{"AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/f"}, {"AWS_LAMBDA_LOG_STREAM_NAME", "s"}};
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void invoke(LogTails& sink, const std::string& id, const std::vector<std::string>& lines,
              InvokeResult::Status status = InvokeResult::Status::success) {
    sink.start(fn_, id);
    for (const auto& l : lines) sink.output(fn_, id, l);
    InvokeResult r;
    r.request_id = id;
    r.status = status;
    if (status != InvokeResult::Status::success) r.error_type = "Runtime.ExitError";
    sink.end(fn_, r);
  }

  std::filesystem::path dir_ = std::filesystem::temp_directory_path() / ("gust-log-sink-" + std::to_string(::getpid()));
  std::unique_ptr<LogStore> store_;
  FunctionConfig fn_;
};

TEST_F(FunctionLogSinkTest, TailIsTheWholeShortLogOnce) {
  FunctionLogSink store_sink(*store_, nullptr);
  LogTails sink(store_sink);  // as gust cloud composes them
  invoke(sink, "r1", {"saved milk"}, InvokeResult::Status::crashed);
  const std::string tail = sink.take("r1");
  EXPECT_TRUE(tail.starts_with("START RequestId: r1 Version: $LATEST\nsaved milk\nRequestId: r1 Error: Runtime.ExitError\nEND RequestId: r1\nREPORT RequestId: r1\t"))
      << tail;
  EXPECT_TRUE(tail.ends_with("\n"));
  EXPECT_EQ(sink.take("r1"), "");  // given once
  EXPECT_EQ(sink.take("unknown"), "");
  // CloudWatch Logs has the same lines.
  EXPECT_EQ(store_->filter({.group = "/aws/lambda/f", .pattern = "saved milk"})->events.size(), 1u);
}

TEST_F(FunctionLogSinkTest, TailKeepsTheLast4KB) {
  FunctionLogSink store_sink(*store_, nullptr);
  LogTails sink(store_sink);  // as gust cloud composes them
  std::vector<std::string> lines;
  for (int i = 0; i < 200; ++i) lines.push_back(fmt::format("line {:03} {}", i, std::string(90, 'x')));
  invoke(sink, "big", lines);
  const std::string tail = sink.take("big");
  EXPECT_EQ(tail.size(), 4096u);
  EXPECT_EQ(tail.find("START"), std::string::npos);
  EXPECT_NE(tail.find("line 199 "), std::string::npos);
  EXPECT_NE(tail.find("END RequestId: big\nREPORT RequestId: big"), std::string::npos);
}

TEST_F(FunctionLogSinkTest, AnInstancesFirstLinesOpenTheNextTail) {
  FunctionLogSink store_sink(*store_, nullptr);
  LogTails sink(store_sink);  // as gust cloud composes them
  sink.output(fn_, "", "init: loading");     // before the pool names the request
  sink.output(fn_, "r1", "init: half way");  // named, not started yet
  invoke(sink, "r1", {"handled"});
  const std::string tail = sink.take("r1");
  EXPECT_TRUE(tail.starts_with("init: loading\ninit: half way\nSTART RequestId: r1 Version: $LATEST\nhandled\nEND RequestId: r1\n")) << tail;
  sink.output(fn_, "r1", "after the end");  // belongs to no later invocation
  invoke(sink, "r2", {});
  EXPECT_TRUE(sink.take("r2").starts_with("START RequestId: r2 "));
}

TEST_F(FunctionLogSinkTest, EarlyLinesOfOneRequestStayWithIt) {
  FunctionLogSink store_sink(*store_, nullptr);
  LogTails sink(store_sink);
  sink.output(fn_, "r1", "r1: before its START");  // instance A is handed r1 ...
  invoke(sink, "r2", {"r2 ran"});                  // ... while instance B starts and ends r2
  EXPECT_EQ(sink.take("r2").find("r1:"), std::string::npos);
  invoke(sink, "r1", {});
  EXPECT_TRUE(sink.take("r1").starts_with("r1: before its START\nSTART RequestId: r1 "));
}

TEST_F(FunctionLogSinkTest, TailsNobodyTakesAreDroppedOldestFirst) {
  FunctionLogSink store_sink(*store_, nullptr);
  LogTails sink(store_sink);  // as gust cloud composes them
  for (int i = 0; i < 300; ++i) invoke(sink, fmt::format("r{}", i), {"hi"});
  EXPECT_EQ(sink.take("r0"), "");
  EXPECT_TRUE(sink.take("r299").starts_with("START RequestId: r299 "));
  // A line after the tail was taken starts no new one.
  sink.output(fn_, "r299", "late");
  EXPECT_EQ(sink.take("r299"), "");
}

}  // namespace
}  // namespace gust::devcloud::target
