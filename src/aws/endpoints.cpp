#include "aws/endpoints.hpp"

#include <fmt/format.h>

#include <cctype>

namespace gust::aws {
namespace {

bool is_true(const std::optional<std::string>& v) {
  if (!v) return false;
  std::string s = *v;
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s == "true" || s == "1";
}

Result<Endpoint> configured(std::string_view url, std::string_view region, std::string source) {
  auto parsed = http::parse_url(url);
  if (!parsed) {
    auto e = std::move(parsed).error();
    e.context = source;
    e.message += "; an endpoint URL looks like http://127.0.0.1:4566";
    return Unexpected{std::move(e)};
  }
  Endpoint ep;
  ep.url = std::move(*parsed);
  ep.signing_region = std::string(region);
  ep.configured = true;
  ep.source = std::move(source);
  return ep;
}

}  // namespace

std::string_view dns_suffix(std::string_view region) {
  return region.rfind("cn-", 0) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
}

Result<std::string> resolve_region(const Environment& env, const SharedConfig* config) {
  if (auto r = env.get("AWS_REGION")) return *r;
  if (auto r = env.get("AWS_DEFAULT_REGION")) return *r;
  if (config != nullptr) {
    if (const IniSection* p = config->active()) {
      if (auto r = p->get("region")) return *r;
    }
  }
  return unexpected(ErrorCode::invalid_argument,
                    "no AWS region is configured; set AWS_REGION (e.g. export AWS_REGION=us-east-1) or add "
                    "`region = us-east-1` to the profile in ~/.aws/config",
                    "AWS configuration");
}

Result<Endpoint> resolve_endpoint(const ServiceId& service, std::string_view region, const Environment& env,
                                  const SharedConfig* config) {
  const IniSection* profile = config != nullptr ? config->active() : nullptr;
  const bool ignore = is_true(env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) ||
                      (!env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") && profile != nullptr &&
                       is_true(profile->get("ignore_configured_endpoint_urls")));
  const std::string signing_region = service.global ? "us-east-1" : std::string(region);
  if (!ignore) {
    const std::string specific = fmt::format("AWS_ENDPOINT_URL_{}", service.env_name);
    if (auto url = env.get(specific)) return configured(*url, signing_region, specific);
    if (auto url = env.get("AWS_ENDPOINT_URL")) return configured(*url, signing_region, "AWS_ENDPOINT_URL");
    if (profile != nullptr) {
      const std::string profile_source = fmt::format("profile {}", config->active_profile());
      if (auto services_name = profile->get("services")) {
        if (const IniSection* services = config->services(*services_name)) {
          const auto it = services->nested.find(service.config_key);
          if (it != services->nested.end()) {
            const auto url = it->second.find("endpoint_url");
            if (url != it->second.end() && !url->second.empty())
              return configured(url->second, signing_region, fmt::format("services {}", *services_name));
          }
        }
      }
      if (auto url = profile->get("endpoint_url")) return configured(*url, signing_region, profile_source);
    }
  }
  const std::string host = service.global
                               ? fmt::format("{}.{}", service.endpoint_prefix, dns_suffix(region))
                               : fmt::format("{}.{}.{}", service.endpoint_prefix, region, dns_suffix(region));
  Endpoint ep;
  ep.url.origin = {true, host, 443};
  ep.url.target = "/";
  ep.url.path = "/";
  ep.signing_region = signing_region;
  ep.source = "default";
  return ep;
}

}  // namespace gust::aws
