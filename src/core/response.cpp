#include <gust/response.hpp>

#include <fmt/format.h>

namespace gust {

Response Response::json_text(std::string json, int status) {
  Response r(status);
  r.header("content-type", "application/json");
  r.body_ = std::move(json);
  return r;
}

Response Response::text(std::string body, int status, std::string_view content_type) {
  Response r(status);
  r.header("content-type", content_type);
  r.body_ = std::move(body);
  return r;
}

Response Response::binary(std::string bytes, std::string_view content_type, int status) {
  Response r(status);
  r.header("content-type", content_type);
  r.body_ = std::move(bytes);
  r.binary_ = true;
  return r;
}

Response Response::redirect(std::string_view location, int status) {
  Response r(status);
  r.header("location", location);
  return r;
}

Response Response::error(int status, std::string_view message) {
  Value body;
  body["message"] = Value(message);
  return json_text(to_json_text(body), status);
}

Response& Response::cookie(std::string_view name, std::string_view value, const CookieOptions& options) {
  std::string c = fmt::format("{}={}", name, value);
  if (!options.path.empty()) c += fmt::format("; Path={}", options.path);
  if (!options.domain.empty()) c += fmt::format("; Domain={}", options.domain);
  if (options.max_age) c += fmt::format("; Max-Age={}", options.max_age->count());
  if (options.secure) c += "; Secure";
  if (options.http_only) c += "; HttpOnly";
  if (!options.same_site.empty()) c += fmt::format("; SameSite={}", options.same_site);
  cookies_.push_back(std::move(c));
  return *this;
}

}  // namespace gust
