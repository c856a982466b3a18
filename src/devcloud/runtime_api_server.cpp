#include "devcloud/runtime_api_server.hpp"

#include "http/server.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace gust::devcloud {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kPrefix = "/2018-06-01/runtime/";

struct Job {
  Invocation invocation;
  std::function<void(InvocationOutcome)> done;
  InvocationOutcome outcome;
  Clock::time_point handed_out{};
  Clock::time_point deadline{};
};

using Completions = std::vector<std::pair<std::function<void(InvocationOutcome)>, InvocationOutcome>>;

http::ServerResponse json_reply(int status, std::string body) {
  http::ServerResponse r{status, {}, std::move(body)};
  r.headers.set("Content-Type", "application/json");
  return r;
}

http::ServerResponse api_error(int status, std::string_view type, std::string_view message) {
  Value v;
  v["errorMessage"] = message;
  v["errorType"] = type;
  return json_reply(status, to_json_text(v));
}

// errorType/errorMessage of an error document; the header type wins only when the body has none.
void read_error(std::string_view body, std::string_view header_type, std::string& type, std::string& message) {
  type.assign(header_type);
  message.clear();
  if (auto doc = parse_json(body); doc && doc->kind() == Value::Kind::object) {
    if (const Value* t = doc->find("errorType"); t && t->kind() == Value::Kind::string && !t->as_string().empty()) type = t->as_string();
    if (const Value* m = doc->find("errorMessage"); m && m->kind() == Value::Kind::string) message = m->as_string();
  }
}

}  // namespace

std::string_view to_string(InvocationOutcome::Status status) noexcept {
  switch (status) {
    case InvocationOutcome::Status::success: return "success";
    case InvocationOutcome::Status::function_error: return "function_error";
    case InvocationOutcome::Status::init_error: return "init_error";
    case InvocationOutcome::Status::timed_out: return "timed_out";
    case InvocationOutcome::Status::aborted: return "aborted";
  }
  return "aborted";
}

struct RuntimeApiServer::Impl {
  Options options;
  std::unique_ptr<http::Server> server;

  mutable std::mutex mu;
  mutable std::condition_variable changed;  // first poll, init error
  std::condition_variable reaper_cv;
  Clock::time_point reaper_wakes_at = Clock::time_point::max();
  std::deque<std::shared_ptr<Job>> queued;
  std::map<std::string, std::shared_ptr<Job>, std::less<>> running;
  std::deque<http::Responder> pollers;
  std::optional<InitError> init;
  std::optional<std::string> runtime_gone;  // abort_all()'s reason: later invocations end with it at once
  std::optional<Clock::time_point> first_poll;
  std::uint64_t polls = 0;
  int faults_left = 0;
  int fault_status = 0;
  bool stopping = false;
  std::thread reaper;
  std::mt19937_64 rng{std::random_device{}()};

