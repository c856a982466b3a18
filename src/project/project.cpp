#include "project/project.hpp"

#include "project/process.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace gust::project {
namespace fs = std::filesystem;

namespace {

fs::path self_directory() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : exe.parent_path();
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The last `lines` lines of a build log: the compiler's message is at the end.
std::string tail(std::string_view text, std::size_t lines) {
  std::size_t pos = text.size();
  while (lines > 0 && pos > 0) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string_view::npos) return std::string(text);
    --lines;
  }
  return std::string(text.substr(pos + 1));
}

}  // namespace

Result<fs::path> package_dir() {
  if (const char* env = std::getenv("GUST_PACKAGE_DIR"); env != nullptr && *env != '\0') return fs::path(env);
  const fs::path bin = self_directory();
  for (const fs::path& candidate : {bin.parent_path() / "lib" / "cmake" / "gust",          // installed: PREFIX/bin/gust
                                    bin.parent_path() / "lib64" / "cmake" / "gust",
                                    bin.parent_path()}) {                                     // build tree: BUILD/bin/gust
    if (fs::exists(candidate / "gustConfig.cmake")) return candidate;
  }
  return unexpected(ErrorCode::not_found,
                    fmt::format("cannot find gust's CMake package (gustConfig.cmake) near {}", bin.string()),
                    "set GUST_PACKAGE_DIR to the folder holding gustConfig.cmake, or reinstall gust");
}

Result<BuiltApp> build(const BuildOptions& options) {
  std::error_code ec;
  const fs::path dir = fs::absolute(options.dir, ec).lexically_normal();
  if (!fs::is_directory(dir))
    return unexpected(ErrorCode::not_found, fmt::format("no such directory: {}", options.dir.string()), "gust build DIR");
  if (!fs::exists(dir / "CMakeLists.txt"))
    return unexpected(ErrorCode::not_found,
                      fmt::format("{} has no CMakeLists.txt: it is not a gust project", dir.string()),
                      "create one with `gust new NAME`");
  auto package = package_dir();
  if (!package) return Unexpected{std::move(package).error()};
  if (!find_program("cmake")) return unexpected(ErrorCode::failed_precondition, "cmake is not installed", "apt-get install cmake");
  const bool ninja = find_program("ninja").has_value();
  const fs::path build_dir = options.build_dir.empty() ? dir / ".gust" / "build" : options.build_dir;
  fs::create_directories(build_dir, ec);

  if (!fs::exists(build_dir / "CMakeCache.txt")) {
    std::vector<std::string> configure = {"cmake", "-S", dir.string(), "-B", build_dir.string(),
                                          "-Dgust_DIR=" + package->string(), "-DCMAKE_BUILD_TYPE=" + options.build_type};
    if (ninja) configure.insert(configure.end(), {"-G", "Ninja"});
    if (find_program("ccache")) configure.push_back("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache");
    configure.insert(configure.end(), options.cmake_args.begin(), options.cmake_args.end());
    auto r = run_process(configure, {.merge_stderr = true});
    if (!r) return Unexpected{std::move(r).error()};
    if (r->exit_code != 0) {
      fs::remove(build_dir / "CMakeCache.txt", ec);  // configure again next time
      return unexpected(ErrorCode::failed_precondition, fmt::format("CMake could not configure the project:\n{}", tail(r->out, 40)),
                        dir.string());
    }
  }
  auto r = run_process({"cmake", "--build", build_dir.string()}, {.merge_stderr = true});
  if (!r) return Unexpected{std::move(r).error()};
  if (r->exit_code != 0)
    return unexpected(ErrorCode::failed_precondition, fmt::format("the build failed:\n{}", tail(r->out, 60)), dir.string());

  // gust_add_app leaves one marker per app: gust-apps/NAME.path holds the binary's path.
  std::vector<BuiltApp> apps;
  for (const auto& entry : fs::directory_iterator(build_dir / "gust-apps", ec)) {
    if (entry.path().extension() != ".path") continue;
    std::string path = read_file(entry.path());
    while (!path.empty() && (path.back() == '\n' || path.back() == ' ')) path.pop_back();
    apps.push_back({entry.path().stem().string(), path, dir});
  }
  std::sort(apps.begin(), apps.end(), [](const BuiltApp& a, const BuiltApp& b) { return a.name < b.name; });
  if (apps.empty())
    return unexpected(ErrorCode::not_found, "the project builds no gust app", "add gust_add_app(NAME main.cpp) to its CMakeLists.txt");
  if (!options.app.empty()) {
    for (const auto& a : apps) {
      if (a.name == options.app) return a;
    }
    return unexpected(ErrorCode::not_found, fmt::format("the project has no app \"{}\"", options.app), dir.string());
  }
  if (apps.size() > 1) {
    std::string names;
    for (const auto& a : apps) names += (names.empty() ? "" : ", ") + a.name;
    return unexpected(ErrorCode::invalid_argument, fmt::format("the project builds several apps ({}); choose one with --app NAME", names),
                      dir.string());
  }
  return apps.front();
}

Result<std::string> manifest_text(const fs::path& binary) {
  auto r = run_process({binary.string(), "manifest"}, {.timeout = std::chrono::seconds(60)});
  if (!r) return Unexpected{std::move(r).error()};
  if (r->exit_code != 0) {
    std::string message = r->err;
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return unexpected(ErrorCode::invalid_argument, message.empty() ? fmt::format("exit code {}", r->exit_code) : message,
                      binary.filename().string() + " manifest");
  }
  return std::move(r->out);
}

Result<manifest::Manifest> load_manifest(const fs::path& binary) {
  auto text = manifest_text(binary);
  if (!text) return Unexpected{std::move(text).error()};
  return manifest::parse(*text);
}

}  // namespace gust::project
