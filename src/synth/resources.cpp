// Tables, buckets, queues and topics, with the safe defaults DESIGN.md asks
// for: on-demand tables with point-in-time recovery, private encrypted
// TLS-only buckets, queues with dead-letter queues.
#include "synth/logical_ids.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace gust::synth {
namespace {

Value key_schema(const manifest::KeyAttribute& partition, const std::optional<manifest::KeyAttribute>& sort) {
  Array schema;
  Value hash;
  hash["AttributeName"] = partition.name;
  hash["KeyType"] = "HASH";
  schema.push_back(std::move(hash));
  if (sort) {
    Value range;
    range["AttributeName"] = sort->name;
    range["KeyType"] = "RANGE";
    schema.push_back(std::move(range));
  }
  return schema;
}

Value retention(bool retain) {
  Value extra;
  extra["DeletionPolicy"] = retain ? "Retain" : "Delete";
  extra["UpdateReplacePolicy"] = retain ? "Retain" : "Delete";
  return extra;
}

}  // namespace

void add_table(TemplateBuilder& b, const manifest::Resource& r) {
  // Every key attribute of the table and its indexes, once, in a stable order.
  std::vector<manifest::KeyAttribute> attributes;
  auto note = [&](const manifest::KeyAttribute& k) {
    if (std::none_of(attributes.begin(), attributes.end(), [&](const auto& a) { return a.name == k.name; })) attributes.push_back(k);
  };
  note(*r.partition_key);
  if (r.sort_key) note(*r.sort_key);
  for (const auto& i : r.indexes) {
    note(i.partition_key);
    if (i.sort_key) note(*i.sort_key);
  }
  Value props;
  props["BillingMode"] = "PAY_PER_REQUEST";
  Array definitions;
  for (const auto& a : attributes) {
    Value d;
    d["AttributeName"] = a.name;
    d["AttributeType"] = a.type;
    definitions.push_back(std::move(d));
  }
  props["AttributeDefinitions"] = std::move(definitions);
  props["KeySchema"] = key_schema(*r.partition_key, r.sort_key);
  if (!r.indexes.empty()) {
    Array indexes;
    for (const auto& i : r.indexes) {
      Value gsi;
      gsi["IndexName"] = i.name;
      gsi["KeySchema"] = key_schema(i.partition_key, i.sort_key);
      gsi["Projection"]["ProjectionType"] = "ALL";
      indexes.push_back(std::move(gsi));
    }
    props["GlobalSecondaryIndexes"] = std::move(indexes);
  }
  props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] = true;
  props["SSESpecification"]["SSEEnabled"] = true;
  props["Tags"] = tag_list(b.tags());
  const std::string id = table_id(r.id);
  b.add(id, "AWS::DynamoDB::Table", std::move(props), retention(r.retain));
  b.resource_values[r.id] = cfn_ref(id);
  b.output(id + "Name", cfn_ref(id), fmt::format("Name of table \"{}\"", r.id));
}

void add_bucket(TemplateBuilder& b, const manifest::Resource& r) {
  const std::string id = bucket_id(r.id);
  const auto handlers = b.object_handlers.find(r.id);
  const bool notifies = handlers != b.object_handlers.end() && !handlers->second.empty();
  Value props;
  // A bucket that notifies a function gets a name made from the stack, so the
  // function's variable and permission need no Ref to it (that would be a cycle:
  // bucket -> notification -> function -> variable -> bucket).
  if (notifies) props["BucketName"] = sub(fmt::format("${{AWS::StackName}}-{}-${{AWS::AccountId}}", r.id));
  Value encryption;
  encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] = "AES256";
  encryption["BucketKeyEnabled"] = true;
  props["BucketEncryption"]["ServerSideEncryptionConfiguration"] = Array{std::move(encryption)};
  Value block;
  block["BlockPublicAcls"] = true;
  block["BlockPublicPolicy"] = true;
  block["IgnorePublicAcls"] = true;
  block["RestrictPublicBuckets"] = true;
  props["PublicAccessBlockConfiguration"] = std::move(block);
  Value ownership;
  ownership["ObjectOwnership"] = "BucketOwnerEnforced";
  props["OwnershipControls"]["Rules"] = Array{std::move(ownership)};
  Value extra = retention(r.retain);
  if (notifies) {
    Array configurations;
    Array depends;
    for (const auto* fn : handlers->second) {
      Value c;
      c["Event"] = "s3:ObjectCreated:*";
      c["Function"] = get_att(function_id(fn->id), "Arn");
      Array rules;
      if (!fn->trigger.prefix.empty()) {
        Value rule;
        rule["Name"] = "prefix";
        rule["Value"] = fn->trigger.prefix;
        rules.push_back(std::move(rule));
      }
      if (!fn->trigger.suffix.empty()) {
        Value rule;
        rule["Name"] = "suffix";
        rule["Value"] = fn->trigger.suffix;
        rules.push_back(std::move(rule));
      }
      if (!rules.empty()) c["Filter"]["S3Key"]["Rules"] = std::move(rules);
      configurations.push_back(std::move(c));
      // S3 checks it may invoke the function when the notification is saved.
      depends.emplace_back(pascal_case(fn->id) + "BucketPermission");
    }
    props["NotificationConfiguration"]["LambdaConfigurations"] = std::move(configurations);
    extra["DependsOn"] = std::move(depends);
  }
  props["Tags"] = tag_list(b.tags());
  b.add(id, "AWS::S3::Bucket", std::move(props), std::move(extra));
  b.resource_values[r.id] = notifies ? sub(fmt::format("${{AWS::StackName}}-{}-${{AWS::AccountId}}", r.id)) : cfn_ref(id);

  // Deny anything but TLS.
  Value statement;
  statement["Sid"] = "DenyInsecureTransport";
  statement["Effect"] = "Deny";
  statement["Principal"]["AWS"] = "*";
  statement["Action"] = "s3:*";
  statement["Resource"] = Array{scope_arn(b, r, "bucket"), scope_arn(b, r, "objects")};
  statement["Condition"]["Bool"]["aws:SecureTransport"] = "false";
  Value policy;
  policy["Bucket"] = b.resource_values[r.id];
  policy["PolicyDocument"]["Version"] = "2012-10-17";
  policy["PolicyDocument"]["Statement"] = Array{std::move(statement)};
  b.add(id + "Policy", "AWS::S3::BucketPolicy", std::move(policy));
  b.output(id + "Name", b.resource_values[r.id], fmt::format("Name of bucket \"{}\"", r.id));
}

