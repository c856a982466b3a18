// Shared config files, regions, endpoints and the credential chain, with
// environments built in the test (nothing is read from this machine).
#include "aws/credential_chain.hpp"

#include "aws/endpoints.hpp"
#include "aws/shared_config.hpp"
#include "http/client.hpp"
#include "http/server.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace gust::aws {
namespace {

namespace fs = std::filesystem;
using Vars = std::map<std::string, std::string, std::less<>>;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/gust-aws-config-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) const {
    const std::string p = path_ + "/" + name;
    std::ofstream(p) << text;
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(SharedConfig, ReadsProfilesServicesCommentsAndNestedKeys) {
  auto cfg = SharedConfig::parse(R"(# comment
[default]
region = eu-west-1   ; trailing comment
[profile dev]
region=us-west-2
s3 =
  addressing_style = path
services = local
[profile   spaced  ]
output = json
[services local]
dynamodb =
  endpoint_url = http://127.0.0.1:8000
)",
                                 "[dev]\naws_access_key_id = AKID\naws_secret_access_key = SECRET#notacomment\n", "dev");
  ASSERT_TRUE(cfg) << cfg.error().describe();
  const IniSection* dev = cfg->active();
  ASSERT_NE(dev, nullptr);
  EXPECT_EQ(dev->get("region").value_or(""), "us-west-2");
  EXPECT_EQ(dev->get("aws_access_key_id").value_or(""), "AKID");
  EXPECT_EQ(dev->get("aws_secret_access_key").value_or(""), "SECRET#notacomment");
  EXPECT_EQ(dev->nested.at("s3").at("addressing_style"), "path");
  EXPECT_EQ(cfg->profile("default")->get("region").value_or(""), "eu-west-1");
  EXPECT_NE(cfg->profile("spaced"), nullptr);
  EXPECT_EQ(cfg->services("local")->nested.at("dynamodb").at("endpoint_url"), "http://127.0.0.1:8000");
}

TEST(SharedConfig, CredentialsFileWinsAndProfileDefaultBeatsDefault) {
  auto cfg = SharedConfig::parse("[profile default]\nregion = a\n[default]\nregion = b\naws_access_key_id = FROMCONFIG\n",
                                 "[default]\naws_access_key_id = FROMCREDENTIALS\n");
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->active()->get("region").value_or(""), "a");
  EXPECT_EQ(cfg->active()->get("aws_access_key_id").value_or(""), "FROMCREDENTIALS");
}

TEST(SharedConfig, MalformedLinesNameFileAndLine) {
  auto bad = SharedConfig::parse("[default]\nregion us-east-1\n", "");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().context, "config:2");
  EXPECT_NE(bad.error().message.find("key = value"), std::string::npos);
  auto orphan = SharedConfig::parse("", "aws_access_key_id = x\n");
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().context, "credentials:1");
}

TEST(Region, EnvironmentThenProfileThenAHelpfulError) {
  auto cfg = SharedConfig::parse("[default]\nregion = from-profile\n", "");
  EXPECT_EQ(resolve_region(Environment::from({{"AWS_REGION", "r1"}, {"AWS_DEFAULT_REGION", "r2"}}), &*cfg).value(), "r1");
  EXPECT_EQ(resolve_region(Environment::from({{"AWS_DEFAULT_REGION", "r2"}}), &*cfg).value(), "r2");
  EXPECT_EQ(resolve_region(Environment::from({}), &*cfg).value(), "from-profile");
  auto none = resolve_region(Environment::from({}), nullptr);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("AWS_REGION"), std::string::npos);
}

