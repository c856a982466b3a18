#include "devcloud/target/intrinsics.hpp"

#include <gust/value.hpp>

#include <boost/json/serialize.hpp>

#include <fmt/format.h>

namespace gust::devcloud::target {
namespace json = boost::json;
namespace {

struct Resolver {
  const ResolveScope& scope;

  static Error template_error(std::string message) { return Error{ErrorCode::invalid_argument, "Template error: " + std::move(message), {}, {}}; }

  static std::string text(const json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_int64()) return std::to_string(v.as_int64());
    if (v.is_uint64()) return std::to_string(v.as_uint64());
    if (v.is_bool()) return v.as_bool() ? "true" : "false";
    return json::serialize(v);
  }

  Result<std::string> ref(std::string_view name) const {
    if (auto v = scope.ref(name)) return *v;
    return Unexpected{template_error(fmt::format("unresolved reference {}", name))};
  }

  Result<std::string> get_att(std::string_view logical, std::string_view attribute) const {
    if (auto v = scope.get_att(logical, attribute)) return *v;
    return Unexpected{template_error(fmt::format("resource {} does not support attribute type {} in Fn::GetAtt", logical, attribute))};
  }

  Result<std::string> sub(const json::value& arg) const {
    std::string_view text_in;
    const json::object* locals = nullptr;
    json::object resolved_locals;
    if (arg.is_string()) {
      text_in = arg.as_string();
    } else {
      const auto& a = arg.as_array();
      text_in = a[0].as_string();
      for (const auto& kv : a[1].as_object()) {
        auto v = eval(kv.value());
        if (!v) return Unexpected{std::move(v).error()};
        resolved_locals[kv.key()] = std::move(*v);
      }
      locals = &resolved_locals;
    }
    std::string out;
    std::size_t i = 0;
    while (i < text_in.size()) {
      const auto open = text_in.find("${", i);
      if (open == std::string_view::npos) {
        out.append(text_in.substr(i));
        break;
      }
      out.append(text_in.substr(i, open - i));
      const auto close = text_in.find('}', open);
      if (close == std::string_view::npos) {
        out.append(text_in.substr(open));
        break;
      }
      const std::string_view name = text_in.substr(open + 2, close - open - 2);
      if (name.starts_with('!')) {
        out += "${";
        out.append(name.substr(1));
        out += "}";
      } else if (locals != nullptr && locals->contains(name)) {
        out += text(locals->at(name));
      } else if (const auto dot = name.find('.'); dot != std::string_view::npos && !name.starts_with("AWS::")) {
        auto v = get_att(name.substr(0, dot), name.substr(dot + 1));
        if (!v) return Unexpected{std::move(v).error()};
        out += *v;
      } else {
        auto v = ref(name);
        if (!v) return Unexpected{std::move(v).error()};
        out += *v;
      }
      i = close + 1;
    }
    return out;
  }

  // A value, or nullopt for AWS::NoValue.
  Result<json::value> eval(const json::value& v) const {
    if (v.is_array()) {
      json::array out;
      for (const auto& e : v.as_array()) {
        if (is_no_value(e)) continue;
        auto r = eval(e);
        if (!r) return r;
        out.push_back(std::move(*r));
      }
      return json::value(std::move(out));
    }
    if (!v.is_object()) return v;
    const auto& o = v.as_object();
    if (o.size() == 1) {
      const std::string_view key = o.begin()->key();
      const json::value& arg = o.begin()->value();
      if (key == "Ref") {
        auto r = ref(arg.as_string());
        if (!r) return Unexpected{std::move(r).error()};
        return json::value(*r);
      }
      if (key == "Fn::GetAtt") {
        std::string logical, attribute;
        if (arg.is_string()) {
          const std::string s(arg.as_string());
          logical = s.substr(0, s.find('.'));
          attribute = s.substr(s.find('.') + 1);
        } else {
          logical = std::string(arg.as_array()[0].as_string());
          attribute = std::string(arg.as_array()[1].as_string());
        }
        auto r = get_att(logical, attribute);
        if (!r) return Unexpected{std::move(r).error()};
        return json::value(*r);
      }
      if (key == "Fn::Sub") {
        auto r = sub(arg);
        if (!r) return Unexpected{std::move(r).error()};
        return json::value(*r);
      }
      if (key == "Fn::Join") {
        if (!arg.is_array() || arg.as_array().size() != 2 || !arg.as_array()[0].is_string())
          return Unexpected{template_error("Fn::Join requires a delimiter and a list of values")};
        auto list = eval(arg.as_array()[1]);
        if (!list) return list;
        if (!list->is_array()) return Unexpected{template_error("the second argument of Fn::Join must be a list")};
        std::string out;
        bool first = true;
        for (const auto& e : list->as_array()) {
          if (!first) out += arg.as_array()[0].as_string();
          out += text(e);
          first = false;
        }
        return json::value(out);
      }
      if (key == "Fn::Select") {
        if (!arg.is_array() || arg.as_array().size() != 2) return Unexpected{template_error("Fn::Select requires an index and a list")};
        auto index = eval(arg.as_array()[0]);
        if (!index) return index;
        auto list = eval(arg.as_array()[1]);
        if (!list) return list;
        const long n = index->is_string() ? std::strtol(std::string(index->as_string()).c_str(), nullptr, 10)
                                          : (index->is_int64() ? static_cast<long>(index->as_int64()) : -1);
        if (!list->is_array() || n < 0 || static_cast<std::size_t>(n) >= list->as_array().size())
          return Unexpected{template_error("Fn::Select cannot select nonexistent value at index " + std::to_string(n))};
        return list->as_array()[static_cast<std::size_t>(n)];
      }
      if (key == "Fn::Split") {
        if (!arg.is_array() || arg.as_array().size() != 2 || !arg.as_array()[0].is_string())
          return Unexpected{template_error("Fn::Split requires a delimiter and a string")};
        auto source = eval(arg.as_array()[1]);
        if (!source) return source;
        const std::string delimiter(arg.as_array()[0].as_string());
        const std::string s = text(*source);
        json::array out;
        std::size_t start = 0;
        for (auto at = s.find(delimiter); !delimiter.empty() && at != std::string::npos; at = s.find(delimiter, start)) {
          out.emplace_back(s.substr(start, at - start));
          start = at + delimiter.size();
        }
        out.emplace_back(s.substr(start));
        return json::value(std::move(out));
      }
      if (key == "Fn::GetAZs") {
        json::array out;
        for (const char zone : {'a', 'b', 'c'}) out.emplace_back(scope.region + zone);
        return json::value(std::move(out));
      }
      if (key == "Fn::Base64") {
        auto r = eval(arg);
        if (!r) return r;
        return json::value(base64_encode(text(*r)));
      }
    }
    json::object out;
    for (const auto& kv : o) {
      if (is_no_value(kv.value())) continue;
      auto r = eval(kv.value());
      if (!r) return r;
      out[kv.key()] = std::move(*r);
    }
    return json::value(std::move(out));
  }

  static bool is_no_value(const json::value& v) {
    if (!v.is_object() || v.as_object().size() != 1) return false;
    const auto* ref = v.as_object().if_contains("Ref");
    return ref != nullptr && ref->is_string() && ref->as_string() == "AWS::NoValue";
  }
};

}  // namespace

Result<json::value> resolve(const json::value& value, const ResolveScope& scope) { return Resolver{scope}.eval(value); }

}  // namespace gust::devcloud::target
