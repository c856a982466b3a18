#pragma once
// What the deploy target remembers about stacks: each stack with its
// template, parameters, outputs and provisioned resources; change sets with
// their computed changes; stack events. Each record round-trips through JSON
// (the store keeps one document per record).

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace gust::devcloud::target {

using NameValues = std::vector<std::pair<std::string, std::string>>;

// One provisioned resource.
struct ResourceState {
  std::string logical_id;
  std::string type;
  std::string physical_id;  // what Ref gives
  std::string status;       // CREATE_COMPLETE, UPDATE_COMPLETE, ...
  boost::json::object properties;  // resolved (no intrinsics left)
  std::map<std::string, std::string> attributes;  // Fn::GetAtt values, and the target's own ("gust:...")
  std::string deletion_policy;
  std::int64_t updated_ms = 0;
};

struct StackOutput {
  std::string key, value, description;
};

struct StackRecord {
  std::string id;  // arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/UUID
  std::string name;
  std::string status;  // REVIEW_IN_PROGRESS, CREATE_COMPLETE, ...
  std::string status_reason;
  std::string description;
  std::string template_body;
  std::string change_set_id;  // the last executed
  NameValues parameters;
  std::vector<std::string> capabilities;
  std::vector<StackOutput> outputs;
  std::vector<ResourceState> resources;  // in creation order
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  std::int64_t deleted_ms = 0;
  const ResourceState* find(std::string_view logical_id) const;
};

struct ResourceChange {
  std::string action;  // Add, Modify, Remove
  std::string logical_id;
  std::string physical_id;
  std::string type;
  std::string replacement;  // Modify: True, False
  std::vector<std::string> properties;  // the properties that differ (Modify)
};

struct ChangeSetRecord {
  std::string id;  // arn:aws:cloudformation:REGION:ACCOUNT:changeSet/NAME/UUID
  std::string name;
  std::string stack_id;
  std::string stack_name;
  std::string type;  // CREATE, UPDATE
  std::string status;  // CREATE_COMPLETE, FAILED, DELETE_COMPLETE
  std::string status_reason;
  std::string execution_status;  // AVAILABLE, UNAVAILABLE, EXECUTE_IN_PROGRESS, EXECUTE_COMPLETE, EXECUTE_FAILED, OBSOLETE
  std::string description;
  std::string template_body;
  NameValues parameters;
  std::vector<std::string> capabilities;
  std::vector<ResourceChange> changes;
  std::int64_t created_ms = 0;
};

struct StackEvent {
  std::string event_id;
  std::string stack_id;
  std::string stack_name;
  std::string logical_id;
  std::string physical_id;
  std::string resource_type;
  std::string status;
  std::string reason;
  std::int64_t timestamp_ms = 0;
};

boost::json::value to_json(const StackRecord& stack);
StackRecord stack_from_json(const boost::json::value& doc);
boost::json::value to_json(const ChangeSetRecord& change_set);
ChangeSetRecord change_set_from_json(const boost::json::value& doc);
boost::json::value to_json(const StackEvent& event);
StackEvent event_from_json(const boost::json::value& doc);

}  // namespace gust::devcloud::target
