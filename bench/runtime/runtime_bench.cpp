// bench/runtime: cold start, warm round trips and memory of runtimes served
// by our Runtime API server in this process, against a raw C loop run in the
// same way. Run it pinned (run.sh: taskset -c 0) or the figures go bimodal.
//
//   runtime_bench [--invocations N] [--cold-only] LABEL=BINARY[@HANDLER][#hello|#echo|#todo] ...
//
// The first runtime is the baseline; the others are printed as ratios to it.
// --cold-only measures only the cold start (bench/deploy uses it on unpacked
// deployment zips); #todo is examples/todo's POST /lists/{list}/todos with an
// empty title: its validation answer (400), which touches no table.
#include "devcloud/runtime_api_server.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using namespace std::chrono_literals;
using gust::devcloud::InvocationOutcome;
using gust::devcloud::RuntimeApiServer;
using Clock = std::chrono::steady_clock;

struct Spec {
  std::string label, binary, handler, kind = "echo";
};

struct Figures {
  double cold_next_ms = 0, cold_response_ms = 0;
  double p50_1k = 0, p99_1k = 0, rate_1k = 0, cpu_1k = 0;
  double p50_100k = 0, p99_100k = 0, rate_100k = 0, cpu_100k = 0;
  double rss_early_mb = 0, rss_peak_mb = 0;
};

[[noreturn]] void die(const std::string& why) {
  fmt::print(stderr, "runtime_bench: {}\n", why);
  std::exit(1);
}

// An API Gateway HTTP API 2.0 event of about `size` bytes (#todo: its fixed body).
std::string event(const std::string& kind, std::size_t size) {
  if (kind == "todo") {
    return R"({"version":"2.0","routeKey":"POST /lists/{list}/todos","rawPath":"/lists/bench/todos","rawQueryString":"",)"
           R"("headers":{"host":"bench.local","content-type":"application/json"},"requestContext":{"http":{"method":"POST",)"
           R"("path":"/lists/bench/todos","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"},"requestId":"r",)"
           R"("routeKey":"POST /lists/{list}/todos","stage":"$default"},"pathParameters":{"list":"bench"},)"
           R"("isBase64Encoded":false,"body":"{\"title\":\"\"}"})";
  }
  const bool hello = kind == "hello";
  std::string head = fmt::format(
      R"({{"version":"2.0","routeKey":"{0}","rawPath":"{1}","rawQueryString":"","headers":{{"host":"bench.local","user-agent":"runtime_bench"}},)"
      R"("requestContext":{{"http":{{"method":"{2}","path":"{1}","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"}},"requestId":"r","routeKey":"{0}","stage":"$default"}},)"
      R"("pathParameters":{3},"isBase64Encoded":false,"body":")",
      hello ? "GET /hello/{name}" : "POST /echo", hello ? "/hello/bench" : "/echo", hello ? "GET" : "POST",
      hello ? R"({"name":"bench"})" : "{}");
  std::string tail = "\"}";
  std::size_t pad = size > head.size() + tail.size() ? size - head.size() - tail.size() : 0;
  std::string body(pad, 'x');
  for (std::size_t i = 0; i < body.size(); i += 61) body[i] = static_cast<char>('a' + i % 26);
  return head + body + tail;
}

// Checks the answer before anything is timed.
void check(const Spec& s, const std::string& ev, const InvocationOutcome& o) {
  if (o.status != InvocationOutcome::Status::success)
    die(fmt::format("{}: invocation failed: {} {} {}", s.label, gust::devcloud::to_string(o.status), o.error_type, o.error_message));
  if (s.handler.empty()) {
    if (o.payload != ev) die(s.label + ": the echo differs from the event");
    return;
  }
  auto v = gust::parse_json(o.payload);
  const int expected = s.kind == "todo" ? 400 : 200;
  if (!v || !v->find("statusCode") || v->find("statusCode")->as_int() != expected)
    die(fmt::format("{}: not a {} response: {}", s.label, expected, o.payload.substr(0, 200)));
  const std::string& body = v->find("body")->as_string();
  if (s.kind == "todo" && body.find("title: must not be empty") == std::string::npos) die(s.label + ": wrong validation body: " + body);
  if (s.kind == "hello" && body != "hello, bench!\n") die(s.label + ": wrong hello body: " + body);
  if (s.kind == "echo") {
    auto in = gust::parse_json(ev);
    if (body != in->find("body")->as_string()) die(s.label + ": the echoed body differs");
  }
}

