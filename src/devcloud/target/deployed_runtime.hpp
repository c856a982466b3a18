#pragma once
// What runs for the deployed stacks, derived from their provisioned
// resources: a FunctionPool per AWS::Lambda::Function (running the unpacked
// bootstrap), an HTTP API gateway per AWS::ApiGatewayV2::Api on a loopback
// port of its own (routes from Route -> Integration -> function), and the
// triggers: SQS event-source mappings, S3 notifications, SNS `lambda`
// subscriptions and EventBridge Scheduler schedules. apply() is called after
// every stack operation: functions whose configuration did not change keep
// their warm instances; changed ones get new pools (the old finish first).

#include "devcloud/emulator/function_pool.hpp"
#include "devcloud/services/local_aws.hpp"
#include "devcloud/target/stack_records.hpp"
#include "devcloud/triggers/queue_poller.hpp"

#include <gust/result.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gust::devcloud::target {

struct RuntimeOptions {
  std::string host = "127.0.0.1";
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  std::string endpoint_url;  // the target itself: deployed functions' AWS_ENDPOINT_URL
  int default_concurrency = 10;
};

class DeployedRuntime {
 public:
  DeployedRuntime(localaws::LocalAws& aws, InvocationLog& log, RuntimeOptions options);
  ~DeployedRuntime();
  DeployedRuntime(const DeployedRuntime&) = delete;
  DeployedRuntime& operator=(const DeployedRuntime&) = delete;

  // Starts the gateway of an HTTP API and returns its port: `port` when it
  // is free (a restart keeps the API's URL), else any free one.
  Result<std::uint16_t> open_api(const std::string& api_id, std::uint16_t port);
  void close_api(const std::string& api_id);

  // Everything that runs, from the resources of every live stack.
  void apply(const std::vector<ResourceState>& resources);

  // A deployed function by name or ARN (the Lambda Invoke API), or nullptr.
  std::shared_ptr<FunctionPool> function(std::string_view name_or_arn) const;
  Invoker invoker();
  std::vector<int> pids() const;
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace gust::devcloud::target
