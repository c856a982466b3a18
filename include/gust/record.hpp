#pragma once
// Records: plain structs described once with GUST_RECORD, then encoded to and
// decoded from gust::Value (and so JSON and DynamoDB items).
//
//   struct Todo { std::string id; std::string title; bool done = false; };
//   GUST_RECORD(Todo, id, title, done);      // at namespace scope, beside Todo
//
//   std::string text = gust::to_json(todo);
//   gust::Result<Todo> t = gust::from_json<Todo>(text);   // error: "title: expected string, got number"
//
// Decoding is lenient about absence: a missing or null member leaves the
// field as the struct's default member initialiser set it, except that an
// optional becomes empty and a set becomes empty (DynamoDB cannot store an
// empty set, so an empty set field is written as no attribute at all).
// Unknown members are ignored. Type mismatches are errors naming the field path.
//
// Field types: bool, integers, floating point, gust::Decimal (exact; from JSON
// it also accepts a numeric string such as "12.50"), std::string, gust::Bytes,
// gust::Value, records, and std::optional / std::vector / std::set /
// std::unordered_set / std::map<std::string, _> / std::unordered_map<std::string, _>
// of them. Sets of strings, numbers and Bytes are DynamoDB sets (SS/NS/BS).

#include <gust/detail/for_each.hpp>
#include <gust/value.hpp>

#include <concepts>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace gust {

namespace detail {

template <class Record, class FieldType>
struct Field {
  const char* name;
  FieldType Record::*member;
};

template <class Record, class... Fields>
constexpr auto make_fields(Fields... fields) {
  return std::tuple<Fields...>{fields...};
}

}  // namespace detail

// True for a type described with GUST_RECORD.
template <class T>
concept Record = requires { gust_fields(static_cast<const T*>(nullptr)); };

// Collects decoding problems with the path where each occurred.
class DecodeContext {
 public:
  // Runs `f` with `segment` (".name" or "[3]") appended to the path.
  template <class F>
  bool with(std::string_view segment, F&& f) {
    const auto size = path_.size();
    path_.append(segment);
    const bool ok = f();
    path_.resize(size);
    return ok;
  }
  // Records "path: message" and returns false.
  bool fail(std::string message);
  bool type_mismatch(std::string_view expected, const Value& got);
  // The first problem as an Error (invalid_argument), with the path as context.
  Error error() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string first_message_;
  std::string first_path_;
  bool failed_ = false;
};

// Codec<T>: encode(const T&) -> Value and decode(const Value&, T&, DecodeContext&) -> bool.
// Specialise it to teach gust a type of your own.
template <class T, class Enable = void>
struct Codec {
  static_assert(Record<T>,
                "gust: this type has no field description. Add GUST_RECORD(Type, field1, field2, ...) "
                "at namespace scope after the type's definition, or specialise gust::Codec<Type>.");
};

template <class T>
Value encode(const T& value) {
  return Codec<T>::encode(value);
}
template <class T>
bool decode(const Value& value, T& out, DecodeContext& ctx) {
  return Codec<T>::decode(value, out, ctx);
}

template <>
struct Codec<Value> {
  static Value encode(const Value& v) { return v; }
  static bool decode(const Value& v, Value& out, DecodeContext&) { out = v; return true; }
};

template <>
struct Codec<bool> {
  static Value encode(bool b) { return Value(b); }
  static bool decode(const Value& v, bool& out, DecodeContext& ctx) {
    if (v.kind() != Value::Kind::boolean) return ctx.type_mismatch("boolean", v);
    out = v.as_bool();
    return true;
  }
};

namespace detail {
bool decode_integer(const Value& v, std::int64_t min, std::uint64_t max, std::int64_t& signed_out,
                    std::uint64_t& unsigned_out, bool is_signed, DecodeContext& ctx);
bool decode_double(const Value& v, double& out, DecodeContext& ctx);
}  // namespace detail

template <std::integral T>
  requires(!std::same_as<T, bool>)
