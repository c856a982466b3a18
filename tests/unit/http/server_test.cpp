// gust::http::Server on loopback, driven by the runtime's HTTP client.
#include "http/server.hpp"

#include "runtime/runtime_api_client.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <thread>

namespace gust::http {
namespace {

using namespace std::chrono_literals;
using runtime::RuntimeApiClient;

std::unique_ptr<Server> start(ServerHandlers handlers, ServerOptions options = {}) {
  auto s = Server::start(std::move(options), std::move(handlers));
  if (!s) {
    ADD_FAILURE() << s.error().describe();
    std::abort();
  }
  return std::move(*s);
}

RuntimeApiClient client_for(const Server& server) {
  auto e = runtime::resolve_endpoint(server.endpoint());
  EXPECT_TRUE(e);
  return RuntimeApiClient(*e);
}


// A raw loopback connection, for what the client cannot do (read a reply piece by piece, HEAD, Expect).
class RawConnection {
 public:
  explicit RawConnection(const Server& server) {
    auto endpoint = runtime::resolve_endpoint(server.endpoint());
    EXPECT_TRUE(endpoint);
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<const sockaddr*>(&endpoint->address), endpoint->address_size), 0);
  }
  ~RawConnection() { ::close(fd_); }
  void send(std::string_view bytes) { EXPECT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size())); }
  // Reads until `text` has arrived (true), the peer closes or 5 s pass (false).
  bool read_until(std::string_view text) {
    char buffer[4096];
    while (received.find(text) == std::string::npos) {
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return false;
      received.append(buffer, static_cast<std::size_t>(n));
    }
    return true;
  }
  // Reads until the peer closes (true) or 5 s pass (false).
  bool read_to_end() {
    char buffer[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n == 0) return true;
      if (n < 0) return false;
      received.append(buffer, static_cast<std::size_t>(n));
    }
  }
  std::string received;

 private:
  int fd_ = -1;
};

TEST(HttpServer, ServesManyRequestsOnOneKeepAliveConnection) {
  std::atomic<int> requests = 0;
  std::mutex mu;
  std::set<std::uint64_t> connections;
  auto server = start({.on_request = [&](ServerRequest req, Responder reply) {
    ++requests;
    {
      std::lock_guard lock(mu);
      connections.insert(req.connection_id);
    }
    ServerResponse r{200, {}, req.method + " " + req.target + " " + req.body};
    r.headers.set("X-Seen", std::to_string(requests.load()));
    reply.send(std::move(r));
  }});
  auto client = client_for(*server);
  for (int i = 0; i < 50; ++i) {
    auto r = i % 2 == 0 ? client.get("/a?x=1") : client.post("/b", {{"X-Test", "1"}}, "payload");
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ((*r)->status, 200);
    EXPECT_EQ((*r)->body, i % 2 == 0 ? "GET /a?x=1 " : "POST /b payload");
  }
  EXPECT_EQ(requests, 50);
  EXPECT_EQ(connections.size(), 1u);
}

// ServerOptions::spin: the I/O thread polls after a request before sleeping.
// It serves while polling, wakes from its sleep for a request that comes
// later, and still stops promptly.
TEST(HttpServer, AThreadThatPollsBeforeSleepingServesWakesAndStops) {
  auto server = start({.on_request = [](ServerRequest req, Responder reply) { reply.send({200, {}, req.target}); }}, {.spin = 20ms});
  auto client = client_for(*server);
  for (int i = 0; i < 20; ++i) {
    if (i == 10) std::this_thread::sleep_for(60ms);  // past the 20 ms: the thread is asleep in epoll now
    auto r = client.get("/n" + std::to_string(i));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ((*r)->body, "/n" + std::to_string(i));
  }
  const auto before = std::chrono::steady_clock::now();
  server.reset();  // stops and joins the thread
  EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);
}

TEST(HttpServer, RepliesLaterFromAnotherThread) {
  std::promise<Responder> parked;
  auto server = start({.on_request = [&](ServerRequest, Responder reply) { parked.set_value(reply); }});
  std::thread late([&] {
    auto reply = parked.get_future().get();
    std::this_thread::sleep_for(20ms);
    reply.send({202, {}, "later"});
    reply.send({500, {}, "ignored: only the first reply counts"});
  });
  auto client = client_for(*server);
  auto r = client.get("/wait");
  late.join();
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)->status, 202);
  EXPECT_EQ((*r)->body, "later");
}

