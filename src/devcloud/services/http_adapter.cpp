#include "devcloud/services/http_adapter.hpp"

#include "devcloud/services/aws_common.hpp"
#include "http/server.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdio>

namespace gust::localaws {

namespace asio = boost::asio;

struct ServiceHttpServer::Impl {
  Service* service = nullptr;
  HttpServeOptions options;
  std::unique_ptr<asio::thread_pool> workers;
  std::unique_ptr<http::Server> server;
  bool stopped = false;

  // Runs the service; its reply (now or later, from any thread) goes back through the responder.
  void run(ServiceRequest req, http::Responder reply) {
    auto send = [reply](ServiceResponse res) {
      if (!res.headers.contains("Date")) res.headers.set("Date", http_date(now_ms()));
      reply.send({res.status, std::move(res.headers), std::move(res.body)});
    };
    try {
      service->handle(std::move(req), send);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "local aws: a service threw: %s\n", e.what());
      send(ServiceResponse{.status = 500});
    }
  }

  void on_request(http::ServerRequest in, http::Responder reply) {
    ServiceRequest req;
    req.method = std::move(in.method);
    const auto q = in.target.find('?');
    req.path = in.target.substr(0, q);
    if (q != std::string::npos) req.query = in.target.substr(q + 1);
    req.headers = std::move(in.headers);
    req.body = std::move(in.body);
    if (options.run_inline && options.run_inline(req)) return run(std::move(req), std::move(reply));
    asio::post(*workers, [this, req = std::move(req), reply = std::move(reply)]() mutable { run(std::move(req), std::move(reply)); });
  }
};

Result<std::unique_ptr<ServiceHttpServer>> ServiceHttpServer::start(Service& service, HttpServeOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->service = &service;
  impl->options = options;
  impl->workers = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(std::max(1, options.workers)));
  Impl* raw = impl.get();
  auto server = http::Server::start(
      {.host = options.host, .port = options.port, .body_limit = options.body_limit, .header_limit = 64 * 1024, .spin = options.spin},
      {.on_request = [raw](http::ServerRequest req, http::Responder reply) { raw->on_request(std::move(req), std::move(reply)); }});
  if (!server) {
    impl->workers->join();
    return Unexpected{std::move(server).error()};
  }
  impl->server = std::move(*server);
  return std::unique_ptr<ServiceHttpServer>(new ServiceHttpServer(std::move(impl)));
}

ServiceHttpServer::ServiceHttpServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

ServiceHttpServer::~ServiceHttpServer() { stop(); }

std::uint16_t ServiceHttpServer::port() const { return impl_->server->port(); }

std::string ServiceHttpServer::url() const { return "http://" + impl_->server->endpoint(); }

void ServiceHttpServer::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  impl_->server->stop();  // no new requests; open connections close
  impl_->workers->join();  // requests under way finish (their replies are dropped)
}

}  // namespace gust::localaws
