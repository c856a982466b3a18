#pragma once
// A local SQS: the JSON protocol (`X-Amz-Target: AmazonSQS.*`) and the older
// query protocol (form `Action=...`, XML answers, which awscli 2.9 speaks),
// over SQLite (`sqs.sqlite` in the state folder). Standard and FIFO queues,
// delays, long polling, visibility timeouts, ApproximateReceiveCount, and
// redrive to a dead-letter queue after maxReceiveCount. A message is deleted
// only by DeleteMessage, retention or a purge: at-least-once, never lost.
//
// The local cloud's event-source mapping uses the in-process API below
// (receive/delete/change_visibility) rather than HTTP:
//
//   auto msgs = sqs.receive("todo-events", {.max_messages = 10});
//   for (auto& m : *msgs) { invoke(m); sqs.delete_message("todo-events", m.receipt_handle); }

#include "devcloud/services/service.hpp"

#include <gust/result.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gust::localaws {

// One received message, as the event-source mapping needs it.
struct SqsMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  std::string md5_of_body;
  // System attributes by name: SenderId, SentTimestamp, ApproximateReceiveCount,
  // ApproximateFirstReceiveTimestamp (and MessageGroupId... on FIFO queues).
  std::map<std::string, std::string> attributes;
  // MessageAttributes as the JSON protocol writes them:
  // {"name":{"DataType":"String","StringValue":"v"}}; "{}" when none.
  std::string message_attributes_json = "{}";
  std::string md5_of_message_attributes;
};

struct SqsReceiveOptions {
  int max_messages = 10;
  std::optional<int> visibility_timeout;  // default: the queue's
};

class SqsService : public Service {
 public:
  static Result<std::unique_ptr<SqsService>> open(const ServiceOptions& options);
  ~SqsService() override;

  void handle(ServiceRequest request, Reply reply) override;

  // ---- in-process API (no signature, no long polling: callers poll)
  // The queue's URL as the HTTP API reports it, for a client at `host` ("127.0.0.1:4566").
  Result<std::string> queue_url(std::string_view queue_name, std::string_view host = "localhost") const;
  Result<std::string> queue_arn(std::string_view queue_name) const;
  // Creates the queue if missing, else sets the given attributes on it
  // (attributes as CreateQueue takes them; the others are kept).
  Result<void> ensure_queue(std::string_view queue_name, const std::map<std::string, std::string>& attributes = {});
  Result<std::vector<SqsMessage>> receive(std::string_view queue_name, SqsReceiveOptions options = {});
  Result<void> delete_message(std::string_view queue_name, std::string_view receipt_handle);
  Result<void> change_visibility(std::string_view queue_name, std::string_view receipt_handle, int seconds);
  Result<std::string> send(std::string_view queue_name, std::string_view body);  // returns the MessageId
  // Called (from the sending thread, without locks held) after messages are
  // sent to a queue: lets the event-source mapping poll now instead of later.
  void set_on_message(std::function<void(const std::string& queue_name)> callback);

  // One operation with its JSON body, skipping the signature check.
  ServiceResponse call_operation(std::string_view operation, std::string_view body, std::string_view host = "localhost");

  struct Impl;

 private:
  explicit SqsService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The Lambda event record for one message ({"messageId":..., "eventSource":"aws:sqs", ...}).
std::string sqs_lambda_record(const SqsMessage& message, std::string_view queue_arn, std::string_view region);

}  // namespace gust::localaws
