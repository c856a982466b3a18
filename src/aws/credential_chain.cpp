#include "aws/credential_chain.hpp"

#include "aws/shared_config.hpp"
#include "aws/timestamps.hpp"
#include "http/client.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace gust::aws {

// sts.cpp
Result<Credentials> sts_assume_role(const Credentials& source, const AssumeRoleRequest& request,
                                    std::shared_ptr<http::Client> http, const Environment& env);

namespace {

using SysClock = std::chrono::system_clock;

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

const std::string* string_member(const Value& v, std::string_view name) {
  const Value* m = v.find(name);
  return m != nullptr && m->kind() == Value::Kind::string ? &m->as_string() : nullptr;
}

// The JSON shape shared by credential_process and container endpoints.
Result<Credentials> credentials_from_json(std::string_view text, std::string_view source, bool process_shape) {
  auto doc = parse_json(text);
  if (!doc || doc->kind() != Value::Kind::object)
    return unexpected(ErrorCode::unauthenticated, "the answer is not a JSON object", std::string(source));
  if (process_shape) {
    const Value* version = doc->find("Version");
    if (version == nullptr || !version->is_number() || version->kind() != Value::Kind::integer || version->as_int() != 1)
      return unexpected(ErrorCode::unauthenticated, "expected \"Version\": 1 in the JSON it printed",
                        std::string(source));
  }
  Credentials c;
  const std::string* id = string_member(*doc, "AccessKeyId");
  const std::string* secret = string_member(*doc, "SecretAccessKey");
  if (id == nullptr || secret == nullptr)
    return unexpected(ErrorCode::unauthenticated, "the JSON has no AccessKeyId and SecretAccessKey",
                      std::string(source));
  c.access_key_id = *id;
  c.secret_access_key = *secret;
  if (const std::string* token = string_member(*doc, process_shape ? "SessionToken" : "Token")) c.session_token = *token;
  if (const std::string* exp = string_member(*doc, "Expiration")) {
    c.expiration = parse_iso8601(*exp);
    if (!c.expiration)
      return unexpected(ErrorCode::unauthenticated, fmt::format("Expiration '{}' is not an ISO 8601 time", *exp),
                        std::string(source));
  }
  c.source = std::string(source);
  return c;
}

class EnvironmentProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentProvider(Environment env) : env_(std::move(env)) {}
  Result<std::optional<Credentials>> load(std::string& not_configured) override {
    auto id = env_.get("AWS_ACCESS_KEY_ID");
    auto secret = env_.get("AWS_SECRET_ACCESS_KEY");
    if (!id && !secret) {
      not_configured = "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: not set";
      return std::optional<Credentials>{};
    }
    if (!id || !secret)
      return unexpected(ErrorCode::unauthenticated,
                        fmt::format("{} is set but {} is not; set both (and AWS_SESSION_TOKEN for temporary keys)",
                                    id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                                    id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"),
                        "environment");
    Credentials c;
    c.access_key_id = *id;
    c.secret_access_key = *secret;
    c.session_token = env_.get_or("AWS_SESSION_TOKEN", "");
    if (auto exp = env_.get("AWS_CREDENTIAL_EXPIRATION")) c.expiration = parse_iso8601(*exp);
    c.source = "environment";
    return std::optional<Credentials>(std::move(c));
  }

 private:
  Environment env_;
};

bool allowed_container_host(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "169.254.170.2" || host == "169.254.170.23" ||
      host == "fd00:ec2::23")
    return true;
  return host.rfind("127.", 0) == 0;
}

class ContainerProvider final : public CredentialsProvider {
 public:
  ContainerProvider(Environment env, std::shared_ptr<http::Client> http) : env_(std::move(env)), http_(std::move(http)) {}

