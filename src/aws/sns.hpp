#pragma once
// SNS over the query protocol (form-encoded request, XML answer), and the
// TopicService behind TopicPublisher<T>.

#include "aws/aws_client.hpp"

#include <gust/detail/services.hpp>

namespace gust::aws {

class SnsClient {
 public:
  explicit SnsClient(std::shared_ptr<ClientConfig> config) : client_(kSns, Protocol::query, std::move(config)) {}

  // Returns the message id.
  Result<std::string> publish(std::string_view topic_arn, std::string_view message,
                              const gust::detail::PublishSpec& spec, std::string_view context = {}) const;
  // Topic administration (tests): returns the topic ARN / subscription ARN.
  Result<std::string> create_topic(std::string_view name) const;
  Result<std::string> subscribe(std::string_view topic_arn, std::string_view protocol, std::string_view endpoint,
                                bool raw_message_delivery = false) const;

  const AwsClient& aws() const { return client_; }

 private:
  AwsClient client_;
};

class SnsTopicService final : public gust::detail::TopicService {
 public:
  explicit SnsTopicService(Result<std::shared_ptr<ClientConfig>> config);
  Result<std::string> publish(const gust::detail::ResourceBinding& topic, std::string_view message,
                              const gust::detail::PublishSpec& spec) override;

 private:
  std::optional<SnsClient> client_;
  Error config_error_;
};

}  // namespace gust::aws
