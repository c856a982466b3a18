#include "devcloud/target/deployed_runtime.hpp"

#include "devcloud/dev/dev_cloud.hpp"
#include "devcloud/dev/gateway_dispatch.hpp"
#include "devcloud/dev/lambda_invoke_api.hpp"
#include "devcloud/emulator/idle_reaper.hpp"
#include "devcloud/target/property_access.hpp"
#include "devcloud/triggers/schedule_runner.hpp"
#include "http/server.hpp"

#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <atomic>
#include <map>
#include <shared_mutex>

namespace gust::devcloud::target {
namespace json = boost::json;
namespace {

constexpr std::uint64_t kPayloadLimit = 10 * 1024 * 1024;  // HTTP API's request payload limit

// "NAME" from a function name, a function ARN, or an API Gateway integration URI wrapping one.
std::string function_of(std::string_view uri) {
  if (auto i = uri.rfind("/invocations"); i != std::string_view::npos && i + 12 == uri.size()) uri = uri.substr(0, i);
  return std::string(function_name_from_arn(uri));
}

struct NotificationTarget {
  std::string function;
  std::string event;  // "s3:ObjectCreated:*", "s3:ObjectCreated:Put", ...
  std::string prefix, suffix;
};

bool event_matches(std::string_view configured, std::string_view happened) {
  // "s3:ObjectCreated:*" covers "ObjectCreated:Put"; a named event covers only itself.
  if (configured.starts_with("s3:")) configured.remove_prefix(3);
  if (configured.ends_with(":*")) return happened.starts_with(configured.substr(0, configured.size() - 1));
  return configured == happened;
}

// SNS `lambda` deliveries to deployed functions, by ARN.
class SnsToDeployed final : public localaws::SnsDelivery {
 public:
  explicit SnsToDeployed(DeployedRuntime& runtime) : runtime_(runtime) {}
  Result<void> deliver_to_lambda(const std::string& arn, const std::string& event) override {
    auto pool = runtime_.function(arn);
    if (!pool) return unexpected(ErrorCode::not_found, fmt::format("no deployed function {}", arn));
    pool->invoke(event, [](InvokeResult) {});  // asynchronous, as SNS invokes
    return {};
  }

 private:
  DeployedRuntime& runtime_;
};

}  // namespace

struct DeployedRuntime::Impl {
  localaws::LocalAws& aws;
  InvocationLog& log;
  RuntimeOptions options;
  DeployedRuntime* self = nullptr;
  std::shared_ptr<http::IoThread> io = http::IoThread::start();

  struct Function {
    std::string spec;  // what decides whether instances can be kept
    std::shared_ptr<FunctionPool> pool;
  };
  struct Api {
    std::string id;
    std::unique_ptr<http::Server> server;
    std::shared_ptr<const Router> router = std::make_shared<Router>(std::vector<Route>{});
    std::atomic<std::uint64_t> counter{0};
  };
  mutable std::shared_mutex mutex;  // guards functions, apis' routers
  std::map<std::string, Function, std::less<>> functions;
  std::map<std::string, std::shared_ptr<Api>, std::less<>> apis;

  std::mutex triggers_mutex;
  std::vector<std::unique_ptr<QueuePoller>> pollers;
  std::unique_ptr<ScheduleRunner> schedules;

  std::unique_ptr<IdleReaper> reaper;

  Impl(localaws::LocalAws& a, InvocationLog& l, RuntimeOptions o) : aws(a), log(l), options(std::move(o)) {}

