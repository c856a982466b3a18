#pragma once
// Where the AWS clients get credentials, in the SDKs' default order:
//
//   1. environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
//      (what Lambda sets), AWS_CREDENTIAL_EXPIRATION
//   2. the shared files' profile ($AWS_PROFILE, else "default"): static keys,
//      credential_process, or role_arn with source_profile / credential_source
//      (assumed through STS, chains followed)
//   3. container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI,
//      with AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)
//
// The chain caches what it found and loads again five minutes before the
// credentials expire (keeping the old ones while they are still valid if the
// reload fails). When no source has credentials, the error lists each source
// tried and how to configure one.

#include "aws/credentials.hpp"
#include "aws/environment.hpp"

#include <gust/result.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gust::http {
class Client;
}

namespace gust::aws {

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // The credentials; nullopt with `not_configured` saying why when this
  // source has none; an error when it is configured but failed.
  virtual Result<std::optional<Credentials>> load(std::string& not_configured) = 0;
};

class CredentialChain {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  static constexpr std::chrono::minutes kRefreshBefore{5};

  explicit CredentialChain(std::vector<std::unique_ptr<CredentialsProvider>> providers, Clock clock = {});

  // Cached credentials, reloaded when they are about to expire.
  Result<Credentials> get();
  // Forgets the cache (after AWS answered ExpiredToken).
  void invalidate();

 private:
  std::vector<std::unique_ptr<CredentialsProvider>> providers_;
  Clock clock_;
  std::mutex mu_;
  std::optional<Credentials> cached_;
};

struct AssumeRoleRequest {
  std::string role_arn;
  std::string session_name;
  std::string external_id;
  std::string region;
  int duration_seconds = 3600;
};
// Calls STS AssumeRole with `source` credentials (sts.cpp; replaceable in tests).
using AssumeRoleFn = std::function<Result<Credentials>(const Credentials& source, const AssumeRoleRequest&)>;

// The default chain above. `http` serves container credentials and STS.
std::shared_ptr<CredentialChain> make_default_chain(const Environment& env, std::shared_ptr<http::Client> http,
                                                    AssumeRoleFn assume_role = {});
// Fixed credentials (tests, the CLI's --profile resolution done elsewhere).
std::shared_ptr<CredentialChain> make_static_chain(Credentials credentials);

// The providers, for tests.
std::unique_ptr<CredentialsProvider> environment_provider(const Environment& env);
std::unique_ptr<CredentialsProvider> profile_provider(const Environment& env, std::shared_ptr<http::Client> http,
                                                      AssumeRoleFn assume_role);
std::unique_ptr<CredentialsProvider> container_provider(const Environment& env, std::shared_ptr<http::Client> http);
// Runs a credential_process command and reads its JSON (Version 1).
Result<Credentials> run_credential_process(const std::string& command);

}  // namespace gust::aws
