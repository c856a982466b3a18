#pragma once
// The non-template service layer behind the capability objects. Capability
// templates marshal records to gust::Value and call these; src/aws/
// implements them with the DynamoDB, S3, SQS and SNS clients. Keeping the
// templates this thin keeps user builds fast and lets an app that never
// touches a resource (examples/hello) link none of the AWS code.

#include <gust/events.hpp>
#include <gust/expression.hpp>
#include <gust/result.hpp>
#include <gust/value.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gust::detail {

// A resource as one function sees it at run time: its declared id and the
// physical name/URL/ARN the deployment gave it (from its environment variable).
struct ResourceBinding {
  std::string id;        // declared name ("todos")
  std::string physical;  // table or bucket name, queue URL, topic ARN
  std::string partition_key;  // tables: key attribute names
  std::string sort_key;       // "" when the table has none
};

// ---- tables
struct ItemKey {
  Value partition;
  std::optional<Value> sort;
};

enum class SortOp { eq, lt, le, gt, ge, between, begins_with };
struct SortCondition {
  SortOp op = SortOp::eq;
  Value value;
  Value upper;  // between only
};

struct GetSpec {
  bool consistent = false;
  std::vector<std::string> attributes;  // projection: only these (top-level) attributes; empty = all
};

struct QuerySpec {
  std::string index;           // "" = the table itself
  std::string partition_key;   // attribute name (the index's own when querying an index)
  std::string sort_key;
  Value partition;
  std::optional<SortCondition> sort;
  std::optional<int> limit;
  bool forward = true;
  bool consistent = false;
  std::optional<Value> start_key;  // from a previous page's next
  Expression filter;
  std::vector<std::string> attributes;
};

struct ScanSpec {
  std::optional<int> limit;
  bool consistent = false;
  std::optional<Value> start_key;
  Expression filter;
  std::vector<std::string> attributes;
  std::optional<int> segment;         // parallel scan: this worker's segment
  std::optional<int> total_segments;  // ... of this many
};

struct ItemPage {
  std::vector<Value> items;
  std::optional<Value> next;  // LastEvaluatedKey, when more pages remain
};

enum class PutMode { overwrite, if_absent };

// One action of a TransactWriteItems call.
struct TransactItem {
  enum class Kind { put, update, remove, check };
  Kind kind = Kind::put;
  const ResourceBinding* table = nullptr;
  Value item;                       // put
  ItemKey key;                      // update, remove, check
  std::optional<gust::Update> update;  // update (its condition too)
  Expression condition;             // put, remove, check
};

class TableService {
 public:
  virtual ~TableService() = default;
  // nullopt when no item has the key.
  virtual Result<std::optional<Value>> get_item(const ResourceBinding& table, const ItemKey& key,
                                                const GetSpec& spec) = 0;
  // if_absent: ErrorCode::already_exists when the key is taken; a failed `condition`: failed_precondition.
  virtual Result<void> put_item(const ResourceBinding& table, const Value& item, PutMode mode,
                                const Expression& condition) = 0;
  virtual Result<void> delete_item(const ResourceBinding& table, const ItemKey& key, const Expression& condition) = 0;
  // Returns the item as it is after the update (ReturnValues ALL_NEW).
  virtual Result<Value> update_item(const ResourceBinding& table, const ItemKey& key, const gust::Update& update) = 0;
  virtual Result<ItemPage> query(const ResourceBinding& table, const QuerySpec& spec) = 0;
  virtual Result<ItemPage> scan(const ResourceBinding& table, const ScanSpec& spec) = 0;
  // BatchGetItem in chunks of 100, unprocessed keys retried; items found, in no particular order.
  virtual Result<std::vector<Value>> batch_get(const ResourceBinding& table, const std::vector<ItemKey>& keys,
                                               const GetSpec& spec) = 0;
  // BatchWriteItem in chunks of 25, unprocessed items retried.
  virtual Result<void> batch_write(const ResourceBinding& table, const std::vector<Value>& puts,
                                   const std::vector<ItemKey>& deletes) = 0;
  // TransactWriteItems (at most 100 actions): all happen or none.
  virtual Result<void> transact_write(const std::vector<TransactItem>& items) = 0;
};

