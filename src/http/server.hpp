#pragma once
// gust::http::Server: a small HTTP/1.1 server on Boost.Beast for the local
// cloud (Runtime API, gateway). Keep-alive connections, replies that may come
// later from any thread (long polls), request bodies that can be taken piece
// by piece as they arrive (chunked uploads), replies streamed to the client
// as they are produced (chunked transfer encoding), `Expect: 100-continue`
// and HEAD replies that carry a GET's Content-Length.
//
//   auto server = http::Server::start({.port = 0}, {.on_request = [](http::ServerRequest req, http::Responder reply) {
//     reply.send({200, {}, "hello"});
//   }});
//   // ... (*server)->port()
//
// Handlers run on the server's I/O thread and must not block; hand slow work
// to another thread and call Responder::send from there.
//
// A streamed reply:
//   reply.begin_stream(200, headers);   // the head goes out now
//   reply.write("part 1"); reply.write("part 2");
//   reply.end_stream();                 // or reply.abort(): the client sees a cut-short body

#include <gust/headers.hpp>
#include <gust/result.hpp>

#include <chrono>
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
  Headers headers;  // Content-Length is computed; a HEAD reply may set it (the GET's length) with an empty body
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
  // Streams the reply instead of send(): the head now (Transfer-Encoding:
  // chunked), then each write() as one chunk as soon as the connection takes
  // it, then end_stream(). Only the first of send/begin_stream counts.
  void begin_stream(int status, Headers headers) const;
  void write(std::string bytes) const;
  void end_stream() const;
  // Drops the connection instead of answering (tests: a server that resets);
  // during a stream, cuts it short so the client sees an incomplete body.
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

// One I/O thread that several servers share. gust dev runs its gateway and
// every instance's Runtime API on one: a request handed from one server to
// another then costs no thread switch (under load, most of the gateway's time
// went to context switches when each server had a thread of its own).
class IoThread {
 public:
  // `spin`: after the last handler, keep polling this long before sleeping
  // (see ServerOptions::spin); zero: sleep at once.
  static std::shared_ptr<IoThread> start(std::chrono::microseconds spin = {});
  ~IoThread();  // once every server using it has stopped: ends and joins the thread
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  struct Impl;  // opaque: Asio stays in server.cpp
  Impl& impl() { return *impl_; }

 private:
  IoThread();
  std::unique_ptr<Impl> impl_;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                     // 0: any free port
  std::uint64_t body_limit = 64 * 1024 * 1024;  // bigger bodies get 413
  std::uint32_t header_limit = 8 * 1024;        // bigger request heads get 431
  std::shared_ptr<IoThread> io;                 // empty: a thread of its own
  // A thread of its own only: once idle, poll for this long before sleeping
  // in epoll. A client that sends its next request within the window finds
  // the thread awake: on a VM an idle CPU's wake-up costs 25-30 us, more than
  // a small request's work. Costs CPU only right after requests.
  std::chrono::microseconds spin{};
};

class Server {
 public:
  // Binds and starts serving on a thread of its own, or on options.io.
  static Result<std::unique_ptr<Server>> start(ServerOptions options, ServerHandlers handlers);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  const std::string& host() const;
  // "host:port"
  std::string endpoint() const;
  // Stops accepting and closes every connection (joins the I/O thread when it is its own).
  void stop();
  // Closes every open connection now but keeps listening (tests: an API that resets).
  void reset_connections();

  struct Impl;  // opaque: Beast stays in server.cpp

 private:
  Server(std::shared_ptr<IoThread> io, std::shared_ptr<Impl> impl);
  std::shared_ptr<IoThread> io_;  // declared first: destroyed after impl_
  std::shared_ptr<Impl> impl_;    // shared with its connections: a late completion finds it alive
};

// The reason phrase of a status code ("Not Found").
std::string_view reason_phrase(int status) noexcept;

}  // namespace gust::http
