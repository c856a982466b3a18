#include "aws/sqs.hpp"

#include "aws/default_config.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

namespace gust::aws {

namespace json = boost::json;
using gust::detail::ReceivedMessage;
using gust::detail::ResourceBinding;

namespace {

std::string context_of(const ResourceBinding& queue, std::string_view operation) {
  return fmt::format("queue {} {}", queue.id, operation);
}

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The entries of a batch answer that failed, as one error naming each.
Result<void> batch_failures(const json::object& answer, std::string_view operation, const std::string& context) {
  const auto* failed = answer.if_contains("Failed");
  if (failed == nullptr || !failed->is_array() || failed->get_array().empty()) return {};
  std::string list;
  std::string first_code;
  for (const auto& f : failed->get_array()) {
    if (!f.is_object()) continue;
    const auto& o = f.get_object();
    if (first_code.empty()) first_code = str(o, "Code");
    list += fmt::format("{}entry {}: {} ({})", list.empty() ? "" : "; ", str(o, "Id"), str(o, "Message"), str(o, "Code"));
  }
  Error e;
  e.code = ErrorCode::failed_precondition;
  e.message = fmt::format("{} of the {} entries failed: {}", failed->get_array().size(), operation, list);
  e.context = context;
  e.aws.code = first_code;
  e.aws.http_status = 200;
  return Unexpected{std::move(e)};
}

}  // namespace

Result<json::object> SqsClient::call(std::string_view operation, const json::object& request,
                                     std::string_view context) const {
  auto res = client_.call_json(fmt::format("AmazonSQS.{}", operation), json::serialize(request),
                               context.empty() ? operation : context);
  if (!res) return Unexpected{std::move(res).error()};
  if (res->body.empty()) return json::object{};
  boost::system::error_code ec;
  json::value answer = json::parse(res->body, ec);
  if (ec || !answer.is_object())
    return unexpected(ErrorCode::internal, fmt::format("SQS answered {} with malformed JSON", operation),
                      std::string(context));
  return std::move(answer.get_object());
}

Result<std::string> SqsClient::create_queue(std::string_view name,
                                            const std::map<std::string, std::string>& attributes) const {
  json::object req;
  req["QueueName"] = name;
  if (!attributes.empty()) {
    json::object a;
    for (const auto& [k, v] : attributes) a[k] = v;
    req["Attributes"] = std::move(a);
  }
  auto answer = call("CreateQueue", req, fmt::format("queue {} CreateQueue", name));
  if (!answer) return Unexpected{std::move(answer).error()};
  return str(*answer, "QueueUrl");
}

Result<void> SqsClient::delete_queue(std::string_view queue_url) const {
  json::object req;
  req["QueueUrl"] = queue_url;
  auto answer = call("DeleteQueue", req);
  if (!answer) return Unexpected{std::move(answer).error()};
  return {};
}

SqsQueueService::SqsQueueService(Result<std::shared_ptr<ClientConfig>> config) {
  if (config) client_.emplace(std::move(*config));
  else config_error_ = std::move(config).error();
}

Result<const SqsClient*> SqsQueueService::client() const {
  if (!client_) return Unexpected{config_error_};
  return &*client_;
}

Result<std::string> SqsQueueService::send(const ResourceBinding& queue, std::string_view body,
                                          const gust::detail::SendSpec& spec) {
  const std::string context = context_of(queue, "SendMessage");
  if (body.size() > kMaxBody)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("the message is {} bytes; SQS takes at most {} (store big payloads in a bucket and "
                                  "send the key)",
                                  body.size(), kMaxBody),
                      context);
  if (spec.delay.count() < 0 || spec.delay.count() > 900)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("delay {} s is outside 0..900 s (15 minutes)", spec.delay.count()), context);
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  json::object req;
  req["QueueUrl"] = queue.physical;
  req["MessageBody"] = body;
  if (spec.delay.count() > 0) req["DelaySeconds"] = spec.delay.count();
  if (!spec.group_id.empty()) req["MessageGroupId"] = spec.group_id;
  if (!spec.deduplication_id.empty()) req["MessageDeduplicationId"] = spec.deduplication_id;
  if (!spec.attributes.empty()) {
    json::object attributes;
    for (const auto& [k, v] : spec.attributes) attributes[k] = json::object{{"DataType", "String"}, {"StringValue", v}};
    req["MessageAttributes"] = std::move(attributes);
  }
  auto answer = (*c)->call("SendMessage", req, context);
  if (!answer) return Unexpected{std::move(answer).error()};
  return str(*answer, "MessageId");
}

