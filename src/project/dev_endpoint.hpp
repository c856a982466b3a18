#pragma once
// How CLI commands find a running `gust dev` for a project: it writes its
// URL to DIR/.gust/dev/endpoint while it serves. `gust invoke` and
// `gust trigger` then go through its Lambda Invoke API.

#include <gust/result.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace gust::project {

std::filesystem::path dev_endpoint_file(const std::filesystem::path& project_dir);
// The URL of the project's running dev cloud, when one answers on it.
std::optional<std::string> running_dev_cloud(const std::filesystem::path& project_dir);

struct InvokeReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// POST /2015-03-31/functions/NAME/invocations on a dev cloud (loopback only).
Result<InvokeReply> invoke_dev_function(const std::string& url, const std::string& function, const std::string& payload);

}  // namespace gust::project
