#pragma once
// gust::Request: one HTTP request as API Gateway (HTTP API, payload 2.0)
// delivers it to a route handler.
//
//   app.get("/todos/{id}", [](const gust::Request& req) {
//     return gust::Response::text(std::string(req.param("id")));
//   });

#include <gust/headers.hpp>
#include <gust/record.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gust {

// Thrown from a handler to answer with a status and a message instead of a
// function error: `throw gust::HttpError(409, "title taken")`.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string message) : std::runtime_error(std::move(message)), status_(status) {}
  int status() const noexcept { return status_; }

 private:
  int status_;
};

class Request {
 public:
  // "GET", "POST", ... (upper case).
  std::string_view method() const { return method_; }
  // The path as the client sent it, without the query string ("/todos/42").
  std::string_view path() const { return path_; }
  // The route that matched ("GET /todos/{id}"), or "$default".
  std::string_view route_key() const { return route_key_; }

  // A path parameter ("{id}" in the route), or "" when the route has none by that name.
  std::string_view param(std::string_view name) const;
  const std::map<std::string, std::string, std::less<>>& params() const { return params_; }

  // A query parameter; repeated keys arrive joined with commas, as in payload 2.0.
  std::optional<std::string_view> query(std::string_view name) const;
  const std::map<std::string, std::string, std::less<>>& query_params() const { return query_; }
  std::string_view raw_query() const { return raw_query_; }

  // A header, by case-insensitive name.
  std::optional<std::string_view> header(std::string_view name) const { return headers_.get(name); }
  const Headers& headers() const { return headers_; }

  // A cookie's value, by exact name.
  std::optional<std::string_view> cookie(std::string_view name) const;
  const std::vector<std::string>& cookies() const { return cookies_; }

  // The body, base64-decoded when the gateway delivered it encoded.
  const std::string& body() const { return body_; }
  bool body_was_base64() const { return body_was_base64_; }

  // The body decoded as JSON into T. Throws HttpError(400) naming the field
  // on malformed input, so a handler can simply write `req.json<Todo>()`.
  template <class T>
  T json() const {
    auto decoded = try_json<T>();
    if (!decoded) throw HttpError(400, decoded.error().describe());
    return *std::move(decoded);
  }
  // The checked form of json<T>().
  template <class T>
  Result<T> try_json() const {
    return from_json<T>(body_);
  }

  std::string_view source_ip() const { return source_ip_; }
  std::string_view request_id() const { return request_id_; }
  std::string_view stage() const { return stage_; }

  // Builders (the event parser and tests use these).
  Request& set_method(std::string v) { method_ = std::move(v); return *this; }
  Request& set_path(std::string v) { path_ = std::move(v); return *this; }
  Request& set_route_key(std::string v) { route_key_ = std::move(v); return *this; }
  Request& set_param(std::string name, std::string value) { params_[std::move(name)] = std::move(value); return *this; }
  Request& set_query(std::string name, std::string value) { query_[std::move(name)] = std::move(value); return *this; }
  Request& set_raw_query(std::string v) { raw_query_ = std::move(v); return *this; }
  Request& add_header(std::string_view name, std::string_view value) { headers_.add(name, value); return *this; }
  Request& add_cookie(std::string v) { cookies_.push_back(std::move(v)); return *this; }
  Request& set_body(std::string v, bool was_base64 = false) { body_ = std::move(v); body_was_base64_ = was_base64; return *this; }
  Request& set_source_ip(std::string v) { source_ip_ = std::move(v); return *this; }
  Request& set_request_id(std::string v) { request_id_ = std::move(v); return *this; }
  Request& set_stage(std::string v) { stage_ = std::move(v); return *this; }

 private:
  std::string method_ = "GET";
  std::string path_ = "/";
  std::string route_key_ = "$default";
  std::map<std::string, std::string, std::less<>> params_;
  std::map<std::string, std::string, std::less<>> query_;
  std::string raw_query_;
  Headers headers_;
  std::vector<std::string> cookies_;
  std::string body_;
  bool body_was_base64_ = false;
  std::string source_ip_;
  std::string request_id_;
  std::string stage_;
};

}  // namespace gust
