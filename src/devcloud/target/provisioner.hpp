#pragma once
// Makes, changes and deletes one CloudFormation resource in the local
// cloud, as its AWS resource provider would: tables, buckets, queues and
// topics in the local services; functions' code unpacked from the local S3;
// HTTP APIs' gateways opened on loopback; roles, log groups, permissions
// and the rest recorded. Each call returns the resource's new state (physical
// id and Fn::GetAtt attributes); errors carry the provider's words.

#include "devcloud/services/local_aws.hpp"
#include "devcloud/target/deployed_runtime.hpp"
#include "devcloud/target/log_store.hpp"
#include "devcloud/target/stack_records.hpp"

#include <gust/result.hpp>

#include <filesystem>
#include <string>

namespace gust::devcloud::target {

struct ProvisionerOptions {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  std::string services_host;  // "127.0.0.1:4566": how clients reach the local services (queue URLs)
  std::filesystem::path code_dir;  // where function packages are unpacked
};

class Provisioner {
 public:
  Provisioner(localaws::LocalAws& aws, DeployedRuntime& runtime, LogStore& logs, ProvisionerOptions options)
      : aws_(aws), runtime_(runtime), logs_(logs), options_(std::move(options)) {}

  Result<ResourceState> create(const std::string& stack_name, const std::string& logical_id, const std::string& type,
                               const boost::json::object& properties);
  // In place: the physical id stays (replacements are a create then a remove).
  Result<ResourceState> update(const ResourceState& current, const boost::json::object& properties);
  Result<void> remove(const ResourceState& state);
  // After a restart: what lives outside the local services' databases (API gateways) comes back.
  void restore(const ResourceState& state);

 private:
  Result<ResourceState> provision(ResourceState state, const ResourceState* current);
  localaws::LocalAws& aws_;
  DeployedRuntime& runtime_;
  LogStore& logs_;
  ProvisionerOptions options_;
};

}  // namespace gust::devcloud::target
