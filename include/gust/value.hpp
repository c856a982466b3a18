#pragma once
// gust::Value: a JSON-shaped document (plus binary) that records encode to
// and decode from. JSON text and DynamoDB attribute values are both written
// from it, so a record type is described once and marshalled everywhere.

#include <gust/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gust {

// Raw bytes: base64 in JSON, `B` in DynamoDB.
struct Bytes {
  std::string data;
  friend bool operator==(const Bytes&, const Bytes&) = default;
};

class Value;
struct Member;
using Array = std::vector<Value>;
using Object = std::vector<Member>;  // keeps insertion order; lookups are linear (records are small)

class Value {
 public:
  enum class Kind { null, boolean, integer, unsigned_integer, number, string, binary, array, object };

  Value() = default;
  Value(std::nullptr_t) {}                                // NOLINT: implicit by design
  Value(bool b) : v_(b) {}                                // NOLINT
  Value(int i) : v_(static_cast<std::int64_t>(i)) {}      // NOLINT
  Value(long i) : v_(static_cast<std::int64_t>(i)) {}     // NOLINT
  Value(long long i) : v_(static_cast<std::int64_t>(i)) {}  // NOLINT
  Value(unsigned u) : v_(static_cast<std::int64_t>(u)) {}   // NOLINT
  Value(unsigned long u) : v_(static_cast<std::uint64_t>(u)) {}       // NOLINT
  Value(unsigned long long u) : v_(static_cast<std::uint64_t>(u)) {}  // NOLINT
  Value(double d) : v_(d) {}                              // NOLINT
  Value(std::string s) : v_(std::move(s)) {}              // NOLINT
  Value(std::string_view s) : v_(std::string(s)) {}       // NOLINT
  Value(const char* s) : v_(std::string(s)) {}            // NOLINT
  Value(Bytes b) : v_(std::move(b)) {}                    // NOLINT
  Value(Array a) : v_(std::move(a)) {}                    // NOLINT
  Value(Object o) : v_(std::move(o)) {}                   // NOLINT

  Kind kind() const noexcept { return static_cast<Kind>(v_.index()); }
  bool is_null() const noexcept { return kind() == Kind::null; }
  bool is_number() const noexcept {
    return kind() == Kind::integer || kind() == Kind::unsigned_integer || kind() == Kind::number;
  }

  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  std::uint64_t as_uint() const { return std::get<std::uint64_t>(v_); }
  double as_double() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Bytes& as_bytes() const { return std::get<Bytes>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // Object lookup: the member's value, or nullptr (also when not an object).
  const Value* find(std::string_view key) const;
  // Object insert-or-assign; turns a null into an empty object first.
  Value& operator[](std::string_view key);

  friend bool operator==(const Value& a, const Value& b);

 private:
  std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string, Bytes, Array, Object> v_;
};

struct Member {
  std::string key;
  Value value;
  friend bool operator==(const Member&, const Member&) = default;
};

// "string", "number", ... for error messages.
std::string_view kind_name(Value::Kind kind) noexcept;

// JSON text <-> Value. Parse errors name the line and column.
Result<Value> parse_json(std::string_view text);
std::string to_json_text(const Value& value);
// Indented JSON (two spaces, one member per line) for files people read and diff.
std::string to_json_pretty(const Value& value);

// Base64 (standard alphabet, padded), used for binary bodies and Bytes.
std::string base64_encode(std::string_view data);
Result<std::string> base64_decode(std::string_view text);

}  // namespace gust
