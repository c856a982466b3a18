// gust::http::Client against servers on 127.0.0.1: gust's own server, a raw
// socket server for odd answers, a TLS server with a self-signed
// certificate, and a tiny DNS server for the c-ares resolver.
#include "http/client.hpp"

#include "http/client_resolver.hpp"
#include "http/server.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <set>
#include <thread>

namespace gust::http {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<Server> start(ServerHandlers handlers) {
  auto s = Server::start({}, std::move(handlers));
  if (!s) {
    ADD_FAILURE() << s.error().describe();
    std::abort();
  }
  return std::move(*s);
}

Origin origin_of(const Server& s) { return {false, "127.0.0.1", s.port()}; }

// A listening socket on 127.0.0.1 whose connections `serve` handles, one thread each.
class RawServer {
 public:
  explicit RawServer(std::function<void(int fd)> serve) : serve_(std::move(serve)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 16);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0 || stop_) {
          if (c >= 0) ::close(c);
          return;
        }
        workers_.emplace_back([this, c] {
          serve_(c);
          ::close(c);
        });
      }
    });
  }
  ~RawServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
    for (auto& w : workers_) w.join();
  }
  std::uint16_t port() const { return port_; }

  // Reads one request head (and drops it).
  static std::string read_head(int fd) {
    std::string data;
    char buf[4096];
    while (data.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      data.append(buf, static_cast<std::size_t>(n));
    }
    return data;
  }
  static void write(int fd, std::string_view s) { (void)!::send(fd, s.data(), s.size(), MSG_NOSIGNAL); }

 private:
  std::function<void(int)> serve_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::thread> workers_;
};

TEST(HttpClient, ReusesOneKeepAliveConnection) {
  std::set<std::uint64_t> connections;
  std::mutex mu;
  auto server = start({.on_request = [&](ServerRequest req, Responder reply) {
    {
      std::lock_guard lock(mu);
      connections.insert(req.connection_id);
    }
    reply.send({200, {}, req.method + " " + req.target + " " + req.body});
  }});
  Client client;
  for (int i = 0; i < 20; ++i) {
    auto r = client.send(origin_of(*server), {"POST", "/p?i=" + std::to_string(i), {}, "body"});
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->body, "POST /p?i=" + std::to_string(i) + " body");
  }
  EXPECT_EQ(client.connections_opened(), 1u);
  EXPECT_EQ(connections.size(), 1u);
  EXPECT_EQ(client.idle_connections(), 1u);
}

TEST(HttpClient, ReplacesAPooledConnectionTheServerClosed) {
  auto server = start({.on_request = [](ServerRequest, Responder reply) { reply.send({200, {}, "ok"}); }});
  Client client;
  ASSERT_TRUE(client.send(origin_of(*server), {}));
  server->reset_connections();
  std::this_thread::sleep_for(50ms);
  auto r = client.send(origin_of(*server), {"POST", "/", {}, "again"});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->body, "ok");
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(HttpClient, IdleConnectionsPastTheIdleTimeoutAreNotReused) {
  auto server = start({.on_request = [](ServerRequest, Responder reply) { reply.send({200, {}, "ok"}); }});
  ClientOptions options;
  options.idle_timeout = 0s;
  Client client(options);
  ASSERT_TRUE(client.send(origin_of(*server), {}));
  std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(client.send(origin_of(*server), {}));
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(HttpClient, DecodesChunkedAndCloseDelimitedBodies) {
  RawServer chunked([](int fd) {
    RawServer::read_head(fd);
    RawServer::write(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
    RawServer::read_head(fd);  // wait for the client to close
  });
  Client client;
  auto r = client.send({false, "127.0.0.1", chunked.port()}, {});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->body, "hello, world");
  EXPECT_EQ(r->headers.get("x-a").value_or(""), "1");

  RawServer until_close([](int fd) {
    RawServer::read_head(fd);
    RawServer::write(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody until close");
  });
  auto c = client.send({false, "127.0.0.1", until_close.port()}, {});
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->body, "body until close");
  EXPECT_EQ(client.idle_connections(), 1u);  // only the chunked server's connection is kept
}

TEST(HttpClient, HeadAnswersCarryNoBody) {
  RawServer server([](int fd) {
    RawServer::read_head(fd);
    RawServer::write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 12345\r\nETag: \"x\"\r\n\r\n");
    RawServer::read_head(fd);
  });
  Client client;
  auto r = client.send({false, "127.0.0.1", server.port()}, {"HEAD", "/", {}, {}});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_TRUE(r->body.empty());
  EXPECT_EQ(r->headers.get("content-length").value_or(""), "12345");
}

