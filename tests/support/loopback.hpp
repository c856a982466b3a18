#pragma once
// A TCP connection to 127.0.0.1:PORT for tests that speak raw HTTP (to send
// malformed requests, or to see when each byte of a reply arrives).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>

namespace gust::testing {

// A connected socket whose reads give up after `read_timeout`; -1 when the connection fails.
inline int connect_loopback(int port, std::chrono::milliseconds read_timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval tv{static_cast<time_t>(read_timeout.count() / 1000), static_cast<suseconds_t>((read_timeout.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace gust::testing