  Result<std::optional<Credentials>> load(std::string& not_configured) override {
    const auto relative = env_.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const auto full = env_.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (!relative && !full) {
      not_configured =
          "container credentials AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: not set";
      return std::optional<Credentials>{};
    }
    const std::string source = relative ? "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" : "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    const std::string url = relative ? "http://169.254.170.2" + *relative : *full;
    auto parsed = http::parse_url(url);
    if (!parsed) return unexpected(ErrorCode::unauthenticated, parsed.error().message, source);
    if (!relative && !parsed->origin.tls && !allowed_container_host(parsed->origin.host))
      return unexpected(ErrorCode::unauthenticated,
                        fmt::format("{} uses plain http to {}; only https, loopback and the ECS/EKS agent "
                                    "addresses (169.254.170.2, 169.254.170.23) are allowed",
                                    source, parsed->origin.host),
                        source);
    http::ClientRequest req;
    req.target = parsed->target;
    req.headers.add("Accept", "application/json");
    auto token = read_token();
    if (!token) return Unexpected{std::move(token).error()};
    if (!token->empty()) req.headers.add("Authorization", *token);
    Result<http::ClientResponse> res = unexpected(ErrorCode::unavailable, "not sent");
    for (int attempt = 0; attempt < 2; ++attempt) {  // the agent may be starting
      res = http_->send(parsed->origin, req);
      if (res && res->status < 500) break;
    }
    if (!res)
      return unexpected(ErrorCode::unauthenticated,
                        fmt::format("cannot reach the container credentials endpoint {}: {}", url, res.error().message),
                        source);
    if (res->status != 200)
      return unexpected(ErrorCode::unauthenticated,
                        fmt::format("the container credentials endpoint {} answered {}: {}", url, res->status,
                                    res->body.substr(0, 200)),
                        source);
    auto creds = credentials_from_json(res->body, "container", false);
    if (!creds) return Unexpected{std::move(creds).error()};
    return std::optional<Credentials>(std::move(*creds));
  }

