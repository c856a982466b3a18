#include "runtime/runtime_api_client.hpp"

#include <gust/headers.hpp>

#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <new>

namespace gust::runtime {
namespace {

constexpr std::size_t kMaxHead = 64 * 1024;
constexpr std::size_t kReadChunk = 64 * 1024;

Unexpected transport(std::string_view what, int err) {
  return unexpected(ErrorCode::unavailable, std::string(what) + ": " + std::strerror(err), "Runtime API");
}

Unexpected protocol(std::string_view what) {
  return unexpected(ErrorCode::unavailable, "malformed HTTP response from the Runtime API: " + std::string(what), "Runtime API");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

ByteBuffer::~ByteBuffer() { std::free(data_); }

void ByteBuffer::reserve(std::size_t n) {
  if (n <= capacity_) return;
  std::size_t grown = capacity_ < 4096 ? 4096 : capacity_ * 2;
  if (grown < n) grown = n;
  auto* p = static_cast<char*>(std::realloc(data_, grown));
  if (p == nullptr) throw std::bad_alloc();
  data_ = p;
  capacity_ = grown;
}

void ByteBuffer::append(std::string_view s) {
  reserve(size_ + s.size());
  if (!s.empty()) std::memcpy(data_ + size_, s.data(), s.size());
  size_ += s.size();
}

void ByteBuffer::consume(std::size_t n) {
  if (n >= size_) {
    size_ = 0;
    return;
  }
  std::memmove(data_, data_ + n, size_ - n);
  size_ -= n;
}

std::string_view HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return {};
}

RuntimeApiClient::RuntimeApiClient(Endpoint endpoint) : endpoint_(std::move(endpoint)) {
  out_.reserve(1024);
  in_.reserve(kReadChunk);
  response_.headers.reserve(16);
}

RuntimeApiClient::~RuntimeApiClient() { disconnect(); }

void RuntimeApiClient::disconnect() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  in_.clear();
}

Result<void> RuntimeApiClient::connect() {
  if (fd_ >= 0) return {};
  int fd = ::socket(endpoint_.address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return transport("socket", errno);
  // Requests are written whole with one writev; Nagle would only add latency.
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  int rc;
  do {
    rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&endpoint_.address), endpoint_.address_size);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    int err = errno;
    ::close(fd);
    return transport("connect to " + endpoint_.host, err);
  }
  fd_ = fd;
  in_.clear();
  return {};
}

Result<void> RuntimeApiClient::send_iov(iovec* iov, int count) {
  while (count > 0) {
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = static_cast<std::size_t>(count);
    ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      disconnect();
      return transport("send", err);
    }
    auto left = static_cast<std::size_t>(n);
    while (count > 0 && left >= iov->iov_len) {
      left -= iov->iov_len;
      ++iov;
      --count;
    }
    if (count > 0) {
      iov->iov_base = static_cast<char*>(iov->iov_base) + left;
      iov->iov_len -= left;
    }
  }
  return {};
}

void RuntimeApiClient::send_head(std::string_view method, std::string_view path, const HeaderList& headers,
                                         std::string_view framing) {
  out_.clear();
  out_.append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: ").append(endpoint_.host).append("\r\n");
  for (const auto& [k, v] : headers) out_.append(k).append(": ").append(v).append("\r\n");
  out_.append(framing);
  out_.append("\r\n");
}

Result<void> RuntimeApiClient::fill() {
  if (in_.capacity() - in_.size() < 4096) in_.reserve(in_.size() + kReadChunk);
  for (;;) {
    ssize_t n = ::recv(fd_, in_.data() + in_.size(), in_.capacity() - in_.size(), 0);
    if (n > 0) {
      in_.resize(in_.size() + static_cast<std::size_t>(n));
      return {};
    }
    if (n == 0) {
      disconnect();
      return unexpected(ErrorCode::unavailable, "the Runtime API closed the connection", "Runtime API");
    }
    if (errno == EINTR) continue;
    int err = errno;
    disconnect();
    return transport("recv", err);
  }
}

