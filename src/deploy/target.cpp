#include "deploy/target.hpp"

#include <fmt/format.h>

namespace gust::deploy {

Result<Target> connect(const aws::Environment& env) {
  auto config = aws::ClientConfig::from_environment(env);
  if (!config) return Unexpected{std::move(config).error()};
  Target target;
  target.config = *config;
  target.region = (*config)->region;
  aws::AwsClient cfn(aws::kCloudFormation, aws::Protocol::query, target.config);
  if (cfn.endpoint() && cfn.endpoint()->configured) target.endpoint = http::origin_url(cfn.endpoint()->url.origin);
  aws::StsClient sts(target.config);
  auto identity = sts.get_caller_identity();
  if (!identity) {
    Error e = std::move(identity).error();
    if (e.code == ErrorCode::unauthenticated && e.aws.http_status == 0) {
      // The chain's message lists each source it tried and how to set one; its context only names the topic.
      e.context = target.endpoint.empty()
                      ? std::string("set credentials in one of those ways, then run the command again")
                      : fmt::format("if {} is a local target (gust cloud, moto), any key works: export "
                                    "AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local",
                                    target.endpoint);
      return Unexpected{std::move(e)};
    }
    e.message = fmt::format("cannot tell which AWS account these credentials belong to (STS GetCallerIdentity): {}", e.message);
    if (e.context.empty() || e.context.starts_with("sts ")) e.context = "check the credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID) and AWS_ENDPOINT_URL";
    return Unexpected{std::move(e)};
  }
  target.identity = *std::move(identity);
  return target;
}

std::string resolve_stage(std::string_view flag, const aws::Environment& env) {
  if (!flag.empty()) return std::string(flag);
  return env.get_or("GUST_STAGE", "dev");
}

std::string stack_name(std::string_view app, std::string_view stage) { return fmt::format("{}-{}", app, stage); }

}  // namespace gust::deploy
