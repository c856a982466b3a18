#pragma once
// Host name -> addresses for the HTTP client, with c-ares.
//
// Why not getaddrinfo: a fully static glibc binary that calls it loads the
// build machine's NSS modules at run time, and Lambda has another glibc
// (DESIGN.md "Traps"). c-ares reads /etc/hosts and /etc/resolv.conf itself.
// Numeric addresses and "localhost" need no lookup at all.

#include <gust/result.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace gust::http {

struct ResolveOptions {
  std::chrono::milliseconds timeout{5000};
  std::string nameserver;  // "ip:port" to ask instead of resolv.conf's servers (tests)
};

// The addresses of `host` as numeric strings, IPv4 first. Errors are
// ErrorCode::unavailable and name the host and c-ares' reason.
Result<std::vector<std::string>> resolve_host(std::string_view host, const ResolveOptions& options = {});

}  // namespace gust::http
