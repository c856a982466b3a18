#pragma once
// What the deploy target knows about each CloudFormation resource type it
// provisions: the attributes Fn::GetAtt may read and the properties whose
// change replaces the resource (CloudFormation's "Update requires:
// Replacement"), from the AWS resource reference.

#include <string>
#include <string_view>

namespace gust::devcloud::target {

bool is_supported_type(std::string_view type);
// "AWS::DynamoDB::Table, AWS::S3::Bucket, ..." for error messages.
std::string supported_types_list();
bool supports_attribute(std::string_view type, std::string_view attribute);
// True when changing `property` of a `type` resource makes a new resource.
bool requires_replacement(std::string_view type, std::string_view property);

}  // namespace gust::devcloud::target
