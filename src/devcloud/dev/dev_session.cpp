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

  // The local AWS services, persisted under the state folder, on a loopback port of their own.
  const fs::path aws_state = s->options_.cloud.state_dir / "aws";
  std::error_code ec;
  if (s->options_.reset) fs::remove_all(aws_state, ec);
  fs::create_directories(aws_state, ec);
  auto aws = localaws::LocalAws::open({.state_dir = aws_state, .region = s->options_.cloud.region});
  if (!aws) return Unexpected{std::move(aws).error()};
  s->aws_ = std::move(*aws);
  localaws::HttpServeOptions serve{.host = s->options_.cloud.host};
  // Quick requests run on the I/O thread; S3 bodies go to the worker pool.
  serve.run_inline = [](const localaws::ServiceRequest& r) { return localaws::LocalAws::route(r) != "s3"; };
  auto aws_server = localaws::ServiceHttpServer::start(*s->aws_, serve);
  if (!aws_server) return Unexpected{std::move(aws_server).error()};
  s->aws_server_ = std::move(*aws_server);
  auto resources = provision(*s->aws_, *manifest, fmt::format("{}:{}", s->options_.cloud.host, s->aws_server_->port()),
                             s->options_.cloud.region);
  if (!resources) return Unexpected{std::move(resources).error()};
  s->options_.cloud.resource_values = resources->values;
  // Functions reach the local services the way they reach AWS: the standard endpoint variable.
  s->options_.cloud.function_env.insert(s->options_.cloud.function_env.end(),
                                        {{"AWS_ENDPOINT_URL", s->aws_server_->url()},
                                         {"AWS_ACCESS_KEY_ID", "gust-local"},
                                         {"AWS_SECRET_ACCESS_KEY", "gust-local"}});

  auto cloud = DevCloud::start(*manifest, *binary, s->options_.cloud, log);
  if (!cloud) return Unexpected{std::move(cloud).error()};
  s->cloud_ = std::move(*cloud);
  s->triggers_ = std::make_unique<TriggerSet>(*s->aws_, *manifest, *resources, s->invoker(), s->options_.cloud.region);
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
  // New resources are created; the triggers follow the new manifest.
  auto resources = provision(*aws_, *manifest, fmt::format("{}:{}", options_.cloud.host, aws_server_->port()), options_.cloud.region);
  if (!resources) {
    log_->note(fmt::format("gust dev: {}", resources.error().describe()));
    return false;
  }
  triggers_.reset();
  cloud_->set_resource_values(resources->values);
  cloud_->reload(*manifest, *binary);
  triggers_ = std::make_unique<TriggerSet>(*aws_, *manifest, *resources, invoker(), options_.cloud.region);
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
  triggers_.reset();
  if (cloud_) cloud_->stop();
  if (aws_server_) aws_server_->stop();
}

std::vector<std::string> DevSession::describe() const {
  auto lines = cloud_->describe();
  if (triggers_) {
    for (const auto& s : triggers_->describe()) lines.push_back("  schedule " + s);
  }
  lines.push_back(fmt::format("  aws     {} (DynamoDB, S3, SQS, SNS; data in {})", aws_server_->url(),
                              (options_.cloud.state_dir / "aws").string()));
  return lines;
}

Invoker DevSession::invoker() {
  return [this](const std::string& fn, std::string payload, std::function<void(InvokeResult)> done) {
    cloud_->invoke(fn, std::move(payload), std::move(done));
  };
}

DevSession::~DevSession() { stop(); }

}  // namespace gust::devcloud
