#pragma once
// The process-wide client configuration behind the capability objects:
// built on first use from the process environment (region, shared files,
// credential chain, AWS_ENDPOINT_URL_*), then shared by every service client.

#include "aws/aws_client.hpp"

namespace gust::aws {

// The configuration, or the error that building it gave (a missing region, a malformed ~/.aws/config).
const Result<std::shared_ptr<ClientConfig>>& default_client_config();

}  // namespace gust::aws
