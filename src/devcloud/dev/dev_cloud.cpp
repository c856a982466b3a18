#include "devcloud/dev/dev_cloud.hpp"

#include "devcloud/gateway/http_event.hpp"
#include "devcloud/gateway/router.hpp"
#include "http/server.hpp"
#include "runtime/response_stream.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <random>
#include <shared_mutex>
#include <thread>

namespace gust::devcloud {
namespace {

constexpr std::string_view kInvokePrefix = "/2015-03-31/functions/";
constexpr std::uint64_t kPayloadLimit = 10 * 1024 * 1024;  // HTTP API's request payload limit

std::string function_name(const manifest::Manifest& m, const manifest::Function& fn) { return m.app + "-" + fn.id; }

std::string log_stream_name() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  const std::time_t t = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&t, &utc);
  return fmt::format("{:04}/{:02}/{:02}/[$LATEST]{:016x}{:016x}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, random(), random());
}

http::ServerResponse to_http(const GatewayResponse& g) {
  http::ServerResponse out{g.status, {}, g.body};
  for (const auto& [k, v] : g.headers) out.headers.add(k, v);
  return out;
}

http::ServerResponse json_response(int status, const Value& body, std::vector<std::pair<std::string, std::string>> headers = {}) {
  http::ServerResponse out{status, {}, to_json_text(body)};
  out.headers.set("content-type", "application/json");
  for (const auto& [k, v] : headers) out.headers.set(k, v);
  return out;
}

// The gateway's answer for a function's outcome (HTTP API behaviour).
GatewayResponse gateway_response(const InvokeResult& r) {
  switch (r.status) {
    case InvokeResult::Status::success: {
      std::string_view prelude, body;
      if (r.streamed && runtime::split_http_stream(r.payload, prelude, body)) {
        // A streamed route, delivered whole: the prelude carries status, headers and cookies.
        GatewayResponse head = response_from_payload(prelude);
        head.body = std::string(body);
        return head;
      }
      return response_from_payload(r.payload);
    }
    case InvokeResult::Status::timed_out: return failure_response(GatewayFailure::timeout);
    case InvokeResult::Status::throttled: return failure_response(GatewayFailure::throttled);
    default: return failure_response(GatewayFailure::function_error);
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> function_environment(const manifest::Manifest& manifest,
                                                                      const manifest::Function& fn, const DevOptions& options) {
  const std::string name = function_name(manifest, fn);
  std::vector<std::pair<std::string, std::string>> env = {
      {"_HANDLER", fn.id},
      {"AWS_LAMBDA_FUNCTION_NAME", name},
      {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", std::to_string(fn.options.memory_mb)},
      {"AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"},
      {"AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"},
      {"AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name},
      {"AWS_LAMBDA_LOG_STREAM_NAME", log_stream_name()},
      {"AWS_REGION", options.region},
      {"AWS_DEFAULT_REGION", options.region},
      {"TZ", ":UTC"},
      {"LANG", "en_US.UTF-8"},
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
  };
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
  ConsoleLog& log;
  mutable std::shared_mutex mutex;  // guards manifest, router, pools (reload swaps them)
  manifest::Manifest manifest;
  std::filesystem::path binary;
  std::unique_ptr<Router> router;
  std::map<std::string, std::shared_ptr<FunctionPool>, std::less<>> pools;
  std::unique_ptr<http::Server> server;
  std::thread reaper;
  std::mutex reaper_mutex;
  std::condition_variable reaper_wake;
  bool stopping = false;
  std::atomic<std::uint64_t> request_counter{0};

  explicit Impl(ConsoleLog& l) : log(l) {}

  FunctionConfig config_for(const manifest::Function& fn) const {
    FunctionConfig c;
    c.id = fn.id;
    c.function_name = function_name(manifest, fn);
    c.binary = binary;
    c.memory_mb = fn.options.memory_mb;
    c.timeout_seconds = fn.options.timeout_seconds;
    c.architecture = fn.options.architecture;
    c.max_concurrency = fn.options.reserved_concurrency ? *fn.options.reserved_concurrency : options.default_concurrency;
    c.idle_timeout = options.idle_timeout;
    c.env = function_environment(manifest, fn, options);
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
    if (auto colon = name.rfind(":function:"); colon != std::string_view::npos) {
      name = name.substr(colon + 10);
      if (auto qualifier = name.find(':'); qualifier != std::string_view::npos) name = name.substr(0, qualifier);
    }
    std::shared_lock lock(mutex);
    for (const auto& [id, p] : pools) {
      if (id == name || p->config().function_name == name) return p;
    }
    return nullptr;
  }

  void on_request(http::ServerRequest req, http::Responder reply) {
    if (std::string_view(req.target).starts_with(kInvokePrefix)) return lambda_api(std::move(req), std::move(reply));
    GatewayRequest g{req.method, req.target, "HTTP/1.1", {}, std::move(req.body), "127.0.0.1"};
    for (const auto& [k, v] : req.headers) g.headers.emplace_back(k, v);
    const std::string path = g.target.substr(0, g.target.find('?'));
    std::shared_ptr<FunctionPool> target;
    std::string event;
    {
      std::shared_lock lock(mutex);
      auto match = router->match(g.method, path);
      if (!match) return reply.send(to_http(failure_response(GatewayFailure::no_route)));
      const auto now = std::chrono::system_clock::now();
      EventContext ctx;
      ctx.request_id = fmt::format("{:x}-{:x}", std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count(),
                                   ++request_counter);
      ctx.domain_name = fmt::format("{}:{}", options.host, server ? server->port() : options.port);
      ctx.time_epoch_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
      event = build_http_event(g, *match, ctx);
      auto it = pools.find(match->route->function);
      if (it != pools.end()) target = it->second;
    }
    if (!target) return reply.send(to_http(failure_response(GatewayFailure::no_route)));
    target->invoke(std::move(event), [reply](InvokeResult r) { reply.send(to_http(gateway_response(r))); });
  }

  // The Lambda Invoke API: POST /2015-03-31/functions/NAME/invocations.
  void lambda_api(http::ServerRequest req, http::Responder reply) {
    std::string_view rest = std::string_view(req.target).substr(kInvokePrefix.size());
    rest = rest.substr(0, rest.find('?'));
    const auto slash = rest.find('/');
    const std::string name(rest.substr(0, slash));
    if (req.method != "POST" || slash == std::string_view::npos || rest.substr(slash) != "/invocations") {
      Value body;
      body["message"] = "gust dev serves only Invoke: POST /2015-03-31/functions/NAME/invocations";
      return reply.send(json_response(400, body, {{"x-amzn-ErrorType", "InvalidRequestContentException"}}));
    }
    auto target = pool_by_name(name);
    if (!target) {
      Value body;
      body["Type"] = "User";
      body["Message"] = fmt::format("Function not found: arn:aws:lambda:{}:000000000000:function:{}", options.region, name);
      return reply.send(json_response(404, body, {{"x-amzn-ErrorType", "ResourceNotFoundException"}}));
    }
    const std::string type = std::string(req.headers.get("x-amz-invocation-type").value_or("RequestResponse"));
    if (type == "DryRun") return reply.send({204, {}, {}});
    if (type == "Event") {
      target->invoke(std::move(req.body), [](InvokeResult) {});
      http::ServerResponse accepted{202, {}, {}};
      return reply.send(std::move(accepted));
    }
    if (type != "RequestResponse") {
      Value body;
      body["message"] = fmt::format("X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not {}", type);
      return reply.send(json_response(400, body, {{"x-amzn-ErrorType", "InvalidParameterValueException"}}));
    }
    target->invoke(std::move(req.body), [reply](InvokeResult r) {
      if (r.status == InvokeResult::Status::throttled) {
        Value body;
        body["Type"] = "User";
        body["Reason"] = "ReservedFunctionConcurrentInvocationLimitExceeded";
        body["message"] = "Rate Exceeded.";
        return reply.send(json_response(429, body, {{"x-amzn-ErrorType", "TooManyRequestsException"}}));
      }
      if (r.status == InvokeResult::Status::success) {
        http::ServerResponse ok{200, {}, std::move(r.payload)};
        ok.headers.set("content-type", "application/json");
        ok.headers.set("x-amz-executed-version", "$LATEST");
        ok.headers.set("x-amzn-requestid", r.request_id);
        return reply.send(std::move(ok));
      }
      Value body;
      body["errorMessage"] = r.status == InvokeResult::Status::timed_out && r.error_message.empty() ? "Task timed out" : r.error_message;
      body["errorType"] = r.error_type.empty() ? "Runtime.Unknown" : r.error_type;
      body["stackTrace"] = Array{};
      reply.send(json_response(200, body, {{"x-amz-function-error", "Unhandled"}, {"x-amz-executed-version", "$LATEST"},
                                           {"x-amzn-requestid", r.request_id}}));
    });
  }
};

DevCloud::DevCloud(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DevCloud::~DevCloud() { stop(); }

Result<std::unique_ptr<DevCloud>> DevCloud::start(const manifest::Manifest& manifest, const std::filesystem::path& binary,
                                                  const DevOptions& options, ConsoleLog& log) {
  auto impl = std::make_unique<Impl>(log);
  impl->options = options;
  impl->manifest = manifest;
  impl->binary = binary;
  impl->build_routing();
  for (const auto& fn : manifest.functions) impl->pools.emplace(fn.id, std::make_shared<FunctionPool>(impl->config_for(fn), log));
  Impl* raw = impl.get();
  auto server = http::Server::start({.host = options.host, .port = options.port, .body_limit = kPayloadLimit},
                                    {.on_request = [raw](http::ServerRequest req, http::Responder reply) {
                                      raw->on_request(std::move(req), std::move(reply));
                                    }});
  if (!server) {
    return unexpected(ErrorCode::unavailable,
                      fmt::format("cannot listen on {}:{}: {}", options.host, options.port, server.error().message),
                      fmt::format("is another gust dev running? choose another port with --port (or --port 0 for any free one)"));
  }
  impl->server = std::move(*server);
  impl->reaper = std::thread([raw] {
    std::unique_lock lock(raw->reaper_mutex);
    while (!raw->reaper_wake.wait_for(lock, std::chrono::seconds(1), [raw] { return raw->stopping; })) {
      lock.unlock();
      std::vector<std::shared_ptr<FunctionPool>> pools;
      {
        std::shared_lock pools_lock(raw->mutex);
        for (const auto& [id, p] : raw->pools) pools.push_back(p);
      }
      for (const auto& p : pools) p->reap(std::chrono::steady_clock::now());
      lock.lock();
    }
  });
  return std::unique_ptr<DevCloud>(new DevCloud(std::move(impl)));
}

std::uint16_t DevCloud::port() const { return impl_->server->port(); }

std::string DevCloud::url() const { return fmt::format("http://{}:{}", impl_->options.host, port()); }

bool DevCloud::has_function(std::string_view id) const { return impl_->pool(id) != nullptr; }

void DevCloud::invoke(const std::string& function_id, std::string payload, std::function<void(InvokeResult)> done) {
  auto p = impl_->pool(function_id);
  if (!p) {
    InvokeResult r;
    r.status = InvokeResult::Status::crashed;
    r.error_type = "ResourceNotFoundException";
    r.error_message = fmt::format("no function {}", function_id);
    return done(std::move(r));
  }
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
  for (auto& p : retired) {
    for (int i = 0; i < 3000 && p->busy_count() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    p->stop_all();
  }
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
  {
    std::lock_guard lock(impl_->reaper_mutex);
    if (impl_->stopping) return;
    impl_->stopping = true;
  }
  impl_->reaper_wake.notify_all();
  if (impl_->reaper.joinable()) impl_->reaper.join();
  if (impl_->server) impl_->server->stop();
  std::map<std::string, std::shared_ptr<FunctionPool>, std::less<>> pools;
  {
    std::unique_lock lock(impl_->mutex);
    pools.swap(impl_->pools);
  }
  for (auto& [id, p] : pools) p->stop_all();
}

}  // namespace gust::devcloud
