#include "app/permissions.hpp"

#include <algorithm>

namespace gust::detail {
namespace {

using manifest::Statement;

// Sorted action lists: stable manifests and templates.
const std::vector<std::string> kTableRead = {"dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:GetItem",
                                             "dynamodb:Query", "dynamodb:Scan"};
const std::vector<std::string> kTableWrite = {"dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem",
                                              "dynamodb:UpdateItem"};
const std::vector<std::string> kIndexRead = {"dynamodb:Query", "dynamodb:Scan"};
const std::vector<std::string> kObjectRead = {"s3:GetObject"};
const std::vector<std::string> kBucketRead = {"s3:ListBucket"};
const std::vector<std::string> kObjectWrite = {"s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"};
const std::vector<std::string> kQueueSend = {"sqs:SendMessage"};
const std::vector<std::string> kQueueReceive = {"sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:ReceiveMessage"};
// The event-source mapping also reads the queue's attributes.
const std::vector<std::string> kQueueConsume = {"sqs:ChangeMessageVisibility", "sqs:DeleteMessage",
                                                "sqs:GetQueueAttributes", "sqs:ReceiveMessage"};
const std::vector<std::string> kTopicPublish = {"sns:Publish"};

std::vector<std::string> merged(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  return a;
}

std::string permission_name(unsigned bits, bool send_receive = false) {
  if (send_receive) return bits == static_cast<unsigned>(QueuePermission::send) ? "send" : "receive";
  switch (bits) {
    case 1: return "read";
    case 2: return "write";
    default: return "read_write";
  }
}

}  // namespace

manifest::Grant describe_grant(const GrantRecord& grant, const manifest::Resource& resource) {
  manifest::Grant g;
  g.resource = resource.id;
  const bool read = (grant.permission & 1U) != 0;
  const bool write = (grant.permission & 2U) != 0;
  switch (grant.target) {
    case GrantTarget::table:
      g.permission = permission_name(grant.permission);
      g.statements.push_back(Statement{read && write ? merged(kTableRead, kTableWrite) : read ? kTableRead : kTableWrite, "table"});
      break;
    case GrantTarget::index:
      g.permission = "read";
      g.statements.push_back(Statement{kIndexRead, "index/" + resource.indexes.at(grant.index).name});
      break;
    case GrantTarget::bucket:
      g.permission = permission_name(grant.permission);
      if (read) g.statements.push_back(Statement{kBucketRead, "bucket"});
      g.statements.push_back(Statement{read && write ? merged(kObjectRead, kObjectWrite) : read ? kObjectRead : kObjectWrite, "objects"});
      break;
    case GrantTarget::queue:
      g.permission = permission_name(grant.permission, true);
      g.statements.push_back(Statement{grant.permission == static_cast<unsigned>(QueuePermission::send) ? kQueueSend : kQueueReceive, "queue"});
      break;
    case GrantTarget::topic:
      g.permission = "publish";
      g.statements.push_back(Statement{kTopicPublish, "topic"});
      break;
  }
  return g;
}

manifest::Grant consume_grant(const manifest::Resource& queue) {
  return manifest::Grant{queue.id, "consume", {Statement{kQueueConsume, "queue"}}};
}

}  // namespace gust::detail
