#pragma once
// Watches a project's sources with inotify and reports a settled change:
// several saves in a burst (an editor writing a temp file, then renaming)
// become one change.

#include <gust/result.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace gust::devcloud {

class SourceWatcher {
 public:
  // Watches `root` recursively, skipping .gust, .git, build* and node_modules.
  static Result<std::unique_ptr<SourceWatcher>> start(const std::filesystem::path& root);
  ~SourceWatcher();
  SourceWatcher(const SourceWatcher&) = delete;
  SourceWatcher& operator=(const SourceWatcher&) = delete;

  // Waits up to `timeout` for a source change, then for `quiet` without
  // further changes; returns the first changed file, or nullopt on timeout.
  std::optional<std::filesystem::path> wait(std::chrono::milliseconds timeout,
                                            std::chrono::milliseconds quiet = std::chrono::milliseconds(150));

  // True for files whose change means a rebuild (C++ sources, CMake files).
  static bool is_source(const std::filesystem::path& path);

 private:
  SourceWatcher() = default;
  void add_tree(const std::filesystem::path& dir);
  int fd_ = -1;
  std::filesystem::path root_;
  struct Watches;
  std::unique_ptr<Watches> watches_;
};

}  // namespace gust::devcloud