TEST(Endpoints, ServiceVariableThenGlobalThenProfileThenDefault) {
  auto cfg = SharedConfig::parse(
      "[default]\nendpoint_url = http://profile:1\nservices = s\n[services s]\nsqs =\n  endpoint_url = http://services:2\n", "");
  ASSERT_TRUE(cfg);
  const auto url = [&](const ServiceId& id, Vars vars) {
    auto ep = resolve_endpoint(id, "eu-central-1", Environment::from(vars), &*cfg);
    EXPECT_TRUE(ep) << ep.error().describe();
    return ep ? origin_url(ep->url.origin) + " " + ep->source : "";
  };
  EXPECT_EQ(url(kDynamoDb, {{"AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:4567"}, {"AWS_ENDPOINT_URL", "http://g:1"}}),
            "http://127.0.0.1:4567 AWS_ENDPOINT_URL_DYNAMODB");
  EXPECT_EQ(url(kDynamoDb, {{"AWS_ENDPOINT_URL", "http://g:1"}}), "http://g:1 AWS_ENDPOINT_URL");
  EXPECT_EQ(url(kSqs, {}), "http://services:2 services s");
  EXPECT_EQ(url(kSns, {}), "http://profile:1 profile default");
  EXPECT_EQ(url(kLogs, {{"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "http://logs:3"}}), "http://logs:3 AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");
  EXPECT_EQ(url(kSqs, {{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}, {"AWS_ENDPOINT_URL", "http://g:1"}}),
            "https://sqs.eu-central-1.amazonaws.com default");
  auto def = resolve_endpoint(kS3, "cn-north-1", Environment::from({}), nullptr);
  EXPECT_EQ(def->url.origin.host, "s3.cn-north-1.amazonaws.com.cn");
  EXPECT_FALSE(def->configured);
  auto iam = resolve_endpoint(kIam, "eu-west-1", Environment::from({}), nullptr);
  EXPECT_EQ(iam->url.origin.host, "iam.amazonaws.com");
  EXPECT_EQ(iam->signing_region, "us-east-1");
  auto bad = resolve_endpoint(kSqs, "us-east-1", Environment::from({{"AWS_ENDPOINT_URL_SQS", "localhost:4566"}}), nullptr);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().context, "AWS_ENDPOINT_URL_SQS");
}

TEST(Credentials, EnvironmentWithSessionTokenAndExpiration) {
  auto p = environment_provider(Environment::from({{"AWS_ACCESS_KEY_ID", "AK"},
                                                   {"AWS_SECRET_ACCESS_KEY", "SK"},
                                                   {"AWS_SESSION_TOKEN", "TOK"},
                                                   {"AWS_CREDENTIAL_EXPIRATION", "2030-01-02T03:04:05Z"}}));
  std::string why;
  auto c = p->load(why);
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->session_token, "TOK");
  EXPECT_EQ((*c)->source, "environment");
  ASSERT_TRUE((*c)->expiration);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*(*c)->expiration), 1893553445);

  auto half = environment_provider(Environment::from({{"AWS_ACCESS_KEY_ID", "AK"}}))->load(why);
  ASSERT_FALSE(half);
  EXPECT_NE(half.error().message.find("AWS_SECRET_ACCESS_KEY is not"), std::string::npos);
}

TEST(Credentials, MissingEverywhereListsWhatWasTriedAndHowToFix) {
  TempDir dir;
  auto http = std::make_shared<http::Client>();
  auto chain = make_default_chain(Environment::from({{"HOME", dir.path()}}), http);
  auto c = chain->get();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::unauthenticated);
  const std::string& m = c.error().message;
  for (const char* part : {"AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: not set", "profile \"default\"",
                           dir.path().c_str(), "AWS_CONTAINER_CREDENTIALS_FULL_URI", "aws configure", "AWS_PROFILE"})
    EXPECT_NE(m.find(part), std::string::npos) << "missing '" << part << "' in: " << m;
}

TEST(Credentials, ProfilesFromTheSharedFiles) {
  TempDir dir;
  const std::string creds = dir.write("credentials", "[team]\naws_access_key_id = TEAMKEY\naws_secret_access_key = S\naws_session_token = T\n");
  const std::string config = dir.write("config", "[profile sso]\nsso_session = corp\n[profile empty]\nregion = x\n");
  Vars base{{"AWS_SHARED_CREDENTIALS_FILE", creds}, {"AWS_CONFIG_FILE", config}, {"HOME", dir.path()}};
  std::string why;
  auto vars = base;
  vars["AWS_PROFILE"] = "team";
  auto team = profile_provider(Environment::from(vars), nullptr, {})->load(why);
  ASSERT_TRUE(team && *team) << (team ? why : team.error().describe());
  EXPECT_EQ((*team)->access_key_id, "TEAMKEY");
  EXPECT_EQ((*team)->session_token, "T");
  EXPECT_EQ((*team)->source, "profile team");

  vars["AWS_PROFILE"] = "nope";
  auto nope = profile_provider(Environment::from(vars), nullptr, {})->load(why);
  ASSERT_FALSE(nope);
  EXPECT_NE(nope.error().message.find("no such profile"), std::string::npos) << nope.error().message;

  vars["AWS_PROFILE"] = "sso";
  auto sso = profile_provider(Environment::from(vars), nullptr, {})->load(why);
  ASSERT_FALSE(sso);
  EXPECT_NE(sso.error().message.find("export-credentials"), std::string::npos) << sso.error().message;

  vars["AWS_PROFILE"] = "empty";
  auto empty = profile_provider(Environment::from(vars), nullptr, {})->load(why);
  ASSERT_TRUE(empty);
  EXPECT_FALSE(*empty);
  EXPECT_NE(why.find("has no aws_access_key_id"), std::string::npos) << why;
}

