#pragma once
// gust::Value: a JSON-shaped document (plus binary, exact decimals and sets)
// that records encode to and decode from. JSON text and DynamoDB attribute
// values are both written from it, so a record type is described once and
// marshalled everywhere.
//
// Numbers keep every digit they arrive with: integers that fit 64 bits are
// integer/unsigned_integer, numbers a double holds exactly (whose shortest
// text is the number read) are `number`, anything else within DynamoDB's
// range (38 digits, 1E-130..9.99E+125) is a `decimal` with the exact text.
// JSON numbers beyond that range (more than 38 significant digits) read as
// the nearest double, since no DynamoDB attribute could hold them anyway.

#include <gust/decimal.hpp>
#include <gust/result.hpp>

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gust {

// Raw bytes: base64 in JSON, `B` in DynamoDB.
struct Bytes {
  std::string data;
  friend bool operator==(const Bytes&, const Bytes&) = default;
  friend std::strong_ordering operator<=>(const Bytes&, const Bytes&) = default;  // for std::set<Bytes>
};

class Value;
struct Member;
using Array = std::vector<Value>;
using Object = std::vector<Member>;  // keeps insertion order; lookups are linear (records are small)

class Value {
 public:
  // `decimal` is last so the others keep their numbers.
  enum class Kind { null, boolean, integer, unsigned_integer, number, string, binary, array, object, decimal };

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
  Value(Decimal d) : v_(std::move(d)) {}                  // NOLINT

  // A set: an array of distinct strings, numbers or Bytes. JSON writes it as
  // an array; DynamoDB as SS/NS/BS (an empty set member is left out of an item,
  // since DynamoDB has no empty sets; a set of anything else is a list L).
  // std::set and std::unordered_set fields encode to one; SS/NS/BS read back as one.
  //
  //   todos.update({id}, gust::Update{"ADD tags :t"}.value(":t", gust::Value::set({"urgent"})));
  static Value set(Array members) {
    Value v(std::move(members));
    v.set_ = true;
    return v;
  }

  Kind kind() const noexcept { return static_cast<Kind>(v_.index()); }
  bool is_null() const noexcept { return kind() == Kind::null; }
  bool is_number() const noexcept {
    return kind() == Kind::integer || kind() == Kind::unsigned_integer || kind() == Kind::number ||
           kind() == Kind::decimal;
  }
  // An array made with Value::set (or read from a DynamoDB SS/NS/BS).
  bool is_set() const noexcept { return set_; }

  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  std::uint64_t as_uint() const { return std::get<std::uint64_t>(v_); }
  // Any number kind as a double (the nearest one for integers beyond 2^53 and decimals).
  double as_double() const;
  const Decimal& as_decimal() const { return std::get<Decimal>(v_); }
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

  // Numbers compare by value across kinds (1 == 1u == 1.0 == Decimal(1)); a set
  // never equals a plain array.
  friend bool operator==(const Value& a, const Value& b);

 private:
  std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string, Bytes, Array, Object, Decimal> v_;
  bool set_ = false;
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

template <>
struct std::hash<gust::Bytes> {  // for std::unordered_set<gust::Bytes>
  std::size_t operator()(const gust::Bytes& b) const noexcept { return std::hash<std::string>{}(b.data); }
};
