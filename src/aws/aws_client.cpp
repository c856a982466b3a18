#include "aws/aws_client.hpp"

#include "aws/aws_error.hpp"
#include "aws/crypto.hpp"
#include "aws/sigv4.hpp"
#include "aws/timestamps.hpp"

#include <fmt/format.h>

#include <thread>

namespace gust::aws {
namespace {

using SysClock = std::chrono::system_clock;

std::string join_path(std::string_view base, std::string_view path) {
  if (base.empty() || base == "/") return std::string(path.empty() ? "/" : path);
  std::string out(base);
  if (out.back() == '/' && !path.empty() && path.front() == '/') out.pop_back();
  out.append(path);
  return out;
}

}  // namespace

Result<std::shared_ptr<ClientConfig>> ClientConfig::from_environment(const Environment& env,
                                                                      std::shared_ptr<http::Client> http) {
  auto config = std::make_shared<ClientConfig>();
  config->env = env;
  auto shared = SharedConfig::load(env);
  if (!shared) return Unexpected{std::move(shared).error()};
  config->shared_config = std::make_shared<const SharedConfig>(std::move(*shared));
  auto region = resolve_region(env, config->shared_config.get());
  if (!region) return Unexpected{std::move(region).error()};
  config->region = std::move(*region);
  config->http = http ? std::move(http) : std::make_shared<http::Client>();
  config->credentials = make_default_chain(env, config->http);
  config->retry = RetryPolicy::from_environment(env);
  return config;
}

AwsClient::AwsClient(const ServiceId& service, Protocol protocol, std::shared_ptr<ClientConfig> config)
    : service_(service),
      protocol_(protocol),
      config_(std::move(config)),
      endpoint_(resolve_endpoint(service_, config_->region, config_->env, config_->shared_config.get())) {}

Error AwsClient::failure(const http::ClientResponse& response, const std::string& context) const {
  return protocol_ == Protocol::json ? parse_json_error(response, context) : parse_xml_error(response, context);
}

Result<AwsResponse> AwsClient::send(const AwsRequest& request) const {
  if (!endpoint_) return Unexpected{endpoint_.error()};
  const Endpoint& ep = *endpoint_;
  const std::string context = request.context.empty() ? std::string(service_.signing_name) : request.context;
  http::Origin origin = ep.url.origin;
  if (!request.host_prefix.empty()) origin.host = request.host_prefix + origin.host;
  const std::string_view body = request.body_view ? *request.body_view : std::string_view(request.body);
  const bool s3 = service_.signing_name == "s3";
  // Hashed once: retries re-sign, the body does not change.
  const std::string payload_hash = request.unsigned_payload ? std::string(kUnsignedPayload) : sha256_hex(body);
  const std::string path = join_path(ep.url.path, request.path);
  const std::string host = http::host_header(origin);

  int last_cost = 0;
  bool refreshed_credentials = false;
  bool corrected_clock = false;
  for (int attempt = 1;; ++attempt) {
    auto credentials = config_->credentials->get();
    if (!credentials) return Unexpected{std::move(credentials).error()};

    HttpRequestToSign signing;
    signing.method = request.method;
    signing.path = path;
    signing.query = request.query;
    signing.headers = request.headers;
    signing.headers.set("Host", host);
    signing.payload_hash = payload_hash;
    const auto now = SysClock::now() + std::chrono::seconds(config_->clock_offset_s->load());
    sign_request(signing, *credentials, {ep.signing_region, service_.signing_name}, now,
                 s3 ? kS3SignOptions : SignOptions{});

    http::ClientRequest wire;
    wire.method = request.method;
    wire.target = request.query.empty() ? path : path + "?" + request.query;
    wire.headers = std::move(signing.headers);
    wire.headers.add("User-Agent", config_->user_agent);
    wire.headers.add("amz-sdk-request", fmt::format("attempt={}; max={}", attempt, config_->retry.max_attempts));
    wire.body = body;

    auto result = config_->http->send(origin, wire);
    bool retryable = false;
    bool throttling = false;
    bool timeout = false;
    Error error;
    if (!result) {
      error = std::move(result).error();
      error.context = context + " (" + http::origin_url(origin) + ")";
      retryable = error.code == ErrorCode::unavailable || error.code == ErrorCode::deadline_exceeded;
      timeout = error.code == ErrorCode::deadline_exceeded;
    } else if (result->status >= 200 && result->status < 300) {
      config_->quota->release(last_cost);
      AwsResponse response;
      response.status = result->status;
      response.request_id = request_id_of(result->headers);
      response.headers = std::move(result->headers);
      response.body = std::move(result->body);
      return response;
    } else {
      error = failure(*result, context);
      throttling = is_throttling_error(error.aws.code, result->status);
      retryable = throttling || is_transient_error(error.aws.code, result->status);
      // A clock more than 4 minutes off: learn the offset from Date and sign again once.
      if (!corrected_clock && is_clock_skew_error(error.aws.code)) {
        if (auto date = result->headers.get("Date")) {
          if (auto server = parse_http_date(*date)) {
            const auto skew = std::chrono::duration_cast<std::chrono::seconds>(*server - SysClock::now()).count();
            if (skew > 240 || skew < -240) {
              config_->clock_offset_s->store(skew);
              corrected_clock = true;
              --attempt;
              continue;
            }
          }
        }
      }
      // Expired temporary credentials: load fresh ones and sign again once.
      if (!refreshed_credentials && is_expired_credentials_error(error.aws.code) &&
          !credentials->session_token.empty()) {
        config_->credentials->invalidate();
        refreshed_credentials = true;
        --attempt;
        continue;
      }
    }
    if (!retryable || attempt >= config_->retry.max_attempts) return Unexpected{std::move(error)};
    const int cost = config_->quota->acquire(timeout);
    if (cost == 0) {
      error.message += " (not retried: the retry quota is spent)";
      return Unexpected{std::move(error)};
    }
    last_cost = cost;
    const auto delay = backoff_delay(config_->retry, attempt - 1, throttling);
    if (config_->sleep) config_->sleep(delay);
    else std::this_thread::sleep_for(delay);
  }
}

Result<AwsResponse> AwsClient::call_json(std::string_view target, std::string body, std::string_view context,
                                         std::string_view content_type) const {
  AwsRequest req;
  req.method = "POST";
  req.path = "/";
  req.headers.add("Content-Type", content_type);
  req.headers.add("X-Amz-Target", target);
  req.body = std::move(body);
  req.context = context.empty() ? std::string(target) : std::string(context);
  return send(req);
}

Result<AwsResponse> AwsClient::call_query(std::string_view action, std::string_view version, const QueryParams& params,
                                          std::string_view context) const {
  QueryParams all;
  all.reserve(params.size() + 2);
  all.emplace_back("Action", std::string(action));
  all.emplace_back("Version", std::string(version));
  all.insert(all.end(), params.begin(), params.end());
  AwsRequest req;
  req.method = "POST";
  req.path = "/";
  req.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  // Spaces as '+', as botocore encodes forms: AWS takes either, and some
  // emulators hash a re-encoded form rather than the bytes sent.
  req.body = encode_form(all);
  req.context = context.empty() ? fmt::format("{} {}", service_.signing_name, action) : std::string(context);
  return send(req);
}

Result<std::string> AwsClient::presign(const AwsRequest& request, std::chrono::seconds expires) const {
  if (!endpoint_) return Unexpected{endpoint_.error()};
  if (expires.count() < 1 || expires.count() > 604800)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("a presigned URL lives 1 second to 7 days (604800 s), not {} s", expires.count()),
                      request.context);
  auto credentials = config_->credentials->get();
  if (!credentials) return Unexpected{std::move(credentials).error()};
  const Endpoint& ep = *endpoint_;
  http::Origin origin = ep.url.origin;
  if (!request.host_prefix.empty()) origin.host = request.host_prefix + origin.host;
  HttpRequestToSign signing;
  signing.method = request.method;
  signing.path = join_path(ep.url.path, request.path);
  signing.query = request.query;
  signing.headers = request.headers;
  signing.headers.set("Host", http::host_header(origin));
  const bool s3 = service_.signing_name == "s3";
  signing.payload_hash = s3 ? std::string(kUnsignedPayload) : sha256_hex(request.body);
  SignOptions options = s3 ? kS3SignOptions : SignOptions{};
  options.content_sha256_header = false;
  const auto now = SysClock::now() + std::chrono::seconds(config_->clock_offset_s->load());
  presign_request(signing, *credentials, {ep.signing_region, service_.signing_name}, now, expires, options);
  return http::origin_url(origin) + signing.path + "?" + signing.query;
}

}  // namespace gust::aws