Result<std::vector<std::string>> SqsQueueService::send_batch(const ResourceBinding& queue,
                                                             const std::vector<std::string>& bodies) {
  const std::string context = context_of(queue, "SendMessageBatch");
  if (bodies.empty()) return std::vector<std::string>{};
  if (bodies.size() > 10)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("a batch holds at most 10 messages, not {}; send in several batches", bodies.size()),
                      context);
  std::size_t total = 0;
  for (const auto& b : bodies) total += b.size();
  if (total > kMaxBody)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("the batch is {} bytes; SQS takes at most {} per batch", total, kMaxBody), context);
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  json::array entries;
  for (std::size_t i = 0; i < bodies.size(); ++i)
    entries.push_back(json::object{{"Id", std::to_string(i)}, {"MessageBody", bodies[i]}});
  json::object req;
  req["QueueUrl"] = queue.physical;
  req["Entries"] = std::move(entries);
  auto answer = (*c)->call("SendMessageBatch", req, context);
  if (!answer) return Unexpected{std::move(answer).error()};
  if (auto f = batch_failures(*answer, "SendMessageBatch", context); !f) return Unexpected{std::move(f).error()};
  std::vector<std::string> ids(bodies.size());
  if (const auto* ok = answer->if_contains("Successful"); ok != nullptr && ok->is_array()) {
    for (const auto& s : ok->get_array()) {
      if (!s.is_object()) continue;
      const std::size_t index = std::strtoul(str(s.get_object(), "Id").c_str(), nullptr, 10);
      if (index < ids.size()) ids[index] = str(s.get_object(), "MessageId");
    }
  }
  return ids;
}

Result<std::vector<ReceivedMessage>> SqsQueueService::receive(const ResourceBinding& queue, int max_messages,
                                                              std::chrono::seconds wait,
                                                              std::optional<std::chrono::seconds> visibility) {
  const std::string context = context_of(queue, "ReceiveMessage");
  if (max_messages < 1 || max_messages > 10)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("receive takes 1 to 10 messages at a time, not {}", max_messages), context);
  if (wait.count() < 0 || wait.count() > 20)
    return unexpected(ErrorCode::invalid_argument, fmt::format("wait {} s is outside 0..20 s", wait.count()), context);
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  json::object req;
  req["QueueUrl"] = queue.physical;
  req["MaxNumberOfMessages"] = max_messages;
  req["WaitTimeSeconds"] = wait.count();
  if (visibility) req["VisibilityTimeout"] = visibility->count();
  req["AttributeNames"] = json::array{"All"};
  req["MessageSystemAttributeNames"] = json::array{"All"};
  req["MessageAttributeNames"] = json::array{"All"};
  auto answer = (*c)->call("ReceiveMessage", req, context);
  if (!answer) return Unexpected{std::move(answer).error()};
  std::vector<ReceivedMessage> out;
  const auto* messages = answer->if_contains("Messages");
  if (messages == nullptr || !messages->is_array()) return out;
  for (const auto& m : messages->get_array()) {
    if (!m.is_object()) continue;
    const auto& o = m.get_object();
    ReceivedMessage r;
    r.body = str(o, "Body");
    r.info.message_id = str(o, "MessageId");
    r.info.receipt_handle = str(o, "ReceiptHandle");
    if (const auto* a = o.if_contains("Attributes"); a != nullptr && a->is_object()) {
      const std::string count = str(a->get_object(), "ApproximateReceiveCount");
      if (!count.empty()) r.info.receive_count = std::atoi(count.c_str());
      r.info.sent_timestamp = str(a->get_object(), "SentTimestamp");
    }
    if (const auto* a = o.if_contains("MessageAttributes"); a != nullptr && a->is_object()) {
      for (const auto& [k, v] : a->get_object()) {
        if (v.is_object()) r.info.attributes[std::string(k)] = str(v.get_object(), "StringValue");
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<void> SqsQueueService::delete_message(const ResourceBinding& queue, std::string_view receipt_handle) {
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  json::object req;
  req["QueueUrl"] = queue.physical;
  req["ReceiptHandle"] = receipt_handle;
  auto answer = (*c)->call("DeleteMessage", req, context_of(queue, "DeleteMessage"));
  if (!answer) return Unexpected{std::move(answer).error()};
  return {};
}

Result<void> SqsQueueService::delete_batch(const ResourceBinding& queue,
                                           const std::vector<std::string>& receipt_handles) {
  const std::string context = context_of(queue, "DeleteMessageBatch");
  if (receipt_handles.empty()) return {};
  if (receipt_handles.size() > 10)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("a batch deletes at most 10 messages, not {}", receipt_handles.size()), context);
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  json::array entries;
  for (std::size_t i = 0; i < receipt_handles.size(); ++i)
    entries.push_back(json::object{{"Id", std::to_string(i)}, {"ReceiptHandle", receipt_handles[i]}});
  json::object req;
  req["QueueUrl"] = queue.physical;
  req["Entries"] = std::move(entries);
  auto answer = (*c)->call("DeleteMessageBatch", req, context);
  if (!answer) return Unexpected{std::move(answer).error()};
  return batch_failures(*answer, "DeleteMessageBatch", context);
}

Result<void> SqsQueueService::change_visibility(const ResourceBinding& queue, std::string_view receipt_handle,
                                                std::chrono::seconds timeout) {
  const std::string context = context_of(queue, "ChangeMessageVisibility");
  if (timeout.count() < 0 || timeout.count() > 43200)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("visibility timeout {} s is outside 0..43200 s (12 hours)", timeout.count()), context);
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  json::object req;
  req["QueueUrl"] = queue.physical;
  req["ReceiptHandle"] = receipt_handle;
  req["VisibilityTimeout"] = timeout.count();
  auto answer = (*c)->call("ChangeMessageVisibility", req, context);
  if (!answer) return Unexpected{std::move(answer).error()};
  return {};
}

}  // namespace gust::aws

namespace gust::detail {

QueueService& queue_service() {
  static aws::SqsQueueService service(aws::default_client_config());
  return service;
}

}  // namespace gust::detail