TEST(HttpClient, BrokenAnswersAreErrorsNotCrashes) {
  RawServer garbage([](int fd) {
    RawServer::read_head(fd);
    RawServer::write(fd, "NOT HTTP AT ALL\r\n\r\n");
  });
  Client client;
  auto r = client.send({false, "127.0.0.1", garbage.port()}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::unavailable);
  EXPECT_NE(r.error().message.find("malformed"), std::string::npos) << r.error().message;

  RawServer truncated([](int fd) {
    RawServer::read_head(fd);
    RawServer::write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
  });
  auto t = client.send({false, "127.0.0.1", truncated.port()}, {});
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("middle of the response"), std::string::npos) << t.error().message;

  RawServer silent([](int fd) { RawServer::read_head(fd); });
  auto s = client.send({false, "127.0.0.1", silent.port()}, {});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("before a response"), std::string::npos) << s.error().message;
}

TEST(HttpClient, BodiesOverTheLimitAreRefused) {
  auto server = start({.on_request = [](ServerRequest, Responder reply) {
    reply.send({200, {}, std::string(10000, 'x')});
  }});
  ClientOptions options;
  options.body_limit = 1000;
  Client client(options);
  auto r = client.send(origin_of(*server), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::unavailable);
}

TEST(HttpClient, SlowAnswersHitTheRequestTimeout) {
  std::vector<std::thread> late;
  auto server = start({.on_request = [&](ServerRequest, Responder reply) {
    late.emplace_back([reply] {
      std::this_thread::sleep_for(600ms);
      reply.send({200, {}, "late"});
    });
  }});
  ClientOptions options;
  options.request_timeout = 150ms;
  Client client(options);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = client.send(origin_of(*server), {});
  const auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::deadline_exceeded);
  EXPECT_LT(took, 500ms);
  for (auto& t : late) t.join();
}

TEST(HttpClient, RefusedConnectionsAreUnavailable) {
  std::uint16_t port = 0;
  {
    auto server = start({.on_request = [](ServerRequest, Responder reply) { reply.send({}); }});
    port = server->port();
  }  // closed: nothing listens there now
  Client client;
  auto r = client.send({false, "127.0.0.1", port}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::unavailable);
  EXPECT_NE(r.error().message.find("refused"), std::string::npos) << r.error().message;
}

TEST(HttpClient, HeaderInjectionIsRefused) {
  Client client;
  ClientRequest req;
  req.headers.add("X-Bad", "a\r\nInjected: yes");
  auto r = client.send({false, "127.0.0.1", 9}, req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  auto spaces = client.send({false, "127.0.0.1", 9}, {"GET", "/a b", {}, {}});
  ASSERT_FALSE(spaces);
  EXPECT_EQ(spaces.error().code, ErrorCode::invalid_argument);
}

TEST(HttpUrl, ParsesSchemesHostsPortsAndTargets) {
  auto a = parse_url("https://Example.COM/path?q=1");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->origin.tls);
  EXPECT_EQ(a->origin.host, "example.com");
  EXPECT_EQ(a->origin.port, 443);
  EXPECT_EQ(a->target, "/path?q=1");
  EXPECT_EQ(a->path, "/path");
  EXPECT_EQ(a->query, "q=1");
  auto b = parse_url("http://[::1]:8080");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->origin.host, "::1");
  EXPECT_EQ(b->origin.port, 8080);
  EXPECT_EQ(b->target, "/");
  EXPECT_EQ(host_header(b->origin), "[::1]:8080");
  EXPECT_EQ(host_header({true, "h", 443}), "h");
  EXPECT_EQ(host_header({false, "h", 443}), "h:443");
  EXPECT_EQ(parse_url("http://127.0.0.1:4566?x")->target, "/?x");
  EXPECT_FALSE(parse_url("ftp://x"));
  EXPECT_FALSE(parse_url("http://:80/"));
  EXPECT_FALSE(parse_url("http://h:99999/"));
  EXPECT_FALSE(parse_url("http://user@h/"));
  EXPECT_EQ(parse_url("localhost:4566").error().code, ErrorCode::invalid_argument);
}

