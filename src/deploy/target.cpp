#include "deploy/target.hpp"

#include <fmt/format.h>

namespace gust::deploy {

Result<Target> connect(const aws::Environment& env) {
  auto config = aws::ClientConfig::from_environment(env);
  if (!config) return Unexpected{std::move(config).error()};
  Target target;
  target.config = *config;
  target.region = (*config)->region;
  aws::StsClient sts(target.config);
  auto identity = sts.get_caller_identity();
  if (!identity) {
    Error e = std::move(identity).error();
    // The chain's message already lists each source it tried and how to set one.
    if (e.code == ErrorCode::unauthenticated && e.aws.http_status == 0) return Unexpected{std::move(e)};
    e.message = fmt::format("cannot tell which AWS account these credentials belong to (STS GetCallerIdentity): {}", e.message);
    if (e.context.empty() || e.context.starts_with("sts ")) e.context = "check the credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID) and AWS_ENDPOINT_URL";
    return Unexpected{std::move(e)};
  }
  target.identity = *std::move(identity);
  aws::AwsClient cfn(aws::kCloudFormation, aws::Protocol::query, target.config);
  if (cfn.endpoint() && cfn.endpoint()->configured) target.endpoint = http::origin_url(cfn.endpoint()->url.origin);
  return target;
}

std::string resolve_stage(std::string_view flag, const aws::Environment& env) {
  if (!flag.empty()) return std::string(flag);
  return env.get_or("GUST_STAGE", "dev");
}

std::string stack_name(std::string_view app, std::string_view stage) { return fmt::format("{}-{}", app, stage); }

}  // namespace gust::deploy
