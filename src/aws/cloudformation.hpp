#pragma once
// CloudFormation over the query protocol (XML answers): the calls `gust
// deploy`, `diff`, `outputs` and `remove` make. The parse_* functions turn
// one answer's XML into its structs; they are separate so tests feed them
// recorded answers.
//
//   CloudFormationClient cfn(config);
//   auto stack = cfn.describe_stack("todo-dev");   // nullopt: no such stack
//   auto id = cfn.create_change_set({.stack_name = "todo-dev", .type = ChangeSetType::create, ...});

#include "aws/aws_client.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gust::aws {

using TimePoint = std::chrono::system_clock::time_point;

enum class ChangeSetType { create, update };

struct CreateChangeSetRequest {
  std::string stack_name;
  std::string change_set_name;
  ChangeSetType type = ChangeSetType::update;
  std::string template_url;   // one of template_url and template_body
  std::string template_body;  // at most 51,200 bytes
  std::vector<std::pair<std::string, std::string>> parameters;
  std::vector<std::string> capabilities;  // CAPABILITY_IAM, CAPABILITY_NAMED_IAM
  std::vector<std::pair<std::string, std::string>> tags;
  std::string description;
};

struct CreatedChangeSet {
  std::string id;        // the change set's ARN
  std::string stack_id;
};

struct ResourceChange {
  std::string action;        // Add, Modify, Remove, Import, Dynamic
  std::string logical_id;
  std::string physical_id;
  std::string resource_type;
  std::string replacement;   // True, False, Conditional (Modify only)
  std::vector<std::string> scope;  // Properties, Metadata, Tags, ...
};

struct ChangeSet {
  std::string id;
  std::string name;
  std::string stack_id;
  std::string stack_name;
  std::string status;            // CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_COMPLETE, FAILED, ...
  std::string status_reason;
  std::string execution_status;  // UNAVAILABLE, AVAILABLE, EXECUTE_IN_PROGRESS, ...
  std::vector<ResourceChange> changes;
  std::string next_token;        // more changes to fetch
};

struct StackOutput {
  std::string key;
  std::string value;
  std::string description;
};

struct Stack {
  std::string id;
  std::string name;
  std::string status;  // CREATE_COMPLETE, ROLLBACK_COMPLETE, REVIEW_IN_PROGRESS, ...
  std::string status_reason;
  std::vector<std::pair<std::string, std::string>> parameters;
  std::vector<StackOutput> outputs;
  std::vector<std::pair<std::string, std::string>> tags;
};

struct StackEvent {
  std::string id;
  std::string logical_id;
  std::string physical_id;
  std::string resource_type;
  std::string status;  // CREATE_IN_PROGRESS, CREATE_FAILED, ...
  std::string status_reason;
  std::optional<TimePoint> timestamp;
};

struct StackEventPage {
  std::vector<StackEvent> events;  // newest first, as CloudFormation lists them
  std::string next_token;
};

struct StackResource {
  std::string logical_id;
  std::string physical_id;
  std::string resource_type;
  std::string status;
  std::string status_reason;
};

struct StackResourcePage {
  std::vector<StackResource> resources;
  std::string next_token;
};

// Answers, from XML. Malformed XML or a missing result element is ErrorCode::internal.
Result<CreatedChangeSet> parse_create_change_set(std::string_view xml);
Result<ChangeSet> parse_describe_change_set(std::string_view xml);
Result<std::vector<Stack>> parse_describe_stacks(std::string_view xml);
Result<StackEventPage> parse_describe_stack_events(std::string_view xml);
Result<StackResourcePage> parse_list_stack_resources(std::string_view xml);
Result<std::string> parse_get_template(std::string_view xml);

// "Stack with id X does not exist": CloudFormation's ValidationError for a missing stack.
bool is_missing_stack_error(const Error& error);
// The FAILED change set of an update that would change nothing.
bool is_no_change_reason(std::string_view status_reason);

class CloudFormationClient {
 public:
  explicit CloudFormationClient(std::shared_ptr<ClientConfig> config)
      : client_(kCloudFormation, Protocol::query, std::move(config)) {}

  Result<CreatedChangeSet> create_change_set(const CreateChangeSetRequest& request) const;
  // One page of the change set; pass the previous page's next_token for more.
  Result<ChangeSet> describe_change_set_page(std::string_view change_set, std::string_view stack_name,
                                             std::string_view next_token = {}) const;
  // Every page, the changes appended.
  Result<ChangeSet> describe_change_set(std::string_view change_set, std::string_view stack_name) const;
  Result<void> execute_change_set(std::string_view change_set, std::string_view stack_name) const;
  Result<void> delete_change_set(std::string_view change_set, std::string_view stack_name) const;

  // The stack, or nullopt when it does not exist.
  Result<std::optional<Stack>> describe_stack(std::string_view stack_name) const;
  Result<StackEventPage> describe_stack_events(std::string_view stack_name, std::string_view next_token = {}) const;
  // Every resource, all pages.
  Result<std::vector<StackResource>> list_stack_resources(std::string_view stack_name) const;
  // The template the stack was last deployed with (as submitted).
  Result<std::string> get_template(std::string_view stack_name) const;
  Result<void> delete_stack(std::string_view stack_name) const;

  const AwsClient& aws() const { return client_; }

 private:
  AwsClient client_;
};

}  // namespace gust::aws
