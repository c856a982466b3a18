#include "devcloud/target/target_cloud.hpp"

#include "devcloud/dev/lambda_invoke_api.hpp"
#include "devcloud/services/aws_common.hpp"
#include "devcloud/services/http_adapter.hpp"
#include "devcloud/services/local_aws.hpp"
#include "devcloud/services/query_protocol.hpp"
#include "devcloud/services/sigv4_check.hpp"
#include "devcloud/target/cloudformation_api.hpp"
#include "devcloud/emulator/log_tails.hpp"
#include "devcloud/target/function_log_sink.hpp"
#include "devcloud/target/logs_api.hpp"
#include "devcloud/target/provisioner.hpp"
#include "devcloud/target/query_xml.hpp"
#include "devcloud/target/stack_engine.hpp"
#include "devcloud/target/sts_api.hpp"

#include <fmt/format.h>

#include <atomic>

namespace gust::devcloud::target {
namespace {

enum class Destination { lambda, logs, cloudformation, sts, services };

// The credential scope's service ("cloudformation", "sts", ...), from the Authorization header or a presigned query.
std::string scope_service(const localaws::ServiceRequest& request, const localaws::Params& query) {
  std::string credential;
  if (auto auth = request.headers.get("Authorization")) {
    const std::string text(*auth);
    const auto at = text.find("Credential=");
    if (at != std::string::npos) credential = text.substr(at + 11, text.find_first_of(", ", at) - at - 11);
  } else if (const std::string* c = localaws::find_param(query, "X-Amz-Credential")) {
    credential = *c;
  }
  // KEY/DATE/REGION/SERVICE/aws4_request
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const auto slash = credential.find('/', start);
    parts.push_back(credential.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts.size() >= 4 ? parts[3] : std::string();
}

Destination destination(const localaws::ServiceRequest& request, const localaws::Params& query, const localaws::Params& form) {
  if (request.path.starts_with(kInvokeApiPrefix)) return Destination::lambda;
  if (auto target = request.headers.get("X-Amz-Target"); target && target->starts_with("Logs_20140328.")) return Destination::logs;
  const std::string* action = localaws::find_param(form, "Action");
  if (action == nullptr || request.path != "/") return Destination::services;
  const std::string service = scope_service(request, query);
  if (service == "cloudformation") return Destination::cloudformation;
  if (service == "sts") return Destination::sts;
  if (service.empty()) {
    if (CloudFormationApi::is_action(*action)) return Destination::cloudformation;
    if (*action == "GetCallerIdentity") return Destination::sts;
  }
  return Destination::services;
}

bool is_form(const localaws::ServiceRequest& request) {
  auto type = request.headers.get("Content-Type");
  return type && type->find("x-www-form-urlencoded") != std::string_view::npos;
}

}  // namespace

struct TargetCloud::Impl : localaws::Service {
  TargetOptions options;
  std::unique_ptr<localaws::LocalAws> aws;
  std::unique_ptr<LogStore> logs;
  std::unique_ptr<StackStore> stacks;
  std::unique_ptr<FunctionLogSink> log_sink;
  std::unique_ptr<LogTails> log_tails;  // in front of log_sink
  std::unique_ptr<DeployedRuntime> runtime;
  std::unique_ptr<Provisioner> provisioner;
  std::unique_ptr<StackEngine> engine;
  std::unique_ptr<CloudFormationApi> cloudformation;
  std::unique_ptr<localaws::ServiceHttpServer> server;
  std::atomic<bool> ready{false};
  bool stopped = false;

