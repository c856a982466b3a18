#pragma once
// gust::http::Server: a small HTTP/1.1 server on Boost.Beast for the local
// cloud (Runtime API, gateway). Keep-alive connections, replies that may come
// later from any thread (long polls), and request bodies that can be taken
// piece by piece as they arrive (chunked uploads, streamed responses).
//
//   auto server = http::Server::start({.port = 0}, {.on_request = [](http::ServerRequest req, http::Responder reply) {
//     reply.send({200, {}, "hello"});
//   }});
//   // ... (*server)->port()
//
// Handlers run on the server's I/O thread and must not block; hand slow work
// to another thread and call Responder::send from there.

#include <gust/headers.hpp>
#include <gust/result.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace gust::http {

struct ServerRequest {
  std::string method;  // "GET"
  std::string target;  // "/path?query", as sent
  Headers headers;     // after the body is read, trailers are here too
  std::string body;    // empty when the body went to a BodySink
  std::uint64_t connection_id = 0;  // the same for requests on one connection
};

struct ServerResponse {
  int status = 200;
  Headers headers;
  std::string body;
};

namespace detail {
struct Exchange;
}

// Completes one request. Copyable; thread-safe; only the first send counts.
// A reply to a connection that has closed is dropped.
class Responder {
 public:
  Responder() = default;
  explicit Responder(std::shared_ptr<detail::Exchange> exchange) : exchange_(std::move(exchange)) {}
  void send(ServerResponse response) const;
  // Drops the connection instead of answering (tests: a server that resets).
  void abort() const;
  // The peer closed the connection before the reply (best effort: seen when the server next reads).
  bool peer_gone() const;

 private:
  std::shared_ptr<detail::Exchange> exchange_;
};

// Receives one request's chunked body as it arrives.
using BodySink = std::function<void(std::string_view bytes)>;

struct ServerHandlers {
  // Optional: called when a request's head has arrived. Return a sink to take
  // a chunked body piece by piece (request.body stays empty), or {} for whole.
  std::function<BodySink(const ServerRequest& head)> on_head;
  // Called with the complete request.
  std::function<void(ServerRequest request, Responder reply)> on_request;
  // Optional: a connection closed (the id of ServerRequest::connection_id).
  std::function<void(std::uint64_t connection_id)> on_close;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                     // 0: any free port
  std::uint64_t body_limit = 64 * 1024 * 1024;  // bigger bodies get 413
};

class Server {
 public:
  // Binds and starts serving on a thread of its own.
  static Result<std::unique_ptr<Server>> start(ServerOptions options, ServerHandlers handlers);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  const std::string& host() const;
  // "host:port"
  std::string endpoint() const;
  // Stops accepting, closes every connection and joins the I/O thread.
  void stop();
  // Closes every open connection now but keeps listening (tests: an API that resets).
  void reset_connections();

  struct Impl;  // opaque: Beast stays in server.cpp

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The reason phrase of a status code ("Not Found").
std::string_view reason_phrase(int status) noexcept;

}  // namespace gust::http
