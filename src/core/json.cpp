// JSON text <-> gust::Value through Boost.JSON (kept out of public headers).
#include <gust/value.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>

namespace gust {
namespace {

Value from_boost(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: return Value();
    case boost::json::kind::bool_: return Value(v.get_bool());
    case boost::json::kind::int64: return Value(static_cast<long long>(v.get_int64()));
    case boost::json::kind::uint64: return Value(static_cast<unsigned long long>(v.get_uint64()));
    case boost::json::kind::double_: return Value(v.get_double());
    case boost::json::kind::string: return Value(std::string_view(v.get_string()));
    case boost::json::kind::array: {
      Array a;
      a.reserve(v.get_array().size());
      for (const auto& item : v.get_array()) a.push_back(from_boost(item));
      return Value(std::move(a));
    }
    case boost::json::kind::object: {
      Object o;
      o.reserve(v.get_object().size());
      for (const auto& kv : v.get_object()) o.push_back(Member{std::string(kv.key()), from_boost(kv.value())});
      return Value(std::move(o));
    }
  }
  return Value();
}

void serialize_string(std::string& out, std::string_view s) {
  out += boost::json::serialize(boost::json::string_view(s.data(), s.size()));
}

void serialize(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::null: out += "null"; return;
    case Value::Kind::boolean: out += v.as_bool() ? "true" : "false"; return;
    case Value::Kind::integer: fmt::format_to(std::back_inserter(out), "{}", v.as_int()); return;
    case Value::Kind::unsigned_integer: fmt::format_to(std::back_inserter(out), "{}", v.as_uint()); return;
    case Value::Kind::number: {
      // Shortest text that reads back to the same double ("1.5", not Boost's "1.5E0"); JSON has no NaN or infinity.
      const double d = v.as_double();
      if (!std::isfinite(d)) {
        out += "null";
      } else if (d == std::trunc(d) && std::fabs(d) < 1e15) {
        fmt::format_to(std::back_inserter(out), "{:.1f}", d);
      } else {
        fmt::format_to(std::back_inserter(out), "{}", d);
      }
      return;
    }
    case Value::Kind::string: serialize_string(out, v.as_string()); return;
    case Value::Kind::binary: serialize_string(out, base64_encode(v.as_bytes().data)); return;
    case Value::Kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.as_array()) {
        if (!first) out += ',';
        first = false;
        serialize(out, item);
      }
      out += ']';
      return;
    }
    case Value::Kind::object: {
      out += '{';
      bool first = true;
      for (const auto& m : v.as_object()) {
        if (!first) out += ',';
        first = false;
        serialize_string(out, m.key);
        out += ':';
        serialize(out, m.value);
      }
      out += '}';
      return;
    }
  }
}

// Line and column (1-based) of a byte offset, for parse errors.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

void serialize_pretty(std::string& out, const Value& v, int depth) {
  const auto newline = [&](int d) {
    out += '\n';
    out.append(static_cast<std::size_t>(d) * 2, ' ');
  };
  if (v.kind() == Value::Kind::array && !v.as_array().empty()) {
    out += '[';
    bool first = true;
    for (const auto& item : v.as_array()) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      serialize_pretty(out, item, depth + 1);
    }
    newline(depth);
    out += ']';
  } else if (v.kind() == Value::Kind::object && !v.as_object().empty()) {
    out += '{';
    bool first = true;
    for (const auto& m : v.as_object()) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      serialize_string(out, m.key);
      out += ": ";
      serialize_pretty(out, m.value, depth + 1);
    }
    newline(depth);
    out += '}';
  } else {
    serialize(out, v);
  }
}

}  // namespace

std::string to_json_pretty(const Value& value) {
  std::string out;
  serialize_pretty(out, value, 0);
  out += '\n';
  return out;
}

Result<Value> parse_json(std::string_view text) {
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  const std::size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (!ec && consumed < text.size()) {
    // Trailing content after a complete document: only whitespace is allowed.
    for (std::size_t i = consumed; i < text.size(); ++i) {
      char c = text[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        auto [line, column] = line_column(text, i);
        return unexpected(ErrorCode::invalid_argument, "unexpected text after the JSON document",
                          fmt::format("line {} column {}", line, column));
      }
    }
  }
  if (ec) {
    auto [line, column] = line_column(text, consumed);
    return unexpected(ErrorCode::invalid_argument, fmt::format("malformed JSON: {}", ec.message()),
                      fmt::format("line {} column {}", line, column));
  }
  return from_boost(parser.release());
}

std::string to_json_text(const Value& value) {
  std::string out;
  serialize(out, value);
  return out;
}

}  // namespace gust