  void handle(localaws::ServiceRequest request, localaws::Reply reply) override {
    const localaws::Params query = localaws::parse_query(request.query);
    // Only a form body is parsed: an S3 upload's bytes are not parameters.
    const localaws::Params form = is_form(request) ? localaws::action_params(request, query) : query;
    const Destination to = destination(request, query, form);
    if (to == Destination::services) return aws->handle(std::move(request), std::move(reply));
    if (!ready) return reply({503, {}, "the local cloud target is starting"});
    if (to == Destination::lambda) {
      auto r = InvokeApiRequest::from_http(request.method, request.path + (request.query.empty() ? "" : "?" + request.query),
                                           request.headers, std::move(request.body));
      return serve_invoke_api(
          std::move(r), [this](std::string_view name) { return runtime->function(name); }, options.region,
          [reply](InvokeApiResponse res) { reply({res.status, std::move(res.headers), std::move(res.body)}); },
          [this](const std::string& request_id) { return log_tails->take(request_id); });
    }
    const std::string_view service = to == Destination::logs ? "logs" : to == Destination::sts ? "sts" : "cloudformation";
    const auto auth = localaws::check_sigv4(request, query, service, localaws::now_ms() / 1000);
    if (!auth.ok()) {
      const auto failure = localaws::auth_failure(auth.problem);
      if (to == Destination::logs) {
        localaws::ServiceResponse r{failure.status, {}, fmt::format(R"({{"__type":"{}","message":"{}"}})", failure.code, localaws::xml_escape(auth.message))};
        r.headers.set("Content-Type", "application/x-amz-json-1.1");
        return reply(std::move(r));
      }
      return reply(query_error(to == Destination::sts ? "https://sts.amazonaws.com/doc/2011-06-15/" : "http://cloudformation.amazonaws.com/doc/2010-05-15/",
                               failure.status, failure.code, auth.message));
    }
    switch (to) {
      case Destination::logs: {
        const std::string target(request.headers.get("X-Amz-Target").value_or(""));
        return reply(serve_logs_api(*logs, target.substr(target.find('.') + 1), request.body));
      }
      case Destination::sts: return reply(serve_sts_api(form, auth.access_key, options.account_id));
      default: return reply(cloudformation->handle(form));
    }
  }
};

TargetCloud::TargetCloud(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TargetCloud::~TargetCloud() { stop(); }

Result<std::unique_ptr<TargetCloud>> TargetCloud::start(const TargetOptions& options, ConsoleLog* console) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  std::error_code ec;
  std::filesystem::create_directories(options.state_dir / "aws", ec);
  if (ec) return unexpected(ErrorCode::unavailable, fmt::format("cannot create the state folder: {}", ec.message()), options.state_dir.string());
  auto aws = localaws::LocalAws::open({.state_dir = options.state_dir / "aws", .region = options.region, .account_id = options.account_id});
  if (!aws) return Unexpected{std::move(aws).error()};
  impl->aws = std::move(*aws);
  auto logs = LogStore::open(options.state_dir);
  if (!logs) return Unexpected{std::move(logs).error()};
  impl->logs = std::move(*logs);
  auto stacks = StackStore::open(options.state_dir);
  if (!stacks) return Unexpected{std::move(stacks).error()};
  impl->stacks = std::move(*stacks);

  localaws::HttpServeOptions serve{.host = options.host, .port = options.port};
  // Quick requests run on the I/O thread; S3 bodies (packages, templates) go to the workers.
  serve.run_inline = [](const localaws::ServiceRequest& r) {
    return r.path == "/" || r.path.starts_with(kInvokeApiPrefix) || localaws::LocalAws::route(r) != "s3";
  };
  auto server = localaws::ServiceHttpServer::start(*impl, serve);
  if (!server) {
    return unexpected(ErrorCode::unavailable, fmt::format("cannot listen on {}:{}: {}", options.host, options.port, server.error().message),
                      "is another gust cloud running? choose another port with --port (or --port 0 for any free one)");
  }
  impl->server = std::move(*server);
  const std::string endpoint = impl->server->url();
  impl->log_sink = std::make_unique<FunctionLogSink>(*impl->logs, console);
  impl->log_tails = std::make_unique<LogTails>(*impl->log_sink);
  impl->runtime = std::make_unique<DeployedRuntime>(
      *impl->aws, *impl->log_tails,
      RuntimeOptions{options.host, options.region, options.account_id, endpoint, options.default_concurrency});
  impl->provisioner = std::make_unique<Provisioner>(
      *impl->aws, *impl->runtime, *impl->logs,
      ProvisionerOptions{options.region, options.account_id, fmt::format("{}:{}", options.host, impl->server->port()), options.state_dir / "functions"});
  impl->engine = std::make_unique<StackEngine>(*impl->stacks, *impl->provisioner, *impl->runtime, options.region, options.account_id);
  impl->cloudformation = std::make_unique<CloudFormationApi>(*impl->stacks, *impl->engine, impl->aws->s3(), options.region, options.account_id);
  impl->engine->restore();
  impl->ready = true;
  return std::unique_ptr<TargetCloud>(new TargetCloud(std::move(impl)));
}

std::string TargetCloud::url() const { return impl_->server->url(); }
std::uint16_t TargetCloud::port() const { return impl_->server->port(); }
void TargetCloud::wait_idle() { impl_->engine->wait_idle(); }
std::vector<int> TargetCloud::pids() const { return impl_->runtime->pids(); }

std::vector<std::string> TargetCloud::describe() const {
  std::vector<std::string> lines;
  for (const auto& s : impl_->stacks->live_stacks()) {
    lines.push_back(fmt::format("  stack   {} {}", s.name, s.status));
    for (const auto& o : s.outputs) {
      if (o.key == "ApiUrl") lines.push_back(fmt::format("          ApiUrl {}", o.value));
    }
  }
  return lines;
}

void TargetCloud::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->ready = false;
  if (impl_->server) impl_->server->stop();
  impl_->engine.reset();  // finishes the running operation
  if (impl_->runtime) impl_->runtime->stop();
}

}  // namespace gust::devcloud::target
