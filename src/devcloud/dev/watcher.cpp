#include "devcloud/dev/watcher.hpp"

#include <cerrno>
#include <cstring>
#include <map>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

namespace gust::devcloud {
namespace fs = std::filesystem;

struct SourceWatcher::Watches {
  std::map<int, fs::path> dirs;  // watch descriptor -> folder
};

namespace {
constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM;

bool skipped(const fs::path& dir) {
  const std::string name = dir.filename().string();
  return name == ".gust" || name == ".git" || name == "node_modules" || name.starts_with("build");
}
}  // namespace

bool SourceWatcher::is_source(const fs::path& path) {
  static const char* kExtensions[] = {".cpp", ".cc", ".cxx", ".c", ".hpp", ".hh", ".hxx", ".h", ".ipp", ".inl", ".cmake"};
  const std::string ext = path.extension().string();
  if (path.filename() == "CMakeLists.txt") return true;
  for (const char* e : kExtensions) {
    if (ext == e) return true;
  }
  return false;
}

Result<std::unique_ptr<SourceWatcher>> SourceWatcher::start(const fs::path& root) {
  std::unique_ptr<SourceWatcher> w(new SourceWatcher());
  w->fd_ = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (w->fd_ < 0) return unexpected(ErrorCode::unavailable, std::string("inotify: ") + std::strerror(errno), "file watching");
  w->root_ = root;
  w->watches_ = std::make_unique<Watches>();
  w->add_tree(root);
  return w;
}

SourceWatcher::~SourceWatcher() {
  if (fd_ >= 0) ::close(fd_);
}

void SourceWatcher::add_tree(const fs::path& dir) {
  if (skipped(dir) && dir != root_) return;
  const int wd = ::inotify_add_watch(fd_, dir.c_str(), kMask);
  if (wd >= 0) watches_->dirs[wd] = dir;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory(ec) && !entry.is_symlink(ec)) add_tree(entry.path());
  }
}

std::optional<fs::path> SourceWatcher::wait(std::chrono::milliseconds timeout, std::chrono::milliseconds quiet) {
  std::optional<fs::path> first;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  alignas(inotify_event) char buffer[8192];
  while (true) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return first;
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()));
    if (ready < 0 && errno != EINTR) return first;
    if (ready <= 0) continue;
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    for (ssize_t i = 0; i < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + i);
      i += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      auto dir = watches_->dirs.find(event->wd);
      if (dir == watches_->dirs.end() || event->len == 0) continue;
      const fs::path path = dir->second / event->name;
      if ((event->mask & IN_ISDIR) != 0) {
        if ((event->mask & (IN_CREATE | IN_MOVED_TO)) != 0) add_tree(path);
        continue;
      }
      if (!is_source(path)) continue;
      if (!first) first = path;
      deadline = std::chrono::steady_clock::now() + quiet;  // wait for the burst to settle
    }
  }
}

}  // namespace gust::devcloud