  FunctionConfig config_of(const ResourceState& r) const {
    const auto& p = r.properties;
    FunctionConfig c;
    c.id = r.physical_id;
    c.function_name = r.physical_id;
    auto dir = r.attributes.find("gust:CodeDir");
    c.binary = std::filesystem::path(dir == r.attributes.end() ? "" : dir->second) / "bootstrap";
    c.memory_mb = static_cast<int>(int_property(p, "MemorySize", 128));
    c.timeout_seconds = static_cast<int>(int_property(p, "Timeout", 3));
    if (const auto* a = p.if_contains("Architectures"); a != nullptr && a->is_array() && !a->as_array().empty())
      c.architecture = text_of(a->as_array()[0]);
    else
      c.architecture = "x86_64";
    c.max_concurrency = static_cast<int>(int_property(p, "ReservedConcurrentExecutions", options.default_concurrency));
    const std::string log_group = text_property(object_property(p, "LoggingConfig"), "LogGroup");
    c.env = lambda_environment(text_property(p, "Handler"), r.physical_id, c.memory_mb, log_group, options.region);
    for (const auto& kv : object_property(object_property(p, "Environment"), "Variables")) c.env.emplace_back(std::string(kv.key()), text_of(kv.value()));
    // Deployed functions reach the local services the way they reach AWS.
    c.env.insert(c.env.end(), {{"AWS_ENDPOINT_URL", options.endpoint_url},
                               {"AWS_ACCESS_KEY_ID", "gust-local"},
                               {"AWS_SECRET_ACCESS_KEY", "gust-local"},
                               {"AWS_SESSION_TOKEN", "gust-local"}});
    c.io = io;
    return c;
  }

  static std::string spec_of(const ResourceState& r) {
    auto it = r.attributes.find("gust:CodeDir");
    return json::serialize(r.properties) + "|" + (it == r.attributes.end() ? "" : it->second);
  }

  std::shared_ptr<FunctionPool> find(std::string_view name_or_arn) const {
    const std::string name = function_of(name_or_arn);
    std::shared_lock lock(mutex);
    auto it = functions.find(name);
    return it == functions.end() ? nullptr : it->second.pool;
  }

  void on_api_request(const std::shared_ptr<Api>& api, http::ServerRequest req, http::Responder reply) {
    GatewayRequest g = gateway_request(req);
    const std::string path = g.target.substr(0, g.target.find('?'));
    std::shared_ptr<const Router> router;
    {
      std::shared_lock lock(mutex);
      router = api->router;
    }
    auto match = router->match(g.method, path);
    if (!match) return reply.send(gateway_failure(GatewayFailure::no_route));
    EventContext ctx = event_context_now(options.host, api->server ? api->server->port() : 0, api->counter);
    ctx.api_id = api->id;
    auto target = find(match->route->function);
    // A route whose function is gone: API Gateway answers 500 for a failed integration.
    if (!target) return reply.send(gateway_failure(GatewayFailure::function_error));
    answer_through_function(target, build_http_event(g, *match, ctx), reply);
  }

  void apply_functions(const std::vector<ResourceState>& resources) {
    std::vector<std::shared_ptr<FunctionPool>> retired;
    {
      std::unique_lock lock(mutex);
      std::map<std::string, Function, std::less<>> next;
      for (const auto& r : resources) {
        if (r.type != "AWS::Lambda::Function") continue;
        const std::string spec = spec_of(r);
        auto it = functions.find(r.physical_id);
        if (it != functions.end() && it->second.spec == spec) {
          next.emplace(r.physical_id, it->second);  // unchanged: warm instances stay
          continue;
        }
        next.emplace(r.physical_id, Function{spec, std::make_shared<FunctionPool>(config_of(r), log)});
        if (it != functions.end()) retired.push_back(it->second.pool);
      }
      for (auto& [name, f] : functions) {
        if (!next.contains(name)) retired.push_back(f.pool);
      }
      functions = std::move(next);
    }
    // Replaced or removed functions finish what they are doing, then stop.
    for (auto& p : retired) p->retire();
  }

  void apply_routes(const std::vector<ResourceState>& resources) {
    std::map<std::string, std::string> integration_function;  // integration id -> function name
    for (const auto& r : resources) {
      if (r.type == "AWS::ApiGatewayV2::Integration") integration_function[r.physical_id] = function_of(text_property(r.properties, "IntegrationUri"));
    }
    std::map<std::string, std::vector<Route>> routes;  // api id -> routes
    for (const auto& r : resources) {
      if (r.type != "AWS::ApiGatewayV2::Route") continue;
      const std::string key = text_property(r.properties, "RouteKey");
      std::string target = text_property(r.properties, "Target");
      if (target.starts_with("integrations/")) target = target.substr(13);
      const std::string function = integration_function.count(target) ? integration_function[target] : std::string();
      if (key == "$default") {
        routes[text_property(r.properties, "ApiId")].push_back({"$default", "", function});
      } else {
        const auto space = key.find(' ');
        routes[text_property(r.properties, "ApiId")].push_back({key.substr(0, space), space == std::string::npos ? "" : key.substr(space + 1), function});
      }
    }
    std::unique_lock lock(mutex);
    for (auto& [id, api] : apis) {
      auto it = routes.find(id);
      api->router = std::make_shared<Router>(it == routes.end() ? std::vector<Route>{} : it->second);
    }
  }