 private:
  // The token, read at each load (EKS rotates the file).
  Result<std::string> read_token() const {
    std::string token;
    if (auto file = env_.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
      std::ifstream in(*file);
      if (!in)
        return unexpected(ErrorCode::unauthenticated, fmt::format("cannot read the token file {}", *file),
                          "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
      std::stringstream ss;
      ss << in.rdbuf();
      token = trim(ss.str());
    } else if (auto value = env_.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
      token = *value;
    }
    if (token.find_first_of("\r\n") != std::string::npos)
      return unexpected(ErrorCode::unauthenticated, "the authorization token holds a line break",
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    return token;
  }

  Environment env_;
  std::shared_ptr<http::Client> http_;
};

class ProfileProvider final : public CredentialsProvider {
 public:
  ProfileProvider(Environment env, std::shared_ptr<http::Client> http, AssumeRoleFn assume)
      : env_(std::move(env)), http_(std::move(http)), assume_(std::move(assume)) {}

  Result<std::optional<Credentials>> load(std::string& not_configured) override {
    auto config = SharedConfig::load(env_);
    if (!config) return Unexpected{std::move(config).error()};
    config_ = std::move(*config);
    const std::string& name = config_.active_profile();
    if (config_.profile(name) == nullptr) {
      const bool chosen = env_.get("AWS_PROFILE").has_value() || env_.get("AWS_DEFAULT_PROFILE").has_value();
      const std::string where = fmt::format("{} or {}", config_.credentials_path(), config_.config_path());
      if (chosen)
        return unexpected(ErrorCode::unauthenticated,
                          fmt::format("AWS_PROFILE is \"{}\" but no such profile is in {}; add it (aws configure "
                                      "--profile {}) or unset AWS_PROFILE",
                                      name, where, name),
                          "profile " + name);
      not_configured = fmt::format("profile \"default\" in {}: not found", where);
      return std::optional<Credentials>{};
    }
    std::set<std::string> visited;
    auto creds = resolve(name, visited);
    if (!creds) return Unexpected{std::move(creds).error()};
    if (!*creds) {
      not_configured = fmt::format("profile \"{}\": has no aws_access_key_id, credential_process or role_arn", name);
      return std::optional<Credentials>{};
    }
    return creds;
  }

 private:
  Result<std::optional<Credentials>> resolve(const std::string& name, std::set<std::string>& visited) {
    const std::string context = "profile " + name;
    const IniSection* p = config_.profile(name);
    if (p == nullptr)
      return unexpected(ErrorCode::unauthenticated,
                        fmt::format("source_profile \"{}\" is not in {} or {}", name, config_.credentials_path(),
                                    config_.config_path()),
                        context);
    if (!visited.insert(name).second)
      return unexpected(ErrorCode::unauthenticated, "source_profile chain loops back to this profile", context);

    if (auto role = p->get("role_arn")) {
      Credentials source;
      if (auto source_name = p->get("source_profile")) {
        // A profile that is its own source uses its own static keys.
        const IniSection* sp = config_.profile(*source_name);
        if (*source_name == name && sp != nullptr && sp->get("aws_access_key_id")) {
          source = static_keys(*sp, context);
        } else {
          auto inner = resolve(*source_name, visited);
          if (!inner) return inner;
          if (!*inner)
            return unexpected(ErrorCode::unauthenticated,
                              fmt::format("source_profile \"{}\" has no credentials", *source_name), context);
          source = std::move(**inner);
        }
      } else if (auto cs = p->get("credential_source")) {
        std::string why;
        std::unique_ptr<CredentialsProvider> provider;
        if (*cs == "Environment") provider = environment_provider(env_);
        else if (*cs == "EcsContainer") provider = container_provider(env_, http_);
        else
          return unexpected(ErrorCode::unauthenticated,
                            fmt::format("credential_source \"{}\" is not supported (use Environment or EcsContainer)",
                                        *cs),
                            context);
        auto loaded = provider->load(why);
        if (!loaded) return Unexpected{std::move(loaded).error()};
        if (!*loaded) return unexpected(ErrorCode::unauthenticated, "credential_source has nothing: " + why, context);
        source = std::move(**loaded);
      } else {
        return unexpected(ErrorCode::unauthenticated, "role_arn needs source_profile or credential_source", context);
      }
      AssumeRoleRequest req;
      req.role_arn = *role;
      req.session_name = p->get("role_session_name").value_or(
          fmt::format("gust-{}", std::chrono::duration_cast<std::chrono::seconds>(
                                     SysClock::now().time_since_epoch()).count()));
      req.external_id = p->get("external_id").value_or("");
      req.region = p->get("region").value_or(env_.get_or("AWS_REGION", env_.get_or("AWS_DEFAULT_REGION", "us-east-1")));
      if (auto d = p->get("duration_seconds")) req.duration_seconds = std::atoi(d->c_str());
      auto assumed = assume_ ? assume_(source, req) : sts_assume_role(source, req, http_, env_);
      if (!assumed) {
        auto e = std::move(assumed).error();
        e.message = fmt::format("assuming {} failed: {}", *role, e.message);
        e.context = context;
        if (e.code != ErrorCode::permission_denied) e.code = ErrorCode::unauthenticated;
        return Unexpected{std::move(e)};
      }
      assumed->source = fmt::format("profile {} (role {})", name, *role);
      return std::optional<Credentials>(std::move(*assumed));
    }
    if (p->get("aws_access_key_id") || p->get("aws_secret_access_key")) {
      if (!p->get("aws_access_key_id") || !p->get("aws_secret_access_key"))
        return unexpected(ErrorCode::unauthenticated,
                          "has only one of aws_access_key_id and aws_secret_access_key; set both", context);
      return std::optional<Credentials>(static_keys(*p, context));
    }
    if (auto process = p->get("credential_process")) {
      auto c = run_credential_process(*process);
      if (!c) {
        auto e = std::move(c).error();
        e.context = context + " credential_process";
        return Unexpected{std::move(e)};
      }
      c->source = context + " credential_process";
      return std::optional<Credentials>(std::move(*c));
    }
    if (p->get("sso_session") || p->get("sso_start_url"))
      return unexpected(ErrorCode::unauthenticated,
                        fmt::format("uses IAM Identity Center (sso_*), which gust does not read; add "
                                    "`credential_process = aws configure export-credentials --profile {} --format "
                                    "process` to a profile and use that one",
                                    name),
                        context);
    return std::optional<Credentials>{};
  }

  static Credentials static_keys(const IniSection& p, const std::string& context) {
    Credentials c;
    c.access_key_id = p.get("aws_access_key_id").value_or("");
    c.secret_access_key = p.get("aws_secret_access_key").value_or("");
    c.session_token = p.get("aws_session_token").value_or("");
    c.source = context;
    return c;
  }

  Environment env_;
  std::shared_ptr<http::Client> http_;
  AssumeRoleFn assume_;
  SharedConfig config_;
};

}  // namespace

Result<Credentials> run_credential_process(const std::string& command) {
  // popen runs /bin/sh -c, as the AWS CLI documents for credential_process.
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr)
    return unexpected(ErrorCode::unauthenticated, fmt::format("cannot run '{}': {}", command, std::strerror(errno)));
  std::string out;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) {
    out.append(buf, n);
    if (out.size() > 1024 * 1024) break;
  }
  const int status = ::pclose(pipe);
  if (status != 0) {
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return unexpected(ErrorCode::unauthenticated,
                      fmt::format("'{}' exited with status {}; run it by hand to see why", command, code));
  }
  return credentials_from_json(out, "credential_process", true);
}

