#pragma once
// gust::Response: what a route handler answers.
//
//   return gust::Response::json(todo, 201);
//   return gust::Response::text("hello").header("cache-control", "no-store");
//   return gust::Response::not_found();
//   return gust::Response::stream("text/plain", [](gust::StreamWriter& out) { out.write("hi"); });

#include <gust/headers.hpp>
#include <gust/record.hpp>
#include <gust/stream.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace gust {

// Attributes of a Set-Cookie header. Defaults are the safe ones.
struct CookieOptions {
  std::string path = "/";
  std::string domain;
  std::optional<std::chrono::seconds> max_age;
  bool http_only = true;
  bool secure = true;
  std::string same_site = "Lax";  // "Strict", "Lax" or "None"
};

class Response {
 public:
  Response() = default;
  explicit Response(int status) : status_(status) {}

  // JSON body from a record, vector, map or gust::Value; content-type application/json.
  template <class T>
  static Response json(const T& value, int status = 200) {
    return json_text(to_json(value), status);
  }
  static Response json_text(std::string json, int status = 200);
  static Response text(std::string body, int status = 200,
                       std::string_view content_type = "text/plain; charset=utf-8");
  // Binary body; delivered base64-encoded to the gateway.
  static Response binary(std::string bytes, std::string_view content_type, int status = 200);
  // A body written while the handler runs, sent as it is written (see
  // gust/stream.hpp). Status and headers set on the result go out first.
  static Response stream(std::string_view content_type, StreamBody body, int status = 200);
  static Response no_content() { return Response(204); }
  static Response redirect(std::string_view location, int status = 302);
  // A JSON error body {"message": ...} with the given status.
  static Response error(int status, std::string_view message);
  static Response bad_request(std::string_view message = "Bad Request") { return error(400, message); }
  static Response not_found(std::string_view message = "Not Found") { return error(404, message); }

  Response& status(int code) { status_ = code; return *this; }
  Response& header(std::string_view name, std::string_view value) { headers_.set(name, value); return *this; }
  Response& add_header(std::string_view name, std::string_view value) { headers_.add(name, value); return *this; }
  // Adds a Set-Cookie (a raw "name=value; attrs" string).
  Response& cookie(std::string set_cookie) { cookies_.push_back(std::move(set_cookie)); return *this; }
  Response& cookie(std::string_view name, std::string_view value, const CookieOptions& options = {});

  int status() const { return status_; }
  const Headers& headers() const { return headers_; }
  const std::vector<std::string>& cookies() const { return cookies_; }
  const std::string& body() const { return body_; }
  bool is_binary() const { return binary_; }
  bool is_streaming() const { return static_cast<bool>(stream_); }
  const StreamBody& stream_body() const { return stream_; }

  Response& set_body(std::string body, bool binary = false) { body_ = std::move(body); binary_ = binary; return *this; }

 private:
  int status_ = 200;
  Headers headers_;
  std::vector<std::string> cookies_;
  std::string body_;
  bool binary_ = false;
  StreamBody stream_;
};

inline Response Response::stream(std::string_view content_type, StreamBody body, int status) {
  Response r(status);
  r.header("content-type", content_type);
  r.stream_ = std::move(body);
  return r;
}

}  // namespace gust
