#pragma once
// A CloudFormation template as the deploy target reads it: parameters,
// resources (type, properties, DependsOn, DeletionPolicy), outputs, checked
// the way CloudFormation checks a template before a change set exists (JSON
// well-formed, known intrinsic functions, references that resolve, no
// cycles). Errors carry CloudFormation's own words ("Template format error: ...").

#include <gust/result.hpp>

#include <boost/json/value.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gust::devcloud::target {

struct TemplateParameter {
  std::string name;
  std::string type = "String";
  std::optional<std::string> default_value;
  std::string description;
};

struct TemplateResource {
  std::string logical_id;
  std::string type;
  boost::json::object properties;
  std::vector<std::string> depends_on;
  std::string deletion_policy;  // "Delete" (default), "Retain", "Snapshot"
};

struct TemplateOutput {
  std::string key;
  boost::json::value value;
  std::string description;
};

struct Template {
  std::string description;
  std::vector<TemplateParameter> parameters;
  std::vector<TemplateResource> resources;  // in creation order: dependencies first
  std::vector<TemplateOutput> outputs;
  const TemplateResource* find(std::string_view logical_id) const;
};

// Parses and checks `text` (JSON). The message of an error is CloudFormation's.
Result<Template> parse_template(std::string_view text);

// The logical ids `value` refers to (Ref, Fn::GetAtt, ${X} and ${X.Attr} in Fn::Sub),
// without parameters and pseudo parameters.
std::set<std::string> referenced_resources(const boost::json::value& value, const std::set<std::string>& resource_ids);

// The ${...} names of an Fn::Sub string ("${AWS::Region}", "${Api.Arn}"); ${!x} is a literal.
std::vector<std::string> sub_variables(std::string_view text);

}  // namespace gust::devcloud::target