TEST(HttpServer, HandsAChunkedBodyToTheSinkAsItArrives) {
  std::mutex mu;
  std::vector<std::string> pieces;
  std::promise<void> first_piece;
  std::promise<ServerRequest> done;
  auto server = start({.on_head = [&](const ServerRequest& head) -> BodySink {
                         if (head.target != "/stream") return {};
                         return [&](std::string_view bytes) {
                           std::lock_guard lock(mu);
                           pieces.emplace_back(bytes);
                           if (pieces.size() == 1) first_piece.set_value();
                         };
                       },
                       .on_request = [&](ServerRequest req, Responder reply) {
                         done.set_value(req);
                         reply.send({202, {}, {}});
                       }});
  auto client = client_for(*server);
  ASSERT_TRUE(client.begin_chunked("/stream", {{"Trailer", "X-Outcome"}}));
  ASSERT_TRUE(client.write_chunk("hello "));
  ASSERT_EQ(first_piece.get_future().wait_for(5s), std::future_status::ready);  // before the body ended
  ASSERT_TRUE(client.write_chunk("world"));
  auto r = client.end_chunked({{"X-Outcome", "fine"}});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)->status, 202);
  auto req = done.get_future().get();
  EXPECT_TRUE(req.body.empty());
  EXPECT_EQ(req.headers.get("X-Outcome").value_or(""), "fine");
  std::string joined;
  for (auto& p : pieces) joined += p;
  EXPECT_EQ(joined, "hello world");
}

TEST(HttpServer, CollectsAChunkedBodyWithoutASink) {
  auto server = start({.on_request = [&](ServerRequest req, Responder reply) { reply.send({200, {}, req.body}); }});
  auto client = client_for(*server);
  ASSERT_TRUE(client.begin_chunked("/upload", {}));
  client.write_chunk("a");
  client.write_chunk("bc");
  auto r = client.end_chunked({});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)->body, "abc");
}

TEST(HttpServer, AnswersPayloadTooLargeOverTheBodyLimit) {
  auto server = start({.on_request = [&](ServerRequest, Responder reply) { reply.send({200, {}, "ok"}); }}, {.body_limit = 1024});
  auto client = client_for(*server);
  auto r = client.post("/big", {}, std::string(4096, 'x'));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)->status, 413);
}

TEST(HttpServer, NoticesAPeerThatHangsUpDuringALongPoll) {
  std::promise<Responder> parked;
  std::promise<std::uint64_t> closed;
  auto server = start({.on_request = [&](ServerRequest, Responder reply) { parked.set_value(reply); },
                       .on_close = [&](std::uint64_t id) { closed.set_value(id); }});
  auto endpoint = runtime::resolve_endpoint(server->endpoint());
  ASSERT_TRUE(endpoint);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&endpoint->address), endpoint->address_size), 0);
  const std::string request = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  auto reply = parked.get_future().get();
  EXPECT_FALSE(reply.peer_gone());
  ::close(fd);
  ASSERT_EQ(closed.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(reply.peer_gone());
  reply.send({200, {}, "nobody listens"});  // dropped, no crash
}

TEST(HttpServer, ResetDropsOpenConnectionsAndKeepsListening) {
  auto server = start({.on_request = [&](ServerRequest, Responder reply) { reply.send({200, {}, "ok"}); }});
  auto client = client_for(*server);
  ASSERT_TRUE(client.get("/"));
  server->reset_connections();
  std::this_thread::sleep_for(10ms);
  auto broken = client.get("/");
  EXPECT_FALSE(broken);  // the old connection is gone
  auto again = client.get("/");  // a new one works
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ((*again)->body, "ok");
}