  std::string new_request_id() {
    std::uint64_t a = rng(), b = rng();
    b = (b & ~0xF000ULL) | 0x4000ULL;  // version 4
    return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xFFFF, b & 0xFFFF,
                       ((b >> 16) & 0x3FFF) | 0x8000, (a & 0xFFFF) << 32 | (b >> 32));
  }

  std::string new_trace_id() {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return fmt::format("Root=1-{:08x}-{:012x}{:012x};Parent={:016x};Sampled=0", now, rng() & 0xFFFFFFFFFFFFULL,
                       rng() & 0xFFFFFFFFFFFFULL, rng());
  }

  // Moves `job` out of the running set with its outcome; the caller runs the completions unlocked.
  void finish(const std::shared_ptr<Job>& job, InvocationOutcome::Status status, Completions& out) {
    running.erase(job->outcome.request_id);
    job->outcome.status = status;
    if (job->handed_out != Clock::time_point{})
      job->outcome.duration = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - job->handed_out);
    out.emplace_back(std::move(job->done), std::move(job->outcome));
  }

  static void run(Completions& done) {
    for (auto& [fn, outcome] : done) {
      if (fn) fn(std::move(outcome));
    }
  }

  http::ServerResponse hand_out(const std::shared_ptr<Job>& job) {
    Invocation& inv = job->invocation;
    job->handed_out = Clock::now();
    job->deadline = job->handed_out + inv.timeout;
    running.emplace(job->outcome.request_id, job);
    // Wake the reaper only when this deadline comes before the one it sleeps
    // towards: a wake-up per invocation would cost two context switches.
    if (job->deadline < reaper_wakes_at) reaper_cv.notify_one();
    auto deadline_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           (std::chrono::system_clock::now() + inv.timeout).time_since_epoch())
                           .count();
    http::ServerResponse r = json_reply(200, std::move(inv.payload));
    r.headers.set("Lambda-Runtime-Aws-Request-Id", job->outcome.request_id);
    r.headers.set("Lambda-Runtime-Deadline-Ms", inv.deadline_header ? *inv.deadline_header : std::to_string(deadline_ms));
    r.headers.set("Lambda-Runtime-Invoked-Function-Arn", options.function_arn);
    r.headers.set("Lambda-Runtime-Trace-Id", inv.trace_id);
    if (!inv.client_context.empty()) r.headers.set("Lambda-Runtime-Client-Context", inv.client_context);
    if (!inv.cognito_identity.empty()) r.headers.set("Lambda-Runtime-Cognito-Identity", inv.cognito_identity);
    return r;
  }

  void on_next(http::Responder reply) {
    std::unique_lock lock(mu);
    ++polls;
    if (!first_poll) {
      first_poll = Clock::now();
      changed.notify_all();
    }
    if (faults_left > 0) {
      --faults_left;
      const int status = fault_status;
      lock.unlock();
      if (status == 0) return reply.abort();
      return reply.send(api_error(status, "ServiceException", "injected fault"));
    }
    if (!queued.empty()) {
      auto job = std::move(queued.front());
      queued.pop_front();
      auto response = hand_out(job);
      lock.unlock();
      return reply.send(std::move(response));
    }
    pollers.push_back(std::move(reply));
  }

  // The job named in `path` ("{id}/response"), or an error reply.
  std::shared_ptr<Job> running_job(std::string_view id) {
    auto it = running.find(id);
    return it == running.end() ? nullptr : it->second;
  }

  http::ServerResponse on_response(std::string_view id, http::ServerRequest& req) {
    Completions done;
    {
      std::lock_guard lock(mu);
      auto job = running_job(id);
      if (!job) return api_error(400, "InvalidRequestID", fmt::format("no running invocation {}", id));
      auto& o = job->outcome;
      o.content_type = std::string(req.headers.get("Content-Type").value_or(""));
      const bool streamed = iequals(req.headers.get("Lambda-Runtime-Function-Response-Mode").value_or(""), "streaming");
      o.streamed = streamed;
      if (!streamed) o.payload = std::move(req.body);
      auto trailer_type = req.headers.get("Lambda-Runtime-Function-Error-Type");
      if (streamed && trailer_type) {
        auto body = req.headers.get("Lambda-Runtime-Function-Error-Body").value_or("");
        auto decoded = base64_decode(body);
        o.error_body = decoded ? *decoded : std::string(body);
        read_error(o.error_body, *trailer_type, o.error_type, o.error_message);
        finish(job, InvocationOutcome::Status::function_error, done);
      } else {
        finish(job, InvocationOutcome::Status::success, done);
      }
    }
    run(done);
    return json_reply(202, R"({"status":"OK"})");
  }

  http::ServerResponse on_error(std::string_view id, http::ServerRequest& req) {
    Completions done;
    {
      std::lock_guard lock(mu);
      auto job = running_job(id);
      if (!job) return api_error(400, "InvalidRequestID", fmt::format("no running invocation {}", id));
      auto& o = job->outcome;
      o.error_body = std::move(req.body);
      read_error(o.error_body, req.headers.get("Lambda-Runtime-Function-Error-Type").value_or(""), o.error_type, o.error_message);
      finish(job, InvocationOutcome::Status::function_error, done);
    }
    run(done);
    return json_reply(202, R"({"status":"OK"})");
  }

  http::ServerResponse on_init_error(http::ServerRequest& req) {
    Completions done;
    {
      std::lock_guard lock(mu);
      InitError e;
      e.body = std::move(req.body);
      read_error(e.body, req.headers.get("Lambda-Runtime-Function-Error-Type").value_or(""), e.error_type, e.error_message);
      init = e;
      changed.notify_all();
      fail_everything(InvocationOutcome::Status::init_error, e.error_type, e.error_message, done);
    }
    run(done);
    return json_reply(202, R"({"status":"OK"})");
  }

  void fail_everything(InvocationOutcome::Status status, std::string_view type, std::string_view message, Completions& done) {
    auto all = std::move(queued);
    queued.clear();
    for (auto& [id, job] : running) all.push_back(job);
    for (auto& job : all) {
      job->outcome.error_type = std::string(type);
      job->outcome.error_message = std::string(message);
      finish(job, status, done);
    }
  }

  http::BodySink on_head(const http::ServerRequest& head) {
    std::string_view target = head.target;
    if (head.method != "POST" || !target.starts_with(kPrefix) || !target.ends_with("/response")) return {};
    if (!iequals(head.headers.get("Lambda-Runtime-Function-Response-Mode").value_or(""), "streaming")) return {};
    std::string_view rest = target.substr(kPrefix.size());
    if (!rest.starts_with("invocation/")) return {};
    std::string id(rest.substr(11, rest.size() - 11 - 9));
    std::function<void(std::string_view)> on_start;
    std::shared_ptr<Job> job;
    {
      std::lock_guard lock(mu);
      job = running_job(id);
      if (!job) return {};
      on_start = job->invocation.on_stream_start;
    }
    if (on_start) on_start(head.headers.get("Content-Type").value_or("application/octet-stream"));
    return [this, job](std::string_view bytes) {
      std::function<void(std::string_view)> on_chunk;
      {
        std::lock_guard l(mu);
        job->outcome.payload.append(bytes);
        on_chunk = job->invocation.on_chunk;
      }
      if (on_chunk) on_chunk(bytes);
    };
  }

  void on_request(http::ServerRequest req, http::Responder reply) {
    std::string_view target = req.target;
    if (!target.starts_with(kPrefix)) return reply.send(api_error(404, "NotFound", "not a Runtime API path"));
    std::string_view rest = target.substr(kPrefix.size());
    if (rest == "invocation/next") {
      if (req.method != "GET") return reply.send(api_error(405, "MethodNotAllowed", "GET /runtime/invocation/next"));
      return on_next(std::move(reply));
    }
    const bool post = req.method == "POST";
    auto wrong_method = [&] { reply.send(api_error(405, "MethodNotAllowed", fmt::format("use POST for {}", target))); };
    if (rest == "init/error") return post ? reply.send(on_init_error(req)) : wrong_method();
    if (rest.starts_with("invocation/")) {
      rest.remove_prefix(11);
      auto slash = rest.find('/');
      if (slash != std::string_view::npos) {
        std::string_view id = rest.substr(0, slash), what = rest.substr(slash + 1);
        if (what == "response") return post ? reply.send(on_response(id, req)) : wrong_method();
        if (what == "error") return post ? reply.send(on_error(id, req)) : wrong_method();
      }
    }
    reply.send(api_error(404, "NotFound", fmt::format("unknown Runtime API path {}", target)));
  }

  void reap() {
    std::unique_lock lock(mu);
    while (!stopping) {
      auto next = Clock::time_point::max();
      for (auto& [id, job] : running) next = std::min(next, job->deadline);
      reaper_wakes_at = next;
      if (next == Clock::time_point::max()) {
        reaper_cv.wait(lock);
      } else {
        reaper_cv.wait_until(lock, next);
      }
      reaper_wakes_at = Clock::time_point::min();  // awake: no need to be woken
      Completions done;
      const auto now = Clock::now();
      std::vector<std::shared_ptr<Job>> expired;
      for (auto& [id, job] : running) {
        if (job->deadline <= now) expired.push_back(job);
      }
      for (auto& job : expired) {
        job->outcome.error_type = "Sandbox.Timedout";
        job->outcome.error_message = fmt::format("Task timed out after {:.2f} seconds", job->invocation.timeout.count() / 1000.0);
        finish(job, InvocationOutcome::Status::timed_out, done);
      }
      if (!done.empty()) {
        lock.unlock();
        run(done);
        lock.lock();
      }
    }
  }
};

