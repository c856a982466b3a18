#pragma once
// Where a deploy goes: the AWS configuration from the environment (region,
// profile, AWS_ENDPOINT_URL*), the account STS says the credentials belong
// to, and the stack's name for an app and a stage.

#include "aws/aws_client.hpp"
#include "aws/sts.hpp"

#include <gust/result.hpp>

#include <memory>
#include <string>

namespace gust::deploy {

struct Target {
  std::shared_ptr<aws::ClientConfig> config;
  aws::CallerIdentity identity;
  std::string region;
  std::string endpoint;  // the CloudFormation endpoint, when configured (a local cloud); empty for AWS
};

// Builds the configuration and asks STS GetCallerIdentity. With no
// credentials the error lists every source tried and how to set one.
Result<Target> connect(const aws::Environment& env);

// --stage, else $GUST_STAGE, else "dev".
std::string resolve_stage(std::string_view flag, const aws::Environment& env);

// "<app>-<stage>": the stack of one stage of one app.
std::string stack_name(std::string_view app, std::string_view stage);

}  // namespace gust::deploy
