#include "aws/dynamodb_marshal.hpp"

#include <boost/json/array.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cmath>

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
    case Value::Kind::number: {
      const double d = v.as_double();
      if (!std::isfinite(d)) return unexpected(ErrorCode::invalid_argument, "DynamoDB numbers cannot be NaN or infinite");
      char buf[64];
      // Shortest text that reads back to the same double.
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
      if (ec != std::errc{}) return unexpected(ErrorCode::internal, "cannot format a number");
      return std::string(buf, end);
    }
    default: return unexpected(ErrorCode::internal, "not a number");
  }
}

Result<Value> parse_number(std::string_view text) {
  const bool integral = !text.empty() && text.find_first_of(".eE") == std::string_view::npos;
  if (integral) {
    std::int64_t i = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
    if (ec == std::errc{} && p == text.data() + text.size()) return Value(static_cast<long long>(i));
    if (text.front() != '-') {
      std::uint64_t u = 0;
      auto [q, ec2] = std::from_chars(text.data(), text.data() + text.size(), u);
      if (ec2 == std::errc{} && q == text.data() + text.size()) return Value(static_cast<unsigned long long>(u));
    }
  }
  double d = 0;
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
  if ((ec != std::errc{} && ec != std::errc::result_out_of_range) || p != digits.data() + digits.size())
    return unexpected(ErrorCode::internal, fmt::format("DynamoDB answered a number that is not one: '{}'", text));
  // A whole number beyond 64 bits stays a double (nearest value).
  return Value(d);
}

Result<json::value> to_attribute(const Value& v, std::string_view path) {
  json::object out;
  switch (v.kind()) {
    case Value::Kind::null: out["NULL"] = true; break;
    case Value::Kind::boolean: out["BOOL"] = v.as_bool(); break;
    case Value::Kind::integer:
    case Value::Kind::unsigned_integer:
    case Value::Kind::number: {
      auto text = number_text(v);
      if (!text) return bad(path, text.error().message);
      out["N"] = *text;
      break;
    }
    case Value::Kind::string: out["S"] = v.as_string(); break;
    case Value::Kind::binary: out["B"] = base64_encode(v.as_bytes().data); break;
    case Value::Kind::array: {
      json::array list;
      const auto& a = v.as_array();
      list.reserve(a.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        auto item = to_attribute(a[i], fmt::format("{}[{}]", path, i));
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

Result<json::object> to_item(const Value& v, std::string_view path) {
  if (v.kind() != Value::Kind::object)
    return bad(path, fmt::format("a DynamoDB item must be an object (a record), not a {}", kind_name(v.kind())));
  json::object out;
  out.reserve(v.as_object().size());
  for (const auto& m : v.as_object()) {
    if (m.value.is_null()) continue;
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
    return Value(std::move(out));
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
