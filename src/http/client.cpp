#include "http/client.hpp"

#include "http/client_resolver.hpp"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <cctype>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

namespace gust::http {

namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kHeaderLimit = 256 * 1024;

bool is_ip_literal(const std::string& host) {
  in_addr v4{};
  in6_addr v6{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 || inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

std::string openssl_error() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown TLS error";
  char text[256];
  ERR_error_string_n(e, text, sizeof text);
  return text;
}

// Waits until fd is ready for `events` or the deadline passes.
// 1: ready, 0: deadline passed, -1: poll failed (errno set).
int wait_ready(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return 0;
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
    if (r > 0) return 1;
    if (r == 0) return 0;
    if (errno != EINTR) return -1;
  }
}

// Failure of one exchange on one connection.
struct IoFailure {
  ErrorCode code = ErrorCode::unavailable;
  std::string message;
};

// Where the system's trusted CAs are. A hashed directory ("<hash>.0"
// links, what c_rehash and update-ca-trust write) comes first: OpenSSL then
// reads only the CA a server's chain needs, while loading a bundle file
// parses every certificate up front, about 30 ms of cold start for the
// ~140 CAs of a distribution (bench/aws). Order: $SSL_CERT_FILE /
// $SSL_CERT_DIR, Debian's /etc/ssl/certs, Amazon Linux/Fedora's
// directory-hash, then the distributions' bundle files.
struct TrustStore {
  std::string file;
  std::string dir;
};

bool has_hash_links(const char* dir) {
  DIR* d = ::opendir(dir);
  if (d == nullptr) return false;
  bool found = false;
  while (dirent* e = ::readdir(d)) {
    const std::string_view name = e->d_name;
    if (name.size() == 10 && name.substr(8) == ".0" &&
        name.substr(0, 8).find_first_not_of("0123456789abcdef") == std::string_view::npos) {
      found = true;
      break;
    }
  }
  ::closedir(d);
  return found;
}

TrustStore find_trust_store() {
  TrustStore t;
  if (const char* f = std::getenv("SSL_CERT_FILE"); f != nullptr && *f != '\0') t.file = f;
  if (const char* d = std::getenv("SSL_CERT_DIR"); d != nullptr && *d != '\0') t.dir = d;
  if (!t.file.empty() || !t.dir.empty()) return t;
  for (const char* dir : {"/etc/ssl/certs", "/etc/pki/ca-trust/extracted/pem/directory-hash"}) {
    if (has_hash_links(dir)) {
      t.dir = dir;
      return t;
    }
  }
  static constexpr const char* kBundles[] = {
      "/etc/ssl/certs/ca-certificates.crt",
      "/etc/pki/tls/certs/ca-bundle.crt",
      "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
      "/etc/ssl/ca-bundle.pem",
      "/etc/ssl/cert.pem",
  };
  for (const char* path : kBundles) {
    if (::access(path, R_OK) == 0) {
      t.file = path;
      return t;
    }
  }
  return t;
}

class Connection {
 public:
  Connection(Origin origin, int fd) : origin_(std::move(origin)), fd_(fd) {}
  ~Connection() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const Origin& origin() const { return origin_; }
  Clock::time_point idle_since() const { return idle_since_; }
  void mark_idle() { idle_since_ = Clock::now(); }
  std::string& pending() { return pending_; }

  // The TLS handshake, with the peer's name checked against its certificate.
  Result<void> handshake(SSL_CTX* ctx, Clock::time_point deadline) {
    ssl_ = SSL_new(ctx);
    if (ssl_ == nullptr) return unexpected(ErrorCode::internal, "SSL_new failed: " + openssl_error());
    SSL_set_fd(ssl_, fd_);
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (is_ip_literal(origin_.host)) {
      X509_VERIFY_PARAM_set1_ip_asc(param, origin_.host.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl_, origin_.host.c_str());
      X509_VERIFY_PARAM_set1_host(param, origin_.host.c_str(), origin_.host.size());
    }
    for (;;) {
      ERR_clear_error();
      const int r = SSL_connect(ssl_);
      if (r == 1) return {};
      const int err = SSL_get_error(ssl_, r);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        const int w = wait_ready(fd_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline);
        if (w == 0) return unexpected(ErrorCode::deadline_exceeded, "TLS handshake timed out", where());
        if (w < 0) return unexpected(ErrorCode::unavailable, std::string("poll: ") + std::strerror(errno), where());
        continue;
      }
      const long verify = SSL_get_verify_result(ssl_);
      if (verify != X509_V_OK)
        return unexpected(ErrorCode::unavailable,
                          fmt::format("TLS certificate does not verify: {}", X509_verify_cert_error_string(verify)),
                          where());
      if (err == SSL_ERROR_SYSCALL && errno != 0)
        return unexpected(ErrorCode::unavailable, std::string("TLS handshake: ") + std::strerror(errno), where());
      return unexpected(ErrorCode::unavailable, "TLS handshake failed: " + openssl_error(), where());
    }
  }

