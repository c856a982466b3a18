#pragma once
// The app's resources in gust dev's local AWS: created from the manifest
// (idempotently: a restart finds them, with their data, where it left them),
// and the physical name each function's variable carries.

#include "devcloud/services/local_aws.hpp"
#include "manifest/manifest.hpp"

#include <gust/result.hpp>

#include <map>
#include <string>

namespace gust::devcloud {

struct LocalResources {
  std::map<std::string, std::string> values;  // resource id -> table/bucket name, queue URL, topic ARN
  std::map<std::string, std::string> queue_names;  // queue resource id -> queue name
};

// `host` is how functions reach the local services ("127.0.0.1:4566"), for queue URLs.
Result<LocalResources> provision(localaws::LocalAws& aws, const manifest::Manifest& manifest, const std::string& host,
                                 const std::string& region);

// The ARN gust dev gives a function (what SNS subscriptions and S3 notifications name).
std::string local_function_arn(const manifest::Manifest& manifest, const manifest::Function& fn, const std::string& region);

}  // namespace gust::devcloud