RuntimeApiServer::RuntimeApiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RuntimeApiServer::~RuntimeApiServer() { stop(); }

Result<std::unique_ptr<RuntimeApiServer>> RuntimeApiServer::start(Options options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  Impl* raw = impl.get();
  http::ServerHandlers handlers;
  handlers.on_head = [raw](const http::ServerRequest& head) { return raw->on_head(head); };
  handlers.on_request = [raw](http::ServerRequest req, http::Responder reply) { raw->on_request(std::move(req), std::move(reply)); };
  auto server = http::Server::start({.host = raw->options.host, .port = raw->options.port, .io = raw->options.io}, std::move(handlers));
  if (!server) return Unexpected{std::move(server).error()};
  impl->server = std::move(*server);
  impl->reaper = std::thread([raw] { raw->reap(); });
  return std::unique_ptr<RuntimeApiServer>(new RuntimeApiServer(std::move(impl)));
}

std::string RuntimeApiServer::endpoint() const { return impl_->server->endpoint(); }

void RuntimeApiServer::invoke(Invocation invocation, std::function<void(InvocationOutcome)> done) {
  auto job = std::make_shared<Job>();
  job->done = std::move(done);
  Completions finished;
  std::optional<http::Responder> poller;
  http::ServerResponse response;
  {
    std::lock_guard lock(impl_->mu);
    if (invocation.request_id.empty()) invocation.request_id = impl_->new_request_id();
    if (invocation.trace_id.empty()) invocation.trace_id = impl_->new_trace_id();
    job->outcome.request_id = invocation.request_id;
    job->invocation = std::move(invocation);
    if (impl_->stopping) {
      job->outcome.error_message = "the Runtime API server has stopped";
      impl_->finish(job, InvocationOutcome::Status::aborted, finished);
    } else if (impl_->runtime_gone) {
      job->outcome.error_type = "Runtime.ExitError";
      job->outcome.error_message = *impl_->runtime_gone;
      impl_->finish(job, InvocationOutcome::Status::aborted, finished);
    } else if (impl_->init) {
      job->outcome.error_type = impl_->init->error_type;
      job->outcome.error_message = impl_->init->error_message;
      impl_->finish(job, InvocationOutcome::Status::init_error, finished);
    } else if (!impl_->pollers.empty()) {
      poller = std::move(impl_->pollers.front());
      impl_->pollers.pop_front();
      response = impl_->hand_out(job);
    } else {
      impl_->queued.push_back(job);
    }
  }
  Impl::run(finished);
  if (poller) poller->send(std::move(response));
}

