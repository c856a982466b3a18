#pragma once
// `gust dev`: the whole app on this machine as AWS would run it. One HTTP
// server on loopback is the API Gateway (routes from the manifest) and the
// Lambda Invoke API (/2015-03-31/functions/NAME/invocations, for
// `aws lambda invoke --endpoint-url` and `gust invoke`); each function is a
// FunctionPool of real processes of the app binary.

#include "devcloud/emulator/console_log.hpp"
#include "devcloud/emulator/function_pool.hpp"
#include "manifest/manifest.hpp"

#include <gust/result.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace gust::devcloud {

struct DevOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 3000;  // 0: any free port
  int default_concurrency = 10;
  std::chrono::seconds idle_timeout{300};
  std::string region = "us-east-1";
  std::filesystem::path state_dir;  // DIR/.gust/dev
  // Extra environment every function gets (endpoints of the local services, credentials).
  std::vector<std::pair<std::string, std::string>> function_env;
  // Resource variable values by resource id (physical names in the local services);
  // a resource without one gets its declared id.
  std::map<std::string, std::string> resource_values;
  // Functions served by another runtime instead of the app binary (`gust dev
  // --run ID=COMMAND`): function id -> shell command, run in command_dir.
  std::map<std::string, std::string> function_commands;
  std::filesystem::path command_dir;
};

class DevCloud {
 public:
  static Result<std::unique_ptr<DevCloud>> start(const manifest::Manifest& manifest, const std::filesystem::path& binary,
                                                 const DevOptions& options, ConsoleLog& log);
  ~DevCloud();
  DevCloud(const DevCloud&) = delete;
  DevCloud& operator=(const DevCloud&) = delete;

  std::uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:3000"

  // A new build: the same functions get the new binary (in-flight requests
  // finish on the old one); changed functions or routes are rebuilt.
  void reload(const manifest::Manifest& manifest, const std::filesystem::path& binary);

  // Physical names for the resource variables of functions started after this.
  void set_resource_values(std::map<std::string, std::string> values);

  // Invokes a function by id, as the Lambda Invoke API does (RequestResponse).
  void invoke(const std::string& function_id, std::string payload, std::function<void(InvokeResult)> done);
  bool has_function(std::string_view id) const;

  // Start-up lines: one per route with its URL, one per other trigger.
  std::vector<std::string> describe() const;
  // Every instance process id (tests check that none is left behind).
  std::vector<int> pids() const;
  void stop();

  struct Impl;

 private:
  explicit DevCloud(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The variables Lambda sets for every function: handler, name, memory, log
// group and a fresh log stream, region, TZ, PATH. An empty `log_group` is /aws/lambda/NAME.
std::vector<std::pair<std::string, std::string>> lambda_environment(const std::string& handler, const std::string& function_name,
                                                                    int memory_mb, const std::string& log_group, const std::string& region);

// The environment AWS gives a function, for the dev cloud's instances.
std::vector<std::pair<std::string, std::string>> function_environment(const manifest::Manifest& manifest,
                                                                      const manifest::Function& fn,
                                                                      const DevOptions& options);

}  // namespace gust::devcloud