CredentialChain::CredentialChain(std::vector<std::unique_ptr<CredentialsProvider>> providers, Clock clock)
    : providers_(std::move(providers)), clock_(clock ? std::move(clock) : Clock([] { return SysClock::now(); })) {}

void CredentialChain::invalidate() {
  std::lock_guard lock(mu_);
  cached_.reset();
}

Result<Credentials> CredentialChain::get() {
  std::lock_guard lock(mu_);
  const auto now = clock_();
  if (cached_ && (!cached_->expiration || *cached_->expiration - now > kRefreshBefore)) return *cached_;
  std::vector<std::string> tried;
  for (auto& provider : providers_) {
    std::string why;
    auto loaded = provider->load(why);
    if (!loaded) {
      // Still-valid credentials beat a failed refresh.
      if (cached_ && cached_->expiration && *cached_->expiration > now) return *cached_;
      return Unexpected{std::move(loaded).error()};
    }
    if (*loaded) {
      cached_ = std::move(**loaded);
      return *cached_;
    }
    tried.push_back(std::move(why));
  }
  if (cached_ && cached_->expiration && *cached_->expiration > now) return *cached_;
  std::string list;
  for (const auto& t : tried) list += (list.empty() ? "" : "; ") + t;
  return unexpected(ErrorCode::unauthenticated,
                    fmt::format("no AWS credentials found (tried: {}). To configure one: export AWS_ACCESS_KEY_ID "
                                "and AWS_SECRET_ACCESS_KEY, or run `aws configure` to write ~/.aws/credentials, or "
                                "set AWS_PROFILE to a profile that has credentials",
                                list));  // the message says how to fix it: no help line to add
}

std::unique_ptr<CredentialsProvider> environment_provider(const Environment& env) {
  return std::make_unique<EnvironmentProvider>(env);
}

std::unique_ptr<CredentialsProvider> profile_provider(const Environment& env, std::shared_ptr<http::Client> http,
                                                      AssumeRoleFn assume_role) {
  return std::make_unique<ProfileProvider>(env, std::move(http), std::move(assume_role));
}

std::unique_ptr<CredentialsProvider> container_provider(const Environment& env, std::shared_ptr<http::Client> http) {
  return std::make_unique<ContainerProvider>(env, std::move(http));
}

std::shared_ptr<CredentialChain> make_default_chain(const Environment& env, std::shared_ptr<http::Client> http,
                                                    AssumeRoleFn assume_role) {
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  providers.push_back(environment_provider(env));
  providers.push_back(profile_provider(env, http, std::move(assume_role)));
  providers.push_back(container_provider(env, std::move(http)));
  return std::make_shared<CredentialChain>(std::move(providers));
}

namespace {
class StaticProvider final : public CredentialsProvider {
 public:
  explicit StaticProvider(Credentials c) : c_(std::move(c)) {}
  Result<std::optional<Credentials>> load(std::string&) override { return std::optional<Credentials>(c_); }

 private:
  Credentials c_;
};
}  // namespace

std::shared_ptr<CredentialChain> make_static_chain(Credentials credentials) {
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  providers.push_back(std::make_unique<StaticProvider>(std::move(credentials)));
  return std::make_shared<CredentialChain>(std::move(providers));
}

}  // namespace gust::aws
