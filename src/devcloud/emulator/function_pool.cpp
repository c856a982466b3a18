#include "devcloud/emulator/function_pool.hpp"

#include "devcloud/emulator/child_process.hpp"

#include <fmt/format.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <random>
#include <thread>

namespace gust::devcloud {

InvokeResult function_not_found(std::string_view name) {
  InvokeResult r;
  r.status = InvokeResult::Status::crashed;
  r.error_type = "ResourceNotFoundException";
  r.error_message = fmt::format("Function not found: {}", name);
  return r;
}

std::string_view to_string(InvokeResult::Status status) noexcept {
  switch (status) {
    case InvokeResult::Status::success: return "success";
    case InvokeResult::Status::function_error: return "function_error";
    case InvokeResult::Status::timed_out: return "timed_out";
    case InvokeResult::Status::throttled: return "throttled";
    case InvokeResult::Status::crashed: return "crashed";
    case InvokeResult::Status::init_error: return "init_error";
  }
  return "crashed";
}

namespace {

std::string new_request_id() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  const auto a = random(), b = random();
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xfff,
                     0x8000 | ((b >> 48) & 0x3fff), b & 0xffffffffffffULL);
}

}  // namespace

struct FunctionPool::Instance {
  std::unique_ptr<RuntimeApiServer> api;
  std::unique_ptr<ChildProcess> process;  // declared after api: destroyed first
  std::uint64_t generation = 0;
  bool busy = false;
  bool used = false;  // has served an invocation (the next is warm)
  std::atomic<bool> dead{false};
  std::chrono::steady_clock::time_point spawned;
  std::chrono::steady_clock::time_point last_used;
  std::mutex request_mutex;
  std::string current_request;
};

FunctionPool::FunctionPool(FunctionConfig config, InvocationLog& log) : config_(std::move(config)), log_(log) {}

FunctionPool::~FunctionPool() { stop_all(); }

std::shared_ptr<FunctionPool::Instance> FunctionPool::start_instance(std::string& error) {
  auto instance = std::make_shared<Instance>();
  auto api = RuntimeApiServer::start(
      {.function_arn = fmt::format("arn:aws:lambda:us-east-1:000000000000:function:{}", config_.function_name), .io = config_.io});
  if (!api) {
    error = api.error().describe();
    return nullptr;
  }
  instance->api = std::move(*api);
  instance->generation = generation_;
  instance->spawned = std::chrono::steady_clock::now();
  instance->last_used = instance->spawned;

  ChildOptions child;
  if (config_.command.empty()) {
    child.argv = {config_.binary.string()};
    child.working_directory = config_.binary.parent_path().string();
  } else {
    child.argv = {"/bin/sh", "-c", "exec " + config_.command};
    child.working_directory = config_.command_dir.string();
  }
  child.env = config_.env;
  child.env.emplace_back("LAMBDA_TASK_ROOT", child.working_directory);
  child.env.emplace_back("AWS_LAMBDA_RUNTIME_API", instance->api->endpoint());
  Instance* raw = instance.get();
  child.on_line = [this, raw](std::string_view line, bool) {
    std::string request;
    {
      std::lock_guard lock(raw->request_mutex);
      request = raw->current_request;
    }
    log_.output(config_, request, line);
  };
  child.on_exit = [raw](int status) {
    raw->dead = true;
    raw->api->abort_all(status > 128 ? fmt::format("Runtime exited with error: signal {}", status - 128)
                                     : fmt::format("Runtime exited with error: exit status {}", status));
  };
  auto process = ChildProcess::start(std::move(child));
  if (!process) {
    error = process.error().describe();
    return nullptr;
  }
  instance->process = std::move(*process);
  return instance;
}

std::shared_ptr<FunctionPool::Instance> FunctionPool::acquire(bool& cold, std::string& error) {
  std::lock_guard lock(mutex_);
  std::size_t live = 0;
  for (const auto& i : instances_) {
    if (i->dead) continue;
    ++live;
    if (!i->busy && i->generation == generation_) {
      i->busy = true;
      cold = !i->used;
      return i;
    }
  }
  if (live >= static_cast<std::size_t>(config_.max_concurrency)) return nullptr;
  auto instance = start_instance(error);
  if (!instance) return nullptr;
  instance->busy = true;
  cold = true;
  instances_.push_back(instance);
  return instance;
}

void FunctionPool::release(const std::shared_ptr<Instance>& instance, bool healthy) {
  std::lock_guard lock(mutex_);
  instance->busy = false;
  instance->used = true;
  instance->last_used = std::chrono::steady_clock::now();
  if (!healthy || instance->generation != generation_) {
    instance->dead = true;
    if (instance->process) instance->process->kill(SIGKILL);
  }
}

