#include "devcloud/dev/dev_cloud.hpp"

#include "devcloud/dev/gateway_dispatch.hpp"
#include "devcloud/dev/lambda_invoke_api.hpp"
#include "devcloud/emulator/idle_reaper.hpp"
#include "devcloud/emulator/log_tails.hpp"
#include "devcloud/gateway/router.hpp"
#include "http/server.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <random>
#include <shared_mutex>

namespace gust::devcloud {
namespace {

constexpr std::uint64_t kPayloadLimit = 10 * 1024 * 1024;  // HTTP API's request payload limit

std::string function_name(const manifest::Manifest& m, const manifest::Function& fn) { return m.app + "-" + fn.id; }

std::string log_stream_name() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  const std::time_t t = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&t, &utc);
  return fmt::format("{:04}/{:02}/{:02}/[$LATEST]{:016x}{:016x}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, random(), random());
}

}  // namespace

std::vector<std::pair<std::string, std::string>> lambda_environment(const std::string& handler, const std::string& function_name,
                                                                    int memory_mb, const std::string& log_group, const std::string& region) {
  return {
      {"_HANDLER", handler},
      {"AWS_LAMBDA_FUNCTION_NAME", function_name},
      {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", std::to_string(memory_mb)},
      {"AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"},
      {"AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"},
      {"AWS_LAMBDA_LOG_GROUP_NAME", log_group.empty() ? "/aws/lambda/" + function_name : log_group},
      {"AWS_LAMBDA_LOG_STREAM_NAME", log_stream_name()},
      {"AWS_REGION", region},
      {"AWS_DEFAULT_REGION", region},
      {"TZ", ":UTC"},
      {"LANG", "en_US.UTF-8"},
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
  };
}

std::vector<std::pair<std::string, std::string>> function_environment(const manifest::Manifest& manifest,
                                                                      const manifest::Function& fn, const DevOptions& options) {
  auto env = lambda_environment(fn.id, function_name(manifest, fn), fn.options.memory_mb, "", options.region);
  for (const auto& g : fn.grants) {
    const manifest::Resource* r = manifest.find_resource(g.resource);
    if (r == nullptr) continue;
    auto it = options.resource_values.find(r->id);
    const std::string value = it != options.resource_values.end() ? it->second : r->id;
    if (std::none_of(env.begin(), env.end(), [&](const auto& kv) { return kv.first == r->env; })) env.emplace_back(r->env, value);
  }
  for (const auto& kv : options.function_env) env.push_back(kv);
  return env;
}

struct DevCloud::Impl {
  DevOptions options;
  ConsoleLog& console;
  LogTails log{console};  // what the pools log to: the console, and each invocation's end for LogType Tail
  mutable std::shared_mutex mutex;  // guards manifest, router, pools (reload swaps them)
  manifest::Manifest manifest;
  std::filesystem::path binary;
  std::unique_ptr<Router> router;
  std::map<std::string, std::shared_ptr<FunctionPool>, std::less<>> pools;
  // The gateway and every instance's Runtime API on one I/O thread: a request
  // crosses from one to the other with no thread switch.
  std::shared_ptr<http::IoThread> io = http::IoThread::start();
  std::unique_ptr<http::Server> server;
  std::unique_ptr<IdleReaper> reaper;
  std::atomic<std::uint64_t> request_counter{0};

  explicit Impl(ConsoleLog& l) : console(l) {}

  FunctionConfig config_for(const manifest::Function& fn) const {
    FunctionConfig c;
    c.id = fn.id;
    c.function_name = function_name(manifest, fn);
    c.binary = binary;
    if (auto it = options.function_commands.find(fn.id); it != options.function_commands.end()) {
      c.command = it->second;
      c.command_dir = options.command_dir.empty() ? binary.parent_path() : options.command_dir;
    }
    c.memory_mb = fn.options.memory_mb;
    c.timeout_seconds = fn.options.timeout_seconds;
    c.architecture = fn.options.architecture;
    c.max_concurrency = fn.options.reserved_concurrency ? *fn.options.reserved_concurrency : options.default_concurrency;
    c.idle_timeout = options.idle_timeout;
    c.env = function_environment(manifest, fn, options);
    c.io = io;
    return c;
  }

  void build_routing() {
    std::vector<Route> routes;
    for (const auto& fn : manifest.functions) {
      if (fn.trigger.kind == manifest::TriggerKind::http) routes.push_back({fn.trigger.method, fn.trigger.path, fn.id});
    }
    router = std::make_unique<Router>(std::move(routes));
  }

  std::shared_ptr<FunctionPool> pool(std::string_view id) const {
    std::shared_lock lock(mutex);
    auto it = pools.find(id);
    return it == pools.end() ? nullptr : it->second;
  }

  // Finds a function by id, by its function name, or by an ARN naming either.
  std::shared_ptr<FunctionPool> pool_by_name(std::string_view name) const {
    name = function_name_from_arn(name);
    std::shared_lock lock(mutex);
    for (const auto& [id, p] : pools) {
      if (id == name || p->config().function_name == name) return p;
    }
    return nullptr;
  }

  void on_request(http::ServerRequest req, http::Responder reply) {
    if (std::string_view(req.target).starts_with(kInvokeApiPrefix)) return lambda_api(std::move(req), std::move(reply));
    GatewayRequest g = gateway_request(req);
    const std::string path = g.target.substr(0, g.target.find('?'));
    std::shared_ptr<FunctionPool> target;
    std::string event;
    {
      std::shared_lock lock(mutex);
      auto match = router->match(g.method, path);
      if (!match) return reply.send(gateway_failure(GatewayFailure::no_route));
      event = build_http_event(g, *match, event_context_now(options.host, server ? server->port() : options.port, request_counter));
      auto it = pools.find(match->route->function);
      if (it != pools.end()) target = it->second;
    }
    if (!target) return reply.send(gateway_failure(GatewayFailure::no_route));
    answer_through_function(target, std::move(event), reply);
  }

  // The Lambda Invoke API: POST /2015-03-31/functions/NAME/invocations.
  void lambda_api(http::ServerRequest req, http::Responder reply) {
    auto r = InvokeApiRequest::from_http(req.method, req.target, req.headers, std::move(req.body));
    serve_invoke_api(
        std::move(r), [this](std::string_view name) { return pool_by_name(name); }, options.region,
        [reply](InvokeApiResponse res) { reply.send({res.status, std::move(res.headers), std::move(res.body)}); },
        [this](const std::string& request_id) { return log.take(request_id); });
  }
};

DevCloud::DevCloud(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DevCloud::~DevCloud() { stop(); }

Result<std::unique_ptr<DevCloud>> DevCloud::start(const manifest::Manifest& manifest, const std::filesystem::path& binary,
                                                  const DevOptions& options, ConsoleLog& log) {
  for (const auto& [id, command] : options.function_commands) {
    if (manifest.find_function(id) != nullptr) continue;
    std::string known;
    for (const auto& fn : manifest.functions) known += (known.empty() ? "" : ", ") + fn.id;
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("the app has no function {}; name one of its functions: {}", id, known.empty() ? "(none)" : known),
                      fmt::format("--run {}=...", id));
  }
  auto impl = std::make_unique<Impl>(log);
  impl->options = options;
  impl->manifest = manifest;
  impl->binary = binary;
  impl->build_routing();
  for (const auto& fn : manifest.functions) impl->pools.emplace(fn.id, std::make_shared<FunctionPool>(impl->config_for(fn), impl->log));
  Impl* raw = impl.get();
  auto server = http::Server::start({.host = options.host, .port = options.port, .body_limit = kPayloadLimit, .io = raw->io},
                                    {.on_request = [raw](http::ServerRequest req, http::Responder reply) {
                                      raw->on_request(std::move(req), std::move(reply));
                                    }});
  if (!server) {
    return unexpected(ErrorCode::unavailable,
                      fmt::format("cannot listen on {}:{}: {}", options.host, options.port, server.error().message),
                      fmt::format("is another gust dev running? choose another port with --port (or --port 0 for any free one)"));
  }
  impl->server = std::move(*server);
  impl->reaper = std::make_unique<IdleReaper>([raw] {
    std::vector<std::shared_ptr<FunctionPool>> pools;
    std::shared_lock lock(raw->mutex);
    for (const auto& [id, p] : raw->pools) pools.push_back(p);
    return pools;
  });
  return std::unique_ptr<DevCloud>(new DevCloud(std::move(impl)));
}

std::uint16_t DevCloud::port() const { return impl_->server->port(); }

std::string DevCloud::url() const { return fmt::format("http://{}:{}", impl_->options.host, port()); }

bool DevCloud::has_function(std::string_view id) const { return impl_->pool(id) != nullptr; }

void DevCloud::invoke(const std::string& function_id, std::string payload, std::function<void(InvokeResult)> done) {
  auto p = impl_->pool(function_id);
  if (!p) return done(function_not_found(function_id));
  p->invoke(std::move(payload), std::move(done));
}

void DevCloud::set_resource_values(std::map<std::string, std::string> values) {
  std::unique_lock lock(impl_->mutex);
  impl_->options.resource_values = std::move(values);
}

void DevCloud::reload(const manifest::Manifest& manifest, const std::filesystem::path& binary) {
  std::vector<std::shared_ptr<FunctionPool>> retired;
  {
    std::unique_lock lock(impl_->mutex);
    const manifest::Manifest old = std::move(impl_->manifest);
    impl_->manifest = manifest;
    impl_->binary = binary;
    impl_->build_routing();
    std::map<std::string, std::shared_ptr<FunctionPool>, std::less<>> next;
    for (const auto& fn : manifest.functions) {
      const manifest::Function* before = old.find_function(fn.id);
      auto it = impl_->pools.find(fn.id);
      if (before != nullptr && *before == fn && it != impl_->pools.end()) {
        it->second->replace_binary(binary);  // same function, new code: drain and replace
        next.emplace(fn.id, it->second);
      } else {
        next.emplace(fn.id, std::make_shared<FunctionPool>(impl_->config_for(fn), impl_->log));
        if (it != impl_->pools.end()) retired.push_back(it->second);
      }
    }
    for (auto& [id, p] : impl_->pools) {
      if (!next.contains(id)) retired.push_back(p);
    }
    impl_->pools = std::move(next);
  }
  // Changed or removed functions finish their requests, then stop (outside the lock).
  for (auto& p : retired) p->retire();
}

std::vector<std::string> DevCloud::describe() const {
  std::shared_lock lock(impl_->mutex);
  std::vector<std::string> lines;
  const std::string base = fmt::format("http://{}:{}", impl_->options.host, impl_->server->port());
  for (const auto& fn : impl_->manifest.functions) {
    const auto& t = fn.trigger;
    switch (t.kind) {
      case manifest::TriggerKind::http: lines.push_back(fmt::format("  {:<7} {}{}  -> {}", t.method, base, t.path, fn.id)); break;
      case manifest::TriggerKind::queue: lines.push_back(fmt::format("  queue   {} (batch {})  -> {}", t.resource, t.batch_size, fn.id)); break;
      case manifest::TriggerKind::topic: lines.push_back(fmt::format("  topic   {}  -> {}", t.resource, fn.id)); break;
      case manifest::TriggerKind::schedule: lines.push_back(fmt::format("  schedule {} {}  -> {}", t.name, t.expression, fn.id)); break;
      case manifest::TriggerKind::object_created:
        lines.push_back(fmt::format("  bucket  {} object created{}{}  -> {}", t.resource, t.prefix.empty() ? "" : " prefix " + t.prefix,
                                    t.suffix.empty() ? "" : " suffix " + t.suffix, fn.id));
        break;
    }
  }
  lines.push_back(fmt::format("  lambda  aws lambda invoke --endpoint-url {} --function-name FUNCTION out.json", base));
  return lines;
}

std::vector<int> DevCloud::pids() const {
  std::shared_lock lock(impl_->mutex);
  std::vector<int> out;
  for (const auto& [id, p] : impl_->pools) {
    auto more = p->pids();
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

void DevCloud::stop() {
  if (!impl_->reaper->stop()) return;
  if (impl_->server) impl_->server->stop();
  std::map<std::string, std::shared_ptr<FunctionPool>, std::less<>> pools;
  {
    std::unique_lock lock(impl_->mutex);
    pools.swap(impl_->pools);
  }
  for (auto& [id, p] : pools) p->stop_all();
}

}  // namespace gust::devcloud
