#pragma once
// Finding a deployed stack and its functions for `gust outputs`, `logs`,
// `invoke --remote` and `remove`: by the stack name `<app>-<stage>` and the
// logical ids synth derives from gust function ids.

#include "aws/cloudformation.hpp"

#include <string>

namespace gust::deploy {

// The stack, or ErrorCode::not_found saying how to deploy it.
Result<aws::Stack> require_stack(const aws::CloudFormationClient& cfn, std::string_view stack_name);

struct DeployedFunction {
  std::string function_name;  // Lambda's physical name
  std::string log_group;      // /aws/lambda/<stack>-<function id>
};

// Where the gust function `function_id` ("get-todos-id") of the stack runs
// and logs. Unknown ids: ErrorCode::not_found listing the deployed ones.
Result<DeployedFunction> find_function(const aws::CloudFormationClient& cfn, std::string_view stack_name,
                                       std::string_view function_id);

}  // namespace gust::deploy