TEST(Credentials, SourceProfileChainsAssumeRolesInOrder) {
  TempDir dir;
  const std::string creds = dir.write("credentials", "[root]\naws_access_key_id = ROOT\naws_secret_access_key = S\n");
  const std::string config = dir.write(
      "config",
      "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = root\nexternal_id = ext\n"
      "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\nregion = eu-west-1\n"
      "[profile loop1]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = loop2\n"
      "[profile loop2]\nrole_arn = arn:aws:iam::1:role/y\nsource_profile = loop1\n");
  std::vector<std::string> calls;
  AssumeRoleFn fake = [&](const Credentials& source, const AssumeRoleRequest& req) -> Result<Credentials> {
    calls.push_back(source.access_key_id + "->" + req.role_arn + " " + req.external_id + " " + req.region);
    return Credentials{"ASIA-" + req.role_arn.substr(req.role_arn.size() - 1), "s", "t",
                       std::chrono::system_clock::now() + std::chrono::hours(1), ""};
  };
  Vars vars{{"AWS_SHARED_CREDENTIALS_FILE", creds}, {"AWS_CONFIG_FILE", config}, {"AWS_PROFILE", "b"}, {"HOME", dir.path()}};
  std::string why;
  auto c = profile_provider(Environment::from(vars), nullptr, fake)->load(why);
  ASSERT_TRUE(c && *c) << (c ? why : c.error().describe());
  EXPECT_EQ((*c)->access_key_id, "ASIA-b");
  EXPECT_EQ(calls, (std::vector<std::string>{"ROOT->arn:aws:iam::1:role/a ext us-east-1",
                                             "ASIA-a->arn:aws:iam::1:role/b  eu-west-1"}));
  vars["AWS_PROFILE"] = "loop1";
  auto loop = profile_provider(Environment::from(vars), nullptr, fake)->load(why);
  ASSERT_FALSE(loop);
  EXPECT_NE(loop.error().message.find("loops"), std::string::npos);
}

