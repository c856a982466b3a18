// gust::log reads its settings once per process, so each case runs in a
// forked child with its own environment and captured stderr.
#include <gust/context.hpp>
#include <gust/log.hpp>
#include <gust/value.hpp>

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace gust {
namespace {

std::string run_child(const std::vector<std::pair<const char*, const char*>>& env, const std::function<void()>& body) {
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDERR_FILENO);
    unsetenv("AWS_LAMBDA_LOG_FORMAT");
    unsetenv("AWS_LAMBDA_LOG_LEVEL");
    for (auto [k, v] : env) setenv(k, v, 1);
    body();
    _exit(0);
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

void log_in_invocation() {
  Context ctx;
  ctx.request_id = "c6af9ac6-7b61-11e6-9a41-93e812345678";
  detail::ScopedContext scope(ctx);
  log::debug("hidden {}", 1);
  log::info("created {}", "todo-1");
  log::error("quote \" and newline\n");
}

TEST(Log, WritesLambdasJsonFormat) {
  auto out = lines(run_child({{"AWS_LAMBDA_LOG_FORMAT", "JSON"}}, log_in_invocation));
  ASSERT_EQ(out.size(), 2u) << out.size();
  auto first = parse_json(out[0]);
  ASSERT_TRUE(first) << out[0];
  EXPECT_EQ(first->find("level")->as_string(), "INFO");
  EXPECT_EQ(first->find("message")->as_string(), "created todo-1");
  EXPECT_EQ(first->find("requestId")->as_string(), "c6af9ac6-7b61-11e6-9a41-93e812345678");
  const std::string& ts = first->find("timestamp")->as_string();
  ASSERT_EQ(ts.size(), 24u) << ts;  // 2026-11-26T12:00:00.123Z
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts.back(), 'Z');
  auto second = parse_json(out[1]);
  ASSERT_TRUE(second) << out[1];
  EXPECT_EQ(second->find("level")->as_string(), "ERROR");
  EXPECT_EQ(second->find("message")->as_string(), "quote \" and newline\n");
}

TEST(Log, WritesTabSeparatedTextByDefault) {
  auto out = lines(run_child({}, log_in_invocation));
  ASSERT_GE(out.size(), 2u);
  EXPECT_NE(out[0].find("\tc6af9ac6-7b61-11e6-9a41-93e812345678\tINFO\tcreated todo-1"), std::string::npos) << out[0];
}

TEST(Log, HonoursTheLogLevel) {
  auto debug = lines(run_child({{"AWS_LAMBDA_LOG_FORMAT", "JSON"}, {"AWS_LAMBDA_LOG_LEVEL", "debug"}}, log_in_invocation));
  EXPECT_EQ(debug.size(), 3u);
  auto error = lines(run_child({{"AWS_LAMBDA_LOG_FORMAT", "JSON"}, {"AWS_LAMBDA_LOG_LEVEL", "ERROR"}}, log_in_invocation));
  ASSERT_EQ(error.size(), 1u);
  EXPECT_NE(error[0].find("\"ERROR\""), std::string::npos);
}

TEST(Log, LeavesOutTheRequestIdOutsideAnInvocation) {
  auto out = lines(run_child({{"AWS_LAMBDA_LOG_FORMAT", "JSON"}}, [] { log::warn("starting"); }));
  ASSERT_EQ(out.size(), 1u);
  auto v = parse_json(out[0]);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->find("requestId"), nullptr);
  EXPECT_EQ(v->find("level")->as_string(), "WARN");
}

}  // namespace
}  // namespace gust