TEST(HttpServer, StreamsAReplyChunkByChunkThenServesTheNextRequest) {
  std::promise<Responder> parked;
  auto server = start({.on_request = [&](ServerRequest req, Responder reply) {
    if (req.target == "/stream") return parked.set_value(reply);
    reply.send({200, {}, "next"});
  }});
  RawConnection c(*server);
  c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  auto reply = parked.get_future().get();
  Headers headers;
  headers.set("Content-Type", "text/plain");
  headers.set("Content-Length", "999");  // computed by the server, never copied
  reply.begin_stream(201, headers);
  reply.write("one");
  ASSERT_TRUE(c.read_until("\r\n3\r\none\r\n")) << c.received;  // before "two" exists
  EXPECT_NE(c.received.find("HTTP/1.1 201 Created\r\n"), std::string::npos);
  EXPECT_NE(c.received.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_EQ(c.received.find("999"), std::string::npos);
  reply.write("two!");
  reply.end_stream();
  reply.write("dropped: the stream has ended");
  ASSERT_TRUE(c.read_until("4\r\ntwo!\r\n0\r\n\r\n")) << c.received;
  c.received.clear();
  c.send("GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(c.read_to_end());
  EXPECT_NE(c.received.find("\r\n\r\nnext"), std::string::npos) << c.received;
}

TEST(HttpServer, AbortCutsAStreamShort) {
  std::promise<Responder> parked;
  auto server = start({.on_request = [&](ServerRequest, Responder reply) { parked.set_value(reply); }});
  RawConnection c(*server);
  c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  auto reply = parked.get_future().get();
  reply.begin_stream(200, {});
  reply.write("partial");
  ASSERT_TRUE(c.read_until("partial"));
  reply.abort();
  ASSERT_TRUE(c.read_to_end());
  EXPECT_EQ(c.received.find("0\r\n\r\n"), std::string::npos) << "an aborted stream must not look complete";
}

TEST(HttpServer, AnswersExpectContinueBeforeTheBodyIsSent) {
  auto server = start({.on_request = [&](ServerRequest req, Responder reply) { reply.send({200, {}, "got " + req.body}); }});
  RawConnection c(*server);
  c.send("PUT /object HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(c.read_until("HTTP/1.1 100 Continue\r\n\r\n")) << c.received;
  c.send("hello");
  ASSERT_TRUE(c.read_to_end());
  EXPECT_NE(c.received.find("HTTP/1.1 200 OK"), std::string::npos);
  EXPECT_NE(c.received.find("got hello"), std::string::npos);
}

TEST(HttpServer, HeadRepliesCarryTheLengthAGetWouldHaveAndNoBody) {
  auto server = start({.on_request = [&](ServerRequest req, Responder reply) {
    ServerResponse r{200, {}, "hello"};
    if (req.target == "/declared") {
      r.body.clear();
      r.headers.set("Content-Length", "1234");  // an object the reply does not carry
    }
    reply.send(std::move(r));
  }});
  RawConnection c(*server);
  c.send("HEAD /body HTTP/1.1\r\nHost: x\r\n\r\nHEAD /declared HTTP/1.1\r\nHost: x\r\n\r\nGET /body HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(c.read_to_end());
  const auto first = c.received.find("Content-Length: 5\r\n\r\nHTTP/1.1 200");
  const auto second = c.received.find("Content-Length: 1234\r\n\r\nHTTP/1.1 200");
  EXPECT_NE(first, std::string::npos) << c.received;
  EXPECT_NE(second, std::string::npos) << c.received;
  EXPECT_TRUE(c.received.ends_with("\r\n\r\nhello")) << c.received;
}

TEST(HttpServer, RequestHeadsOverTheHeaderLimitGet431) {
  auto server = start({.on_request = [&](ServerRequest, Responder reply) { reply.send({200, {}, "ok"}); }}, {.header_limit = 16 * 1024});
  const std::string big(12 * 1024, 'a');
  RawConnection fits(*server);
  fits.send("GET / HTTP/1.1\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(fits.read_to_end());
  EXPECT_TRUE(fits.received.starts_with("HTTP/1.1 200")) << fits.received.substr(0, 80);
  RawConnection too_big(*server);
  too_big.send("GET / HTTP/1.1\r\nX-Big: " + big + big + "\r\n\r\n");
  ASSERT_TRUE(too_big.read_to_end());
  EXPECT_TRUE(too_big.received.starts_with("HTTP/1.1 431")) << too_big.received.substr(0, 80);
}

TEST(HttpServer, ServersShareOneIoThreadAndStopApart) {
  auto io = IoThread::start();
  std::mutex mu;
  std::set<std::thread::id> threads;
  auto handler = [&](ServerRequest req, Responder reply) {
    {
      std::lock_guard lock(mu);
      threads.insert(std::this_thread::get_id());
    }
    reply.send({200, {}, req.target});
  };
  auto a = start({.on_request = handler}, {.io = io});
  auto b = start({.on_request = handler}, {.io = io});
  auto to_a = client_for(*a), to_b = client_for(*b);
  ASSERT_TRUE(to_a.get("/a"));
  ASSERT_TRUE(to_b.get("/b"));
  EXPECT_EQ(threads.size(), 1u) << "both servers ran their handlers on the one thread";
  a->stop();
  a.reset();
  auto still = to_b.get("/still");
  ASSERT_TRUE(still) << still.error().describe();
  EXPECT_EQ((*still)->body, "/still");
}

TEST(HttpServer, RefusesAPortInUse) {
  auto first = start({.on_request = [](ServerRequest, Responder reply) { reply.send({}); }});
  auto second = Server::start({.port = first->port()}, {.on_request = [](ServerRequest, Responder) {}});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::unavailable);
  EXPECT_NE(second.error().message.find(std::to_string(first->port())), std::string::npos);
}

}  // namespace
}  // namespace gust::http
