#include "http/server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <fcntl.h>

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
  std::atomic<bool> done{false};
  std::atomic<bool> gone{false};
};
}  // namespace detail

struct Server::Impl {
  ServerOptions options;
  ServerHandlers handlers;
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread thread;
  std::map<std::uint64_t, std::weak_ptr<Session>> sessions;  // I/O thread only
  std::uint64_t next_id = 1;
  std::uint16_t port = 0;
  bool stopped = false;

  void accept();
  void close_all();
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server::Impl& server, tcp::socket socket, std::uint64_t id) : server_(server), socket_(std::move(socket)), id_(id) {}

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
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(response.status));
    res->reason(reason_phrase(response.status));
    for (const auto& [name, value] : response.headers) res->insert(name, value);
    res->body() = std::move(response.body);
    res->keep_alive(keep_alive_);
    res->prepare_payload();
    auto self = shared_from_this();
    bhttp::async_write(socket_, *res, [self, res](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      if (!self->keep_alive_) return self->linger();
      self->read_head();
    });
  }

 private:
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
    streamed_ = false;
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
    bhttp::async_read(socket_, buffer_, *parser_, [self](beast::error_code e, std::size_t) { self->on_body(e); });
  }

  void on_body(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return reject_too_large();
    if (ec) return close();
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    // Trailers arrive as fields after the head: take them in too.
    request_.headers = Headers{};
    for (const auto& f : msg) request_.headers.add(f.name_string(), f.value());
    if (!streamed_) request_.body = std::move(msg.body());
    sink_ = nullptr;
    awaiting_reply_ = true;
    exchange_ = std::make_shared<detail::Exchange>();
    exchange_->session = weak_from_this();
    watch_peer();
    server_.handlers.on_request(std::move(request_), Responder(exchange_));
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

  Server::Impl& server_;
  tcp::socket socket_;
  std::uint64_t id_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  ServerRequest request_;
  BodySink sink_;
  std::function<std::size_t(std::uint64_t, std::string_view, beast::error_code&)> chunk_cb_;
  std::shared_ptr<detail::Exchange> exchange_;
  bool streamed_ = false;
  std::vector<char> drain_;
  std::size_t drained_ = 0;
  bool keep_alive_ = true;
  bool awaiting_reply_ = false;
  bool closed_ = false;
};

}  // namespace

void Server::Impl::accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec || stopped) return;
    socket.set_option(tcp::no_delay(true), ec);
    ::fcntl(socket.native_handle(), F_SETFD, FD_CLOEXEC);
    auto session = std::make_shared<Session>(*this, std::move(socket), next_id++);
    sessions.emplace(next_id - 1, session);
    session->start();
    accept();
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
  // Hop onto the I/O thread; the lambda keeps the session alive until then.
  asio::post(session->executor(), [session, r = std::move(response)]() mutable { session->reply(std::move(r)); });
}

void Responder::abort() const {
  if (!exchange_ || exchange_->done.exchange(true)) return;
  auto session = exchange_->session.lock();
  if (!session) return;
  asio::post(session->executor(), [session] { session->close(); });
}

bool Responder::peer_gone() const { return !exchange_ || exchange_->gone.load() || exchange_->session.expired(); }

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::start(ServerOptions options, ServerHandlers handlers) {
  if (!handlers.on_request) return unexpected(ErrorCode::invalid_argument, "a server needs an on_request handler");
  auto impl = std::make_unique<Impl>();
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
  impl->handlers = std::move(handlers);
  impl->work.emplace(impl->ioc.get_executor());
  impl->accept();
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->ioc.run(); });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::port() const { return impl_->port; }
const std::string& Server::host() const { return impl_->options.host; }
std::string Server::endpoint() const {
  return impl_->options.host.find(':') != std::string::npos ? "[" + impl_->options.host + "]:" + std::to_string(impl_->port)
                                                              : impl_->options.host + ":" + std::to_string(impl_->port);
}

void Server::reset_connections() {
  if (!impl_ || impl_->stopped) return;
  std::promise<void> done;
  asio::post(impl_->ioc, [this, &done] {
    impl_->close_all();
    done.set_value();
  });
  done.get_future().wait();
}

void Server::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  asio::post(impl_->ioc, [impl = impl_.get()] {
    impl->stopped = true;
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    impl->close_all();
    impl->work.reset();
  });
  impl_->thread.join();
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
