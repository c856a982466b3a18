#pragma once
// A lean HTTP/1.1 client for the Lambda Runtime API: one persistent
// keep-alive socket, buffers kept across invocations, no DNS.
//
// Why hand-written rather than Boost.Beast or libcurl: the runtime is the
// per-invocation cost users pay for. The Runtime API speaks a fixed, tiny
// subset of HTTP/1.1 (GET /next, POST with Content-Length or chunked), so a
// blocking socket with writev/recv into reused buffers is all it needs.
// bench/runtime (taskset -c 0, same harness, bench/runtime/README.md): this
// loop echoing raw events costs the runtime 18 us CPU per 1 KB invocation and
// 45 us per 100 KB one, against 17-21 us and 63-68 us for a raw C loop; the
// static hello zips to 0.91 MB because no Asio or TLS is linked.

#include "runtime/endpoint.hpp"

#include <gust/result.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gust::runtime {

// A growable byte buffer that does not zero what it grows into.
class ByteBuffer {
 public:
  ByteBuffer() = default;
  ~ByteBuffer();
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;

  char* data() { return data_; }
  const char* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  void reserve(std::size_t n);
  void resize(std::size_t n) { reserve(n); size_ = n; }
  void clear() { size_ = 0; }
  void append(std::string_view s);
  // Drops the first n bytes.
  void consume(std::size_t n);
  std::string_view view() const { return {data_, size_}; }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

// One response; its views stay valid until the client's next call.
struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view body;

  // The value of the first header called `name` (case-insensitive), or "".
  std::string_view header(std::string_view name) const;
};

using HeaderList = std::vector<std::pair<std::string_view, std::string_view>>;

class RuntimeApiClient {
 public:
  explicit RuntimeApiClient(Endpoint endpoint);
  ~RuntimeApiClient();
  RuntimeApiClient(const RuntimeApiClient&) = delete;
  RuntimeApiClient& operator=(const RuntimeApiClient&) = delete;

  // One exchange. Transport failures (refused, reset, closed) are
  // ErrorCode::unavailable and leave the client disconnected; the next call
  // reconnects.
  Result<const HttpResponse*> get(std::string_view path);
  Result<const HttpResponse*> post(std::string_view path, const HeaderList& headers, std::string_view body);

  // A chunked POST: begin, any number of chunks, then end with trailers.
  Result<void> begin_chunked(std::string_view path, const HeaderList& headers);
  // False when the connection broke; later chunks are dropped.
  bool write_chunk(std::string_view bytes);
  Result<const HttpResponse*> end_chunked(const HeaderList& trailers);

  void disconnect();
  bool connected() const { return fd_ >= 0; }

 private:
  Result<void> connect();
  Result<void> send_iov(struct iovec* iov, int count);
  void send_head(std::string_view method, std::string_view path, const HeaderList& headers, std::string_view framing);
  Result<const HttpResponse*> read_response();
  Result<void> fill();  // reads more bytes into in_
  Result<void> read_chunked_body();

  Endpoint endpoint_;
  int fd_ = -1;
  bool stream_broken_ = false;
  std::string out_;    // request head being written
  ByteBuffer in_;      // bytes read but not consumed (head, then pipelined leftovers)
  ByteBuffer body_;    // the response body
  std::string head_;   // the response head the header views point into
  HttpResponse response_;
};

}  // namespace gust::runtime
