// A YAML emitter for CloudFormation documents: block style, intrinsic
// functions in their short form (`!Ref X`, `!GetAtt X.Arn`, `!Sub ...`) as
// people write them by hand, and strings quoted whenever YAML could read them
// as something else. Small enough that a YAML library would not pay for itself.
#include "synth/synth.hpp"

#include <fmt/format.h>

namespace gust::synth {
namespace {

// Plain (unquoted) only where YAML 1.1 reads the text back as this same string.
bool needs_quotes(std::string_view s) {
  if (s.empty() || s == "=") return true;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`<").find(s.front()) != std::string_view::npos) return true;
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos || s.back() == ':') return true;
  if (s.find_first_of("\n\t\r\\") != std::string_view::npos) return true;
  if (s.front() == ' ' || s.back() == ' ') return true;
  // YAML 1.1 booleans and null, in any case (CloudFormation reads OFF as false).
  std::string lower;
  for (char ch : s) lower += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  for (std::string_view word : {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"}) {
    if (lower == word) return true;
  }
  // Anything that could read as a number (or a 1.1 sexagesimal "1:30") stays a string.
  const char c = s.front();
  return (c >= '0' && c <= '9') || c == '.' || c == '+';
}

std::string quoted_if_needed(const std::string& s) { return needs_quotes(s) ? to_json_text(Value(s)) : s; }

std::string scalar(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::null: return "null";
    case Value::Kind::boolean: return v.as_bool() ? "true" : "false";
    case Value::Kind::string: return quoted_if_needed(v.as_string());
    default: return to_json_text(v);
  }
}

bool is_empty_container(const Value& v) {
  return (v.kind() == Value::Kind::array && v.as_array().empty()) || (v.kind() == Value::Kind::object && v.as_object().empty());
}

bool is_container(const Value& v) { return (v.kind() == Value::Kind::array || v.kind() == Value::Kind::object) && !is_empty_container(v); }

// {"Ref": x} -> "Ref", {"Fn::Sub": x} -> "Sub": the tag of a one-member intrinsic, or "".
std::string_view intrinsic_tag(const Value& v) {
  if (v.kind() != Value::Kind::object || v.as_object().size() != 1) return {};
  std::string_view key = v.as_object().front().key;
  if (key == "Ref" || key == "Condition") return key;
  if (key.starts_with("Fn::") && key.size() > 4) return key.substr(4);
  return {};
}

void emit(std::string& out, const Value& v, int indent);

// What follows "key:" or "-": " scalar\n", " !Tag scalar\n", or "\n" and a nested block.
void emit_after_indicator(std::string& out, const Value& v, int indent) {
  if (const std::string_view tag = intrinsic_tag(v); !tag.empty()) {
    const Value& arg = v.as_object().front().value;
    out += fmt::format(" !{}", tag);
    // !GetAtt Resource.Attribute: the form everyone reads.
    if (tag == "GetAtt" && arg.kind() == Value::Kind::array && arg.as_array().size() == 2 &&
        arg.as_array()[0].kind() == Value::Kind::string && arg.as_array()[1].kind() == Value::Kind::string &&
        arg.as_array()[0].as_string().find('.') == std::string::npos) {
      out += ' ' + quoted_if_needed(arg.as_array()[0].as_string() + "." + arg.as_array()[1].as_string()) + '\n';
      return;
    }
    if (is_container(arg)) {
      out += '\n';
      emit(out, arg, indent);
    } else {
      out += ' ' + scalar(arg) + '\n';
    }
    return;
  }
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
      out += pad + quoted_if_needed(m.key) + ":";
      emit_after_indicator(out, m.value, indent + 2);
    }
  } else if (v.kind() == Value::Kind::array) {
    for (const auto& item : v.as_array()) {
      if (item.kind() == Value::Kind::object && !item.as_object().empty() && intrinsic_tag(item).empty()) {
        // "- key: value" with the rest of the object aligned under the first key.
        std::string nested;
        emit(nested, item, indent + 2);
        out += pad + "- " + nested.substr(static_cast<std::size_t>(indent) + 2);
      } else {
        out += pad + "-";
        emit_after_indicator(out, item, indent + 2);
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
