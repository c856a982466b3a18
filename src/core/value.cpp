#include <gust/value.hpp>

#include <optional>

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

double Value::as_double() const {
  switch (kind()) {
    case Kind::integer: return static_cast<double>(as_int());
    case Kind::unsigned_integer: return static_cast<double>(as_uint());
    case Kind::decimal: return as_decimal().nearest_double();
    default: return std::get<double>(v_);  // throws std::bad_variant_access for non-numbers
  }
}

namespace {

// Any number kind as an exact decimal; nullopt for NaN, infinities and
// doubles outside DynamoDB's range.
std::optional<Decimal> to_decimal(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::integer: return Decimal(v.as_int());
    case Value::Kind::unsigned_integer: return Decimal(v.as_uint());
    case Value::Kind::decimal: return v.as_decimal();
    default: {
      auto d = Decimal::from_double(v.as_double());
      return d ? std::optional<Decimal>(*d) : std::nullopt;
    }
  }
}

}  // namespace

bool operator==(const Value& a, const Value& b) {
  // Numbers compare by value across representations (1 == 1u == 1.0 == Decimal(1)).
  if (a.is_number() && b.is_number() && a.kind() != b.kind()) {
    if (a.kind() == Value::Kind::decimal || b.kind() == Value::Kind::decimal) {
      const auto x = to_decimal(a);
      const auto y = to_decimal(b);
      return x && y && *x == *y;
    }
    auto as_long_double = [](const Value& v) -> long double {
      switch (v.kind()) {
        case Value::Kind::integer: return static_cast<long double>(v.as_int());
        case Value::Kind::unsigned_integer: return static_cast<long double>(v.as_uint());
        default: return static_cast<long double>(v.as_double());
      }
    };
    return as_long_double(a) == as_long_double(b);
  }
  return a.set_ == b.set_ && a.v_ == b.v_;
}

std::string_view kind_name(Value::Kind kind) noexcept {
  switch (kind) {
    case Value::Kind::null: return "null";
    case Value::Kind::boolean: return "boolean";
    case Value::Kind::integer:
    case Value::Kind::unsigned_integer:
    case Value::Kind::number:
    case Value::Kind::decimal: return "number";
    case Value::Kind::string: return "string";
    case Value::Kind::binary: return "binary";
    case Value::Kind::array: return "array";
    case Value::Kind::object: return "object";
  }
  return "value";
}

}  // namespace gust
