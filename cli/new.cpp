#include "command.hpp"
#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace gust::cli {
namespace {
namespace fs = std::filesystem;

constexpr std::string_view kCMakeLists = R"(cmake_minimum_required(VERSION 3.25)
project({0} CXX)

find_package(gust REQUIRED)
gust_add_app({0} main.cpp)

# `ctest --test-dir .gust/build` after `gust build`: each handler answers a sample event.
enable_testing()
add_test(NAME hello-route COMMAND {0} invoke get-hello-name)
set_tests_properties(hello-route PROPERTIES PASS_REGULAR_EXPRESSION "\"statusCode\":200.*hello, example")
)";

constexpr std::string_view kMain = R"(#include <gust/gust.hpp>

int main(int argc, char** argv) {{
  gust::App app{{"{0}"}};

  app.get("/hello/{{name}}", [](const gust::Request& req) {{
    return gust::Response::text(fmt::format("hello, {{}}!\n", req.param("name")));
  }});

  return app.run(argc, argv);
}}
)";

constexpr std::string_view kReadme = R"(# {0}

A gust app. Build it and try its route:

    gust build
    gust invoke get-hello-name
    ctest --test-dir .gust/build
)";

bool valid_app_name(std::string_view name) {
  if (name.empty() || name.size() > 40 || !(name.front() >= 'a' && name.front() <= 'z')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

bool write(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

Command new_command() {
  return {"new", "Create a new gust project in the folder NAME (a hello route and a test)",
          "  gust new hello-api && cd hello-api && gust build && gust invoke get-hello-name\n",
          [](CLI::App& sub) {
            auto name = std::make_shared<std::string>();
            sub.add_option("NAME", *name, "The app's name: lower-case letters, digits and '-'")->required();
            return [name]() -> int {
              const fs::path dir = *name;
              const std::string app = dir.filename().string();
              if (!valid_app_name(app)) {
                print_error(fmt::format("\"{}\" is not a valid app name", app),
                            "use lower-case letters, digits and '-', starting with a letter, at most 40 characters");
                return kExitUsage;
              }
              std::error_code ec;
              if (fs::exists(dir) && !fs::is_empty(dir, ec)) {
                print_error(fmt::format("{} already exists and is not empty", dir.string()), "choose another name, or remove it");
                return kExitFailed;
              }
              fs::create_directories(dir, ec);
              const bool ok = !ec && write(dir / "CMakeLists.txt", fmt::format(fmt::runtime(kCMakeLists), app)) &&
                              write(dir / "main.cpp", fmt::format(fmt::runtime(kMain), app)) &&
                              write(dir / "README.md", fmt::format(fmt::runtime(kReadme), app)) &&
                              write(dir / ".gitignore", ".gust/\n");
              if (!ok) {
                print_error(fmt::format("cannot write the project files into {}", dir.string()), "check the folder's permissions");
                return kExitFailed;
              }
              fmt::print("created {}/: CMakeLists.txt, main.cpp, README.md\nnext: cd {} && gust build && gust invoke get-hello-name\n",
                         dir.string(), dir.string());
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
