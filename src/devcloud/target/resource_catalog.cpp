#include "devcloud/target/resource_catalog.hpp"

#include <algorithm>
#include <initializer_list>

namespace gust::devcloud::target {
namespace {

struct TypeInfo {
  std::string_view type;
  std::initializer_list<std::string_view> attributes;
  std::initializer_list<std::string_view> replacing;  // properties whose change replaces the resource
};

const TypeInfo kTypes[] = {
    {"AWS::DynamoDB::Table", {"Arn", "StreamArn"}, {"TableName", "KeySchema"}},
    {"AWS::S3::Bucket", {"Arn", "DomainName", "RegionalDomainName", "WebsiteURL"}, {"BucketName"}},
    {"AWS::S3::BucketPolicy", {}, {"Bucket"}},
    {"AWS::SQS::Queue", {"Arn", "QueueName", "QueueUrl"}, {"QueueName", "FifoQueue"}},
    {"AWS::SQS::QueuePolicy", {"Id"}, {}},
    {"AWS::SNS::Topic", {"TopicArn", "TopicName"}, {"TopicName", "FifoTopic"}},
    {"AWS::SNS::Subscription", {"Arn"}, {"Endpoint", "Protocol", "TopicArn"}},
    {"AWS::IAM::Role", {"Arn", "RoleId"}, {"RoleName", "Path"}},
    {"AWS::IAM::Policy", {"Id"}, {}},
    {"AWS::Logs::LogGroup", {"Arn"}, {"LogGroupName"}},
    {"AWS::Lambda::Function", {"Arn"}, {"FunctionName"}},
    {"AWS::Lambda::Permission", {}, {"Action", "EventSourceToken", "FunctionName", "Principal", "SourceAccount", "SourceArn"}},
    {"AWS::Lambda::EventInvokeConfig", {}, {"FunctionName", "Qualifier"}},
    {"AWS::Lambda::EventSourceMapping", {"Id"}, {"EventSourceArn", "StartingPosition"}},
    {"AWS::ApiGatewayV2::Api", {"ApiEndpoint", "ApiId"}, {}},
    {"AWS::ApiGatewayV2::Integration", {"IntegrationId"}, {"ApiId"}},
    {"AWS::ApiGatewayV2::Route", {"RouteId"}, {"ApiId"}},
    {"AWS::ApiGatewayV2::Stage", {}, {"ApiId", "StageName"}},
    {"AWS::Scheduler::Schedule", {"Arn"}, {"Name", "GroupName"}},
};

const TypeInfo* info(std::string_view type) {
  for (const auto& t : kTypes) {
    if (t.type == type) return &t;
  }
  return nullptr;
}

}  // namespace

bool is_supported_type(std::string_view type) { return info(type) != nullptr; }

std::string supported_types_list() {
  std::string out;
  for (const auto& t : kTypes) out += (out.empty() ? "" : ", ") + std::string(t.type);
  return out;
}

bool supports_attribute(std::string_view type, std::string_view attribute) {
  const TypeInfo* t = info(type);
  return t != nullptr && std::find(t->attributes.begin(), t->attributes.end(), attribute) != t->attributes.end();
}

bool requires_replacement(std::string_view type, std::string_view property) {
  const TypeInfo* t = info(type);
  return t != nullptr && std::find(t->replacing.begin(), t->replacing.end(), property) != t->replacing.end();
}

}  // namespace gust::devcloud::target
