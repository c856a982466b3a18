#include "deploy/package.hpp"
#include "devcloud/emulator/child_process.hpp"
#include "devcloud/runtime_api_server.hpp"
#include "project/process.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace gust {
namespace {
namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class Package : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / fmt::format("gust-package-test-{}", ::getpid());
    fs::remove_all(root_);
    fs::create_directories(root_);
    fs::copy(fs::path(GUST_SOURCE_DIR) / "examples/hello", root_ / "hello", fs::copy_options::recursive);
    fs::remove_all(root_ / "hello" / ".gust");
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  static project::ProcessResult gust(std::vector<std::string> args) {
    args.insert(args.begin(), (fs::path(GUST_BINARY_DIR) / "bin" / "gust").string());
    auto r = project::run_process(args, {.timeout = 10min});
    EXPECT_TRUE(r);
    return r ? *r : project::ProcessResult{};
  }
  static inline fs::path root_;
};

TEST_F(Package, SameSourcesGiveTheSameBytesFromSeparateBuilds) {
  auto first = gust({"package", (root_ / "hello").string(), "--out", (root_ / "one").string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("MB zipped"));
  fs::remove_all(root_ / "hello" / ".gust");  // a clean build tree the second time
  auto second = gust({"package", (root_ / "hello").string(), "--out", (root_ / "two").string()});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto a = deploy::sha256_file(root_ / "one" / "hello.zip");
  auto b = deploy::sha256_file(root_ / "two" / "hello.zip");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_TRUE(fs::exists(root_ / "one" / "hello.debug")) << "debug symbols stay beside the zip";
  auto listing = project::run_process({"unzip", "-Z", "-1", (root_ / "one" / "hello.zip").string()});
  ASSERT_TRUE(listing);
  EXPECT_EQ(listing->out, "bootstrap\n") << "the zip holds only bootstrap";
}

TEST_F(Package, AnUnchangedBuildKeepsTheLastZipUnlessItWasTouched) {
  const fs::path out = root_ / "three", zip = out / "hello.zip";
  const auto package = [&] { return gust({"package", (root_ / "hello").string(), "--out", out.string()}); };
  auto first = package();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto original = deploy::sha256_file(zip);
  ASSERT_TRUE(original);
  const auto long_ago = fs::file_time_type::clock::now() - 24h;
  fs::last_write_time(zip, long_ago);
  auto again = package();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(fs::last_write_time(zip), long_ago) << "the same build: the zip is not written again";
  EXPECT_THAT(again.out, HasSubstr("sha256 " + *original));

  std::ofstream(zip, std::ios::app) << "tampered";
  ASSERT_EQ(package().exit_code, 0);
  EXPECT_EQ(deploy::sha256_file(zip).value_or(""), *original) << "a zip that is no longer the last one's output is made again";
  std::ofstream(out / "bootstrap") << "another app's bootstrap";
  ASSERT_EQ(package().exit_code, 0);
  EXPECT_GT(fs::file_size(out / "bootstrap"), 1000000u) << "so is a bootstrap";
}

TEST_F(Package, TheZipRunsUnpackedInAnEmptyRoot) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "a sanitized gust packages a dynamic bootstrap (ASan's runtime is a shared library): it cannot run in an empty root";
#endif
  if (!fs::exists(root_ / "one" / "hello.zip")) {
    ASSERT_EQ(gust({"package", (root_ / "hello").string(), "--out", (root_ / "one").string()}).exit_code, 0);
  }
  const fs::path empty_root = root_ / "rootfs";
  fs::create_directories(empty_root);
  auto unzipped = project::run_process({"unzip", "-o", "-q", (root_ / "one" / "hello.zip").string(), "-d", empty_root.string()});
  ASSERT_TRUE(unzipped);
  ASSERT_EQ(unzipped->exit_code, 0) << unzipped->err;
  ASSERT_EQ(std::distance(fs::directory_iterator(empty_root), fs::directory_iterator()), 1) << "nothing but bootstrap";

  auto api = devcloud::RuntimeApiServer::start();
  ASSERT_TRUE(api);
  const std::string port = (*api)->endpoint().substr((*api)->endpoint().rfind(':') + 1);
  devcloud::ChildOptions child;
  child.argv = {"/usr/bin/unshare", "--mount", "/usr/sbin/chroot", empty_root.string(), "/bootstrap"};
  if (::geteuid() != 0) child.argv.insert(child.argv.begin() + 1, {"--user", "--map-root-user"});
  child.env = {{"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + port}, {"_HANDLER", "get-hello-name"}};
  std::string output;
  std::mutex m;
  child.on_line = [&](std::string_view line, bool) {
    std::lock_guard lock(m);
    output += std::string(line) + "\n";
  };
  auto process = devcloud::ChildProcess::start(std::move(child));
  ASSERT_TRUE(process) << process.error().describe();
  auto outcome = (*api)->invoke({.payload = R"({"version":"2.0","rawPath":"/hello/root","pathParameters":{"name":"root"},
                                               "requestContext":{"http":{"method":"GET"}}})",
                                  .timeout = 10s});
  ASSERT_EQ(outcome.wait_for(30s), std::future_status::ready) << output;
  auto result = outcome.get();
  EXPECT_EQ(result.status, devcloud::InvocationOutcome::Status::success) << result.error_message << output;
  EXPECT_THAT(result.payload, HasSubstr("hello, root!"));
  (*process)->kill(SIGKILL);
}

}  // namespace
}  // namespace gust
