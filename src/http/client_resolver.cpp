#include "http/client_resolver.hpp"

#include <ares.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

namespace gust::http {
namespace {

bool is_numeric(std::string_view host) {
  std::string h(host);
  in6_addr v6{};
  in_addr v4{};
  return inet_pton(AF_INET, h.c_str(), &v4) == 1 || inet_pton(AF_INET6, h.c_str(), &v6) == 1;
}

struct Lookup {
  bool done = false;
  int status = ARES_SUCCESS;
  std::vector<std::string> v4;
  std::vector<std::string> v6;
};

void on_result(void* arg, int status, int /*timeouts*/, ares_addrinfo* result) {
  auto* lookup = static_cast<Lookup*>(arg);
  lookup->done = true;
  lookup->status = status;
  if (status != ARES_SUCCESS || result == nullptr) {
    if (result != nullptr) ares_freeaddrinfo(result);
    return;
  }
  char text[INET6_ADDRSTRLEN];
  for (auto* node = result->nodes; node != nullptr; node = node->ai_next) {
    if (node->ai_family == AF_INET) {
      const auto* sa = reinterpret_cast<const sockaddr_in*>(node->ai_addr);
      if (inet_ntop(AF_INET, &sa->sin_addr, text, sizeof text) != nullptr) lookup->v4.emplace_back(text);
    } else if (node->ai_family == AF_INET6) {
      const auto* sa = reinterpret_cast<const sockaddr_in6*>(node->ai_addr);
      if (inet_ntop(AF_INET6, &sa->sin6_addr, text, sizeof text) != nullptr) lookup->v6.emplace_back(text);
    }
  }
  ares_freeaddrinfo(result);
}

// One channel per lookup: lookups are rare (connections are pooled) and a
// channel re-reads resolv.conf, which a long-lived process may see change.
class Channel {
 public:
  explicit Channel(const ResolveOptions& options) {
    static std::once_flag once;
    std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
    ares_options opts{};
    int mask = 0;
    opts.timeout = static_cast<int>(std::max<long>(100, options.timeout.count() / 2));
    mask |= ARES_OPT_TIMEOUTMS;
    opts.tries = 2;
    mask |= ARES_OPT_TRIES;
    status_ = ares_init_options(&channel_, &opts, mask);
    if (status_ == ARES_SUCCESS && !options.nameserver.empty())
      status_ = ares_set_servers_ports_csv(channel_, options.nameserver.c_str());
  }
  ~Channel() {
    if (channel_ != nullptr) ares_destroy(channel_);
  }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  int status() const { return status_; }
  ares_channel get() const { return channel_; }

 private:
  ares_channel channel_ = nullptr;
  int status_ = ARES_SUCCESS;
};

}  // namespace

Result<std::vector<std::string>> resolve_host(std::string_view host, const ResolveOptions& options) {
  if (host.empty()) return unexpected(ErrorCode::invalid_argument, "empty host name");
  if (is_numeric(host)) return std::vector<std::string>{std::string(host)};
  if (host == "localhost" || host == "localhost.") return std::vector<std::string>{"127.0.0.1", "::1"};

  Channel channel(options);
  if (channel.status() != ARES_SUCCESS)
    return unexpected(ErrorCode::unavailable,
                      fmt::format("cannot start a DNS lookup: {}", ares_strerror(channel.status())), std::string(host));

  Lookup lookup;
  ares_addrinfo_hints hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  const std::string name(host);
  ares_getaddrinfo(channel.get(), name.c_str(), nullptr, &hints, on_result, &lookup);

  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  while (!lookup.done) {
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    const int bits = ares_getsock(channel.get(), socks, ARES_GETSOCK_MAXNUM);
    pollfd fds[ARES_GETSOCK_MAXNUM];
    nfds_t count = 0;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      const bool r = ARES_GETSOCK_READABLE(bits, i);
      const bool w = ARES_GETSOCK_WRITABLE(bits, i);
      if (!r && !w) continue;
      fds[count].fd = socks[i];
      fds[count].events = static_cast<short>((r ? POLLIN : 0) | (w ? POLLOUT : 0));
      fds[count].revents = 0;
      ++count;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      ares_cancel(channel.get());  // runs the callback with ARES_ECANCELLED
      break;
    }
    timeval max_wait{};
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - now).count();
    max_wait.tv_sec = static_cast<time_t>(left / 1000000);
    max_wait.tv_usec = static_cast<suseconds_t>(left % 1000000);
    timeval tv{};
    const timeval* wait = ares_timeout(channel.get(), &max_wait, &tv);
    const int wait_ms = static_cast<int>(wait->tv_sec * 1000 + wait->tv_usec / 1000) + 1;
    const int ready = count == 0 ? 0 : poll(fds, count, wait_ms);
    if (ready <= 0) {
      ares_process_fd(channel.get(), ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts
      continue;
    }
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      const bool readable = (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
      const bool writable = (fds[i].revents & POLLOUT) != 0;
      ares_process_fd(channel.get(), readable ? fds[i].fd : ARES_SOCKET_BAD, writable ? fds[i].fd : ARES_SOCKET_BAD);
    }
  }

  if (!lookup.done || lookup.status == ARES_ECANCELLED || lookup.status == ARES_ETIMEOUT)
    return unexpected(ErrorCode::unavailable,
                      fmt::format("DNS lookup timed out after {} ms", options.timeout.count()), std::string(host));
  if (lookup.status != ARES_SUCCESS)
    return unexpected(ErrorCode::unavailable, fmt::format("DNS lookup failed: {}", ares_strerror(lookup.status)),
                      std::string(host));
  std::vector<std::string> out = std::move(lookup.v4);
  out.insert(out.end(), lookup.v6.begin(), lookup.v6.end());
  if (out.empty()) return unexpected(ErrorCode::unavailable, "DNS lookup returned no addresses", std::string(host));
  return out;
}

}  // namespace gust::http
