// JSON text <-> gust::Value through Boost.JSON (kept out of public headers).
#include <gust/value.hpp>

#include "core/number_text.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <unordered_map>

namespace gust {
namespace {

namespace json = boost::json;
using boost::system::error_code;

// A duplicate key keeps its first position and its last value, as Boost.JSON's
// own DOM does.
void merge_duplicate_keys(Object& o) {
  if (o.size() < 2) return;
  std::vector<bool> dropped(o.size(), false);
  bool any = false;
  const auto drop_into = [&](std::size_t first, std::size_t later) {
    o[first].value = std::move(o[later].value);
    dropped[later] = any = true;
  };
  if (o.size() <= 16) {
    for (std::size_t i = 1; i < o.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (!dropped[j] && o[j].key == o[i].key) {
          drop_into(j, i);
          break;
        }
      }
    }
  } else {
    std::unordered_map<std::string_view, std::size_t> first;
    first.reserve(o.size());
    for (std::size_t i = 0; i < o.size(); ++i) {
      auto [it, fresh] = first.emplace(o[i].key, i);
      if (!fresh) drop_into(it->second, i);
    }
  }
  if (!any) return;
  std::size_t out = 0;
  for (std::size_t i = 0; i < o.size(); ++i) {
    if (!dropped[i]) {
      if (out != i) o[out] = std::move(o[i]);
      ++out;
    }
  }
  o.resize(out);
}

// Builds a gust::Value straight from Boost.JSON's SAX parser: no intermediate
// DOM, and number tokens reach number_from_text as the text they were written
// in, so no digit is lost to a double.
class ValueBuilder {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) {
    open_.push_back(Open{Value(Array{}), {}});
    return true;
  }
  bool on_array_end(std::size_t, error_code&) { return close(); }
  bool on_object_begin(error_code&) {
    open_.push_back(Open{Value(Object{}), {}});
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    merge_duplicate_keys(open_.back().container.as_object());
    return close();
  }
  bool on_string_part(json::string_view s, std::size_t, error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, error_code&) {
    text_.append(s.data(), s.size());
    add(Value(std::move(text_)));
    text_.clear();
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, error_code&) {
    text_.append(s.data(), s.size());
    open_.back().key = std::move(text_);
    text_.clear();
    return true;
  }
  bool on_number_part(json::string_view s, error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, error_code&) {
    text_.clear();
    add(Value(static_cast<long long>(i)));
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, error_code&) {
    text_.clear();
    add(Value(static_cast<unsigned long long>(u)));
    return true;
  }
  bool on_double(double d, json::string_view s, error_code&) {
    text_.append(s.data(), s.size());
    auto exact = number_from_text(text_);
    text_.clear();
    add(exact ? std::move(*exact) : Value(d));
    return true;
  }
  bool on_bool(bool b, error_code&) {
    add(Value(b));
    return true;
  }
  bool on_null(error_code&) {
    add(Value());
    return true;
  }
  bool on_comment_part(json::string_view, error_code&) { return true; }
  bool on_comment(json::string_view, error_code&) { return true; }

  Value release() { return std::move(root_); }

 private:
  struct Open {
    Value container;
    std::string key;  // an object's member being read
  };
  void add(Value v) {
    if (open_.empty()) {
      root_ = std::move(v);
    } else if (Open& top = open_.back(); top.container.kind() == Value::Kind::array) {
      top.container.as_array().push_back(std::move(v));
    } else {
      top.container.as_object().push_back(Member{std::move(top.key), std::move(v)});
    }
  }
  bool close() {
    Value done = std::move(open_.back().container);
    open_.pop_back();
    add(std::move(done));
    return true;
  }

  std::vector<Open> open_;
  std::string text_;  // a string, key or number arriving in parts
  Value root_;
};

void serialize_string(std::string& out, std::string_view s) {
  out += json::serialize(json::string_view(s.data(), s.size()));
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
        // std::to_chars, as Decimal::from_double and DynamoDB's N use: the same
        // shortest text everywhere (2^64 stays "18446744073709551616").
        char buf[64];
        const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
        out.append(buf, ec == std::errc{} ? static_cast<std::size_t>(end - buf) : 0);
      }
      return;
    }
    case Value::Kind::decimal: out += v.as_decimal().to_string(); return;  // every digit
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
  json::basic_parser<ValueBuilder> parser{json::parse_options{}};
  error_code ec;
  const std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
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
  return parser.handler().release();
}

std::string to_json_text(const Value& value) {
  std::string out;
  serialize(out, value);
  return out;
}

}  // namespace gust
