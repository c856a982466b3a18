#include "http/server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <fcntl.h>

#include <fmt/format.h>

#include <atomic>
#include <future>
#include <map>
#include <optional>
#include <thread>

namespace gust::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {
class Session;
}

namespace detail {
struct Exchange {
  std::weak_ptr<Session> session;
  std::atomic<bool> done{false};       // send() or begin_stream() happened
  std::atomic<bool> streaming{false};  // begin_stream() happened
  std::atomic<bool> ended{false};      // end_stream() or abort() of a stream happened
  std::atomic<bool> gone{false};
};
}  // namespace detail

struct IoThread::Impl {
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{ioc.get_executor()};
  std::thread thread;
};

IoThread::IoThread() : impl_(std::make_unique<Impl>()) {}

std::shared_ptr<IoThread> IoThread::start(std::chrono::microseconds spin) {
  std::shared_ptr<IoThread> io(new IoThread());
  Impl* raw = io->impl_.get();
  if (spin.count() <= 0) {
    raw->thread = std::thread([raw] { raw->ioc.run(); });
    return io;
  }
  raw->thread = std::thread([raw, spin] {
    using Clock = std::chrono::steady_clock;
    auto idle_since = Clock::now();
    while (!raw->ioc.stopped()) {
      if (raw->ioc.poll() > 0) {
        idle_since = Clock::now();
      } else if (Clock::now() - idle_since < spin) {
        std::this_thread::yield();  // a runnable thread on this CPU goes first
      } else {
        if (raw->ioc.run_one() == 0) break;  // sleeps in epoll until there is work; 0: stopped
        idle_since = Clock::now();
      }
    }
  });
  return io;
}

