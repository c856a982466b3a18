#pragma once
// Evaluates CloudFormation's intrinsic functions in a property value: Ref,
// Fn::GetAtt, Fn::Sub (both forms), Fn::Join, Fn::Select, Fn::Split,
// Fn::GetAZs and Fn::Base64, with the pseudo parameters. The scope says what
// names and attributes are worth; the template was checked beforehand
// (parse_template), so an unknown name here is a resource not yet made.

#include <gust/result.hpp>

#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace gust::devcloud::target {

struct ResolveScope {
  // Parameters, pseudo parameters and resources by name: what Ref gives.
  std::function<std::optional<std::string>(std::string_view name)> ref;
  std::function<std::optional<std::string>(std::string_view logical_id, std::string_view attribute)> get_att;
  std::string region = "us-east-1";
};

// `value` with every intrinsic replaced by its value. AWS::NoValue removes the member.
Result<boost::json::value> resolve(const boost::json::value& value, const ResolveScope& scope);

}  // namespace gust::devcloud::target
