#pragma once
// Serves a local AWS Service (LocalAws, or any one service) over HTTP/1.1 on
// loopback, so real clients (the AWS CLI, SDKs, gust's own clients) reach it.
//
//   auto server = ServiceHttpServer::start(local_aws, {.port = 4566}).value();
//   // AWS_ENDPOINT_URL=http://127.0.0.1:4566 aws dynamodb list-tables
//
// The HTTP side (keep-alive, `Expect: 100-continue` for botocore's uploads,
// HEAD replies with the object's Content-Length) is gust::http::Server; this
// adds the worker pool and the AWS Date header.
//
// Requests are read on an I/O thread and handled on a small worker pool, so
// a slow request (a 10 MB object) does not hold up the others; a service may
// answer later from any thread (SQS long polls).

#include "devcloud/services/service.hpp"

#include <gust/result.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace gust::localaws {

struct HttpServeOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                            // 0: any free port
  std::uint64_t body_limit = 512ULL * 1024 * 1024;    // bigger bodies get 413
  int workers = 4;                                   // threads running the service
  // Requests for which this returns true run on the I/O thread itself: no
  // hop to a worker and back, which is most of a small request's latency on
  // a busy machine. Give it the quick ones (DynamoDB, SQS, SNS); keep S3's
  // large bodies on the workers. Unset: every request goes to a worker.
  std::function<bool(const ServiceRequest&)> run_inline;
  // How long the I/O thread stays awake after a request (see
  // http::ServerOptions::spin): long enough for a client's next request
  // (reading the reply and signing the next takes a client 20-60 us), so a
  // run of calls from one function or SDK finds the thread awake.
  std::chrono::microseconds spin{100};
};

class ServiceHttpServer {
 public:
  static Result<std::unique_ptr<ServiceHttpServer>> start(Service& service, HttpServeOptions options = {});
  ~ServiceHttpServer();  // stops
  ServiceHttpServer(const ServiceHttpServer&) = delete;
  ServiceHttpServer& operator=(const ServiceHttpServer&) = delete;

  std::uint16_t port() const;
  // "http://127.0.0.1:4566"
  std::string url() const;
  // Stops accepting, closes connections, joins every thread.
  void stop();

  struct Impl;

 private:
  explicit ServiceHttpServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;  // shared with connections and pending replies
};

}  // namespace gust::localaws