  // Writes all of `data` before the deadline.
  std::optional<IoFailure> write_all(std::string_view data, Clock::time_point deadline) {
    while (!data.empty()) {
      std::size_t written = 0;
      short wait_for = POLLOUT;
      if (ssl_ != nullptr) {
        ERR_clear_error();
        const int n = SSL_write(ssl_, data.data(), static_cast<int>(std::min<std::size_t>(data.size(), 1 << 30)));
        if (n > 0) {
          written = static_cast<std::size_t>(n);
        } else {
          const int err = SSL_get_error(ssl_, n);
          if (err == SSL_ERROR_WANT_READ) wait_for = POLLIN;
          else if (err != SSL_ERROR_WANT_WRITE) return tls_failure(err, "write");
        }
      } else {
        const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
        if (n >= 0) {
          written = static_cast<std::size_t>(n);
        } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
          return IoFailure{ErrorCode::unavailable, std::string("write: ") + std::strerror(errno)};
        }
      }
      if (written > 0) {
        data.remove_prefix(written);
        continue;
      }
      const int w = wait_ready(fd_, wait_for, deadline);
      if (w == 0) return IoFailure{ErrorCode::deadline_exceeded, "timed out sending the request"};
      if (w < 0) return IoFailure{ErrorCode::unavailable, std::string("poll: ") + std::strerror(errno)};
    }
    return std::nullopt;
  }

  // Reads what is available (at least one byte) into `out`; 0 bytes = the peer closed.
  std::optional<IoFailure> read_some(char* out, std::size_t size, std::size_t& got, Clock::time_point deadline) {
    got = 0;
    for (;;) {
      short wait_for = POLLIN;
      if (ssl_ != nullptr) {
        ERR_clear_error();
        const int n = SSL_read(ssl_, out, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
        if (n > 0) {
          got = static_cast<std::size_t>(n);
          return std::nullopt;
        }
        const int err = SSL_get_error(ssl_, n);
        if (err == SSL_ERROR_ZERO_RETURN) return std::nullopt;
        if (err == SSL_ERROR_WANT_WRITE) wait_for = POLLOUT;
        else if (err != SSL_ERROR_WANT_READ) return tls_failure(err, "read");
      } else {
        const ssize_t n = ::recv(fd_, out, size, 0);
        if (n >= 0) {
          got = static_cast<std::size_t>(n);
          return std::nullopt;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
          return IoFailure{ErrorCode::unavailable, std::string("read: ") + std::strerror(errno)};
      }
      const int w = wait_ready(fd_, wait_for, deadline);
      if (w == 0) return IoFailure{ErrorCode::deadline_exceeded, "timed out waiting for the response"};
      if (w < 0) return IoFailure{ErrorCode::unavailable, std::string("poll: ") + std::strerror(errno)};
    }
  }

  // False when the server closed the pooled connection (or sent bytes nobody asked for).
  bool looks_alive() const {
    char c = 0;
    const ssize_t n = ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return false;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
    return ssl_ != nullptr;  // TLS: a session ticket may still be in flight; plain: stray bytes
  }

  std::string where() const { return fmt::format("{}:{}", origin_.host, origin_.port); }

 private:
  IoFailure tls_failure(int err, std::string_view op) {
    if (err == SSL_ERROR_SYSCALL)
      return IoFailure{ErrorCode::unavailable,
                       fmt::format("TLS {}: {}", op, errno != 0 ? std::strerror(errno) : "connection closed")};
    return IoFailure{ErrorCode::unavailable, fmt::format("TLS {}: {}", op, openssl_error())};
  }

  Origin origin_;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  Clock::time_point idle_since_{};
  std::string pending_;  // bytes read past the last response (none with a well-behaved server)
};

bool header_ok(std::string_view s) {
  return s.find_first_of("\r\n") == std::string_view::npos;
}

}  // namespace