Result<void> RuntimeApiClient::read_chunked_body() {
  for (;;) {
    std::size_t eol;
    while ((eol = in_.view().find("\r\n")) == std::string_view::npos) {
      if (in_.size() > kMaxHead) return protocol("chunk size line too long");
      if (auto r = fill(); !r) return r;
    }
    std::string_view line = in_.view().substr(0, eol);
    if (auto semi = line.find(';'); semi != std::string_view::npos) line = line.substr(0, semi);
    line = trim(line);
    std::size_t size = 0;
    auto [p, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
    if (ec != std::errc() || p != line.data() + line.size()) return protocol("bad chunk size");
    in_.consume(eol + 2);
    if (size == 0) {
      // Trailers (ignored) up to the empty line.
      for (;;) {
        while ((eol = in_.view().find("\r\n")) == std::string_view::npos) {
          if (in_.size() > kMaxHead) return protocol("trailers too long");
          if (auto r = fill(); !r) return r;
        }
        in_.consume(eol + 2);
        if (eol == 0) return {};
      }
    }
    while (in_.size() < size + 2) {
      if (auto r = fill(); !r) return r;
    }
    body_.append(in_.view().substr(0, size));
    in_.consume(size + 2);
  }
}

Result<const HttpResponse*> RuntimeApiClient::read_response() {
  std::size_t end;
  std::size_t searched = 0;
  while ((end = in_.view().find("\r\n\r\n", searched)) == std::string_view::npos) {
    if (in_.size() > kMaxHead) return protocol("header section over 64 KiB");
    searched = in_.size() > 3 ? in_.size() - 3 : 0;
    if (auto r = fill(); !r) return Unexpected{std::move(r).error()};
  }
  head_.assign(in_.data(), end + 2);
  in_.consume(end + 4);

  response_.headers.clear();
  response_.body = {};
  std::string_view head = head_;
  std::size_t eol = head.find("\r\n");
  std::string_view status_line = head.substr(0, eol);
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12) return protocol("bad status line");
  int status = 0;
  auto [p, ec] = std::from_chars(status_line.data() + 9, status_line.data() + 12, status);
  if (ec != std::errc() || p != status_line.data() + 12) return protocol("bad status code");
  response_.status = status;

  bool chunked = false, close = status_line.starts_with("HTTP/1.0"), have_length = false;
  std::size_t length = 0;
  std::size_t pos = eol + 2;
  while (pos < head.size()) {
    std::size_t next = head.find("\r\n", pos);
    if (next == std::string_view::npos) next = head.size();
    std::string_view line = head.substr(pos, next - pos);
    pos = next + 2;
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return protocol("bad header line");
    std::string_view name = line.substr(0, colon);
    std::string_view value = trim(line.substr(colon + 1));
    response_.headers.emplace_back(name, value);
    if (iequals(name, "content-length")) {
      auto [q, e] = std::from_chars(value.data(), value.data() + value.size(), length);
      if (e != std::errc() || q != value.data() + value.size()) return protocol("bad Content-Length");
      have_length = true;
    } else if (iequals(name, "transfer-encoding")) {
      chunked = value.find("chunked") != std::string_view::npos;
    } else if (iequals(name, "connection")) {
      if (iequals(value, "close")) close = true;
      if (iequals(value, "keep-alive")) close = false;
    }
  }

  body_.clear();
  if (chunked) {
    if (auto r = read_chunked_body(); !r) return Unexpected{std::move(r).error()};
  } else if (have_length) {
    body_.resize(length);
    std::size_t have = in_.size() < length ? in_.size() : length;
    if (have > 0) std::memcpy(body_.data(), in_.data(), have);
    in_.consume(have);
    // Large bodies go straight from the socket into the body buffer.
    while (have < length) {
      ssize_t n = ::recv(fd_, body_.data() + have, length - have, 0);
      if (n > 0) {
        have += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      int err = n == 0 ? ECONNRESET : errno;
      disconnect();
      return transport("recv body", err);
    }
  } else if (status >= 200 && status != 204 && status != 304) {
    // No framing: the body runs to the end of the connection.
    for (;;) {
      body_.append(in_.view());
      in_.clear();
      if (in_.capacity() < kReadChunk) in_.reserve(kReadChunk);
      ssize_t n = ::recv(fd_, in_.data(), in_.capacity(), 0);
      if (n > 0) {
        in_.resize(static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      break;
    }
    close = true;
  }
  response_.body = body_.view();
  if (close) disconnect();
  return &response_;
}

Result<const HttpResponse*> RuntimeApiClient::get(std::string_view path) {
  if (auto r = connect(); !r) return Unexpected{std::move(r).error()};
  send_head("GET", path, {}, {});
  iovec iov[1] = {{out_.data(), out_.size()}};
  if (auto r = send_iov(iov, 1); !r) return Unexpected{std::move(r).error()};
  return read_response();
}

Result<const HttpResponse*> RuntimeApiClient::post(std::string_view path, const HeaderList& headers, std::string_view body) {
  if (auto r = connect(); !r) return Unexpected{std::move(r).error()};
  char framing[48] = "Content-Length: ";
  char* end = framing + 16;
  end = std::to_chars(end, framing + sizeof framing - 3, body.size()).ptr;
  *end++ = '\r';
  *end++ = '\n';
  send_head("POST", path, headers, std::string_view(framing, static_cast<std::size_t>(end - framing)));
  iovec iov[2] = {{out_.data(), out_.size()}, {const_cast<char*>(body.data()), body.size()}};
  if (auto r = send_iov(iov, body.empty() ? 1 : 2); !r) return Unexpected{std::move(r).error()};
  return read_response();
}

Result<void> RuntimeApiClient::begin_chunked(std::string_view path, const HeaderList& headers) {
  if (auto r = connect(); !r) return r;
  stream_broken_ = false;
  send_head("POST", path, headers, "Transfer-Encoding: chunked\r\n");
  iovec iov[1] = {{out_.data(), out_.size()}};
  return send_iov(iov, 1);
}

bool RuntimeApiClient::write_chunk(std::string_view bytes) {
  if (stream_broken_ || fd_ < 0) return false;
  if (bytes.empty()) return true;  // an empty chunk would end the body
  char size[24];
  auto [end, ec] = std::to_chars(size, size + sizeof size - 2, bytes.size(), 16);
  (void)ec;
  *end++ = '\r';
  *end++ = '\n';
  char crlf[2] = {'\r', '\n'};
  iovec iov[3] = {{size, static_cast<std::size_t>(end - size)}, {const_cast<char*>(bytes.data()), bytes.size()}, {crlf, 2}};
  if (!send_iov(iov, 3)) stream_broken_ = true;
  return !stream_broken_;
}

Result<const HttpResponse*> RuntimeApiClient::end_chunked(const HeaderList& trailers) {
  if (stream_broken_ || fd_ < 0) {
    disconnect();
    return unexpected(ErrorCode::unavailable, "the Runtime API connection broke while streaming", "Runtime API");
  }
  out_.assign("0\r\n");
  for (const auto& [k, v] : trailers) out_.append(k).append(": ").append(v).append("\r\n");
  out_.append("\r\n");
  iovec iov[1] = {{out_.data(), out_.size()}};
  if (auto r = send_iov(iov, 1); !r) return Unexpected{std::move(r).error()};
  return read_response();
}

}  // namespace gust::runtime
