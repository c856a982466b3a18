#include "devcloud/target/cfn_template.hpp"

#include "devcloud/target/resource_catalog.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/stream_parser.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>

namespace gust::devcloud::target {
namespace json = boost::json;
namespace {

constexpr std::string_view kSupportedFunctions =
    "[Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::Join, Fn::Select, Fn::Split, Fn::Sub, Ref]";
const std::set<std::string, std::less<>> kFunctions = {"Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::GetAZs", "Fn::Base64"};
const std::set<std::string, std::less<>> kPseudo = {"AWS::Region", "AWS::AccountId", "AWS::StackName", "AWS::StackId", "AWS::Partition",
                                                    "AWS::URLSuffix", "AWS::NoValue", "AWS::NotificationARNs"};

Error format_error(std::string message) { return Error{ErrorCode::invalid_argument, "Template format error: " + std::move(message), {}, {}}; }

// "line 3, column 7" for an offset into `text`.
std::string position(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
  const auto last = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  const auto column = last == std::string_view::npos ? offset + 1 : offset - last;
  return fmt::format("line {}, column {}", line, column);
}

std::string as_text(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  return json::serialize(v);
}

struct Checker {
  const std::set<std::string>& resources;
  const std::set<std::string>& parameters;
  std::set<std::string> unresolved;
  std::optional<Error> error;

  bool known_name(const std::string& name) const { return resources.contains(name) || parameters.contains(name) || kPseudo.contains(name); }

  void check_get_att(const std::string& logical, const std::string& attribute, const std::string& type) {
    if (!resources.contains(logical)) {
      unresolved.insert(logical);
      return;
    }
    if (!type.empty() && !error && !supports_attribute(type, attribute)) {
      error = Error{ErrorCode::invalid_argument,
                    fmt::format("Template error: resource {} does not support attribute type {} in Fn::GetAtt", logical, attribute), {}, {}};
    }
  }

  void walk(const json::value& v, const std::function<std::string(const std::string&)>& type_of) {
    if (error) return;
    if (v.is_array()) {
      for (const auto& e : v.as_array()) walk(e, type_of);
      return;
    }
    if (!v.is_object()) return;
    const auto& o = v.as_object();
    if (o.size() == 1) {
      const std::string key(o.begin()->key());
      const auto& arg = o.begin()->value();
      if (key == "Ref") {
        if (!arg.is_string()) {
          error = Error{ErrorCode::invalid_argument, "Template error: every Ref object must have a single String value.", {}, {}};
          return;
        }
        if (!known_name(std::string(arg.as_string()))) unresolved.insert(std::string(arg.as_string()));
        return;
      }
      if (key == "Fn::GetAtt") {
        std::string logical, attribute;
        if (arg.is_string()) {
          const std::string s(arg.as_string());
          logical = s.substr(0, s.find('.'));
          attribute = s.find('.') == std::string::npos ? "" : s.substr(s.find('.') + 1);
        } else if (arg.is_array() && arg.as_array().size() == 2 && arg.as_array()[0].is_string() && arg.as_array()[1].is_string()) {
          logical = std::string(arg.as_array()[0].as_string());
          attribute = std::string(arg.as_array()[1].as_string());
        } else {
          error = Error{ErrorCode::invalid_argument, "Template error: every Fn::GetAtt object requires two non-empty parameters", {}, {}};
          return;
        }
        check_get_att(logical, attribute, type_of(logical));
        return;
      }
      if (key == "Fn::Sub") {
        std::string text;
        std::set<std::string> locals;
        if (arg.is_string()) {
          text = std::string(arg.as_string());
        } else if (arg.is_array() && arg.as_array().size() == 2 && arg.as_array()[0].is_string() && arg.as_array()[1].is_object()) {
          text = std::string(arg.as_array()[0].as_string());
          for (const auto& kv : arg.as_array()[1].as_object()) {
            locals.insert(std::string(kv.key()));
            walk(kv.value(), type_of);
          }
        } else {
          error = Error{ErrorCode::invalid_argument,
                        "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first "
                        "argument, and an optional second argument to specify a mapping of values to replace in the string",
                        {}, {}};
          return;
        }
        for (const auto& name : sub_variables(text)) {
          if (locals.contains(name)) continue;
          const auto dot = name.find('.');
          if (dot != std::string::npos && !name.starts_with("AWS::")) {
            check_get_att(name.substr(0, dot), name.substr(dot + 1), type_of(name.substr(0, dot)));
          } else if (!known_name(name)) {
            unresolved.insert(name);
          }
        }
        return;
      }
      if (key.starts_with("Fn::") && !kFunctions.contains(key)) {
        error = Error{ErrorCode::invalid_argument,
                      fmt::format("Template error: Encountered unsupported function: {} Supported functions are: {}", key, kSupportedFunctions),
                      {}, {}};
        return;
      }
    }
    for (const auto& kv : o) walk(kv.value(), type_of);
  }
};

}  // namespace

const TemplateResource* Template::find(std::string_view logical_id) const {
  for (const auto& r : resources) {
    if (r.logical_id == logical_id) return &r;
  }
  return nullptr;
}

std::vector<std::string> sub_variables(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = text.find("${"); i != std::string_view::npos; i = text.find("${", i)) {
    const auto close = text.find('}', i);
    if (close == std::string_view::npos) break;
    const auto name = text.substr(i + 2, close - i - 2);
    if (!name.starts_with('!')) out.emplace_back(name);
    i = close + 1;
  }
  return out;
}