std::string host_header(const Origin& origin) {
  const bool v6 = origin.host.find(':') != std::string::npos;
  std::string host = v6 ? "[" + origin.host + "]" : origin.host;
  const bool default_port = origin.port == (origin.tls ? 443 : 80);
  if (!default_port) host += ":" + std::to_string(origin.port);
  return host;
}

std::string origin_url(const Origin& origin) {
  return (origin.tls ? "https://" : "http://") + host_header(origin);
}

Result<ParsedUrl> parse_url(std::string_view url) {
  ParsedUrl out;
  std::string_view rest;
  if (url.substr(0, 8) == "https://") {
    out.origin.tls = true;
    out.origin.port = 443;
    rest = url.substr(8);
  } else if (url.substr(0, 7) == "http://") {
    out.origin.tls = false;
    out.origin.port = 80;
    rest = url.substr(7);
  } else {
    return unexpected(ErrorCode::invalid_argument, "expected a URL starting with http:// or https://",
                      std::string(url));
  }
  const auto slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  std::string_view target = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  if (const auto hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  if (authority.find('@') != std::string_view::npos)
    return unexpected(ErrorCode::invalid_argument, "user information in URLs is not supported", std::string(url));
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return unexpected(ErrorCode::invalid_argument, "unclosed '[' in the host", std::string(url));
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':')
        return unexpected(ErrorCode::invalid_argument, "unexpected text after the IPv6 address", std::string(url));
      port = after.substr(1);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return unexpected(ErrorCode::invalid_argument, "the URL has no host", std::string(url));
  if (!port.empty()) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || p != port.data() + port.size() || value == 0 || value > 65535)
      return unexpected(ErrorCode::invalid_argument, fmt::format("'{}' is not a port number", port), std::string(url));
    out.origin.port = static_cast<std::uint16_t>(value);
  }
  out.origin.host = std::string(host);
  for (auto& c : out.origin.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (target.empty() || target.front() == '?') out.target = "/" + std::string(target);
  else out.target = std::string(target);
  const auto q = out.target.find('?');
  out.path = out.target.substr(0, q);
  out.query = q == std::string::npos ? std::string{} : out.target.substr(q + 1);
  return out;
}

struct Client::Impl {
  ClientOptions options;
  mutable std::mutex mu;
  std::vector<std::unique_ptr<Connection>> idle;  // guarded by mu
  std::atomic<std::uint64_t> opened{0};

  std::once_flag tls_once;
  SSL_CTX* tls_ctx = nullptr;
  std::string tls_error;

  ~Impl() {
    idle.clear();
    if (tls_ctx != nullptr) SSL_CTX_free(tls_ctx);
  }

  Result<SSL_CTX*> tls_context() {
    std::call_once(tls_once, [this] {
      SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
      if (ctx == nullptr) {
        tls_error = "cannot create a TLS context: " + openssl_error();
        return;
      }
      SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
      SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
      SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
      TrustStore store;
      if (!options.ca_file.empty()) store.file = options.ca_file;
      else store = find_trust_store();
      if (store.file.empty() && store.dir.empty()) {
        tls_error =
            "no trusted CA certificates found (looked at $SSL_CERT_FILE, $SSL_CERT_DIR, /etc/ssl/certs, "
            "/etc/pki/tls/certs/ca-bundle.crt, /etc/ssl/cert.pem); install ca-certificates or set SSL_CERT_FILE";
        SSL_CTX_free(ctx);
        return;
      }
      if (SSL_CTX_load_verify_locations(ctx, store.file.empty() ? nullptr : store.file.c_str(),
                                        store.dir.empty() ? nullptr : store.dir.c_str()) != 1) {
        tls_error = fmt::format("cannot load CA certificates from {}: {}", store.file.empty() ? store.dir : store.file,
                                openssl_error());
        SSL_CTX_free(ctx);
        return;
      }
      tls_ctx = ctx;
    });
    if (tls_ctx == nullptr) return unexpected(ErrorCode::unavailable, tls_error);
    return tls_ctx;
  }