class Process {
 public:
  Process(const Spec& s, const std::string& endpoint) {
    std::vector<std::string> vars;
    for (char** e = environ; *e != nullptr; ++e) vars.emplace_back(*e);
    vars.push_back("AWS_LAMBDA_RUNTIME_API=" + endpoint);
    vars.push_back("AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128");
    if (!s.handler.empty()) vars.push_back("_HANDLER=" + s.handler);
    std::vector<char*> env;
    for (auto& v : vars) env.push_back(v.data());
    env.push_back(nullptr);
    char* argv[] = {const_cast<char*>(s.binary.c_str()), nullptr};
    if (posix_spawn(&pid_, s.binary.c_str(), nullptr, nullptr, argv, env.data()) != 0) die("cannot start " + s.binary);
  }
  ~Process() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  // CPU time the runtime process has used, in ns (/proc/PID/schedstat):
  // its own cost per invocation, free of the harness's.
  double cpu_ns() const {
    std::ifstream stat("/proc/" + std::to_string(pid_) + "/schedstat");
    double ns = 0;
    stat >> ns;
    return ns;
  }
  // VmHWM (peak) or VmRSS in MB.
  double memory_mb(const char* field) const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(status, line);) {
      if (line.starts_with(field)) return std::strtod(line.c_str() + std::strlen(field) + 1, nullptr) / 1024.0;
    }
    return 0;
  }

 private:
  pid_t pid_ = -1;
};

std::unique_ptr<RuntimeApiServer> server() {
  auto api = RuntimeApiServer::start();
  if (!api) die(api.error().describe());
  return std::move(*api);
}

InvocationOutcome once(RuntimeApiServer& api, const std::string& ev) {
  auto f = api.invoke({.payload = ev, .timeout = 10s});
  if (f.wait_for(10s) != std::future_status::ready) die("no answer within 10 s");
  return f.get();
}

// `n` invocations back to back: each is submitted from the previous one's
// completion, so the harness adds no thread hop of its own.
std::vector<double> round_trips(RuntimeApiServer& api, const std::string& ev, std::size_t n) {
  struct Chain {
    RuntimeApiServer& api;
    const std::string& ev;
    std::size_t left;
    std::vector<double> us;
    Clock::time_point started;
    std::promise<void> done;
    bool failed = false;
    void next() {
      started = Clock::now();
      api.invoke({.payload = ev, .timeout = 10s}, [this](InvocationOutcome o) {
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - started).count());
        if (o.status != InvocationOutcome::Status::success) failed = true;
        if (--left == 0 || failed) return done.set_value();
        next();
      });
    }
  } chain{api, ev, n, {}, {}, {}};
  chain.us.reserve(n);
  chain.next();
  if (chain.done.get_future().wait_for(600s) != std::future_status::ready) die("round trips did not finish");
  if (chain.failed) die("an invocation failed during timing");
  return std::move(chain.us);
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

double median(std::vector<double> v) { return percentile(std::move(v), 0.5); }