// ---- TLS

class TlsServer {
 public:
  TlsServer(const std::string& cert, const std::string& key) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    EXPECT_EQ(SSL_CTX_use_certificate_chain_file(ctx_, cert.c_str()), 1);
    EXPECT_EQ(SSL_CTX_use_PrivateKey_file(ctx_, key.c_str(), SSL_FILETYPE_PEM), 1);
    raw_ = std::make_unique<RawServer>([this](int fd) {
      SSL* ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) == 1) {
        ++handshakes_;
        std::string data;
        char buf[4096];
        for (;;) {  // keep-alive: answer every request until the client closes
          const int n = SSL_read(ssl, buf, sizeof buf);
          if (n <= 0) break;
          data.append(buf, static_cast<std::size_t>(n));
          while (data.find("\r\n\r\n") != std::string::npos) {
            data.erase(0, data.find("\r\n\r\n") + 4);
            const std::string res = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecret";
            SSL_write(ssl, res.data(), static_cast<int>(res.size()));
          }
        }
      }
      SSL_free(ssl);
    });
  }
  ~TlsServer() {
    raw_.reset();
    SSL_CTX_free(ctx_);
  }
  std::uint16_t port() const { return raw_->port(); }
  int handshakes() const { return handshakes_; }

 private:
  SSL_CTX* ctx_ = nullptr;
  std::atomic<int> handshakes_{0};
  std::unique_ptr<RawServer> raw_;
};

class HttpClientTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/gust-tls-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    // A self-signed certificate for localhost and 127.0.0.1, and one for another name.
    for (const auto& [name, san] : {std::pair{"local", "DNS:localhost,IP:127.0.0.1"}, std::pair{"other", "DNS:other.example"}}) {
      const std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
                              "-keyout " + dir_ + "/" + name + ".key -out " + dir_ + "/" + name + ".pem -subj /CN=" +
                              name + " -addext subjectAltName=" + san + " 2>/dev/null";
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }
  static std::string dir_;
};
std::string HttpClientTls::dir_;

TEST_F(HttpClientTls, RefusesACertificateTheTrustStoreDoesNotVouchFor) {
  TlsServer server(dir_ + "/local.pem", dir_ + "/local.key");
  Client client;  // the system trust store
  auto r = client.send({true, "127.0.0.1", server.port()}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::unavailable);
  EXPECT_NE(r.error().message.find("certificate does not verify"), std::string::npos) << r.error().message;
}

TEST_F(HttpClientTls, TrustsAGivenCaAndReusesTheConnection) {
  TlsServer server(dir_ + "/local.pem", dir_ + "/local.key");
  ClientOptions options;
  options.ca_file = dir_ + "/local.pem";
  Client client(options);
  for (const char* host : {"127.0.0.1", "localhost"}) {
    for (int i = 0; i < 3; ++i) {
      auto r = client.send({true, host, server.port()}, {});
      ASSERT_TRUE(r) << host << ": " << r.error().describe();
      EXPECT_EQ(r->body, "secret");
    }
  }
  EXPECT_EQ(server.handshakes(), 2);  // one per origin, then keep-alive
}

// The default store reads a hashed CA directory (as /etc/ssl/certs is):
// here $SSL_CERT_DIR holds the test CA under its subject hash.
TEST_F(HttpClientTls, TrustsAHashedCaDirectory) {
  TlsServer server(dir_ + "/local.pem", dir_ + "/local.key");
  const std::string hashed = dir_ + "/hashed";
  std::filesystem::create_directories(hashed);
  const std::string cmd = "cp " + dir_ + "/local.pem " + hashed + "/$(openssl x509 -hash -noout -in " + dir_ +
                          "/local.pem).0";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  ::setenv("SSL_CERT_DIR", hashed.c_str(), 1);
  Client client;
  auto r = client.send({true, "localhost", server.port()}, {});
  ::unsetenv("SSL_CERT_DIR");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->body, "secret");
}

