#pragma once
// Regions and endpoints, resolved as the AWS SDKs resolve them.
//
// Region: $AWS_REGION, $AWS_DEFAULT_REGION, then the active profile's `region`.
// Endpoint of a service, first found wins:
//   1. $AWS_ENDPOINT_URL_<SERVICE>   (service id upper-cased, spaces -> '_': DYNAMODB, S3, CLOUDWATCH_LOGS)
//   2. $AWS_ENDPOINT_URL
//   3. the profile's `services` section: "[services NAME]\ndynamodb =\n  endpoint_url = ..."
//   4. the profile's `endpoint_url`
//   5. https://<prefix>.<region>.amazonaws.com (.com.cn in China)
// 1-4 are skipped when $AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the
// profile's ignore_configured_endpoint_urls) is true. A configured endpoint
// makes S3 use path-style addressing.

#include "aws/environment.hpp"
#include "aws/shared_config.hpp"
#include "http/client.hpp"

#include <gust/result.hpp>

#include <string>
#include <string_view>

namespace gust::aws {

struct ServiceId {
  std::string_view signing_name;     // credential scope: "dynamodb"
  std::string_view endpoint_prefix;  // host prefix: "dynamodb"
  std::string_view env_name;         // AWS_ENDPOINT_URL_<env_name>
  std::string_view config_key;       // key in a [services] section
  bool global = false;               // one endpoint for all regions, signed for us-east-1 (IAM)
};

inline constexpr ServiceId kDynamoDb{"dynamodb", "dynamodb", "DYNAMODB", "dynamodb"};
inline constexpr ServiceId kS3{"s3", "s3", "S3", "s3"};
inline constexpr ServiceId kSqs{"sqs", "sqs", "SQS", "sqs"};
inline constexpr ServiceId kSns{"sns", "sns", "SNS", "sns"};
inline constexpr ServiceId kSts{"sts", "sts", "STS", "sts"};
inline constexpr ServiceId kCloudFormation{"cloudformation", "cloudformation", "CLOUDFORMATION", "cloudformation"};
inline constexpr ServiceId kLogs{"logs", "logs", "CLOUDWATCH_LOGS", "cloudwatch_logs"};
inline constexpr ServiceId kLambda{"lambda", "lambda", "LAMBDA", "lambda"};
inline constexpr ServiceId kIam{"iam", "iam", "IAM", "iam", true};

struct Endpoint {
  http::ParsedUrl url;        // origin and base path ("/" unless configured otherwise)
  std::string signing_region;
  bool configured = false;    // came from the environment or a profile, not the default
  std::string source;         // "AWS_ENDPOINT_URL_DYNAMODB", "profile dev", "default"
};

// The region, or ErrorCode::invalid_argument saying where to set one.
Result<std::string> resolve_region(const Environment& env, const SharedConfig* config);

Result<Endpoint> resolve_endpoint(const ServiceId& service, std::string_view region, const Environment& env,
                                  const SharedConfig* config);

// "amazonaws.com", or "amazonaws.com.cn" for cn-* regions.
std::string_view dns_suffix(std::string_view region);

}  // namespace gust::aws