IoThread::~IoThread() {
  impl_->work.reset();
  impl_->ioc.stop();
  if (!impl_->thread.joinable()) return;
  if (impl_->thread.get_id() == std::this_thread::get_id()) {
    // Released from a completion on the thread itself (a server destroyed by
    // its own handler): it can neither join itself nor free the io_context it
    // is running, so both are left to the process's end.
    impl_->thread.detach();
    static_cast<void>(impl_.release());
    return;
  }
  impl_->thread.join();
}

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  ServerOptions options;
  ServerHandlers handlers;
  asio::io_context& ioc;  // of the Server's IoThread, which outlives this (see Server::io_)
  tcp::acceptor acceptor{ioc};
  std::map<std::uint64_t, std::weak_ptr<Session>> sessions;  // I/O thread only
  std::uint64_t next_id = 1;
  std::uint16_t port = 0;
  bool stopped = false;                     // I/O thread
  std::atomic<bool> stop_requested{false};  // stop() runs once

  explicit Impl(IoThread& io) : ioc(io.impl().ioc) {}
  void accept();
  void close_all();
  bool on_io_thread() const { return ioc.get_executor().running_in_this_thread(); }
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<Server::Impl> server, tcp::socket socket, std::uint64_t id)
      : owner_(std::move(server)), server_(*owner_), socket_(std::move(socket)), id_(id) {
    // Beast reads max(512, free capacity) at a time: with room for a typical
    // request, it arrives in one recv instead of two or three.
    buffer_.reserve(8 * 1024);
  }

  void start() { read_head(); }
  asio::any_io_executor executor() { return socket_.get_executor(); }

  void close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    if (exchange_) exchange_->gone = true;
    server_.sessions.erase(id_);
    if (server_.handlers.on_close) server_.handlers.on_close(id_);
  }

  void reply(ServerResponse response) {
    if (closed_ || !awaiting_reply_) return;
    awaiting_reply_ = false;
    exchange_.reset();
    if (head_request_) return reply_to_head(std::move(response));
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    fill_head(*res, response);
    res->body() = std::move(response.body);
    res->prepare_payload();
    auto self = shared_from_this();
    bhttp::async_write(socket_, *res, [self, res](beast::error_code ec, std::size_t) { self->after_reply(ec); });
  }

  // The head of a streamed reply goes out now; chunks follow as they are written.
  void begin_stream(int status, const Headers& headers) {
    if (closed_ || !awaiting_reply_) return;
    awaiting_reply_ = false;
    streaming_ = true;
    std::string head = fmt::format("HTTP/1.1 {} {}\r\n", status, reason_phrase(status));
    for (const auto& [name, value] : headers) {
      // Computed here, or a way to smuggle a second head: never copied.
      if (beast::iequals(name, "Content-Length") || beast::iequals(name, "Transfer-Encoding") || beast::iequals(name, "Connection")) continue;
      if (name.find_first_of("\r\n:") != std::string::npos || value.find_first_of("\r\n") != std::string::npos) continue;
      head += fmt::format("{}: {}\r\n", name, value);
    }
    head += keep_alive_ ? "Transfer-Encoding: chunked\r\n\r\n" : "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    queue(head);
  }

  void stream_chunk(std::string_view bytes) {
    if (closed_ || !streaming_ || bytes.empty()) return;
    queue(fmt::format("{:x}\r\n", bytes.size()));
    queue(bytes);
    queue("\r\n");
  }

  void end_stream() {
    if (closed_ || !streaming_) return;
    queue("0\r\n\r\n");
    stream_complete_ = true;
  }

 private:
  template <class Body>
  void fill_head(bhttp::response<Body>& res, const ServerResponse& response) {
    res.version(11);
    res.result(static_cast<unsigned>(response.status));
    res.reason(reason_phrase(response.status));
    for (const auto& [name, value] : response.headers) {
      if (beast::iequals(name, "Content-Length") || beast::iequals(name, "Transfer-Encoding")) continue;
      res.insert(name, value);
    }
    res.keep_alive(keep_alive_);
  }

  // HEAD: the head a GET would get, its Content-Length included, and no body.
  void reply_to_head(ServerResponse response) {
    auto res = std::make_shared<bhttp::response<bhttp::empty_body>>();
    fill_head(*res, response);
    const auto length = response.headers.get("Content-Length");
    res->set(bhttp::field::content_length, length ? std::string(*length) : std::to_string(response.body.size()));
    auto self = shared_from_this();
    bhttp::async_write(socket_, *res, [self, res](beast::error_code ec, std::size_t) { self->after_reply(ec); });
  }

  void after_reply(beast::error_code ec) {
    if (ec) return close();
    if (!keep_alive_) return linger();
    read_head();
  }

  // Stream output: appended while a write is in flight, sent together after it.
  void queue(std::string_view bytes) {
    pending_.append(bytes);
    if (!writing_) flush();
  }

  void flush() {
    if (pending_.empty()) {
      if (!stream_complete_) return;
      streaming_ = stream_complete_ = false;
      exchange_.reset();
      return after_reply({});
    }
    writing_ = true;
    in_flight_.swap(pending_);
    pending_.clear();
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(in_flight_), [self](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (ec) return self->close();
      self->flush();
    });
  }

  void reject_too_large() {
    keep_alive_ = false;
    awaiting_reply_ = true;
    reply({413, {}, "request body too large"});
  }

  // Closes after the peer has read the reply: a close with unread input
  // would reset the connection and lose the reply. Drains at most 1 MiB.
  void linger() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    drain_.resize(16 * 1024);
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(drain_), [self](beast::error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > 1024 * 1024) return self->close();
      self->linger();
    });
  }

  void read_head() {
    if (closed_) return;
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    parser_->header_limit(server_.options.header_limit);
    streamed_ = false;
    head_request_ = false;
    auto self = shared_from_this();
    bhttp::async_read_header(socket_, buffer_, *parser_, [self](beast::error_code ec, std::size_t) { self->on_head(ec); });
  }

  // A request that does not parse gets a 400 (431 for oversized headers), then the connection closes.
  void reject_malformed(beast::error_code ec) {
    keep_alive_ = false;
    awaiting_reply_ = true;
    if (ec == bhttp::error::header_limit) return reply({431, {}, "request header fields too large"});
    reply({400, {}, "malformed HTTP request: " + ec.message()});
  }

  static bool is_parse_error(beast::error_code ec) {
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() && ec != bhttp::error::end_of_stream &&
           ec != bhttp::error::partial_message && ec != bhttp::error::need_more;
  }

  void on_head(beast::error_code ec) {
    if (closed_) return;  // completed before a close (stop) that ran first: the handlers may be gone
    if (ec == bhttp::error::body_limit) return reject_too_large();
    if (is_parse_error(ec)) return reject_malformed(ec);
    if (ec) return close();
    const auto& h = parser_->get();
    request_ = ServerRequest{};
    request_.method = std::string(h.method_string());
    request_.target = std::string(h.target());
    for (const auto& f : h) request_.headers.add(f.name_string(), f.value());
    request_.connection_id = id_;
    if (server_.handlers.on_head && parser_->chunked()) {
      sink_ = server_.handlers.on_head(request_);
      if (sink_) {
        streamed_ = true;
        chunk_cb_ = [this](std::uint64_t, std::string_view body, beast::error_code&) {
          sink_(body);
          return body.size();
        };
        parser_->on_chunk_body(chunk_cb_);
      }
    }
    auto self = shared_from_this();
    if (beast::iequals(h[bhttp::field::expect], "100-continue") && !parser_->is_done()) {
      // The client waits for this before sending the body (botocore: a second per upload otherwise).
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()), [self](beast::error_code e, std::size_t) {
        if (e) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    auto self = shared_from_this();
    bhttp::async_read(socket_, buffer_, *parser_, [self](beast::error_code e, std::size_t) { self->on_body(e); });
  }

  void on_body(beast::error_code ec) {
    if (closed_) return;
    if (ec == bhttp::error::body_limit) return reject_too_large();
    if (ec) return close();
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    head_request_ = msg.method() == bhttp::verb::head;
    // Trailers arrive as fields after the head: take them in too.
    request_.headers = Headers{};
    for (const auto& f : msg) request_.headers.add(f.name_string(), f.value());
    if (!streamed_) request_.body = std::move(msg.body());
    sink_ = nullptr;
    awaiting_reply_ = true;
    exchange_ = std::make_shared<detail::Exchange>();
    exchange_->session = weak_from_this();
    server_.handlers.on_request(std::move(request_), Responder(exchange_));
    // Only a reply still to come (a long poll, a worker's) needs the watch:
    // one answered at once would pay an epoll_ctl and a completion for nothing.
    if (awaiting_reply_ && !closed_) watch_peer();
  }

  // While a reply is pending (a long poll), notice the peer hanging up.
  void watch_peer() {
    auto self = shared_from_this();
    socket_.async_wait(tcp::socket::wait_read, [self](beast::error_code ec) {
      if (ec || self->closed_ || !self->awaiting_reply_) return;
      char probe;
      ssize_t n = ::recv(self->socket_.native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) self->close();
      // n > 0: a pipelined request; it is read after the reply.
    });
  }

  std::shared_ptr<Server::Impl> owner_;  // kept alive while a completion may still run
  Server::Impl& server_;
  tcp::socket socket_;
  std::uint64_t id_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  ServerRequest request_;
  BodySink sink_;
  std::function<std::size_t(std::uint64_t, std::string_view, beast::error_code&)> chunk_cb_;
  std::shared_ptr<detail::Exchange> exchange_;
  bool streamed_ = false;   // the request body went to a sink
  bool head_request_ = false;
  bool streaming_ = false;   // a streamed reply is under way
  bool stream_complete_ = false;
  bool writing_ = false;
  std::string pending_;
  std::string in_flight_;
  std::vector<char> drain_;
  std::size_t drained_ = 0;
  bool keep_alive_ = true;
  bool awaiting_reply_ = false;
  bool closed_ = false;
};

}  // namespace