TEST(Credentials, CredentialProcessIsRunAndCheckedAndCachedUntilNearExpiry) {
  TempDir dir;
  const std::string counter = dir.path() + "/runs";
  // Prints credentials that expire in 10 minutes and counts its runs.
  const std::string script = dir.write("creds.sh", "echo run >> " + counter + "\nprintf '%s' '{\"Version\": 1, \"AccessKeyId\": \"PROC\", "
                                                   "\"SecretAccessKey\": \"S\", \"SessionToken\": \"T\", \"Expiration\": \"'\"$(date -u -d '+10 min' +%Y-%m-%dT%H:%M:%SZ)\"'\"}'\n");
  const std::string config = dir.write("config", "[default]\ncredential_process = /bin/sh " + script + "\n"
                                                 "[profile failing]\ncredential_process = /bin/sh -c 'exit 3'\n"
                                                 "[profile garbage]\ncredential_process = echo not json\n"
                                                 "[profile noversion]\ncredential_process = echo '{\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"b\"}'\n");
  Vars vars{{"AWS_CONFIG_FILE", config}, {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"}, {"HOME", dir.path()}};
  auto now = std::chrono::system_clock::now();
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  providers.push_back(profile_provider(Environment::from(vars), nullptr, {}));
  CredentialChain chain(std::move(providers), [&] { return now; });
  for (int i = 0; i < 3; ++i) {
    auto c = chain.get();
    ASSERT_TRUE(c) << c.error().describe();
    EXPECT_EQ(c->access_key_id, "PROC");
  }
  const auto runs = [&] {
    std::ifstream in(counter);
    return static_cast<int>(std::count(std::istreambuf_iterator<char>(in), {}, '\n'));
  };
  EXPECT_EQ(runs(), 1);
  now += std::chrono::minutes(6);  // inside the 5-minute refresh window
  ASSERT_TRUE(chain.get());
  EXPECT_EQ(runs(), 2);

  std::string why;
  for (const char* profile : {"failing", "garbage", "noversion"}) {
    vars["AWS_PROFILE"] = profile;
    auto r = profile_provider(Environment::from(vars), nullptr, {})->load(why);
    ASSERT_FALSE(r) << profile;
    EXPECT_EQ(r.error().code, ErrorCode::unauthenticated);
    EXPECT_EQ(r.error().context, std::string("profile ") + profile + " credential_process");
  }
}

// A provider that hands out credentials once, then fails.
struct OnceThenFail : CredentialsProvider {
  std::chrono::system_clock::time_point expires;
  int calls = 0;
  Result<std::optional<Credentials>> load(std::string&) override {
    if (calls++ > 0) return unexpected(ErrorCode::unavailable, "endpoint down");
    return std::optional<Credentials>(Credentials{"AK", "SK", "T", expires, "test"});
  }
};

TEST(Credentials, StillValidCredentialsOutliveAFailedRefresh) {
  auto now = std::chrono::system_clock::now();
  auto provider = std::make_unique<OnceThenFail>();
  provider->expires = now + std::chrono::minutes(3);  // already inside the refresh window
  auto* raw = provider.get();
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  providers.push_back(std::move(provider));
  CredentialChain chain(std::move(providers), [&] { return now; });
  ASSERT_TRUE(chain.get());
  ASSERT_TRUE(chain.get());  // refresh failed, old ones still valid
  EXPECT_EQ(raw->calls, 2);
  now += std::chrono::minutes(4);  // expired now
  auto expired = chain.get();
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().message, "endpoint down");
}

TEST(Credentials, ContainerEndpointWithTokenFromEnvironmentOrFile) {
  std::string seen_auth;
  int status = 200;
  auto server = http::Server::start({}, {.on_request = [&](http::ServerRequest req, http::Responder reply) {
                                          seen_auth = std::string(req.headers.get("authorization").value_or(""));
                                          reply.send({status, {},
                                                      R"({"AccessKeyId":"CONTAINER","SecretAccessKey":"S","Token":"T",)"
                                                      R"("Expiration":"2031-05-06T07:08:09.123Z"})"});
                                        }})
                    .value();
  auto http = std::make_shared<http::Client>();
  const std::string url = "http://127.0.0.1:" + std::to_string(server->port()) + "/creds";
  std::string why;
  auto c = container_provider(Environment::from({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", url},
                                                 {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok-env"}}),
                              http)
               ->load(why);
  ASSERT_TRUE(c && *c) << (c ? why : c.error().describe());
  EXPECT_EQ((*c)->access_key_id, "CONTAINER");
  EXPECT_EQ((*c)->session_token, "T");
  EXPECT_EQ(seen_auth, "tok-env");
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*(*c)->expiration), 1935817689);

  TempDir dir;
  const std::string token_file = dir.write("token", "tok-file\n");
  auto f = container_provider(Environment::from({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", url},
                                                 {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file},
                                                 {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored"}}),
                              http)
               ->load(why);
  ASSERT_TRUE(f && *f);
  EXPECT_EQ(seen_auth, "tok-file");

  status = 403;
  auto denied = container_provider(Environment::from({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", url}}), http)->load(why);
  ASSERT_FALSE(denied);
  EXPECT_NE(denied.error().message.find("answered 403"), std::string::npos) << denied.error().message;

  // Plain http to anything but loopback or the ECS/EKS agents is refused before any connection.
  auto remote = container_provider(Environment::from({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.9.8.7/creds"}}), http)
                    ->load(why);
  ASSERT_FALSE(remote);
  EXPECT_NE(remote.error().message.find("only https"), std::string::npos);
}

}  // namespace
}  // namespace gust::aws
