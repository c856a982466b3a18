#pragma once
// A long-running child (one Lambda instance): started with its own
// environment, its output read line by line on a thread, its peak memory
// read from /proc (one pread of a file kept open), and killed by pid. It
// dies with us (PR_SET_PDEATHSIG), so even a `kill -9` of gust dev leaves no
// process behind.

#include <gust/result.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace gust::devcloud {

struct ChildOptions {
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> env;  // the whole environment (nothing inherited)
  std::string working_directory;
  // Called from the reader thread for each line the child writes (stdout or stderr).
  std::function<void(std::string_view line, bool is_stderr)> on_line;
  // Called from the reader thread once the child has exited, with its exit
  // status (the code, or 128 + signal).
  std::function<void(int status)> on_exit;
};

class ChildProcess {
 public:
  static Result<std::unique_ptr<ChildProcess>> start(ChildOptions options);
  ~ChildProcess();  // kills and reaps
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // True until the child has exited.
  bool running() const { return !reaped_; }
  // The exit status once it has exited: the code, or 128 + signal.
  int exit_status() const { return exit_status_; }
  // Peak resident memory (VmHWM) in KiB after an invocation that ran for
  // `busy`; 0 when unknown. Reading /proc/PID/status costs about 7 us, a tenth
  // of gust dev's CPU per request under load (perf, bench/devcloud), so after
  // an invocation under 1 ms, which can fault in a few MB at most, the last
  // reading stands unless it is older than 250 ms.
  long peak_rss_kib(std::chrono::microseconds busy) const;
  void kill(int signal = 9);
  // Waits for the exit (after kill) and for the output to drain.
  void wait();
  // Delivers, on the calling thread, every line the child has already written
  // (non-blocking): what it printed before answering an invocation is then
  // logged before the invocation's END, not whenever the reader thread wakes.
  void drain_ready();

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  int status_fd_ = -1;  // /proc/PID/status, kept open
  mutable std::atomic<long> last_peak_kib_{0};
  mutable std::atomic<std::int64_t> last_peak_read_ns_{0};  // steady clock; 0: never read
  std::atomic<int> exit_status_{-1};
  std::atomic<bool> reaped_{false};
  struct Output;                    // the pipes and their partial lines, shared by the reader thread and drain_ready()
  std::shared_ptr<Output> output_;
  std::thread reader_;
};

}  // namespace gust::devcloud
