#include "devcloud/services/http_adapter.hpp"

#include "devcloud/services/aws_common.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <fcntl.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace gust::localaws {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {
class Session;
}

struct ServiceHttpServer::Impl : std::enable_shared_from_this<ServiceHttpServer::Impl> {
  Service* service = nullptr;
  HttpServeOptions options;
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  std::unique_ptr<asio::thread_pool> workers;
  std::thread io_thread;
  std::uint16_t port = 0;
  std::atomic<bool> stopped{false};
  std::mutex sessions_mu;
  std::set<std::weak_ptr<Session>, std::owner_less<std::weak_ptr<Session>>> sessions;

  void accept();
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<ServiceHttpServer::Impl> server, tcp::socket socket) : server_(std::move(server)), socket_(std::move(socket)) {}

  void start() { read_head(); }

  void close() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
      self->socket_.close(ignored);
    });
  }

 private:
  void read_head() {
    parser_.emplace();
    parser_->body_limit(server_->options.body_limit);
    parser_->header_limit(64 * 1024);
    bhttp::async_read_header(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_head(ec); });
  }

  void on_head(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
      return shutdown();
    }
    if (ec) return fail(ec == bhttp::error::header_limit ? 431 : 400);
    const auto& h = parser_->get();
    if (beast::iequals(h[bhttp::field::expect], "100-continue")) {
      // Let the client send the body now rather than after its own timeout.
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      bhttp::async_write(socket_, *cont, [self = shared_from_this(), cont](beast::error_code e, std::size_t) {
        if (e) return self->shutdown();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    bhttp::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return fail(413);
    if (ec) return ec == bhttp::error::end_of_stream ? shutdown() : fail(400);
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    head_ = msg.method() == bhttp::verb::head;
    ServiceRequest req;
    req.method = std::string(msg.method_string());
    const std::string_view target = msg.target();
    const auto q = target.find('?');
    req.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
    for (const auto& f : msg) req.headers.add(f.name_string(), f.value());
    req.body = std::move(msg.body());
    auto server = server_;
    auto self = shared_from_this();
    if (server->options.run_inline && server->options.run_inline(req)) {
      run(server, self, std::move(req));
      return;
    }
    asio::post(*server->workers, [server, self, req = std::move(req)]() mutable { run(server, self, std::move(req)); });
  }

  // Runs the service; its reply (now or later, from any thread) is written on the connection's strand.
  static void run(const std::shared_ptr<ServiceHttpServer::Impl>& server, const std::shared_ptr<Session>& self, ServiceRequest req) {
    try {
      server->service->handle(std::move(req), [self](ServiceResponse res) {
        asio::post(self->socket_.get_executor(), [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
      });
    } catch (const std::exception& e) {
      std::fprintf(stderr, "local aws: a service threw: %s\n", e.what());
      ServiceResponse res;
      res.status = 500;
      asio::post(self->socket_.get_executor(), [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
    }
  }

  template <class Body>
  void fill(bhttp::response<Body>& res, const ServiceResponse& r) {
    res.version(11);
    res.result(static_cast<unsigned>(r.status));
    for (const auto& [name, value] : r.headers) {
      if (beast::iequals(name, "Content-Length")) continue;
      res.insert(name, value);
    }
    if (!r.headers.contains("Date")) res.set(bhttp::field::date, http_date(now_ms()));
    res.keep_alive(keep_alive_);
  }

  void write(ServiceResponse r) {
    if (head_) {
      // HEAD: the headers a GET would send, Content-Length included, no body.
      auto res = std::make_shared<bhttp::response<bhttp::empty_body>>();
      fill(*res, r);
      const auto length = r.headers.get("Content-Length");
      res->set(bhttp::field::content_length, length ? std::string(*length) : std::to_string(r.body.size()));
      bhttp::async_write(socket_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) { self->after_write(ec); });
      return;
    }
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    fill(*res, r);
    res->body() = std::move(r.body);
    res->prepare_payload();
    bhttp::async_write(socket_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) { self->after_write(ec); });
  }

  void after_write(beast::error_code ec) {
    if (ec || !keep_alive_ || server_->stopped) return shutdown();
    read_head();
  }

  // A request that cannot be read gets one plain answer, then the connection closes.
  void fail(int status) {
    keep_alive_ = false;
    head_ = false;
    ServiceResponse r;
    r.status = status;
    r.headers.set("Content-Type", "text/plain");
    r.body = status == 413 ? "request body too large\n" : status == 431 ? "request header fields too large\n" : "malformed HTTP request\n";
    write(std::move(r));
  }

  void shutdown() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    socket_.close(ignored);
  }

  std::shared_ptr<ServiceHttpServer::Impl> server_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool keep_alive_ = true;
  bool head_ = false;
};

}  // namespace

void ServiceHttpServer::Impl::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (self->stopped) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      // Function processes the local cloud starts must not inherit client connections.
      ::fcntl(socket.native_handle(), F_SETFD, FD_CLOEXEC);
      auto session = std::make_shared<Session>(self, std::move(socket));
      {
        std::lock_guard lock(self->sessions_mu);
        for (auto it = self->sessions.begin(); it != self->sessions.end();) it = it->expired() ? self->sessions.erase(it) : std::next(it);
        self->sessions.insert(session);
      }
      session->start();
    }
    self->accept();
  });
}

Result<std::unique_ptr<ServiceHttpServer>> ServiceHttpServer::start(Service& service, HttpServeOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->service = &service;
  impl->options = options;
  beast::error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (ec) return unexpected(ErrorCode::invalid_argument, "not an IP address: " + options.host, "local aws server host");
  tcp::endpoint at(address, options.port);
  impl->acceptor.open(at.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(at, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return unexpected(ErrorCode::unavailable, "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + ec.message(),
                      "local aws server");
  }
  ::fcntl(impl->acceptor.native_handle(), F_SETFD, FD_CLOEXEC);
  impl->port = impl->acceptor.local_endpoint().port();
  impl->workers = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(std::max(1, options.workers)));
  impl->accept();
  impl->io_thread = std::thread([raw = impl.get()] { raw->ioc.run(); });
  return std::unique_ptr<ServiceHttpServer>(new ServiceHttpServer(std::move(impl)));
}

ServiceHttpServer::ServiceHttpServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

ServiceHttpServer::~ServiceHttpServer() { stop(); }

std::uint16_t ServiceHttpServer::port() const { return impl_->port; }

std::string ServiceHttpServer::url() const { return "http://" + impl_->options.host + ":" + std::to_string(impl_->port); }

void ServiceHttpServer::stop() {
  if (!impl_ || impl_->stopped.exchange(true)) return;
  asio::post(impl_->ioc, [impl = impl_] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  {
    std::lock_guard lock(impl_->sessions_mu);
    for (auto& weak : impl_->sessions) {
      if (auto s = weak.lock()) s->close();
    }
    impl_->sessions.clear();
  }
  impl_->workers->join();
  impl_->ioc.stop();
  if (impl_->io_thread.joinable()) impl_->io_thread.join();
}

}  // namespace gust::localaws
