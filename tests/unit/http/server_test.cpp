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

TEST(HttpServer, RefusesAPortInUse) {
  auto first = start({.on_request = [](ServerRequest, Responder reply) { reply.send({}); }});
  auto second = Server::start({.port = first->port()}, {.on_request = [](ServerRequest, Responder) {}});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::unavailable);
  EXPECT_NE(second.error().message.find(std::to_string(first->port())), std::string::npos);
}

}  // namespace
}  // namespace gust::http
