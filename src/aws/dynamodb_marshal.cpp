#include "aws/dynamodb_marshal.hpp"

#include "core/number_text.hpp"

#include <boost/json/array.hpp>

#include <fmt/format.h>


namespace gust::aws::ddb {
namespace json = boost::json;

namespace {

std::string child(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

Unexpected bad(std::string_view path, std::string message) {
  return unexpected(ErrorCode::invalid_argument, std::move(message), path.empty() ? "item" : std::string(path));
}

}  // namespace

Result<std::string> number_text(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::integer: return std::to_string(v.as_int());
    case Value::Kind::unsigned_integer: return std::to_string(v.as_uint());
    case Value::Kind::decimal: return v.as_decimal().to_string();  // already in range, canonical
    case Value::Kind::number: {
      // Checked here, so a double DynamoDB cannot hold fails before any call, naming the attribute.
      auto d = Decimal::from_double(v.as_double());
      if (!d) return Unexpected{std::move(d).error()};
      return d->to_string();
    }
    default: return unexpected(ErrorCode::internal, "not a number");
  }
}

Result<Value> parse_number(std::string_view text) {
  auto v = number_from_text(text);
  if (!v) return unexpected(ErrorCode::internal, fmt::format("DynamoDB answered a number that is not one: '{}'", text));
  return std::move(*v);
}

namespace {

// "SS", "NS" or "BS" when every member is a string, a number or Bytes; "" when
// the set cannot be a DynamoDB set (it is written as a list).
std::string_view set_type(const Array& members) {
  const auto type_of = [](const Value& v) -> std::string_view {
    if (v.kind() == Value::Kind::string) return "SS";
    if (v.is_number()) return "NS";
    if (v.kind() == Value::Kind::binary) return "BS";
    return "";
  };
  const std::string_view type = type_of(members.front());
  for (const auto& m : members) {
    if (type_of(m) != type) return "";
  }
  return type;
}

Result<json::value> set_attribute(const Array& members, std::string_view type, std::string_view path) {
  json::array out;
  out.reserve(members.size());
  for (std::size_t i = 0; i < members.size(); ++i) {
    const Value& m = members[i];
    if (type == "SS") {
      out.emplace_back(m.as_string());
    } else if (type == "BS") {
      out.emplace_back(base64_encode(m.as_bytes().data));
    } else {
      auto text = number_text(m);
      if (!text) return bad(fmt::format("{}[{}]", path, i), text.error().message);
      out.emplace_back(*text);
    }
  }
  json::object attribute;
  attribute[type] = std::move(out);
  return json::value(std::move(attribute));
}

// Where a value is written: an empty set is left out of a map by to_item, is
// an empty list inside a list, and has no form of its own.
enum class Place { alone, in_list };

Result<json::value> attribute(const Value& v, std::string_view path, Place place) {
  json::object out;
  switch (v.kind()) {
    case Value::Kind::null: out["NULL"] = true; break;
    case Value::Kind::boolean: out["BOOL"] = v.as_bool(); break;
    case Value::Kind::integer:
    case Value::Kind::unsigned_integer:
    case Value::Kind::number:
    case Value::Kind::decimal: {
      auto text = number_text(v);
      if (!text) return bad(path, text.error().message);
      out["N"] = *text;
      break;
    }
    case Value::Kind::string: out["S"] = v.as_string(); break;
    case Value::Kind::binary: out["B"] = base64_encode(v.as_bytes().data); break;
    case Value::Kind::array: {
      const auto& a = v.as_array();
      if (v.is_set() && a.empty() && place == Place::alone)
        return bad(path, "DynamoDB has no empty sets: leave the attribute out (REMOVE it in an update) instead");
      if (v.is_set() && !a.empty()) {
        if (const auto type = set_type(a); !type.empty()) return set_attribute(a, type, path);
      }
      json::array list;
      list.reserve(a.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        auto item = attribute(a[i], fmt::format("{}[{}]", path, i), Place::in_list);
        if (!item) return Unexpected{std::move(item).error()};
        list.push_back(std::move(*item));
      }
      out["L"] = std::move(list);
      break;
    }
    case Value::Kind::object: {
      auto map = to_item(v, path);
      if (!map) return Unexpected{std::move(map).error()};
      out["M"] = std::move(*map);
      break;
    }
  }
  return json::value(std::move(out));
}

}  // namespace

Result<json::value> to_attribute(const Value& v, std::string_view path) { return attribute(v, path, Place::alone); }

Result<json::object> to_item(const Value& v, std::string_view path) {
  if (v.kind() != Value::Kind::object)
    return bad(path, fmt::format("a DynamoDB item must be an object (a record), not a {}", kind_name(v.kind())));
  json::object out;
  out.reserve(v.as_object().size());
  for (const auto& m : v.as_object()) {
    // Absent rather than NULL (sparse indexes), and DynamoDB cannot store an empty set.
    if (m.value.is_null() || (m.value.is_set() && m.value.as_array().empty())) continue;
    auto a = to_attribute(m.value, child(path, m.key));
    if (!a) return Unexpected{std::move(a).error()};
    out[m.key] = std::move(*a);
  }
  return out;
}

Result<Value> from_attribute(const json::value& attribute, std::string_view path) {
  const auto* o = attribute.if_object();
  if (o == nullptr || o->size() != 1)
    return unexpected(ErrorCode::internal, "DynamoDB answered a malformed attribute value", std::string(path));
  const auto& [type, body] = *o->begin();
  const auto text = [&]() -> std::string_view { return body.is_string() ? std::string_view(body.get_string()) : ""; };
  if (type == "S") return Value(std::string(text()));
  if (type == "N") return parse_number(text());
  if (type == "BOOL") return Value(body.is_bool() && body.get_bool());
  if (type == "NULL") return Value();
  if (type == "B") {
    auto bytes = base64_decode(text());
    if (!bytes) return unexpected(ErrorCode::internal, "DynamoDB answered malformed base64", std::string(path));
    return Value(Bytes{std::move(*bytes)});
  }
  if (type == "L" || type == "SS" || type == "NS" || type == "BS") {
    if (!body.is_array()) return unexpected(ErrorCode::internal, "malformed list", std::string(path));
    Array out;
    out.reserve(body.get_array().size());
    for (const auto& e : body.get_array()) {
      if (type == "L") {
        auto item = from_attribute(e, path);
        if (!item) return item;
        out.push_back(std::move(*item));
      } else {
        const std::string_view s = e.is_string() ? std::string_view(e.get_string()) : "";
        if (type == "SS") {
          out.emplace_back(std::string(s));
        } else if (type == "NS") {
          auto n = parse_number(s);
          if (!n) return n;
          out.push_back(std::move(*n));
        } else {
          auto bytes = base64_decode(s);
          if (!bytes) return unexpected(ErrorCode::internal, "DynamoDB answered malformed base64", std::string(path));
          out.emplace_back(Bytes{std::move(*bytes)});
        }
      }
    }
    return type == "L" ? Value(std::move(out)) : Value::set(std::move(out));
  }
  if (type == "M") {
    if (!body.is_object()) return unexpected(ErrorCode::internal, "malformed map", std::string(path));
    Object out;
    out.reserve(body.get_object().size());
    for (const auto& [k, e] : body.get_object()) {
      auto item = from_attribute(e, child(path, k));
      if (!item) return item;
      out.push_back(Member{std::string(k), std::move(*item)});
    }
    return Value(std::move(out));
  }
  return unexpected(ErrorCode::internal, fmt::format("unknown attribute type '{}'", std::string_view(type)),
                    std::string(path));
}

Result<Value> from_item(const json::object& item) {
  Object out;
  out.reserve(item.size());
  for (const auto& [k, e] : item) {
    auto v = from_attribute(e, k);
    if (!v) return v;
    out.push_back(Member{std::string(k), std::move(*v)});
  }
  return Value(std::move(out));
}

}  // namespace gust::aws::ddb