std::future<InvocationOutcome> RuntimeApiServer::invoke(Invocation invocation) {
  auto promise = std::make_shared<std::promise<InvocationOutcome>>();
  auto future = promise->get_future();
  invoke(std::move(invocation), [promise](InvocationOutcome o) { promise->set_value(std::move(o)); });
  return future;
}

bool RuntimeApiServer::wait_ready(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mu);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->first_poll.has_value() || impl_->init.has_value(); }) &&
         impl_->first_poll.has_value();
}

std::optional<std::chrono::steady_clock::time_point> RuntimeApiServer::first_poll_at() const {
  std::lock_guard lock(impl_->mu);
  return impl_->first_poll;
}

std::uint64_t RuntimeApiServer::polls() const {
  std::lock_guard lock(impl_->mu);
  return impl_->polls;
}

std::optional<InitError> RuntimeApiServer::init_error() const {
  std::lock_guard lock(impl_->mu);
  return impl_->init;
}

void RuntimeApiServer::abort_all(std::string_view reason) {
  Completions done;
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->runtime_gone) impl_->runtime_gone = std::string(reason);
    impl_->fail_everything(InvocationOutcome::Status::aborted, "Runtime.ExitError", reason, done);
  }
  Impl::run(done);
}

void RuntimeApiServer::fail_next_polls(int count, int status) {
  std::lock_guard lock(impl_->mu);
  impl_->faults_left = count;
  impl_->fault_status = status;
}

void RuntimeApiServer::stop() {
  if (!impl_) return;
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping) return;
    impl_->stopping = true;
    impl_->changed.notify_all();
    impl_->reaper_cv.notify_all();
  }
  if (impl_->reaper.joinable()) impl_->reaper.join();
  impl_->server->stop();
  abort_all("the Runtime API server stopped");
}

}  // namespace gust::devcloud
