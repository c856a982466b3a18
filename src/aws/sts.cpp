#include "aws/sts.hpp"

#include "aws/timestamps.hpp"

#include <pugixml.hpp>

#include <fmt/format.h>

namespace gust::aws {
namespace {

constexpr std::string_view kVersion = "2011-06-15";

Result<pugi::xml_node> result_node(pugi::xml_document& doc, const std::string& body, const char* response,
                                   const char* result) {
  if (!doc.load_buffer(body.data(), body.size()))
    return unexpected(ErrorCode::internal, "STS answered with malformed XML", "sts");
  pugi::xml_node node = doc.child(response).child(result);
  if (!node) return unexpected(ErrorCode::internal, fmt::format("STS answer has no {}", result), "sts");
  return node;
}

}  // namespace

Result<Credentials> StsClient::assume_role(const AssumeRoleRequest& request) const {
  QueryParams params = {{"RoleArn", request.role_arn},
                        {"RoleSessionName", request.session_name},
                        {"DurationSeconds", std::to_string(request.duration_seconds)}};
  if (!request.external_id.empty()) params.emplace_back("ExternalId", request.external_id);
  auto res = client_.call_query("AssumeRole", kVersion, params, "sts AssumeRole " + request.role_arn);
  if (!res) return Unexpected{std::move(res).error()};
  pugi::xml_document doc;
  auto node = result_node(doc, res->body, "AssumeRoleResponse", "AssumeRoleResult");
  if (!node) return Unexpected{std::move(node).error()};
  const pugi::xml_node c = node->child("Credentials");
  Credentials out;
  out.access_key_id = c.child_value("AccessKeyId");
  out.secret_access_key = c.child_value("SecretAccessKey");
  out.session_token = c.child_value("SessionToken");
  out.expiration = parse_iso8601(c.child_value("Expiration"));
  out.source = "sts AssumeRole " + request.role_arn;
  if (out.access_key_id.empty() || out.secret_access_key.empty())
    return unexpected(ErrorCode::internal, "AssumeRole answered without credentials", "sts");
  return out;
}

Result<CallerIdentity> StsClient::get_caller_identity() const {
  auto res = client_.call_query("GetCallerIdentity", kVersion, {}, "sts GetCallerIdentity");
  if (!res) return Unexpected{std::move(res).error()};
  pugi::xml_document doc;
  auto node = result_node(doc, res->body, "GetCallerIdentityResponse", "GetCallerIdentityResult");
  if (!node) return Unexpected{std::move(node).error()};
  return CallerIdentity{node->child_value("Account"), node->child_value("Arn"), node->child_value("UserId")};
}

// The profile provider's default AssumeRole: STS in the profile's region,
// with the source credentials and the shared HTTP client.
Result<Credentials> sts_assume_role(const Credentials& source, const AssumeRoleRequest& request,
                                    std::shared_ptr<http::Client> http, const Environment& env) {
  auto config = std::make_shared<ClientConfig>();
  config->env = env;
  config->region = request.region;
  if (auto shared = SharedConfig::load(env)) config->shared_config = std::make_shared<const SharedConfig>(std::move(*shared));
  config->http = http ? std::move(http) : std::make_shared<http::Client>();
  config->credentials = make_static_chain(source);
  config->retry = RetryPolicy::from_environment(env);
  return StsClient(std::move(config)).assume_role(request);
}

}  // namespace gust::aws