Figures measure(const Spec& s, std::size_t invocations, bool cold_only) {
  Figures f;
  const std::string small = event(s.kind, 1024), big = event(s.kind, 100 * 1024);
  // Cold: exec to the first /next, and to the first response posted.
  std::vector<double> to_next, to_response;
  for (int i = 0; i < 20; ++i) {
    auto api = server();
    const auto t0 = Clock::now();
    Process p(s, api->endpoint());
    if (!api->wait_ready(10s)) die(s.label + ": never polled /next");
    auto o = once(*api, small);
    const auto t1 = Clock::now();
    check(s, small, o);
    to_next.push_back(std::chrono::duration<double, std::milli>(*api->first_poll_at() - t0).count());
    to_response.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  f.cold_next_ms = median(to_next);
  f.cold_response_ms = median(to_response);
  if (cold_only) return f;

  for (auto [ev, p50, p99, rate, cpu] : {std::tuple{&small, &f.p50_1k, &f.p99_1k, &f.rate_1k, &f.cpu_1k},
                                          std::tuple{&big, &f.p50_100k, &f.p99_100k, &f.rate_100k, &f.cpu_100k}}) {
    auto api = server();
    Process p(s, api->endpoint());
    check(s, *ev, once(*api, *ev));
    round_trips(*api, *ev, 2000);  // warm up
    const std::size_t n = ev == &small ? 20000 : 5000;
    const auto t0 = Clock::now();
    const double cpu0 = p.cpu_ns();
    auto us = round_trips(*api, *ev, n);
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    *cpu = (p.cpu_ns() - cpu0) / 1000.0 / static_cast<double>(n);
    *p50 = percentile(us, 0.5);
    *p99 = percentile(us, 0.99);
    *rate = static_cast<double>(n) / seconds;
  }

  // Memory: after 1,000 and after `invocations` 1 KB invocations.
  auto api = server();
  Process p(s, api->endpoint());
  check(s, small, once(*api, small));
  round_trips(*api, small, 1000);
  f.rss_early_mb = p.memory_mb("VmRSS");
  for (std::size_t done = 1000; done < invocations; done += 10000) {
    round_trips(*api, small, std::min<std::size_t>(10000, invocations - done));
    if (std::getenv("RUNTIME_BENCH_TRACE")) fmt::print(stderr, "{}: {} invocations, RSS {:.2f} MB\n", s.label, done + 10000, p.memory_mb("VmRSS"));
  }
  f.rss_peak_mb = p.memory_mb("VmHWM");
  return f;
}

Spec parse_spec(const std::string& arg) {
  Spec s;
  auto eq = arg.find('=');
  if (eq == std::string::npos) die("a runtime is LABEL=BINARY[@HANDLER][#hello|#echo]: " + arg);
  s.label = arg.substr(0, eq);
  std::string rest = arg.substr(eq + 1);
  if (auto hash = rest.find('#'); hash != std::string::npos) {
    s.kind = rest.substr(hash + 1);
    rest.resize(hash);
  }
  if (auto at = rest.find('@'); at != std::string::npos) {
    s.handler = rest.substr(at + 1);
    rest.resize(at);
  }
  s.binary = rest;
  if (s.kind != "hello" && s.kind != "echo" && s.kind != "todo") die("event kind must be hello, echo or todo: " + arg);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t invocations = 100000;
  bool cold_only = false;
  std::vector<Spec> specs;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--invocations" && i + 1 < argc) {
      invocations = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--cold-only") {
      cold_only = true;
    } else {
      specs.push_back(parse_spec(a));
    }
  }
  if (specs.empty()) die("usage: runtime_bench [--invocations N] [--cold-only] LABEL=BINARY[@HANDLER][#hello|#echo|#todo] ...");
  if (cold_only) {
    fmt::print("{:<12} {:>9} {:>9}   (ms, median of 20 cold starts)\n", "runtime", "cold>next", "cold>resp");
    for (const auto& s : specs) {
      Figures f = measure(s, invocations, true);
      fmt::print("{:<12} {:>9.2f} {:>9.2f}\n", s.label, f.cold_next_ms, f.cold_response_ms);
      std::fflush(stdout);
    }
    return 0;
  }
  fmt::print("{:<12} {:>9} {:>9} | {:>7} {:>7} {:>7} {:>6} | {:>8} {:>8} {:>7} {:>7} | {:>6} {:>7}\n", "runtime", "cold>next", "cold>resp",
             "1K p50", "1K p99", "1K i/s", "1K cpu", "100K p50", "100K p99", "100K i/s", "100Kcpu", "RSS@1k", "peakRSS");
  fmt::print("{:<12} {:>9} {:>9} | {:>7} {:>7} {:>7} {:>6} | {:>8} {:>8} {:>7} {:>7} | {:>6} {:>7}\n", "", "ms", "ms", "us", "us", "", "us",
             "us", "us", "", "us", "MB", "MB");
  std::vector<Figures> all;
  for (const auto& s : specs) {
    Figures f = measure(s, invocations, false);
    all.push_back(f);
    fmt::print("{:<12} {:>9.2f} {:>9.2f} | {:>7.1f} {:>7.1f} {:>7.0f} {:>6.1f} | {:>8.1f} {:>8.1f} {:>7.0f} {:>7.1f} | {:>6.2f} {:>7.2f}\n",
               s.label, f.cold_next_ms, f.cold_response_ms, f.p50_1k, f.p99_1k, f.rate_1k, f.cpu_1k, f.p50_100k, f.p99_100k, f.rate_100k,
               f.cpu_100k, f.rss_early_mb, f.rss_peak_mb);
    std::fflush(stdout);
  }
  const Figures& b = all.front();
  fmt::print("\nratios to {} (lower is better; invocations/s: baseline / runtime):\n", specs.front().label);
  for (std::size_t i = 1; i < all.size(); ++i) {
    const Figures& f = all[i];
    fmt::print("{:<12} cold>resp {:.2f}x | 1K p50 {:.2f}x p99 {:.2f}x rate {:.2f}x cpu {:.2f}x | 100K p50 {:.2f}x p99 {:.2f}x rate {:.2f}x cpu {:.2f}x\n",
               specs[i].label, f.cold_response_ms / b.cold_response_ms, f.p50_1k / b.p50_1k, f.p99_1k / b.p99_1k, b.rate_1k / f.rate_1k,
               f.cpu_1k / b.cpu_1k, f.p50_100k / b.p50_100k, f.p99_100k / b.p99_100k, b.rate_100k / f.rate_100k, f.cpu_100k / b.cpu_100k);
  }
  return 0;
}
