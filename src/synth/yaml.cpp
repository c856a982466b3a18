// A YAML emitter for JSON-shaped documents: block style, strings quoted
// whenever YAML could read them as something else.
#include "synth/synth.hpp"

#include <fmt/format.h>

namespace gust::synth {
namespace {

bool needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  static constexpr std::string_view kSpecial = ":#{}[],&*?|-<>=!%@`'\"\\\n\t";
  if (s.find_first_of(kSpecial) != std::string_view::npos) return true;
  if (s.front() == ' ' || s.back() == ' ') return true;
  // YAML 1.1 booleans and null, in any case (CloudFormation reads OFF as false).
  std::string lower;
  for (char ch : s) lower += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  for (std::string_view word : {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"}) {
    if (lower == word) return true;
  }
  // Anything that reads as a number stays a string.
  const char c = s.front();
  return (c >= '0' && c <= '9') || c == '.' || c == '+';
}

std::string scalar(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::null: return "null";
    case Value::Kind::boolean: return v.as_bool() ? "true" : "false";
    case Value::Kind::string: return needs_quotes(v.as_string()) ? to_json_text(v) : v.as_string();
    default: return to_json_text(v);
  }
}

bool is_empty_container(const Value& v) {
  return (v.kind() == Value::Kind::array && v.as_array().empty()) || (v.kind() == Value::Kind::object && v.as_object().empty());
}

bool is_container(const Value& v) { return (v.kind() == Value::Kind::array || v.kind() == Value::Kind::object) && !is_empty_container(v); }

void emit(std::string& out, const Value& v, int indent);

void emit_entry_value(std::string& out, const Value& v, int indent) {
  if (is_container(v)) {
    out += '\n';
    emit(out, v, indent);
  } else {
    out += ' ';
    out += is_empty_container(v) ? (v.kind() == Value::Kind::array ? "[]" : "{}") : scalar(v);
    out += '\n';
  }
}

void emit(std::string& out, const Value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (v.kind() == Value::Kind::object) {
    for (const auto& m : v.as_object()) {
      out += pad + (needs_quotes(m.key) ? to_json_text(Value(m.key)) : m.key) + ":";
      emit_entry_value(out, m.value, indent + 2);
    }
  } else if (v.kind() == Value::Kind::array) {
    for (const auto& item : v.as_array()) {
      if (item.kind() == Value::Kind::object && !item.as_object().empty()) {
        // "- key: value" with the rest of the object aligned under the first key.
        std::string nested;
        emit(nested, item, indent + 2);
        out += pad + "- " + nested.substr(static_cast<std::size_t>(indent) + 2);
      } else {
        out += pad + "-";
        emit_entry_value(out, item, indent + 2);
      }
    }
  } else {
    out += pad + scalar(v) + "\n";
  }
}

}  // namespace

std::string to_yaml(const Value& document) {
  std::string out;
  emit(out, document, 0);
  return out;
}

}  // namespace gust::synth
