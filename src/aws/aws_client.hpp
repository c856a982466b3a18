#pragma once
// The generic signed AWS request: resolve the endpoint, sign with SigV4,
// send over the shared HTTP client, retry in the standard mode, and turn an
// error answer into a gust::Error with AWS's code, message and request id.
// Every service client (DynamoDB, S3, SQS, SNS here; CloudFormation, STS,
// Logs for the CLI) is a thin layer over AwsClient.
//
//   auto config = ClientConfig::from_environment(Environment::process()).value();
//   AwsClient ddb(kDynamoDb, Protocol::json, config);
//   auto res = ddb.call_json("DynamoDB_20120810.ListTables", "{}");

#include "aws/credential_chain.hpp"
#include "aws/endpoints.hpp"
#include "aws/environment.hpp"
#include "aws/percent_encoding.hpp"
#include "aws/retry.hpp"
#include "aws/shared_config.hpp"
#include "http/client.hpp"

#include <gust/headers.hpp>
#include <gust/result.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace gust::aws {

// What the service clients of one process share.
struct ClientConfig {
  Environment env = Environment::process();
  std::string region;
  std::shared_ptr<const SharedConfig> shared_config;  // null: no files read
  std::shared_ptr<http::Client> http;
  std::shared_ptr<CredentialChain> credentials;
  RetryPolicy retry;
  std::shared_ptr<RetryQuota> quota = std::make_shared<RetryQuota>();
  std::string user_agent = "gust/0.1";
  // Sleeps between retries (tests shorten or record it).
  std::function<void(std::chrono::milliseconds)> sleep;
  // Added to the local clock when signing, learnt from a RequestTimeTooSkewed answer.
  std::shared_ptr<std::atomic<long long>> clock_offset_s = std::make_shared<std::atomic<long long>>(0);

  // Region, shared files, credential chain and retry policy from `env`.
  // Fails on a missing region or a malformed shared file.
  static Result<std::shared_ptr<ClientConfig>> from_environment(const Environment& env,
                                                                std::shared_ptr<http::Client> http = nullptr);
};

// How error answers are shaped.
enum class Protocol { json, rest_xml, query };

struct AwsRequest {
  std::string method = "POST";
  std::string path = "/";   // percent-encoded, appended to the endpoint's own path
  std::string query;        // percent-encoded, without '?'
  Headers headers;
  std::string body;
  // When set, sent instead of `body` without a copy (large S3 bodies); must outlive send().
  std::optional<std::string_view> body_view;
  bool unsigned_payload = false;  // S3: sign UNSIGNED-PAYLOAD instead of hashing the body
  std::string host_prefix;        // S3 virtual-hosted style: "bucket." before the endpoint's host
  std::string context;            // for errors: "dynamodb PutItem todos"
};

struct AwsResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::string request_id;
};

class AwsClient {
 public:
  AwsClient(const ServiceId& service, Protocol protocol, std::shared_ptr<ClientConfig> config);

  // Signs and sends `request`, retrying throttling, 5xx and network
  // failures. Any answer outside 2xx becomes an Error.
  Result<AwsResponse> send(const AwsRequest& request) const;
  // The JSON protocols: POST / with X-Amz-Target and a JSON body.
  Result<AwsResponse> call_json(std::string_view target, std::string body, std::string_view context = {},
                                std::string_view content_type = "application/x-amz-json-1.0") const;
  // The query protocol: POST / with Action, Version and form-encoded parameters; the answer is XML.
  Result<AwsResponse> call_query(std::string_view action, std::string_view version, const QueryParams& params,
                                 std::string_view context = {}) const;
  // A presigned URL for `request` (method, path, query, host_prefix), valid for `expires`.
  Result<std::string> presign(const AwsRequest& request, std::chrono::seconds expires) const;

  // The endpoint, or the error that resolving it gave.
  const Result<Endpoint>& endpoint() const { return endpoint_; }
  const ServiceId& service() const { return service_; }
  const std::shared_ptr<ClientConfig>& config() const { return config_; }

 private:
  Error failure(const http::ClientResponse& response, const std::string& context) const;

  ServiceId service_;
  Protocol protocol_;
  std::shared_ptr<ClientConfig> config_;
  Result<Endpoint> endpoint_;
};

}  // namespace gust::aws
