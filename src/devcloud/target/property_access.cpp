#include "devcloud/target/property_access.hpp"

#include <boost/json/serialize.hpp>

#include <cstdlib>

namespace gust::devcloud::target {

std::string text_of(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_int64()) return std::to_string(v.as_int64());
  if (v.is_uint64()) return std::to_string(v.as_uint64());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_null()) return {};
  return boost::json::serialize(v);
}

std::string text_property(const boost::json::object& p, std::string_view name) {
  const auto* v = p.if_contains(name);
  return v == nullptr ? std::string() : text_of(*v);
}

std::int64_t int_property(const boost::json::object& p, std::string_view name, std::int64_t fallback) {
  const auto* v = p.if_contains(name);
  if (v == nullptr) return fallback;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  if (v->is_string()) {
    char* end = nullptr;
    const std::string s(v->as_string());
    const long long n = std::strtoll(s.c_str(), &end, 10);
    if (end != s.c_str()) return n;
  }
  return fallback;
}

const boost::json::object& object_property(const boost::json::object& p, std::string_view name) {
  static const boost::json::object kEmpty;
  const auto* v = p.if_contains(name);
  return v != nullptr && v->is_object() ? v->as_object() : kEmpty;
}

}  // namespace gust::devcloud::target
