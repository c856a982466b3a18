#include "devcloud/dev/dev_session.hpp"

#include "devcloud/dev/watcher.hpp"
#include "project/dev_endpoint.hpp"

#include <fstream>

#include <fmt/format.h>

namespace gust::devcloud {
namespace fs = std::filesystem;

// Instances run a copy of each good build: the build tree's binary is
// rewritten by the next build while old instances may still be starting.
Result<fs::path> DevSession::snapshot(const fs::path& binary) {
  const fs::path dir = options_.cloud.state_dir / "bin";
  std::error_code ec;
  fs::create_directories(dir, ec);
  const fs::path copy = dir / fmt::format("{}.{}", binary.filename().string(), ++snapshots_);
  fs::copy_file(binary, copy, fs::copy_options::overwrite_existing, ec);
  if (ec) return unexpected(ErrorCode::internal, fmt::format("cannot copy the app binary: {}", ec.message()), copy.string());
  // Older snapshots are no longer started; those still running keep their inode.
  for (int n = snapshots_ - 2; n >= 1 && n >= snapshots_ - 4; --n) fs::remove(dir / fmt::format("{}.{}", binary.filename().string(), n), ec);
  return copy;
}

Result<std::unique_ptr<DevSession>> DevSession::start(DevSessionOptions options, ConsoleLog& log) {
  std::unique_ptr<DevSession> s(new DevSession());
  s->options_ = std::move(options);
  s->log_ = &log;
  auto built = project::build(s->options_.build);
  if (!built) return Unexpected{std::move(built).error()};
  auto manifest = project::load_manifest(built->binary);
  if (!manifest) return Unexpected{std::move(manifest).error()};
  if (s->options_.cloud.state_dir.empty()) s->options_.cloud.state_dir = built->project_dir / ".gust" / "dev";
  auto binary = s->snapshot(built->binary);
  if (!binary) return Unexpected{std::move(binary).error()};
  auto cloud = DevCloud::start(*manifest, *binary, s->options_.cloud, log);
  if (!cloud) return Unexpected{std::move(cloud).error()};
  s->cloud_ = std::move(*cloud);
  // `gust invoke` and `gust trigger` find this dev cloud through the file.
  std::ofstream(project::dev_endpoint_file(built->project_dir)) << s->cloud_->url() << "\n";
  s->endpoint_file_ = project::dev_endpoint_file(built->project_dir);
  if (s->options_.watch) {
    auto watcher = SourceWatcher::start(built->project_dir);
    if (!watcher) return Unexpected{std::move(watcher).error()};
    DevSession* raw = s.get();
    s->watch_thread_ = std::thread([raw, w = std::move(*watcher)] {
      while (!raw->stopping_) {
        auto changed = w->wait(std::chrono::milliseconds(250));
        if (!changed || raw->stopping_) continue;
        raw->log_->note(fmt::format("gust dev: {} changed, rebuilding", changed->filename().string()));
        raw->rebuild();
      }
    });
  }
  return s;
}

bool DevSession::rebuild() {
  std::lock_guard lock(rebuild_mutex_);
  const auto started = std::chrono::steady_clock::now();
  auto built = project::build(options_.build);
  Result<manifest::Manifest> manifest = built ? project::load_manifest(built->binary)
                                              : Result<manifest::Manifest>(Unexpected{built.error()});
  if (!manifest) {
    ++failed_builds_;
    const std::string error = manifest.error().message;
    // Said once per distinct failure; the last good build keeps serving.
    if (error != last_error_) {
      log_->note(fmt::format("gust dev: the build failed; still serving the last good build.\n{}", error));
      last_error_ = error;
    }
    return false;
  }
  last_error_.clear();
  auto binary = snapshot(built->binary);
  if (!binary) {
    log_->note(fmt::format("gust dev: {}", binary.error().describe()));
    return false;
  }
  cloud_->reload(*manifest, *binary);
  ++reloads_;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  log_->note(fmt::format("gust dev: reloaded in {} ms", ms));
  return true;
}

void DevSession::stop() {
  if (stopping_.exchange(true)) return;
  std::error_code ec;
  if (!endpoint_file_.empty()) std::filesystem::remove(endpoint_file_, ec);
  if (watch_thread_.joinable()) watch_thread_.join();
  if (cloud_) cloud_->stop();
}

DevSession::~DevSession() { stop(); }

}  // namespace gust::devcloud
