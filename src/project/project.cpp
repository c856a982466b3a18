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

// The value of `name` in a CMake cache ("gust_DIR:PATH=/x" gives "/x"); empty when unset.
std::string cache_value(std::string_view cache, std::string_view name) {
  for (std::size_t at = 0; at < cache.size();) {
    const std::size_t end = std::min(cache.find('\n', at), cache.size());
    const std::string_view line = cache.substr(at, end - at);
    if (line.starts_with(name) && line.size() > name.size() && line[name.size()] == ':') {
      const auto eq = line.find('=');
      if (eq != std::string_view::npos) return std::string(line.substr(eq + 1));
    }
    at = end + 1;
  }
  return {};
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

  // Configured once; again when this gust's package or the build type has
  // changed since (another gust binary, or gust dev's profile on a release tree).
  const bool configured = fs::exists(build_dir / "CMakeCache.txt");
  bool configure_now = !configured;
  if (configured) {
    const std::string cache = read_file(build_dir / "CMakeCache.txt");
    configure_now = cache_value(cache, "gust_DIR") != package->string() || cache_value(cache, "CMAKE_BUILD_TYPE") != options.build_type;
  }
  if (configure_now) {
    std::vector<std::string> configure = {"cmake", "-S", dir.string(), "-B", build_dir.string(),
                                          "-Dgust_DIR=" + package->string(), "-DCMAKE_BUILD_TYPE=" + options.build_type};
    if (ninja && !configured) configure.insert(configure.end(), {"-G", "Ninja"});
    if (find_program("ccache")) configure.push_back("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache");
    if (options.build_type == kDevBuildType) {
      // gust dev's profile: the app's sources compile fast; gust's own libraries stay optimised.
      configure.push_back(std::string("-DCMAKE_CXX_FLAGS_GUSTDEV=") + std::string(kDevBuildFlags));
    }
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
