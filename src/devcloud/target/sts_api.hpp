#pragma once
// STS GetCallerIdentity (query protocol): the local account, and an IAM
// user ARN named after the request's access key.

#include "devcloud/services/service.hpp"

#include <string>

namespace gust::devcloud::target {

localaws::ServiceResponse serve_sts_api(const localaws::Params& params, const std::string& access_key, const std::string& account_id);

}  // namespace gust::devcloud::target
