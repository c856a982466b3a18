#pragma once
// CloudFormation's query API over the stack store and engine: change sets
// (create, describe, execute, delete, list), stacks (describe, events,
// resources, template, delete) and ValidateTemplate, answering in AWS's XML
// shapes, errors included (ValidationError, ChangeSetNotFound,
// InsufficientCapabilitiesException, InvalidChangeSetStatus, AlreadyExistsException).

#include "devcloud/services/s3_service.hpp"
#include "devcloud/services/service.hpp"
#include "devcloud/target/stack_engine.hpp"
#include "devcloud/target/stack_store.hpp"

#include <string>

namespace gust::devcloud::target {

class CloudFormationApi {
 public:
  CloudFormationApi(StackStore& store, StackEngine& engine, localaws::S3Service& s3, std::string region, std::string account_id)
      : store_(store), engine_(engine), s3_(s3), region_(std::move(region)), account_id_(std::move(account_id)) {}

  // One action, with its decoded form parameters.
  localaws::ServiceResponse handle(const localaws::Params& params);

  static bool is_action(std::string_view action);

 private:
  localaws::ServiceResponse create_change_set(const localaws::Params& params);
  localaws::ServiceResponse describe_change_set(const localaws::Params& params);
  localaws::ServiceResponse execute_change_set(const localaws::Params& params);
  localaws::ServiceResponse delete_change_set(const localaws::Params& params);
  localaws::ServiceResponse list_change_sets(const localaws::Params& params);
  localaws::ServiceResponse describe_stacks(const localaws::Params& params);
  localaws::ServiceResponse list_stacks();
  localaws::ServiceResponse describe_stack_events(const localaws::Params& params);
  localaws::ServiceResponse stack_resources(const localaws::Params& params, bool list);
  localaws::ServiceResponse get_template(const localaws::Params& params);
  localaws::ServiceResponse delete_stack(const localaws::Params& params);
  localaws::ServiceResponse validate_template(const localaws::Params& params);

  StackStore& store_;
  StackEngine& engine_;
  localaws::S3Service& s3_;
  std::string region_;
  std::string account_id_;
};

}  // namespace gust::devcloud::target
