#pragma once
// AWS credentials and where they come from.

#include <chrono>
#include <optional>
#include <string>

namespace gust::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // "" for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;  // none: does not expire
  std::string source;  // "environment", "profile default", "credential_process", "container", ...
};

}  // namespace gust::aws
