#include "deploy/stack_lookup.hpp"

#include "synth/logical_ids.hpp"

#include <fmt/format.h>

namespace gust::deploy {

Result<aws::Stack> require_stack(const aws::CloudFormationClient& cfn, std::string_view stack_name) {
  auto stack = cfn.describe_stack(stack_name);
  if (!stack) return Unexpected{std::move(stack).error()};
  if (!stack->has_value() || (*stack)->status == "REVIEW_IN_PROGRESS")
    return unexpected(ErrorCode::not_found, fmt::format("no stack {} is deployed in this account and region", stack_name),
                      "deploy it with `gust deploy DIR --stage STAGE` (the stack is APP-STAGE)");
  return **std::move(stack);
}

Result<DeployedFunction> find_function(const aws::CloudFormationClient& cfn, std::string_view stack_name,
                                       std::string_view function_id) {
  auto resources = cfn.list_stack_resources(stack_name);
  if (!resources) {
    if (aws::is_missing_stack_error(resources.error()))
      return unexpected(ErrorCode::not_found, fmt::format("no stack {} is deployed in this account and region", stack_name),
                        "deploy it with `gust deploy DIR --stage STAGE`");
    return Unexpected{std::move(resources).error()};
  }
  const std::string function_logical_id = synth::function_id(function_id);
  const std::string log_group_logical_id = synth::log_group_id(function_id);
  DeployedFunction out;
  std::string deployed;
  for (const auto& r : *resources) {
    if (r.logical_id == function_logical_id) out.function_name = r.physical_id;
    if (r.logical_id == log_group_logical_id) out.log_group = r.physical_id;
    if (r.resource_type == "AWS::Lambda::Function") deployed += (deployed.empty() ? "" : ", ") + r.logical_id;
  }
  if (out.function_name.empty())
    return unexpected(ErrorCode::not_found,
                      fmt::format("stack {} has no function \"{}\" (no resource {}); its functions: {}", stack_name,
                                  function_id, function_logical_id, deployed.empty() ? "none" : deployed),
                      "pass a function id as `gust manifest` lists it, e.g. get-lists-list-todos-id");
  // The group synth names; a target that does not report its physical id still has it.
  if (out.log_group.empty()) out.log_group = fmt::format("/aws/lambda/{}-{}", stack_name, function_id);
  return out;
}

}  // namespace gust::deploy
