#pragma once
// `gust cloud`: the local cloud as a deploy target. One loopback endpoint
// (AWS_ENDPOINT_URL) serves CloudFormation, STS GetCallerIdentity, the
// Lambda Invoke API, CloudWatch Logs FilterLogEvents and the local DynamoDB,
// S3, SQS and SNS; executing a change set provisions the template into them
// and runs its functions from the uploaded packages. Each HTTP API gets a
// gateway on a loopback port of its own (the stack's ApiUrl output). Stacks,
// logs and data persist under the state folder and come back on restart.

#include "devcloud/emulator/console_log.hpp"

#include <gust/result.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gust::devcloud::target {

struct TargetOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4566;  // 0: any free port
  std::filesystem::path state_dir;
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  int default_concurrency = 10;
};

class TargetCloud {
 public:
  // `console` (optional) gets the deployed functions' logs as gust dev prints them.
  static Result<std::unique_ptr<TargetCloud>> start(const TargetOptions& options, ConsoleLog* console);
  ~TargetCloud();
  TargetCloud(const TargetCloud&) = delete;
  TargetCloud& operator=(const TargetCloud&) = delete;

  std::string url() const;  // "http://127.0.0.1:4566"
  std::uint16_t port() const;
  // One line per live stack: its status and outputs.
  std::vector<std::string> describe() const;
  // Waits until no stack operation is queued or running.
  void wait_idle();
  std::vector<int> pids() const;
  void stop();

  struct Impl;

 private:
  explicit TargetCloud(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gust::devcloud::target
