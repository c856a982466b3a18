#include <gust/request.hpp>

namespace gust {

std::string_view Request::param(std::string_view name) const {
  auto it = params_.find(name);
  return it == params_.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::string_view> Request::query(std::string_view name) const {
  auto it = query_.find(name);
  if (it == query_.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::optional<std::string_view> Request::cookie(std::string_view name) const {
  // Payload 2.0 delivers cookies as "name=value" strings.
  for (const auto& c : cookies_) {
    std::string_view s = c;
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    const auto eq = s.find('=');
    if (eq != std::string_view::npos && s.substr(0, eq) == name) return s.substr(eq + 1);
  }
  return std::nullopt;
}

}  // namespace gust
