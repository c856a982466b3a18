#pragma once
// gust::http::Client: the HTTP/1.1 client the AWS clients (and the CLI) use.
// Plain TCP or TLS (OpenSSL, verified against the system trust store),
// keep-alive connections pooled per origin, and deadlines on connect and on
// the whole exchange. Thread-safe: a connection serves one call at a time.
//
//   http::Client client;
//   auto url = http::parse_url("https://dynamodb.us-east-1.amazonaws.com/").value();
//   auto res = client.send(url.origin, {.method = "POST", .target = url.target, .body = body});
//
// Why blocking sockets with poll() instead of Asio's io_context: a Lambda
// handler makes one call at a time, so a reactor buys nothing, and leaving it
// out keeps the binary and the cold start small. Responses are parsed with
// Boost.Beast's parser (chunked bodies, folding, limits), which needs no I/O
// machinery. Names are resolved with c-ares, never getaddrinfo (DESIGN.md).

#include <gust/headers.hpp>
#include <gust/result.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace gust::http {

// Where a connection goes; one pool per origin.
struct Origin {
  bool tls = true;
  std::string host;  // name or address, IPv6 without brackets
  std::uint16_t port = 443;
  friend bool operator==(const Origin&, const Origin&) = default;
};

// The Host header for an origin: "host" on the scheme's default port, else "host:port".
std::string host_header(const Origin& origin);
// "https://host:port" (default ports left out).
std::string origin_url(const Origin& origin);

struct ParsedUrl {
  Origin origin;
  std::string target;  // "/path?query" exactly as given ("/" when empty)
  std::string path;    // the part of target before '?'
  std::string query;   // after '?', without it
};

// Splits "http(s)://host[:port][/path][?query]". Errors name the problem.
Result<ParsedUrl> parse_url(std::string_view url);

struct ClientRequest {
  std::string method = "GET";
  std::string target = "/";  // path and query as they go on the wire
  Headers headers;           // Host is added from the origin when absent; Content-Length always
  std::string_view body;     // not owned; must outlive send()
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{3000};   // TCP connect + TLS handshake
  std::chrono::milliseconds request_timeout{60000};  // writing the request and reading the answer
  std::chrono::milliseconds resolve_timeout{5000};
  std::chrono::seconds idle_timeout{30};  // pooled connections idle longer are closed, not reused
  std::size_t max_idle_per_origin = 8;
  std::uint64_t body_limit = std::uint64_t{5} << 30;  // biggest response body accepted
  // PEM bundle to trust instead of the system store (tests: a self-signed CA).
  // Default: $SSL_CERT_FILE / $SSL_CERT_DIR, then a hashed CA directory
  // (/etc/ssl/certs, Amazon Linux's directory-hash), then the usual bundles.
  std::string ca_file;
  // A DNS server "ip:port" to ask instead of /etc/resolv.conf's (tests).
  std::string nameserver;
};

class Client {
 public:
  explicit Client(ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // One exchange. Failures to resolve or connect, resets and a closed
  // connection are ErrorCode::unavailable; a passed deadline is
  // ErrorCode::deadline_exceeded; a TLS certificate that does not verify is
  // ErrorCode::unavailable with the reason. A pooled connection that the
  // server had closed is replaced once, transparently.
  Result<ClientResponse> send(const Origin& origin, const ClientRequest& request);

  // Counters for tests and benchmarks.
  std::uint64_t connections_opened() const;
  std::size_t idle_connections() const;
  // Closes every pooled connection.
  void close_idle();

  const ClientOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gust::http
