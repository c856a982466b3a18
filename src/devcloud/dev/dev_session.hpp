#pragma once
// One `gust dev` run: build the project, start the dev cloud on its
// manifest, and on every saved change rebuild and reload — keeping the last
// good build serving when a build fails, and saying why once.

#include "devcloud/dev/dev_cloud.hpp"
#include "devcloud/dev/local_resources.hpp"
#include "devcloud/dev/trigger_set.hpp"
#include "devcloud/services/http_adapter.hpp"
#include "devcloud/services/local_aws.hpp"
#include "project/project.hpp"

#include <atomic>
#include <mutex>
#include <filesystem>
#include <memory>
#include <thread>

namespace gust::devcloud {

struct DevSessionOptions {
  project::BuildOptions build;
  DevOptions cloud;
  bool watch = true;
  bool reset = false;  // start from empty local services (delete DIR/.gust/dev/aws)
};

class DevSession {
 public:
  static Result<std::unique_ptr<DevSession>> start(DevSessionOptions options, ConsoleLog& log);
  ~DevSession();
  DevSession(const DevSession&) = delete;
  DevSession& operator=(const DevSession&) = delete;

  DevCloud& cloud() { return *cloud_; }
  localaws::LocalAws& aws() { return *aws_; }
  // "http://127.0.0.1:PORT": the local DynamoDB, S3, SQS and SNS.
  std::string aws_url() const { return aws_server_->url(); }
  // Start-up lines: routes, triggers, schedules with their next firing, local services.
  std::vector<std::string> describe() const;
  const std::filesystem::path& state_dir() const { return options_.cloud.state_dir; }
  // Rebuilds and reloads now (what a saved change triggers); false when the build failed.
  bool rebuild();
  // Successful reloads so far (tests wait on it).
  int reloads() const { return reloads_; }
  int failed_builds() const { return failed_builds_; }
  void stop();

 private:
  DevSession() = default;
  Result<std::filesystem::path> snapshot(const std::filesystem::path& binary);

  Invoker invoker();

  DevSessionOptions options_;
  ConsoleLog* log_ = nullptr;
  std::unique_ptr<localaws::LocalAws> aws_;
  std::unique_ptr<localaws::ServiceHttpServer> aws_server_;
  std::unique_ptr<DevCloud> cloud_;
  std::unique_ptr<TriggerSet> triggers_;  // destroyed before the cloud it invokes
  std::thread watch_thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> reloads_{0};
  std::atomic<int> failed_builds_{0};
  int snapshots_ = 0;
  std::string last_error_;
  std::filesystem::path endpoint_file_;
  std::mutex rebuild_mutex_;  // the watcher and callers of rebuild() take turns
};

}  // namespace gust::devcloud
