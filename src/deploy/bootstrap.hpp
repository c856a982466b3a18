#pragma once
// `gust bootstrap`: once per account and region, the stack `gust-bootstrap`
// holding the deployment bucket that `gust deploy` uploads packages and large
// templates to: SSE-S3 encrypted, every public access blocked, owner-enforced,
// TLS only, versioned, with lifecycle rules that expire old artifacts.

#include "aws/cloudformation.hpp"
#include "deploy/apply.hpp"
#include "deploy/target.hpp"

#include <gust/value.hpp>

#include <string>

namespace gust::deploy {

inline constexpr std::string_view kBootstrapStack = "gust-bootstrap";
inline constexpr std::string_view kBucketOutput = "BucketName";

// The bootstrap stack's template.
Value bootstrap_template();

// Creates or updates the bootstrap stack; the result's stack holds the bucket's name.
Result<ApplyResult> bootstrap(const Target& target, Sink& sink);

// The deployment bucket's name from the bootstrap stack's outputs. With no
// bootstrap stack: ErrorCode::failed_precondition telling to run `gust bootstrap`.
Result<std::string> find_deployment_bucket(const aws::CloudFormationClient& cfn, const Target& target);

}  // namespace gust::deploy
