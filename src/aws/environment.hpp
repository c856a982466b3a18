#pragma once
// The process environment as the AWS clients read it, replaceable in tests.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gust::aws {

class Environment {
 public:
  // Reads the real environment at each lookup.
  static Environment process() { return Environment(); }
  // Only these variables (tests).
  static Environment from(std::map<std::string, std::string, std::less<>> vars);

  // The value of `name`; an empty value counts as unset, as the AWS SDKs treat it.
  std::optional<std::string> get(std::string_view name) const;
  std::string get_or(std::string_view name, std::string_view fallback) const;
  // $HOME ("" when unset).
  std::string home() const { return get_or("HOME", ""); }

 private:
  Environment() = default;
  std::optional<std::map<std::string, std::string, std::less<>>> vars_;
};

}  // namespace gust::aws
