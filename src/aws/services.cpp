// Process-wide service objects behind the capabilities.
// TODO(#5): replace with the DynamoDB/S3/SQS/SNS clients.
#include <gust/detail/services.hpp>

namespace gust::detail {
namespace {
Error no_client(std::string_view service) {
  return Error{ErrorCode::unavailable, std::string("no ") + std::string(service) + " client is linked into this build yet", {}, {}};
}

class Unavailable final : public TableService, public BucketService, public QueueService, public TopicService {
 public:
  Result<std::optional<Value>> get_item(const ResourceBinding&, const ItemKey&, bool) override { return Unexpected{no_client("DynamoDB")}; }
  Result<void> put_item(const ResourceBinding&, const Value&, PutMode) override { return Unexpected{no_client("DynamoDB")}; }
  Result<void> delete_item(const ResourceBinding&, const ItemKey&) override { return Unexpected{no_client("DynamoDB")}; }
  Result<ItemPage> query(const ResourceBinding&, const QuerySpec&) override { return Unexpected{no_client("DynamoDB")}; }
  Result<ItemPage> scan(const ResourceBinding&, const ScanSpec&) override { return Unexpected{no_client("DynamoDB")}; }
  Result<std::string> put_object(const ResourceBinding&, std::string_view, std::string_view, const PutObjectSpec&) override { return Unexpected{no_client("S3")}; }
  Result<ObjectData> get_object(const ResourceBinding&, std::string_view, const std::optional<ByteRange>&) override { return Unexpected{no_client("S3")}; }
  Result<ObjectData> head_object(const ResourceBinding&, std::string_view) override { return Unexpected{no_client("S3")}; }
  Result<void> delete_object(const ResourceBinding&, std::string_view) override { return Unexpected{no_client("S3")}; }
  Result<ObjectPage> list_objects(const ResourceBinding&, std::string_view, std::string_view, const std::optional<std::string>&, std::optional<int>) override { return Unexpected{no_client("S3")}; }
  Result<std::string> presign(const ResourceBinding&, std::string_view, std::string_view, std::chrono::seconds) override { return Unexpected{no_client("S3")}; }
  Result<std::string> send(const ResourceBinding&, std::string_view, const SendSpec&) override { return Unexpected{no_client("SQS")}; }
  Result<std::vector<std::string>> send_batch(const ResourceBinding&, const std::vector<std::string>&) override { return Unexpected{no_client("SQS")}; }
  Result<std::vector<ReceivedMessage>> receive(const ResourceBinding&, int, std::chrono::seconds, std::optional<std::chrono::seconds>) override { return Unexpected{no_client("SQS")}; }
  Result<void> delete_message(const ResourceBinding&, std::string_view) override { return Unexpected{no_client("SQS")}; }
  Result<void> change_visibility(const ResourceBinding&, std::string_view, std::chrono::seconds) override { return Unexpected{no_client("SQS")}; }
  Result<std::string> publish(const ResourceBinding&, std::string_view, const std::map<std::string, std::string>&) override { return Unexpected{no_client("SNS")}; }
};

Unavailable& unavailable() {
  static Unavailable services;
  return services;
}
}  // namespace

TableService& table_service() { return unavailable(); }
BucketService& bucket_service() { return unavailable(); }
QueueService& queue_service() { return unavailable(); }
TopicService& topic_service() { return unavailable(); }

}  // namespace gust::detail
