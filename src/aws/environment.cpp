#include "aws/environment.hpp"

#include <cstdlib>

namespace gust::aws {

Environment Environment::from(std::map<std::string, std::string, std::less<>> vars) {
  Environment e;
  e.vars_ = std::move(vars);
  return e;
}

std::optional<std::string> Environment::get(std::string_view name) const {
  if (vars_) {
    const auto it = vars_->find(name);
    if (it == vars_->end() || it->second.empty()) return std::nullopt;
    return it->second;
  }
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::string Environment::get_or(std::string_view name, std::string_view fallback) const {
  auto v = get(name);
  return v ? *v : std::string(fallback);
}

}  // namespace gust::aws