struct Codec<T> {
  static Value encode(T i) {
    if constexpr (std::is_signed_v<T>) return Value(static_cast<long long>(i));
    else return Value(static_cast<unsigned long long>(i));
  }
  static bool decode(const Value& v, T& out, DecodeContext& ctx) {
    std::int64_t s = 0;
    std::uint64_t u = 0;
    if (!detail::decode_integer(v, static_cast<std::int64_t>(std::numeric_limits<T>::min()),
                                static_cast<std::uint64_t>(std::numeric_limits<T>::max()), s, u,
                                std::is_signed_v<T>, ctx))
      return false;
    out = std::is_signed_v<T> ? static_cast<T>(s) : static_cast<T>(u);
    return true;
  }
};

template <std::floating_point T>
struct Codec<T> {
  static Value encode(T d) { return Value(static_cast<double>(d)); }
  static bool decode(const Value& v, T& out, DecodeContext& ctx) {
    double d = 0;
    if (!detail::decode_double(v, d, ctx)) return false;
    out = static_cast<T>(d);
    return true;
  }
};

template <>
struct Codec<std::string> {
  static Value encode(const std::string& s) { return Value(s); }
  static bool decode(const Value& v, std::string& out, DecodeContext& ctx) {
    if (v.kind() != Value::Kind::string) return ctx.type_mismatch("string", v);
    out = v.as_string();
    return true;
  }
};

// Exact; from integers, doubles (their shortest text), decimals and numeric strings.
template <>
struct Codec<Decimal> {
  static Value encode(const Decimal& d) { return Value(d); }
  static bool decode(const Value& v, Decimal& out, DecodeContext& ctx);
};

template <>
struct Codec<Bytes> {
  static Value encode(const Bytes& b) { return Value(b); }
  static bool decode(const Value& v, Bytes& out, DecodeContext& ctx);  // binary, or base64 text
};

template <class T>
struct Codec<std::optional<T>> {
  static Value encode(const std::optional<T>& o) { return o ? Codec<T>::encode(*o) : Value(); }
  static bool decode(const Value& v, std::optional<T>& out, DecodeContext& ctx) {
    if (v.is_null()) {
      out.reset();
      return true;
    }
    T inner{};
    if (!Codec<T>::decode(v, inner, ctx)) return false;
    out = std::move(inner);
    return true;
  }
};

namespace detail {
std::string index_segment(std::size_t i);
std::string key_segment(std::string_view key);

// `AsSet`: encode as Value::set (DynamoDB SS/NS/BS) rather than a list.
template <class Seq, class T, bool AsSet = false>
struct SequenceCodec {
  static Value encode(const Seq& seq) {
    Array a;
    a.reserve(seq.size());
    for (const auto& item : seq) a.push_back(Codec<T>::encode(item));
    if constexpr (AsSet) return Value::set(std::move(a));
    else return Value(std::move(a));
  }
  static bool decode(const Value& v, Seq& out, DecodeContext& ctx) {
    if (v.kind() != Value::Kind::array) return ctx.type_mismatch("array", v);
    out.clear();
    const auto& a = v.as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      T item{};
      if (!ctx.with(index_segment(i), [&] { return Codec<T>::decode(a[i], item, ctx); })) return false;
      if constexpr (requires { out.push_back(std::move(item)); }) out.push_back(std::move(item));
      else out.insert(std::move(item));
    }
    return true;
  }
};

template <class Map, class T>
struct MapCodec {
  static Value encode(const Map& map) {
    Object o;
    o.reserve(map.size());
    for (const auto& [k, item] : map) o.push_back(Member{k, Codec<T>::encode(item)});
    return Value(std::move(o));
  }
  static bool decode(const Value& v, Map& out, DecodeContext& ctx) {
    if (v.kind() != Value::Kind::object) return ctx.type_mismatch("object", v);
    out.clear();
    for (const auto& m : v.as_object()) {
      T item{};
      if (!ctx.with(key_segment(m.key), [&] { return Codec<T>::decode(m.value, item, ctx); })) return false;
      out.emplace(m.key, std::move(item));
    }
    return true;
  }
};
}  // namespace detail