  std::unique_ptr<Connection> take_idle(const Origin& origin) {
    std::vector<std::unique_ptr<Connection>> dead;  // closed outside the lock
    std::unique_ptr<Connection> found;
    {
      std::lock_guard lock(mu);
      const auto now = Clock::now();
      for (auto i = idle.size(); i-- > 0;) {
        if (!(idle[i]->origin() == origin)) continue;
        auto conn = std::move(idle[i]);
        idle.erase(idle.begin() + static_cast<std::ptrdiff_t>(i));
        if (now - conn->idle_since() > options.idle_timeout || !conn->looks_alive()) {
          dead.push_back(std::move(conn));
          continue;
        }
        found = std::move(conn);
        break;
      }
    }
    return found;
  }

  void give_back(std::unique_ptr<Connection> conn) {
    conn->mark_idle();
    std::lock_guard lock(mu);
    std::size_t same = 0;
    for (const auto& c : idle) same += c->origin() == conn->origin() ? 1 : 0;
    if (same < options.max_idle_per_origin) idle.push_back(std::move(conn));
  }

  Result<std::unique_ptr<Connection>> connect(const Origin& origin) {
    const auto deadline = Clock::now() + options.connect_timeout;
    auto addresses = resolve_host(origin.host, {options.resolve_timeout, options.nameserver});
    if (!addresses) return Unexpected{std::move(addresses).error()};
    std::string last_error = "no address";
    ErrorCode last_code = ErrorCode::unavailable;
    for (const auto& address : *addresses) {
      sockaddr_storage storage{};
      socklen_t length = 0;
      int family = AF_INET;
      if (address.find(':') != std::string::npos) {
        auto* sa = reinterpret_cast<sockaddr_in6*>(&storage);
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(origin.port);
        inet_pton(AF_INET6, address.c_str(), &sa->sin6_addr);
        length = sizeof(sockaddr_in6);
        family = AF_INET6;
      } else {
        auto* sa = reinterpret_cast<sockaddr_in*>(&storage);
        sa->sin_family = AF_INET;
        sa->sin_port = htons(origin.port);
        inet_pton(AF_INET, address.c_str(), &sa->sin_addr);
        length = sizeof(sockaddr_in);
      }
      const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fd < 0) {
        last_error = std::string("socket: ") + std::strerror(errno);
        continue;
      }
      auto conn = std::make_unique<Connection>(origin, fd);
      int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&storage), length);
      if (rc != 0 && errno != EINPROGRESS) {
        last_error = fmt::format("connect to {}: {}", address, std::strerror(errno));
        continue;
      }
      if (rc != 0) {
        const int w = wait_ready(fd, POLLOUT, deadline);
        if (w == 0) {
          last_code = ErrorCode::deadline_exceeded;
          last_error = fmt::format("connect to {} timed out after {} ms", address, options.connect_timeout.count());
          break;
        }
        int so_error = 0;
        socklen_t len = sizeof so_error;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
        if (w < 0 || so_error != 0) {
          last_error = fmt::format("connect to {}: {}", address, std::strerror(w < 0 ? errno : so_error));
          continue;
        }
      }
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (origin.tls) {
        auto ctx = tls_context();
        if (!ctx) return Unexpected{std::move(ctx).error()};
        if (auto hs = conn->handshake(*ctx, deadline); !hs) return Unexpected{std::move(hs).error()};
      }
      opened.fetch_add(1, std::memory_order_relaxed);
      return conn;
    }
    return unexpected(last_code, last_error, fmt::format("{}:{}", origin.host, origin.port));
  }

  // One request/response on `conn`. `got_response` says whether any byte of an answer arrived.
  Result<ClientResponse> exchange(Connection& conn, const std::string& head, std::string_view body,
                                  bool head_request, bool& got_response, bool& reusable) {
    got_response = false;
    reusable = false;
    const auto deadline = Clock::now() + options.request_timeout;
    auto fail = [&](IoFailure f) { return unexpected(f.code, std::move(f.message), conn.where()); };
    // One write for small requests (one TLS record, one segment).
    if (body.size() <= 16 * 1024) {
      std::string whole;
      whole.reserve(head.size() + body.size());
      whole.append(head).append(body);
      if (auto f = conn.write_all(whole, deadline)) return fail(std::move(*f));
    } else {
      if (auto f = conn.write_all(head, deadline)) return fail(std::move(*f));
      if (auto f = conn.write_all(body, deadline)) return fail(std::move(*f));
    }

    bhttp::response_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.header_limit(kHeaderLimit);
    parser.body_limit(options.body_limit);
    if (head_request) parser.skip(true);
    std::string& pending = conn.pending();
    std::string chunk(kReadChunk, '\0');
    while (!parser.is_done()) {
      if (!pending.empty()) {
        boost::system::error_code ec;
        const std::size_t used = parser.put(boost::asio::buffer(pending.data(), pending.size()), ec);
        pending.erase(0, used);
        if (ec && ec != bhttp::error::need_more)
          return unexpected(ErrorCode::unavailable, "malformed HTTP response: " + ec.message(), conn.where());
        if (parser.is_done()) break;
        if (!ec && used > 0 && !pending.empty()) continue;
      }
      std::size_t got = 0;
      if (auto f = conn.read_some(chunk.data(), chunk.size(), got, deadline)) return fail(std::move(*f));
      if (got == 0) {
        // Beast's put_eof on a parser that saw nothing "completes" an empty
        // 200 response: a close before any byte must be an error here.
        if (!got_response)
          return unexpected(ErrorCode::unavailable, "connection closed before a response arrived", conn.where());
        boost::system::error_code ec;
        parser.put_eof(ec);
        if (ec || !parser.is_done()) {
          return unexpected(ErrorCode::unavailable, "connection closed in the middle of the response", conn.where());
        }
        break;
      }
      got_response = true;
      pending.append(chunk.data(), got);
    }
    auto message = parser.release();
    ClientResponse response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) response.headers.add(field.name_string(), field.value());
    response.body = std::move(message.body());
    reusable = message.keep_alive() && pending.empty();
    return response;
  }
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  // A peer that resets a TLS connection would otherwise kill the process
  // with SIGPIPE (OpenSSL writes with write(2)); only the default is changed.
  struct sigaction current {};
  if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
}

