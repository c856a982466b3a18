#include "runtime/endpoint.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <fstream>
#include <sstream>

namespace gust::runtime {
namespace {

bool set_literal(const std::string& host, std::uint16_t port, Endpoint& out) {
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.address);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    out.address_size = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.address);
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    out.address_size = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

// The first address /etc/hosts gives `name` (IPv4 preferred, as the Runtime API listens on it).
std::string lookup_hosts(const char* hosts_file, std::string_view name) {
  std::ifstream file(hosts_file);
  std::string line, v6;
  while (std::getline(file, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream fields(line);
    std::string address, alias;
    if (!(fields >> address)) continue;
    while (fields >> alias) {
      if (alias.size() != name.size() || strncasecmp(alias.data(), name.data(), name.size()) != 0) continue;
      if (address.find(':') == std::string::npos) return address;
      if (v6.empty()) v6 = address;
    }
  }
  return v6;
}

}  // namespace

Result<Endpoint> resolve_endpoint(std::string_view endpoint, const char* hosts_file) {
  auto bad = [&](std::string_view why) {
    return unexpected(ErrorCode::invalid_argument,
                      std::string(why) + "; expected host:port such as 127.0.0.1:9001", std::string("AWS_LAMBDA_RUNTIME_API=") + std::string(endpoint));
  };
  Endpoint out;
  std::string_view host, port;
  if (endpoint.starts_with('[')) {
    auto close = endpoint.find(']');
    if (close == std::string_view::npos || close + 1 >= endpoint.size() || endpoint[close + 1] != ':') return bad("unterminated IPv6 literal");
    host = endpoint.substr(1, close - 1);
    port = endpoint.substr(close + 2);
  } else {
    auto colon = endpoint.rfind(':');
    if (colon == std::string_view::npos) return bad("no port");
    host = endpoint.substr(0, colon);
    port = endpoint.substr(colon + 1);
  }
  if (host.empty()) return bad("no host");
  unsigned value = 0;
  if (port.empty() || port.size() > 5) return bad("bad port");
  for (char c : port) {
    if (c < '0' || c > '9') return bad("bad port");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return bad("port out of range");
  out.host = std::string(endpoint);
  out.port = static_cast<std::uint16_t>(value);
  std::string name(host);
  if (set_literal(name, out.port, out)) return out;
  std::string address = lookup_hosts(hosts_file, name);
  if (address.empty() && strcasecmp(name.c_str(), "localhost") == 0) address = "127.0.0.1";
  if (!address.empty() && set_literal(address, out.port, out)) return out;
  return unexpected(ErrorCode::invalid_argument,
                    "cannot resolve \"" + name + "\": only IP literals, localhost and names in " + hosts_file +
                        " are resolved (a static binary does no DNS)",
                    std::string("AWS_LAMBDA_RUNTIME_API=") + std::string(endpoint));
}

}  // namespace gust::runtime