void add_queue(TemplateBuilder& b, const manifest::Resource& r) {
  const std::string id = queue_id(r.id);
  Value props;
  // At least six times the consumer's timeout, as Lambda's SQS guide advises.
  int visibility = 30;
  if (auto c = b.consumers.find(r.id); c != b.consumers.end()) visibility = std::max(30, 6 * c->second->options.timeout_seconds);
  props["VisibilityTimeout"] = std::min(visibility, 43200);
  props["MessageRetentionPeriod"] = r.retention_seconds;
  props["SqsManagedSseEnabled"] = true;
  if (r.max_receives > 0) {
    const std::string dlq = dead_letter_id(r.id);
    Value dlq_props;
    dlq_props["MessageRetentionPeriod"] = 1209600;
    dlq_props["SqsManagedSseEnabled"] = true;
    dlq_props["Tags"] = tag_list(b.tags());
    b.add(dlq, "AWS::SQS::Queue", std::move(dlq_props));
    props["RedrivePolicy"]["deadLetterTargetArn"] = get_att(dlq, "Arn");
    props["RedrivePolicy"]["maxReceiveCount"] = r.max_receives;
    b.output(dlq + "Url", cfn_ref(dlq), fmt::format("URL of the dead-letter queue of \"{}\"", r.id));
  }
  props["Tags"] = tag_list(b.tags());
  b.add(id, "AWS::SQS::Queue", std::move(props));
  b.resource_values[r.id] = cfn_ref(id);
  b.output(id + "Url", cfn_ref(id), fmt::format("URL of queue \"{}\"", r.id));
}

void add_topic(TemplateBuilder& b, const manifest::Resource& r) {
  const std::string id = topic_id(r.id);
  Value props;
  props["Tags"] = tag_list(b.tags());
  b.add(id, "AWS::SNS::Topic", std::move(props));
  b.resource_values[r.id] = cfn_ref(id);
  b.output(id + "Arn", cfn_ref(id), fmt::format("ARN of topic \"{}\"", r.id));
}

Value scope_arn(const TemplateBuilder& b, const manifest::Resource& r, std::string_view scope) {
  using manifest::ResourceKind;
  switch (r.kind) {
    case ResourceKind::table:
      if (scope.starts_with("index/")) return sub(fmt::format("${{{}.Arn}}/{}", table_id(r.id), scope));
      return get_att(table_id(r.id), "Arn");
    case ResourceKind::bucket: {
      const bool named = b.object_handlers.contains(r.id);
      const std::string bucket = named ? fmt::format("arn:${{AWS::Partition}}:s3:::${{AWS::StackName}}-{}-${{AWS::AccountId}}", r.id)
                                       : fmt::format("${{{}.Arn}}", bucket_id(r.id));
      return sub(scope == "objects" ? bucket + "/*" : bucket);
    }
    case ResourceKind::queue: return get_att(queue_id(r.id), "Arn");
    case ResourceKind::topic: return cfn_ref(topic_id(r.id));
  }
  return Value();
}

}  // namespace gust::synth