std::set<std::string> referenced_resources(const json::value& v, const std::set<std::string>& resource_ids) {
  std::set<std::string> out;
  std::function<void(const json::value&)> walk = [&](const json::value& x) {
    if (x.is_array()) {
      for (const auto& e : x.as_array()) walk(e);
    } else if (x.is_object()) {
      const auto& o = x.as_object();
      if (o.size() == 1) {
        const std::string key(o.begin()->key());
        const auto& arg = o.begin()->value();
        if (key == "Ref" && arg.is_string() && resource_ids.contains(std::string(arg.as_string()))) out.insert(std::string(arg.as_string()));
        if (key == "Fn::GetAtt") {
          std::string logical;
          if (arg.is_string()) logical = std::string(arg.as_string()).substr(0, std::string(arg.as_string()).find('.'));
          if (arg.is_array() && !arg.as_array().empty() && arg.as_array()[0].is_string()) logical = std::string(arg.as_array()[0].as_string());
          if (resource_ids.contains(logical)) out.insert(logical);
        }
        if (key == "Fn::Sub") {
          const json::value* text = arg.is_string() ? &arg : (arg.is_array() && !arg.as_array().empty() ? &arg.as_array()[0] : nullptr);
          if (text != nullptr && text->is_string()) {
            for (const auto& name : sub_variables(std::string_view(text->as_string()))) {
              const std::string logical = name.substr(0, name.find('.'));
              if (resource_ids.contains(logical)) out.insert(logical);
            }
          }
        }
      }
      for (const auto& kv : o) walk(kv.value());
    }
  };
  walk(v);
  return out;
}