// ---- buckets
struct ObjectData {
  std::string body;
  std::string content_type;
  std::string etag;
  std::uint64_t size = 0;  // the whole object's size (also for a range)
  std::string last_modified;
  std::map<std::string, std::string> metadata;
};

struct ListedObject {
  std::string key;
  std::uint64_t size = 0;
  std::string etag;
  std::string last_modified;
};

struct ObjectPage {
  std::vector<ListedObject> objects;
  std::vector<std::string> common_prefixes;
  std::optional<std::string> next;  // continuation token
};

struct PutObjectSpec {
  std::string content_type = "application/octet-stream";
  std::map<std::string, std::string> metadata;
};

struct ByteRange {
  std::uint64_t first = 0;
  std::optional<std::uint64_t> last;  // inclusive; open-ended when absent
};

class BucketService {
 public:
  virtual ~BucketService() = default;
  // Bodies above the multipart threshold (16 MiB) go up in parts. Returns the ETag.
  virtual Result<std::string> put_object(const ResourceBinding& bucket, std::string_view key, std::string_view body,
                                         const PutObjectSpec& spec) = 0;
  virtual Result<ObjectData> get_object(const ResourceBinding& bucket, std::string_view key,
                                        const std::optional<ByteRange>& range) = 0;
  virtual Result<ObjectData> head_object(const ResourceBinding& bucket, std::string_view key) = 0;
  virtual Result<void> delete_object(const ResourceBinding& bucket, std::string_view key) = 0;
  // Copies within the bucket; returns the new object's ETag.
  virtual Result<std::string> copy_object(const ResourceBinding& bucket, std::string_view source_key,
                                          std::string_view destination_key) = 0;
  virtual Result<ObjectPage> list_objects(const ResourceBinding& bucket, std::string_view prefix,
                                          std::string_view delimiter, const std::optional<std::string>& token,
                                          std::optional<int> max_keys) = 0;
  virtual Result<std::string> presign(const ResourceBinding& bucket, std::string_view method, std::string_view key,
                                      std::chrono::seconds expires) = 0;
};

// ---- queues
struct SendSpec {
  std::chrono::seconds delay{0};
  std::string group_id;         // FIFO queues
  std::string deduplication_id; // FIFO queues
  std::map<std::string, std::string> attributes;
};

struct ReceivedMessage {
  std::string body;
  MessageInfo info;
};

class QueueService {
 public:
  virtual ~QueueService() = default;
  virtual Result<std::string> send(const ResourceBinding& queue, std::string_view body, const SendSpec& spec) = 0;
  // Sends up to ten bodies; returns the message id of each, in order.
  virtual Result<std::vector<std::string>> send_batch(const ResourceBinding& queue,
                                                      const std::vector<std::string>& bodies) = 0;
  virtual Result<std::vector<ReceivedMessage>> receive(const ResourceBinding& queue, int max_messages,
                                                       std::chrono::seconds wait,
                                                       std::optional<std::chrono::seconds> visibility) = 0;
  virtual Result<void> delete_message(const ResourceBinding& queue, std::string_view receipt_handle) = 0;
  // Deletes up to ten messages; an error names the ones that failed.
  virtual Result<void> delete_batch(const ResourceBinding& queue, const std::vector<std::string>& receipt_handles) = 0;
  virtual Result<void> change_visibility(const ResourceBinding& queue, std::string_view receipt_handle,
                                         std::chrono::seconds timeout) = 0;
};

// ---- topics
struct PublishSpec {
  std::string subject;
  std::string group_id;          // FIFO topics
  std::string deduplication_id;  // FIFO topics
  std::map<std::string, std::string> attributes;  // string message attributes
};

class TopicService {
 public:
  virtual ~TopicService() = default;
  virtual Result<std::string> publish(const ResourceBinding& topic, std::string_view message,
                                      const PublishSpec& spec) = 0;
};

// The process-wide services (defined in src/aws/; created on first use from
// the environment: region, credentials, AWS_ENDPOINT_URL_<SERVICE>).
TableService& table_service();
BucketService& bucket_service();
QueueService& queue_service();
TopicService& topic_service();

}  // namespace gust::detail
