#pragma once
// SQS over the AWS JSON 1.0 protocol, and the QueueService behind
// QueueSender<T>/QueueReceiver<T>. Requests go to the SQS endpoint
// (AWS_ENDPOINT_URL_SQS, or sqs.<region>.amazonaws.com) with the queue URL
// in the body, as the AWS SDKs send them.

#include "aws/aws_client.hpp"

#include <gust/detail/services.hpp>

#include <boost/json/object.hpp>

namespace gust::aws {

class SqsClient {
 public:
  explicit SqsClient(std::shared_ptr<ClientConfig> config) : client_(kSqs, Protocol::json, std::move(config)) {}
  // One operation ("SendMessage", ...): request object in, answer object out.
  Result<boost::json::object> call(std::string_view operation, const boost::json::object& request,
                                   std::string_view context = {}) const;

  // Queue administration (tests, the local cloud's checks): returns the queue URL.
  Result<std::string> create_queue(std::string_view name, const std::map<std::string, std::string>& attributes = {}) const;
  Result<void> delete_queue(std::string_view queue_url) const;

  const AwsClient& aws() const { return client_; }

 private:
  AwsClient client_;
};

class SqsQueueService final : public gust::detail::QueueService {
 public:
  static constexpr std::size_t kMaxBody = 256 * 1024;

  explicit SqsQueueService(Result<std::shared_ptr<ClientConfig>> config);

  Result<std::string> send(const gust::detail::ResourceBinding& queue, std::string_view body,
                           const gust::detail::SendSpec& spec) override;
  Result<std::vector<std::string>> send_batch(const gust::detail::ResourceBinding& queue,
                                              const std::vector<std::string>& bodies) override;
  Result<std::vector<gust::detail::ReceivedMessage>> receive(const gust::detail::ResourceBinding& queue,
                                                             int max_messages, std::chrono::seconds wait,
                                                             std::optional<std::chrono::seconds> visibility) override;
  Result<void> delete_message(const gust::detail::ResourceBinding& queue, std::string_view receipt_handle) override;
  Result<void> delete_batch(const gust::detail::ResourceBinding& queue,
                            const std::vector<std::string>& receipt_handles) override;
  Result<void> change_visibility(const gust::detail::ResourceBinding& queue, std::string_view receipt_handle,
                                 std::chrono::seconds timeout) override;

 private:
  Result<const SqsClient*> client() const;
  std::optional<SqsClient> client_;
  Error config_error_;
};

}  // namespace gust::aws