TEST_F(HttpClientTls, RefusesACertificateForAnotherName) {
  TlsServer server(dir_ + "/other.pem", dir_ + "/other.key");
  ClientOptions options;
  options.ca_file = dir_ + "/other.pem";
  Client client(options);
  auto r = client.send({true, "127.0.0.1", server.port()}, {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("does not verify"), std::string::npos) << r.error().message;
}

// ---- DNS through c-ares, asking a DNS server of our own on loopback

class DnsServer {
 public:
  // Answers A queries for `name` with 127.0.0.1; anything else NXDOMAIN.
  explicit DnsServer(std::string name) : name_(std::move(name)) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    timeval tv{0, 100000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    thread_ = std::thread([this] { serve(); });
  }
  ~DnsServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int queries() const { return queries_; }

 private:
  void serve() {
    unsigned char q[512];
    while (!stop_) {
      sockaddr_in from{};
      socklen_t flen = sizeof from;
      const ssize_t n = ::recvfrom(fd_, q, sizeof q, 0, reinterpret_cast<sockaddr*>(&from), &flen);
      if (n < 12) continue;
      ++queries_;
      // Question name (labels) starts at byte 12.
      std::string qname;
      std::size_t i = 12;
      while (i < static_cast<std::size_t>(n) && q[i] != 0) {
        if (!qname.empty()) qname.push_back('.');
        qname.append(reinterpret_cast<const char*>(q + i + 1), q[i]);
        i += q[i] + 1;
      }
      const std::size_t question_end = i + 5;  // zero label, type, class
      const int qtype = (q[i + 1] << 8) | q[i + 2];
      std::vector<unsigned char> r(q, q + question_end);
      r[2] = 0x81;  // response, recursion desired
      r[3] = 0x80;  // recursion available
      const bool match = qname == name_;
      const bool answer = match && qtype == 1;
      if (!match) r[3] |= 3;  // NXDOMAIN
      r[4] = 0; r[5] = 1;     // one question
      r[6] = 0; r[7] = answer ? 1 : 0;
      r[8] = r[9] = r[10] = r[11] = 0;
      if (answer) {
        const unsigned char rr[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1};
        r.insert(r.end(), std::begin(rr), std::end(rr));
      }
      ::sendto(fd_, r.data(), r.size(), 0, reinterpret_cast<sockaddr*>(&from), flen);
    }
  }
  std::string name_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> queries_{0};
  std::thread thread_;
};

TEST(HttpResolver, AsksTheConfiguredServerThroughCares) {
  DnsServer dns("gust-test.example");
  auto addresses = resolve_host("gust-test.example", {2000ms, dns.address()});
  ASSERT_TRUE(addresses) << addresses.error().describe();
  EXPECT_EQ(*addresses, std::vector<std::string>{"127.0.0.1"});
  EXPECT_GE(dns.queries(), 1);

  auto missing = resolve_host("no-such.example", {2000ms, dns.address()});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::unavailable);
  EXPECT_EQ(missing.error().context, "no-such.example");
}

TEST(HttpResolver, NumericHostsAndLocalhostNeedNoLookup) {
  EXPECT_EQ(resolve_host("10.1.2.3").value(), std::vector<std::string>{"10.1.2.3"});
  EXPECT_EQ(resolve_host("::1").value(), std::vector<std::string>{"::1"});
  EXPECT_EQ(resolve_host("localhost").value().front(), "127.0.0.1");
}

TEST(HttpResolver, ASilentServerTimesOut) {
  // A UDP socket that never answers.
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = resolve_host("silent.example", {300ms, "127.0.0.1:" + std::to_string(ntohs(a.sin_port))});
  const auto took = std::chrono::steady_clock::now() - t0;
  ::close(fd);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::unavailable);
  EXPECT_LT(took, 2s);
}

TEST(HttpClient, ConnectsByNameThroughTheResolver) {
  DnsServer dns("api.gust-test.example");
  auto server = start({.on_request = [](ServerRequest req, Responder reply) {
    reply.send({200, {}, std::string(req.headers.get("host").value_or(""))});
  }});
  ClientOptions options;
  options.nameserver = dns.address();
  Client client(options);
  auto r = client.send({false, "api.gust-test.example", server->port()}, {});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->body, "api.gust-test.example:" + std::to_string(server->port()));
}

}  // namespace
}  // namespace gust::http
