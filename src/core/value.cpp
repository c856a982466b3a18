#include <gust/value.hpp>

namespace gust {

const Value* Value::find(std::string_view key) const {
  if (kind() != Kind::object) return nullptr;
  for (const auto& m : as_object()) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

Value& Value::operator[](std::string_view key) {
  if (is_null()) v_ = Object{};
  auto& o = as_object();
  for (auto& m : o) {
    if (m.key == key) return m.value;
  }
  o.push_back(Member{std::string(key), Value()});
  return o.back().value;
}

bool operator==(const Value& a, const Value& b) {
  // Numbers compare by value across representations (1 == 1u == 1.0).
  if (a.is_number() && b.is_number() && a.kind() != b.kind()) {
    auto as_long_double = [](const Value& v) -> long double {
      switch (v.kind()) {
        case Value::Kind::integer: return static_cast<long double>(v.as_int());
        case Value::Kind::unsigned_integer: return static_cast<long double>(v.as_uint());
        default: return static_cast<long double>(v.as_double());
      }
    };
    return as_long_double(a) == as_long_double(b);
  }
  return a.v_ == b.v_;
}

std::string_view kind_name(Value::Kind kind) noexcept {
  switch (kind) {
    case Value::Kind::null: return "null";
    case Value::Kind::boolean: return "boolean";
    case Value::Kind::integer:
    case Value::Kind::unsigned_integer:
    case Value::Kind::number: return "number";
    case Value::Kind::string: return "string";
    case Value::Kind::binary: return "binary";
    case Value::Kind::array: return "array";
    case Value::Kind::object: return "object";
  }
  return "value";
}

}  // namespace gust
