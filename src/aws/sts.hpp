#pragma once
// STS: AssumeRole (profiles with role_arn) and GetCallerIdentity (the CLI's
// "which account am I deploying to").

#include "aws/aws_client.hpp"
#include "aws/credential_chain.hpp"

namespace gust::aws {

struct CallerIdentity {
  std::string account;
  std::string arn;
  std::string user_id;
};

class StsClient {
 public:
  explicit StsClient(std::shared_ptr<ClientConfig> config) : client_(kSts, Protocol::query, std::move(config)) {}
  Result<Credentials> assume_role(const AssumeRoleRequest& request) const;
  Result<CallerIdentity> get_caller_identity() const;

 private:
  AwsClient client_;
};

}  // namespace gust::aws
