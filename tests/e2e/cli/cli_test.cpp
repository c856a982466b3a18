// Runs build/bin/gust like a user: a new project, its build, its manifest,
// an invocation, and the errors for every way of getting it wrong.
#include "project/process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gust {
namespace {
namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kGust = fs::path(GUST_BINARY_DIR) / "bin" / "gust";

project::ProcessResult gust(std::vector<std::string> args, const fs::path& cwd = {}) {
  args.insert(args.begin(), kGust.string());
  auto r = project::run_process(args, {.working_directory = cwd, .timeout = std::chrono::minutes(5)});
  EXPECT_TRUE(r) << r.error().describe();
  return r ? *r : project::ProcessResult{};
}

void write(const fs::path& path, std::string_view text) {
  std::ofstream out(path);
  out << text;
}

class Cli : public ::testing::Test {
 protected:
  // One project for the suite: configuring and building it is the slow part.
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("gust-cli-test-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    auto created = gust({"new", "hello-api"}, root_);
    ASSERT_EQ(created.exit_code, 0) << created.err;
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }
  static fs::path project() { return root_ / "hello-api"; }
  static inline fs::path root_;
};

TEST_F(Cli, HelpListsEveryCommand) {
  auto r = gust({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* command : {"new", "build", "manifest", "invoke"}) EXPECT_THAT(r.out, HasSubstr(command));
  EXPECT_THAT(gust({"--version"}).out, HasSubstr("gust 0."));
  auto sub = gust({"invoke", "--help"});
  EXPECT_EQ(sub.exit_code, 0);
  EXPECT_THAT(sub.out, HasSubstr("Examples:"));
}

TEST_F(Cli, DocsCliMdIsTheGeneratedReference) {
  std::ifstream in(fs::path(GUST_SOURCE_DIR) / "docs" / "cli.md");
  std::stringstream doc;
  doc << in.rdbuf();
  EXPECT_EQ(doc.str(), gust({"--markdown-help"}).out) << "regenerate: build/bin/gust --markdown-help > docs/cli.md";
}

TEST_F(Cli, UnknownCommandIsAUsageError) {
  auto r = gust({"deploi"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("error: unknown command \"deploi\""));
  EXPECT_THAT(r.err, HasSubstr("help: the commands are: new, build"));
  auto flag = gust({"build", "--frobnicate"});
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_THAT(flag.err, HasSubstr("run `gust build --help`"));
}

TEST_F(Cli, MissingDirectoryAndNonProjectsAreClearErrors) {
  auto missing = gust({"build", (root_ / "nope").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("error: no such directory"));
  fs::create_directories(root_ / "empty");
  auto empty = gust({"build", (root_ / "empty").string()});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_THAT(empty.err, HasSubstr("has no CMakeLists.txt"));
  EXPECT_THAT(empty.err, HasSubstr("help: create one with `gust new NAME`"));
}

TEST_F(Cli, NewRefusesBadNamesAndExistingFolders) {
  EXPECT_EQ(gust({"new", "Bad_Name"}, root_).exit_code, 2);
  auto again = gust({"new", "hello-api"}, root_);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("already exists"));
}

TEST_F(Cli, NewProjectBuildsDescribesItselfAndAnswers) {
  auto built = gust({"build", project().string()});
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
  EXPECT_THAT(built.out, HasSubstr("built hello-api"));

  auto manifest = gust({"manifest"}, project());
  ASSERT_EQ(manifest.exit_code, 0) << manifest.err;
  EXPECT_THAT(manifest.out, HasSubstr("\"version\": 1"));
  EXPECT_THAT(manifest.out, HasSubstr("\"id\": \"get-hello-name\""));

  auto invoked = gust({"invoke", project().string(), "get-hello-name"});
  ASSERT_EQ(invoked.exit_code, 0) << invoked.err;
  EXPECT_THAT(invoked.out, HasSubstr("\"statusCode\":200"));
  EXPECT_THAT(invoked.out, HasSubstr("hello, example!"));

  // The project's own test, as its README says.
  auto ctest = project::run_process({"ctest", "--test-dir", (project() / ".gust" / "build").string()});
  ASSERT_TRUE(ctest);
  EXPECT_EQ(ctest->exit_code, 0) << ctest->out;
}

TEST_F(Cli, InvokeTakesAnEventFileOrStandardInput) {
  const fs::path event = root_ / "event.json";
  write(event, R"({"version":"2.0","rawPath":"/hello/ada","pathParameters":{"name":"ada"},"requestContext":{"http":{"method":"GET"}}})");
  auto r = gust({"invoke", project().string(), "get-hello-name", "--event", event.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("hello, ada!"));
  auto missing = gust({"invoke", project().string(), "get-hello-name", "--event", (root_ / "none.json").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("no such event file"));
  auto unknown = gust({"invoke", project().string(), "get-nothing"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("no handler \"get-nothing\""));
  write(root_ / "bad.json", "{not json");
  auto bad = gust({"invoke", project().string(), "get-hello-name", "--event", (root_ / "bad.json").string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.out, HasSubstr("Runtime.MalformedEvent"));
}

TEST_F(Cli, DeclarationErrorsAndCompilerErrorsReachTheUser) {
  const fs::path copy = root_ / "broken";
  fs::remove_all(copy);
  fs::create_directories(copy);
  fs::copy_file(project() / "CMakeLists.txt", copy / "CMakeLists.txt");
  // A declaration mistake: a malformed schedule.
  write(copy / "main.cpp", R"cpp(#include <gust/gust.hpp>
int main(int argc, char** argv) {
  gust::App app{"hello-api"};
  app.schedule("nightly", "cron(0 3 * * * *)", [](const gust::ScheduleEvent&) {});
  return app.run(argc, argv);
}
)cpp");
  auto declared = gust({"manifest", copy.string()});
  EXPECT_EQ(declared.exit_code, 2);
  EXPECT_THAT(declared.err, HasSubstr("main.cpp:4: error: schedule \"nightly\": cron: exactly one of"));
  // A compile error: the compiler's own words are shown.
  write(copy / "main.cpp", R"cpp(#include <gust/gust.hpp>
int main(int argc, char** argv) {
  gust::App app{"hello-api"};
  auto todos = app.bucket("files");
  app.get("/f", gust::writes(todos), [](const gust::Request&, gust::BucketWriter files) {
    return gust::Response::text(files.get("x").value().body);
  });
  return app.run(argc, argv);
}
)cpp");
  auto compiled = gust({"build", copy.string()});
  EXPECT_EQ(compiled.exit_code, 1);
  EXPECT_THAT(compiled.err, HasSubstr("error: the build failed"));
  EXPECT_THAT(compiled.err, HasSubstr("BucketWriter cannot read"));
}

}  // namespace
}  // namespace gust
