#include "devcloud/emulator/child_process.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gust::devcloud {

struct ChildProcess::Output {
  std::mutex mutex;
  int fds[2] = {-1, -1};  // stdout, stderr; -1 once closed
  std::string pending[2];
  std::function<void(std::string_view line, bool is_stderr)> on_line;
  void read_from(int which);
  void read_polled(const pollfd* polled, nfds_t count);
  // Fills `polled` with the pipes still open, to wait for input; returns how many. Under `mutex`.
  nfds_t open_pipes(pollfd (&polled)[2]) const {
    nfds_t n = 0;
    for (int fd : fds) {
      if (fd >= 0) polled[n++] = {fd, POLLIN, 0};
    }
    return n;
  }
};

Result<std::unique_ptr<ChildProcess>> ChildProcess::start(ChildOptions options) {
  if (options.argv.empty()) return unexpected(ErrorCode::invalid_argument, "no program to start");
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return unexpected(ErrorCode::internal, std::strerror(errno), "pipe");
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return unexpected(ErrorCode::internal, std::strerror(errno), "pipe");
  }
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<std::string> env_storage;
  for (const auto& [k, v] : options.env) env_storage.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> argv;
  for (auto& a : options.argv) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) return unexpected(ErrorCode::resource_exhausted, std::strerror(errno), "fork");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::close(0);
    ::open("/dev/null", O_RDONLY);
    if (!options.working_directory.empty() && ::chdir(options.working_directory.c_str()) != 0) ::_exit(126);
    ::execve(argv[0], argv.data(), envp.data());
    const char message[] = "gust dev: cannot execute the function's binary\n";
    [[maybe_unused]] auto ignored = ::write(2, message, sizeof message - 1);
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  std::unique_ptr<ChildProcess> child(new ChildProcess());
  child->pid_ = pid;
  // Opened once: each invocation's REPORT re-reads it with one pread.
  child->status_fd_ = ::open(fmt::format("/proc/{}/status", pid).c_str(), O_RDONLY | O_CLOEXEC);
  // The reader thread also reaps the child: one owner for waitpid, no races.
  auto output = std::make_shared<Output>();
  output->fds[0] = out[0];
  output->fds[1] = err[0];
  output->on_line = std::move(options.on_line);
  for (int fd : output->fds) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);  // drain_ready() must not block
  child->output_ = output;
  ChildProcess* self = child.get();
  child->reader_ = std::thread([self, pid, output, on_exit = std::move(options.on_exit)] {
    while (true) {
      pollfd p[2];
      nfds_t n = 0;
      {
        std::lock_guard lock(output->mutex);
        n = output->open_pipes(p);
      }
      if (n == 0) break;
      if (::poll(p, n, -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      std::lock_guard lock(output->mutex);
      output->read_polled(p, n);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    self->exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    self->reaped_ = true;
    if (on_exit) on_exit(self->exit_status_);
  });
  return child;
}

// Reads what pipe `which` (0 stdout, 1 stderr) holds now and delivers each
// whole line; at the end of the pipe, the last partial line too. Under `mutex`.
void ChildProcess::Output::read_from(int which) {
  char buffer[16384];
  while (fds[which] >= 0) {
    const ssize_t r = ::read(fds[which], buffer, sizeof buffer);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // taken already (drain_ready) or not yet written
    if (r <= 0) {
      if (!pending[which].empty() && on_line) on_line(pending[which], which == 1);
      pending[which].clear();
      ::close(fds[which]);
      fds[which] = -1;
      return;
    }
    pending[which].append(buffer, static_cast<std::size_t>(r));
    std::size_t start = 0;
    for (std::size_t nl; (nl = pending[which].find('\n', start)) != std::string::npos; start = nl + 1) {
      if (on_line) on_line(std::string_view(pending[which]).substr(start, nl - start), which == 1);
    }
    pending[which].erase(0, start);
    if (static_cast<std::size_t>(r) < sizeof buffer) return;  // the pipe is empty
  }
}

void ChildProcess::drain_ready() {
  std::lock_guard lock(output_->mutex);
  // One poll with no wait asks both pipes at once: usually nothing is
  // pending, and this runs once per invocation on gust dev's I/O thread.
  pollfd p[2];
  const nfds_t n = output_->open_pipes(p);
  if (n == 0 || ::poll(p, n, 0) <= 0) return;
  output_->read_polled(p, n);
}

// Reads each pipe poll() found ready. A pipe drain_ready() closed meanwhile
// is gone from fds and is skipped. Under `mutex`.
void ChildProcess::Output::read_polled(const pollfd* polled, nfds_t count) {
  for (nfds_t i = 0; i < count; ++i) {
    if (polled[i].revents == 0) continue;
    if (polled[i].fd == fds[0]) read_from(0);
    if (polled[i].fd == fds[1]) read_from(1);
  }
}

long ChildProcess::peak_rss_kib(std::chrono::microseconds busy) const {
  using namespace std::chrono;
  const auto now = duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
  const auto last = last_peak_read_ns_.load();
  if (last != 0 && busy < 1ms && nanoseconds(now - last) < 250ms) return last_peak_kib_;
  last_peak_read_ns_ = now;
  // After the exit the file reads empty (or fails): the last figure stands.
  char text[4096];
  const ssize_t n = status_fd_ < 0 ? -1 : ::pread(status_fd_, text, sizeof text - 1, 0);
  if (n <= 0) return last_peak_kib_;
  text[n] = '\0';
  if (const char* at = std::strstr(text, "VmHWM:")) last_peak_kib_ = std::strtol(at + 6, nullptr, 10);
  return last_peak_kib_;
}

void ChildProcess::kill(int signal) {
  if (!reaped_) ::kill(pid_, signal);
}

void ChildProcess::wait() {
  if (reader_.joinable()) reader_.join();
}

ChildProcess::~ChildProcess() {
  kill(SIGKILL);
  wait();
  if (status_fd_ >= 0) ::close(status_fd_);
}

}  // namespace gust::devcloud