template <class T>
struct Codec<std::vector<T>> : detail::SequenceCodec<std::vector<T>, T> {};
template <class T>
struct Codec<std::set<T>> : detail::SequenceCodec<std::set<T>, T, true> {};
template <class T>
struct Codec<std::unordered_set<T>> : detail::SequenceCodec<std::unordered_set<T>, T, true> {};
namespace detail {
template <class T>
inline constexpr bool is_set_v = false;
template <class T>
inline constexpr bool is_set_v<std::set<T>> = true;
template <class T>
inline constexpr bool is_set_v<std::unordered_set<T>> = true;
}  // namespace detail
template <class T>
struct Codec<std::map<std::string, T>> : detail::MapCodec<std::map<std::string, T>, T> {};
template <class T>
struct Codec<std::unordered_map<std::string, T>> : detail::MapCodec<std::unordered_map<std::string, T>, T> {};

template <Record T>
struct Codec<T> {
  static Value encode(const T& record) {
    Object o;
    std::apply(
        [&](const auto&... field) {
          o.reserve(sizeof...(field));
          (o.push_back(Member{field.name, gust::encode(record.*(field.member))}), ...);
        },
        gust_fields(static_cast<const T*>(nullptr)));
    return Value(std::move(o));
  }
  static bool decode(const Value& v, T& out, DecodeContext& ctx) {
    if (v.kind() != Value::Kind::object) return ctx.type_mismatch("object", v);
    return std::apply(
        [&](const auto&... field) {
          return (decode_field(v, field.name, out.*(field.member), ctx) && ...);
        },
        gust_fields(static_cast<const T*>(nullptr)));
  }

 private:
  template <class F>
  static bool decode_field(const Value& object, const char* name, F& out, DecodeContext& ctx) {
    const Value* member = object.find(name);
    if (member == nullptr || member->is_null()) {
      if constexpr (requires { out.reset(); }) out.reset();
      else if constexpr (detail::is_set_v<F>) out.clear();  // an empty set was written as no attribute
      return true;  // absent: keep the default member initialiser
    }
    return ctx.with(detail::key_segment(name), [&] { return gust::decode(*member, out, ctx); });
  }
};

// Record (or any encodable type) -> compact JSON text.
template <class T>
std::string to_json(const T& value) {
  return to_json_text(encode(value));
}

// Value -> T, with the first problem's path in the error.
template <class T>
Result<T> from_value(const Value& value) {
  T out{};
  DecodeContext ctx;
  if (!decode(value, out, ctx)) return Unexpected{ctx.error()};
  return out;
}

// JSON text -> T. Syntax errors give line and column; type errors the field path.
template <class T>
Result<T> from_json(std::string_view text) {
  auto value = parse_json(text);
  if (!value) return Unexpected{std::move(value).error()};
  return from_value<T>(*value);
}

// The field names of a record, in declaration order.
template <Record T>
std::vector<std::string_view> field_names() {
  return std::apply([](const auto&... f) { return std::vector<std::string_view>{f.name...}; },
                    gust_fields(static_cast<const T*>(nullptr)));
}

// The name of the field that `member` points to, or "" when it is not described.
template <Record T, class F>
std::string_view field_name(F T::*member) {
  std::string_view found;
  std::apply(
      [&](const auto&... f) {
        (
            [&] {
              if constexpr (std::is_same_v<decltype(f.member), F T::*>) {
                if (f.member == member) found = f.name;
              }
            }(),
            ...);
      },
      gust_fields(static_cast<const T*>(nullptr)));
  return found;
}

}  // namespace gust

#define GUST_DETAIL_RECORD_FIELD(field) , ::gust::detail::Field<GustRecordType, decltype(GustRecordType::field)>{#field, &GustRecordType::field}

// Describes a record's fields for JSON and DynamoDB marshalling. Use at
// namespace scope, in the record's namespace, after its definition.
#define GUST_RECORD(Type, ...)                                                              \
  [[maybe_unused]] inline auto gust_fields(const Type*) {                                   \
    using GustRecordType = Type;                                                            \
    return ::gust::detail::make_fields<Type>(GUST_DETAIL_DROP_FIRST_COMMA(                  \
        GUST_DETAIL_FOR_EACH(GUST_DETAIL_RECORD_FIELD, __VA_ARGS__)));                      \
  }                                                                                         \
  static_assert(true, "")

#define GUST_DETAIL_DROP_FIRST_COMMA(...) GUST_DETAIL_DROP_FIRST_COMMA_I(__VA_ARGS__)
#define GUST_DETAIL_DROP_FIRST_COMMA_I(first, ...) __VA_ARGS__