Result<Template> parse_template(std::string_view text) {
  boost::system::error_code ec;
  json::parse_options options;
  json::value doc;
  {
    json::stream_parser parser({}, options);
    const std::size_t used = parser.write_some(text.data(), text.size(), ec);
    if (!ec) parser.finish(ec);
    if (ec) {
      if (text.find_first_not_of(" \t\r\n") != std::string_view::npos && text[text.find_first_not_of(" \t\r\n")] != '{' &&
          text[text.find_first_not_of(" \t\r\n")] != '[') {
        // Not JSON at all: CloudFormation would try YAML; the local target reads JSON templates only.
        return unexpected(ErrorCode::invalid_argument,
                          "Template format error: the local cloud target reads JSON templates only (not YAML); synthesize with --format json");
      }
      return Unexpected{format_error(fmt::format("JSON not well-formed. ({})", position(text, used)))};
    }
    doc = parser.release();
  }
  if (!doc.is_object()) return Unexpected{format_error("template is not a JSON object")};
  const auto& root = doc.as_object();
  for (const auto& kv : root) {
    static const std::set<std::string, std::less<>> kSections = {"AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Resources",
                                                                 "Outputs", "Rules", "Mappings", "Conditions", "Transform"};
    if (!kSections.contains(kv.key())) return Unexpected{format_error(fmt::format("Invalid template property or properties [{}]", std::string(kv.key())))};
    if (kv.key() == "Conditions" || kv.key() == "Transform" || kv.key() == "Mappings" || kv.key() == "Rules") {
      return unexpected(ErrorCode::invalid_argument,
                        fmt::format("Template format error: the local cloud target does not support the {} section", std::string(kv.key())));
    }
  }
  Template t;
  if (auto it = root.find("Description"); it != root.end() && it->value().is_string()) t.description = std::string(it->value().as_string());
  std::set<std::string> parameter_names;
  if (auto it = root.find("Parameters"); it != root.end()) {
    if (!it->value().is_object()) return Unexpected{format_error("Parameters must be an object")};
    for (const auto& kv : it->value().as_object()) {
      TemplateParameter p;
      p.name = std::string(kv.key());
      if (!kv.value().is_object() || !kv.value().as_object().contains("Type"))
        return Unexpected{format_error(fmt::format("[/Parameters/{}] 'Type' is required", p.name))};
      const auto& o = kv.value().as_object();
      p.type = as_text(o.at("Type"));
      if (auto d = o.find("Default"); d != o.end()) p.default_value = as_text(d->value());
      if (auto d = o.find("Description"); d != o.end()) p.description = as_text(d->value());
      parameter_names.insert(p.name);
      t.parameters.push_back(std::move(p));
    }
  }
  auto res = root.find("Resources");
  if (res == root.end() || !res->value().is_object() || res->value().as_object().empty())
    return Unexpected{format_error("At least one Resources member must be defined.")};
  std::set<std::string> ids;
  std::map<std::string, std::string> types;
  std::vector<TemplateResource> declared;
  for (const auto& kv : res->value().as_object()) {
    TemplateResource r;
    r.logical_id = std::string(kv.key());
    if (!kv.value().is_object()) return Unexpected{format_error(fmt::format("[/Resources/{}] resource definition is malformed", r.logical_id))};
    const auto& o = kv.value().as_object();
    auto type = o.find("Type");
    if (type == o.end() || !type->value().is_string())
      return Unexpected{format_error(fmt::format("[/Resources/{}] Every Resources object must contain a Type member.", r.logical_id))};
    r.type = std::string(type->value().as_string());
    if (auto p = o.find("Properties"); p != o.end()) {
      if (!p->value().is_object()) return Unexpected{format_error(fmt::format("[/Resources/{}/Properties] must be an object", r.logical_id))};
      r.properties = p->value().as_object();
    }
    if (auto d = o.find("DependsOn"); d != o.end()) {
      if (d->value().is_string()) r.depends_on.emplace_back(d->value().as_string());
      if (d->value().is_array()) {
        for (const auto& e : d->value().as_array()) r.depends_on.push_back(as_text(e));
      }
    }
    if (auto d = o.find("DeletionPolicy"); d != o.end()) r.deletion_policy = as_text(d->value());
    if (o.contains("Condition"))
      return unexpected(ErrorCode::invalid_argument,
                        fmt::format("Template format error: the local cloud target does not support conditions (resource {})", r.logical_id));
    ids.insert(r.logical_id);
    types[r.logical_id] = r.type;
    declared.push_back(std::move(r));
  }
  // Unknown types first, as CloudFormation reports them.
  std::vector<std::string> unknown;
  for (const auto& r : declared) {
    if (!is_supported_type(r.type)) unknown.push_back(fmt::format("{} ({})", r.type, r.logical_id));
  }
  if (!unknown.empty()) {
    std::string list;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    return Unexpected{format_error(fmt::format("Unrecognized resource types: [{}]; the local cloud target provisions {}", list, supported_types_list()))};
  }
  Checker checker{ids, parameter_names, {}, {}};
  auto type_of = [&](const std::string& id) {
    auto it = types.find(id);
    return it == types.end() ? std::string() : it->second;
  };
  for (const auto& r : declared) {
    checker.walk(json::value(r.properties), type_of);
    for (const auto& d : r.depends_on) {
      if (!ids.contains(d))
        return Unexpected{format_error(fmt::format("Unresolved resource dependencies [{}] in the Resources block of the template", d))};
    }
  }
  if (auto it = root.find("Outputs"); it != root.end() && it->value().is_object()) {
    for (const auto& kv : it->value().as_object()) {
      if (!kv.value().is_object() || !kv.value().as_object().contains("Value"))
        return Unexpected{format_error(fmt::format("[/Outputs/{}] 'Value' is required", std::string(kv.key())))};
      TemplateOutput out{std::string(kv.key()), kv.value().as_object().at("Value"), ""};
      if (auto d = kv.value().as_object().find("Description"); d != kv.value().as_object().end()) out.description = as_text(d->value());
      checker.walk(out.value, type_of);
      t.outputs.push_back(std::move(out));
    }
  }
  if (checker.error) return Unexpected{*checker.error};
  if (!checker.unresolved.empty()) {
    std::string list;
    for (const auto& u : checker.unresolved) list += (list.empty() ? "" : ", ") + u;
    return Unexpected{format_error(fmt::format("Unresolved resource dependencies [{}] in the Resources block of the template", list))};
  }
  // Creation order: each resource after what it refers to (Kahn's algorithm, declaration order among equals).
  std::map<std::string, std::set<std::string>> needs;
  for (const auto& r : declared) {
    needs[r.logical_id] = referenced_resources(json::value(r.properties), ids);
    needs[r.logical_id].insert(r.depends_on.begin(), r.depends_on.end());
    needs[r.logical_id].erase(r.logical_id);
  }
  std::set<std::string> placed;
  while (t.resources.size() < declared.size()) {
    bool progress = false;
    for (const auto& r : declared) {
      if (placed.contains(r.logical_id)) continue;
      if (std::all_of(needs[r.logical_id].begin(), needs[r.logical_id].end(), [&](const std::string& n) { return placed.contains(n); })) {
        placed.insert(r.logical_id);
        t.resources.push_back(r);
        progress = true;
      }
    }
    if (!progress) {
      std::string cycle;
      for (const auto& r : declared) {
        if (!placed.contains(r.logical_id)) cycle += (cycle.empty() ? "" : ", ") + r.logical_id;
      }
      return Unexpected{format_error(fmt::format("Circular dependency between resources: [{}]", cycle))};
    }
  }
  return t;
}

}  // namespace gust::devcloud::target