void Server::Impl::accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (ec || self->stopped) return;
    socket.set_option(tcp::no_delay(true), ec);
    ::fcntl(socket.native_handle(), F_SETFD, FD_CLOEXEC);
    const std::uint64_t id = self->next_id++;
    auto session = std::make_shared<Session>(self, std::move(socket), id);
    self->sessions.emplace(id, session);
    session->start();
    self->accept();
  });
}

void Server::Impl::close_all() {
  auto all = sessions;
  for (auto& [id, weak] : all) {
    if (auto s = weak.lock()) s->close();
  }
  sessions.clear();
}

void Responder::send(ServerResponse response) const {
  if (!exchange_ || exchange_->done.exchange(true)) return;
  auto session = exchange_->session.lock();
  if (!session) return;
  // On the I/O thread (a handler that answers at once) the reply starts now;
  // from another thread it hops there, the lambda keeping the session alive.
  asio::dispatch(session->executor(), [session, r = std::move(response)]() mutable { session->reply(std::move(r)); });
}

void Responder::begin_stream(int status, Headers headers) const {
  if (!exchange_ || exchange_->done.exchange(true)) return;
  exchange_->streaming = true;
  auto session = exchange_->session.lock();
  if (!session) return;
  asio::post(session->executor(), [session, status, h = std::move(headers)] { session->begin_stream(status, h); });
}