Client::~Client() = default;

const ClientOptions& Client::options() const { return impl_->options; }

std::uint64_t Client::connections_opened() const { return impl_->opened.load(); }

std::size_t Client::idle_connections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->idle.size();
}

void Client::close_idle() {
  std::vector<std::unique_ptr<Connection>> closing;
  std::lock_guard lock(impl_->mu);
  closing.swap(impl_->idle);
}

Result<ClientResponse> Client::send(const Origin& origin, const ClientRequest& request) {
  if (request.method.empty() || !header_ok(request.method) || request.method.find(' ') != std::string::npos)
    return unexpected(ErrorCode::invalid_argument, fmt::format("bad HTTP method '{}'", request.method));
  if (request.target.empty() || request.target.find_first_of(" \r\n") != std::string::npos)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("bad request target '{}': it must be percent-encoded, without spaces", request.target));

  std::string head;
  head.reserve(256 + request.target.size());
  head.append(request.method).append(" ").append(request.target).append(" HTTP/1.1\r\n");
  if (!request.headers.contains("host")) head.append("Host: ").append(host_header(origin)).append("\r\n");
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || !header_ok(name) || !header_ok(value))
      return unexpected(ErrorCode::invalid_argument,
                        fmt::format("header '{}' has an empty name or a line break; values must be one line", name));
    head.append(name).append(": ").append(value).append("\r\n");
  }
  const bool body_method = request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
  if (!request.headers.contains("content-length") && (!request.body.empty() || body_method))
    head.append("Content-Length: ").append(std::to_string(request.body.size())).append("\r\n");
  head.append("\r\n");
  const bool head_request = request.method == "HEAD";

  // A pooled connection the server closed while idle fails before any
  // answer; then the request goes once more on a fresh connection.
  if (auto pooled = impl_->take_idle(origin)) {
    bool got_response = false;
    bool reusable = false;
    auto result = impl_->exchange(*pooled, head, request.body, head_request, got_response, reusable);
    if (result) {
      if (reusable) impl_->give_back(std::move(pooled));
      return result;
    }
    if (got_response || result.error().code == ErrorCode::deadline_exceeded) return result;
  }
  auto fresh = impl_->connect(origin);
  if (!fresh) return Unexpected{std::move(fresh).error()};
  bool got_response = false;
  bool reusable = false;
  auto result = impl_->exchange(**fresh, head, request.body, head_request, got_response, reusable);
  if (result && reusable) impl_->give_back(std::move(*fresh));
  return result;
}

}  // namespace gust::http
