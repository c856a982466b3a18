// Tables: on demand, key schema and global secondary indexes, point-in-time
// recovery on, kept when the stack goes unless the app says
// `.retain_on_remove(false)`.
#include "synth/logical_ids.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

#include <algorithm>

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

}  // namespace

void add_table(TemplateBuilder& b, const manifest::Resource& r) {
  // Every key attribute of the table and its indexes, once, in the order declared
  // (check.cpp has made sure an attribute has one type everywhere).
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
      // Queries through an index return whole records: gust decodes them as the table's type.
      gsi["Projection"]["ProjectionType"] = "ALL";
      indexes.push_back(std::move(gsi));
    }
    props["GlobalSecondaryIndexes"] = std::move(indexes);
  }
  props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] = true;
  // No SSESpecification: tables are encrypted at rest with an AWS-owned key
  // for free; SSEEnabled would switch to a KMS key that bills per request.
  props["Tags"] = b.tag_list();
  const std::string id = table_id(r.id);
  b.add(id, "AWS::DynamoDB::Table", std::move(props), retention_attributes(r.retain));
  b.output(id + "Name", cfn_ref(id), fmt::format("Name of table \"{}\"", r.id));
}

// Tables and buckets hold data: kept (also on replacement) unless the app opts out.
Value retention_attributes(bool retain) {
  Value attributes;
  attributes["DeletionPolicy"] = retain ? "Retain" : "Delete";
  attributes["UpdateReplacePolicy"] = retain ? "Retain" : "Delete";
  return attributes;
}

}  // namespace gust::synth
