#pragma once
// A user's gust project on disk: configure and build it with CMake against
// this gust, find its app binary, and ask the binary for its manifest.
// Every CLI command that needs an app (build, manifest, invoke, synth, dev,
// deploy) goes through here.

#include "manifest/manifest.hpp"

#include <gust/result.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gust::project {

// gust dev's build: an app's own sources compiled for a quick edit-to-serving
// loop (bench/devcloud/reload.sh measures it), in a build folder of its own.
inline constexpr std::string_view kDevBuildType = "GustDev";
inline constexpr std::string_view kDevBuildFlags = "-O1 -DNDEBUG";

struct BuildOptions {
  std::filesystem::path dir = ".";   // the project folder (holds CMakeLists.txt)
  std::filesystem::path build_dir;   // default: DIR/.gust/build
  std::string build_type = "RelWithDebInfo";
  std::string app;                   // which app, when the project builds several
  std::vector<std::string> cmake_args;  // extra -D options when configuring
};

struct BuiltApp {
  std::string name;
  std::filesystem::path binary;
  std::filesystem::path project_dir;
};

// Where this gust's CMake package (gustConfig.cmake) is: beside an installed
// gust (PREFIX/lib/cmake/gust) or in the build tree the CLI was built in.
Result<std::filesystem::path> package_dir();

// Configures (once) and builds the project. On a compiler error, the Error's
// message holds the build output so the user sees the compiler's words.
Result<BuiltApp> build(const BuildOptions& options);

// Runs `APP manifest`. Declaration errors come back as the app printed them.
Result<std::string> manifest_text(const std::filesystem::path& binary);
Result<manifest::Manifest> load_manifest(const std::filesystem::path& binary);

}  // namespace gust::project