void FunctionPool::invoke(std::string payload, std::function<void(InvokeResult)> done, StreamObserver stream) {
  bool cold = false;
  std::string error;
  auto instance = acquire(cold, error);
  if (!instance) {
    InvokeResult r;
    r.request_id = new_request_id();
    if (error.empty()) {
      r.status = InvokeResult::Status::throttled;
      r.error_type = "TooManyRequestsException";
      r.error_message = fmt::format("Rate Exceeded: {} concurrent executions of {}", config_.max_concurrency, config_.id);
    } else {
      r.status = InvokeResult::Status::crashed;
      r.error_type = "ServiceException";
      r.error_message = error;
    }
    done(std::move(r));
    return;
  }
  Invocation inv;
  inv.payload = std::move(payload);
  inv.timeout = std::chrono::seconds(config_.timeout_seconds);
  inv.request_id = new_request_id();
  inv.on_stream_start = std::move(stream.on_start);
  inv.on_chunk = std::move(stream.on_chunk);
  {
    std::lock_guard lock(instance->request_mutex);
    instance->current_request = inv.request_id;
  }
  log_.start(config_, inv.request_id);
  instance->api->invoke(std::move(inv), [this, instance, cold, done = std::move(done)](InvocationOutcome o) {
    InvokeResult r;
    r.request_id = o.request_id;
    r.payload = std::move(o.payload);
    r.streamed = o.streamed;
    r.error_type = std::move(o.error_type);
    r.error_message = std::move(o.error_message);
    r.duration = o.duration;
    bool healthy = false;
    switch (o.status) {
      case InvocationOutcome::Status::success: r.status = InvokeResult::Status::success; healthy = true; break;
      case InvocationOutcome::Status::function_error: r.status = InvokeResult::Status::function_error; healthy = true; break;
      case InvocationOutcome::Status::timed_out: r.status = InvokeResult::Status::timed_out; break;
      case InvocationOutcome::Status::init_error: r.status = InvokeResult::Status::init_error; break;
      case InvocationOutcome::Status::aborted: r.status = InvokeResult::Status::crashed; break;
    }
    if (r.status == InvokeResult::Status::crashed && r.error_type.empty()) r.error_type = "Runtime.ExitError";
    if (cold) {
      if (auto first = instance->api->first_poll_at()) {
        r.init_duration = std::chrono::duration_cast<std::chrono::microseconds>(*first - instance->spawned);
      }
    }
    if (instance->process) {
      instance->process->drain_ready();  // its output so far belongs before END
      r.max_memory_kib = instance->process->peak_rss_kib(r.duration);
    }
    release(instance, healthy);
    log_.end(config_, r);
    done(std::move(r));
  });
}

void FunctionPool::replace_binary(std::filesystem::path binary) {
  std::lock_guard lock(mutex_);
  config_.binary = std::move(binary);
  ++generation_;
  // Idle instances of the old build stop now; busy ones when they finish (release()).
  for (const auto& i : instances_) {
    if (!i->busy) {
      i->dead = true;
      if (i->process) i->process->kill(SIGKILL);
    }
  }
}

void FunctionPool::reap(std::chrono::steady_clock::time_point now) {
  std::vector<std::shared_ptr<Instance>> gone;
  {
    std::lock_guard lock(mutex_);
    for (const auto& i : instances_) {
      const bool idle_too_long = !i->busy && now - i->last_used > config_.idle_timeout;
      const bool stuck_in_init = !i->used && !i->api->first_poll_at() && now - i->spawned > config_.init_timeout;
      if (!i->dead && (idle_too_long || stuck_in_init)) {
        i->dead = true;
        if (i->process) i->process->kill(SIGKILL);
        if (stuck_in_init) i->api->abort_all(fmt::format("Init timed out after {} seconds", config_.init_timeout.count()));
      }
    }
    std::erase_if(instances_, [&](const std::shared_ptr<Instance>& i) {
      if (i->dead && !i->busy) {
        gone.push_back(i);
        return true;
      }
      return false;
    });
  }
  gone.clear();  // destroyed here, on the caller's thread, outside the lock
}

void FunctionPool::wait_until_idle(std::chrono::milliseconds limit) const {
  const auto step = std::chrono::milliseconds(10);
  for (auto waited = std::chrono::milliseconds(0); waited < limit && busy_count() > 0; waited += step) std::this_thread::sleep_for(step);
}

void FunctionPool::retire(std::chrono::milliseconds grace) {
  wait_until_idle(grace);
  stop_all();
}

void FunctionPool::stop_all() {
  std::vector<std::shared_ptr<Instance>> all;
  {
    std::lock_guard lock(mutex_);
    for (const auto& i : instances_) {
      i->dead = true;
      if (i->process) i->process->kill(SIGKILL);
    }
  }
  // Let the aborted invocations call back before the instances go.
  wait_until_idle(std::chrono::seconds(5));
  {
    std::lock_guard lock(mutex_);
    all.swap(instances_);
  }
  all.clear();
}

std::size_t FunctionPool::instance_count() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& i : instances_) n += i->dead ? 0 : 1;
  return n;
}

std::size_t FunctionPool::busy_count() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& i : instances_) n += i->busy ? 1 : 0;
  return n;
}

std::vector<int> FunctionPool::pids() const {
  std::lock_guard lock(mutex_);
  std::vector<int> out;
  for (const auto& i : instances_) {
    if (i->process && !i->dead) out.push_back(i->process->pid());
  }
  return out;
}

}  // namespace gust::devcloud