void Responder::write(std::string bytes) const {
  if (!exchange_ || !exchange_->streaming || exchange_->ended || bytes.empty()) return;
  auto session = exchange_->session.lock();
  if (!session) return;
  asio::post(session->executor(), [session, b = std::move(bytes)] { session->stream_chunk(b); });
}

void Responder::end_stream() const {
  if (!exchange_ || !exchange_->streaming || exchange_->ended.exchange(true)) return;
  auto session = exchange_->session.lock();
  if (!session) return;
  asio::post(session->executor(), [session] { session->end_stream(); });
}

void Responder::abort() const {
  if (!exchange_) return;
  if (exchange_->streaming ? exchange_->ended.exchange(true) : exchange_->done.exchange(true)) return;
  auto session = exchange_->session.lock();
  if (!session) return;
  asio::post(session->executor(), [session] { session->close(); });
}

bool Responder::peer_gone() const { return !exchange_ || exchange_->gone.load() || exchange_->session.expired(); }

Server::Server(std::shared_ptr<IoThread> io, std::shared_ptr<Impl> impl) : io_(std::move(io)), impl_(std::move(impl)) {}

Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::start(ServerOptions options, ServerHandlers handlers) {
  if (!handlers.on_request) return unexpected(ErrorCode::invalid_argument, "a server needs an on_request handler");
  auto io = options.io ? options.io : IoThread::start(options.spin);
  auto impl = std::make_shared<Impl>(*io);
  beast::error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (ec) return unexpected(ErrorCode::invalid_argument, "not an IP address: " + options.host, "server host");
  tcp::endpoint at(address, options.port);
  impl->acceptor.open(at.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(at, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return unexpected(ErrorCode::unavailable, "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + ec.message(),
                      "server");
  }
  // Children the local cloud spawns (runtimes) must not inherit the listener:
  // it would keep accepting connections for them after we stop.
  ::fcntl(impl->acceptor.native_handle(), F_SETFD, FD_CLOEXEC);
  impl->port = impl->acceptor.local_endpoint().port();
  impl->options = std::move(options);
  impl->options.io.reset();  // held once, by the Server
  impl->handlers = std::move(handlers);
  asio::post(impl->ioc, [impl] { impl->accept(); });
  return std::unique_ptr<Server>(new Server(std::move(io), std::move(impl)));
}

std::uint16_t Server::port() const { return impl_->port; }
const std::string& Server::host() const { return impl_->options.host; }
std::string Server::endpoint() const {
  return impl_->options.host.find(':') != std::string::npos ? "[" + impl_->options.host + "]:" + std::to_string(impl_->port)
                                                              : impl_->options.host + ":" + std::to_string(impl_->port);
}

namespace {
// Runs `work` on the server's I/O thread and waits for it (inline when already there).
template <class Work>
void on_io_thread_and_wait(Server::Impl& impl, Work work) {
  if (impl.on_io_thread()) return work();
  std::promise<void> done;
  asio::post(impl.ioc, [&] {
    work();
    done.set_value();
  });
  done.get_future().wait();
}
}  // namespace

void Server::reset_connections() {
  if (!impl_ || impl_->stopped) return;
  on_io_thread_and_wait(*impl_, [impl = impl_.get()] { impl->close_all(); });
}

void Server::stop() {
  if (!impl_ || impl_->stop_requested.exchange(true)) return;
  on_io_thread_and_wait(*impl_, [impl = impl_.get()] {
    impl->stopped = true;
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    impl->close_all();
  });
  // A thread of its own ends with ~Server (impl_ goes first, then io_); a
  // shared one carries on for the other servers. Completions still queued
  // find the Impl alive: the sessions share it.
}

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: {
      auto s = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
      return {s.data(), s.size()};
    }
  }
}

}  // namespace gust::http