  void apply_triggers(const std::vector<ResourceState>& resources) {
    std::lock_guard lock(triggers_mutex);
    aws.sqs().set_on_message({});
    aws.s3().set_on_event({});
    if (schedules) schedules->stop();
    for (auto& p : pollers) p->stop();
    pollers.clear();
    Invoker invoke = self->invoker();
    std::map<std::string, QueuePoller*> poller_by_queue;
    std::map<std::string, std::vector<NotificationTarget>> notifications;  // bucket -> targets
    std::vector<ScheduledFunction> scheduled;
    for (const auto& r : resources) {
      const auto& p = r.properties;
      if (r.type == "AWS::Lambda::EventSourceMapping") {
        if (const auto* enabled = p.if_contains("Enabled"); enabled != nullptr && enabled->is_bool() && !enabled->as_bool()) continue;
        const std::string arn = text_property(p, "EventSourceArn");
        if (!arn.starts_with("arn:aws:sqs:")) continue;
        const std::string queue = arn.substr(arn.rfind(':') + 1);
        pollers.push_back(std::make_unique<QueuePoller>(
            aws.sqs(), invoke,
            QueuePollerOptions{queue, function_of(text_property(p, "FunctionName")), static_cast<int>(int_property(p, "BatchSize", 10)),
                               std::chrono::seconds(int_property(p, "MaximumBatchingWindowInSeconds", 0)), options.region}));
        poller_by_queue[queue] = pollers.back().get();
      } else if (r.type == "AWS::S3::Bucket") {
        const auto& configs = object_property(p, "NotificationConfiguration");
        if (const auto* list = configs.if_contains("LambdaConfigurations"); list != nullptr && list->is_array()) {
          for (const auto& c : list->as_array()) {
            if (!c.is_object()) continue;
            NotificationTarget t{function_of(text_property(c.as_object(), "Function")), text_property(c.as_object(), "Event"), "", ""};
            const auto& rules = object_property(object_property(c.as_object(), "Filter"), "S3Key");
            if (const auto* rl = rules.if_contains("Rules"); rl != nullptr && rl->is_array()) {
              for (const auto& rule : rl->as_array()) {
                if (!rule.is_object()) continue;
                const std::string name = text_property(rule.as_object(), "Name");
                (name == "prefix" || name == "Prefix" ? t.prefix : t.suffix) = text_property(rule.as_object(), "Value");
              }
            }
            notifications[r.physical_id].push_back(std::move(t));
          }
        }
      } else if (r.type == "AWS::Scheduler::Schedule") {
        if (text_property(p, "State") == "DISABLED") continue;
        scheduled.push_back({function_of(text_property(object_property(p, "Target"), "Arn")), r.physical_id, text_property(p, "ScheduleExpression")});
      }
    }
    aws.sqs().set_on_message([poller_by_queue](const std::string& queue) {
      if (auto it = poller_by_queue.find(queue); it != poller_by_queue.end()) it->second->wake();
    });
    aws.s3().set_on_event([notifications, invoke, region = options.region](const localaws::S3Event& e) {
      auto targets = notifications.find(e.bucket);
      if (targets == notifications.end()) return;
      for (const auto& t : targets->second) {
        if (event_matches(t.event, e.event_name) && e.key.starts_with(t.prefix) && e.key.ends_with(t.suffix))
          invoke(t.function, localaws::s3_lambda_event(e, region), [](InvokeResult) {});
      }
    });
    aws.sns().set_delivery(std::make_shared<SnsToDeployed>(*self));
    schedules = std::make_unique<ScheduleRunner>(std::move(scheduled), invoke, options.region);
  }
};

DeployedRuntime::DeployedRuntime(localaws::LocalAws& aws, InvocationLog& log, RuntimeOptions options)
    : impl_(std::make_unique<Impl>(aws, log, std::move(options))) {
  impl_->self = this;
  Impl* raw = impl_.get();
  impl_->reaper = std::make_unique<IdleReaper>([raw] {
    std::vector<std::shared_ptr<FunctionPool>> pools;
    std::shared_lock lock(raw->mutex);
    for (const auto& [name, f] : raw->functions) pools.push_back(f.pool);
    return pools;
  });
}

DeployedRuntime::~DeployedRuntime() { stop(); }

Result<std::uint16_t> DeployedRuntime::open_api(const std::string& api_id, std::uint16_t port) {
  {
    std::shared_lock lock(impl_->mutex);
    if (auto it = impl_->apis.find(api_id); it != impl_->apis.end()) return it->second->server->port();
  }
  auto api = std::make_shared<Impl::Api>();
  api->id = api_id;
  Impl* raw = impl_.get();
  std::weak_ptr<Impl::Api> weak = api;
  http::ServerHandlers handlers{.on_request = [raw, weak](http::ServerRequest req, http::Responder reply) {
    if (auto a = weak.lock()) raw->on_api_request(a, std::move(req), std::move(reply));
  }};
  auto server = http::Server::start({.host = impl_->options.host, .port = port, .body_limit = kPayloadLimit, .io = impl_->io}, handlers);
  if (!server && port != 0) server = http::Server::start({.host = impl_->options.host, .port = 0, .body_limit = kPayloadLimit, .io = impl_->io}, handlers);
  if (!server) return Unexpected{std::move(server).error()};
  api->server = std::move(*server);
  const std::uint16_t bound = api->server->port();
  std::unique_lock lock(impl_->mutex);
  impl_->apis[api_id] = std::move(api);
  return bound;
}

void DeployedRuntime::close_api(const std::string& api_id) {
  std::shared_ptr<Impl::Api> api;
  {
    std::unique_lock lock(impl_->mutex);
    auto it = impl_->apis.find(api_id);
    if (it == impl_->apis.end()) return;
    api = std::move(it->second);
    impl_->apis.erase(it);
  }
  api->server->stop();
}

void DeployedRuntime::apply(const std::vector<ResourceState>& resources) {
  impl_->apply_functions(resources);
  impl_->apply_routes(resources);
  impl_->apply_triggers(resources);
}

std::shared_ptr<FunctionPool> DeployedRuntime::function(std::string_view name_or_arn) const { return impl_->find(name_or_arn); }

Invoker DeployedRuntime::invoker() {
  Impl* raw = impl_.get();
  return [raw](const std::string& name, std::string payload, std::function<void(InvokeResult)> done) {
    auto pool = raw->find(name);
    if (!pool) return done(function_not_found(name));
    pool->invoke(std::move(payload), std::move(done));
  };
}

std::vector<int> DeployedRuntime::pids() const {
  std::shared_lock lock(impl_->mutex);
  std::vector<int> out;
  for (const auto& [name, f] : impl_->functions) {
    auto more = f.pool->pids();
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

void DeployedRuntime::stop() {
  if (!impl_->reaper->stop()) return;
  {
    std::lock_guard lock(impl_->triggers_mutex);
    impl_->aws.sqs().set_on_message({});
    impl_->aws.s3().set_on_event({});
    impl_->aws.sns().set_delivery(nullptr);
    if (impl_->schedules) impl_->schedules->stop();
    for (auto& p : impl_->pollers) p->stop();
    impl_->pollers.clear();
  }
  std::map<std::string, std::shared_ptr<Impl::Api>, std::less<>> apis;
  std::map<std::string, Impl::Function, std::less<>> functions;
  {
    std::unique_lock lock(impl_->mutex);
    apis.swap(impl_->apis);
    functions.swap(impl_->functions);
  }
  for (auto& [id, a] : apis) a->server->stop();
  for (auto& [name, f] : functions) f.pool->stop_all();
}

}  // namespace gust::devcloud::target
