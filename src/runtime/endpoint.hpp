#pragma once
// The Runtime API endpoint ("host:port") to a socket address, without
// getaddrinfo: a fully static glibc binary must not load NSS modules (see
// DESIGN.md "Traps"). Numeric IPv4/IPv6 literals are parsed; any other name
// is looked up in /etc/hosts ("localhost" also without one, as an empty
// root has none).

#include <gust/result.hpp>

#include <netinet/in.h>
#include <sys/socket.h>

#include <string>
#include <string_view>

namespace gust::runtime {

struct Endpoint {
  std::string host;     // as given (Host header)
  std::uint16_t port = 0;
  sockaddr_storage address{};
  socklen_t address_size = 0;
};

// Parses "127.0.0.1:9001", "[::1]:9001" or "localhost:9001".
// `hosts_file` is where names other than literals are looked up.
Result<Endpoint> resolve_endpoint(std::string_view endpoint, const char* hosts_file = "/etc/hosts");

}  // namespace gust::runtime
