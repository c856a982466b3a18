#include "aws/sns.hpp"

#include "aws/default_config.hpp"

#include <pugixml.hpp>

#include <fmt/format.h>

namespace gust::aws {
namespace {

constexpr std::string_view kVersion = "2010-03-31";
constexpr std::size_t kMaxMessage = 256 * 1024;

Result<std::string> result_field(const AwsResponse& res, const char* response, const char* result, const char* field,
                                 const std::string& context) {
  pugi::xml_document doc;
  if (!doc.load_buffer(res.body.data(), res.body.size()))
    return unexpected(ErrorCode::internal, "SNS answered with malformed XML", context);
  std::string value = doc.child(response).child(result).child_value(field);
  if (value.empty()) return unexpected(ErrorCode::internal, fmt::format("SNS answer has no {}", field), context);
  return value;
}

}  // namespace

Result<std::string> SnsClient::publish(std::string_view topic_arn, std::string_view message,
                                       const gust::detail::PublishSpec& spec, std::string_view context_in) const {
  const std::string context = context_in.empty() ? fmt::format("topic {} Publish", topic_arn) : std::string(context_in);
  if (message.size() > kMaxMessage)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("the message is {} bytes; SNS takes at most {}", message.size(), kMaxMessage), context);
  QueryParams params = {{"TopicArn", std::string(topic_arn)}, {"Message", std::string(message)}};
  if (!spec.subject.empty()) params.emplace_back("Subject", spec.subject);
  if (!spec.group_id.empty()) params.emplace_back("MessageGroupId", spec.group_id);
  if (!spec.deduplication_id.empty()) params.emplace_back("MessageDeduplicationId", spec.deduplication_id);
  int n = 0;
  for (const auto& [name, value] : spec.attributes) {
    ++n;
    const std::string prefix = fmt::format("MessageAttributes.entry.{}.", n);
    params.emplace_back(prefix + "Name", name);
    params.emplace_back(prefix + "Value.DataType", "String");
    params.emplace_back(prefix + "Value.StringValue", value);
  }
  auto res = client_.call_query("Publish", kVersion, params, context);
  if (!res) return Unexpected{std::move(res).error()};
  return result_field(*res, "PublishResponse", "PublishResult", "MessageId", context);
}

Result<std::string> SnsClient::create_topic(std::string_view name) const {
  const std::string context = fmt::format("topic {} CreateTopic", name);
  auto res = client_.call_query("CreateTopic", kVersion, {{"Name", std::string(name)}}, context);
  if (!res) return Unexpected{std::move(res).error()};
  return result_field(*res, "CreateTopicResponse", "CreateTopicResult", "TopicArn", context);
}

Result<std::string> SnsClient::subscribe(std::string_view topic_arn, std::string_view protocol,
                                         std::string_view endpoint, bool raw_message_delivery) const {
  const std::string context = fmt::format("topic {} Subscribe", topic_arn);
  QueryParams params = {{"TopicArn", std::string(topic_arn)},
                        {"Protocol", std::string(protocol)},
                        {"Endpoint", std::string(endpoint)},
                        {"ReturnSubscriptionArn", "true"}};
  if (raw_message_delivery) {
    params.emplace_back("Attributes.entry.1.key", "RawMessageDelivery");
    params.emplace_back("Attributes.entry.1.value", "true");
  }
  auto res = client_.call_query("Subscribe", kVersion, params, context);
  if (!res) return Unexpected{std::move(res).error()};
  return result_field(*res, "SubscribeResponse", "SubscribeResult", "SubscriptionArn", context);
}

SnsTopicService::SnsTopicService(Result<std::shared_ptr<ClientConfig>> config) {
  if (config) client_.emplace(std::move(*config));
  else config_error_ = std::move(config).error();
}

Result<std::string> SnsTopicService::publish(const gust::detail::ResourceBinding& topic, std::string_view message,
                                             const gust::detail::PublishSpec& spec) {
  if (!client_) return Unexpected{config_error_};
  return client_->publish(topic.physical, message, spec, fmt::format("topic {} Publish", topic.id));
}

}  // namespace gust::aws

namespace gust::detail {

TopicService& topic_service() {
  static aws::SnsTopicService service(aws::default_client_config());
  return service;
}

}  // namespace gust::detail
