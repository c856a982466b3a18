#include "aws/cloudformation.hpp"

#include "aws/timestamps.hpp"

#include <pugixml.hpp>

#include <fmt/format.h>

namespace gust::aws {
namespace {

constexpr std::string_view kVersion = "2010-05-15";

// The <ActionResult> element of <ActionResponse>, held alive by `doc`.
Result<pugi::xml_node> result_node(pugi::xml_document& doc, std::string_view xml, std::string_view action) {
  if (!doc.load_buffer(xml.data(), xml.size()))
    return unexpected(ErrorCode::internal, fmt::format("CloudFormation answered {} with malformed XML", action),
                      "cloudformation");
  const std::string response = fmt::format("{}Response", action);
  const std::string result = fmt::format("{}Result", action);
  pugi::xml_node node = doc.child(response.c_str()).child(result.c_str());
  if (!node)
    return unexpected(ErrorCode::internal, fmt::format("CloudFormation's {} answer has no <{}>", action, result),
                      "cloudformation");
  return node;
}

std::string text(const pugi::xml_node& node, const char* child) { return node.child(child).text().as_string(); }

// <Parameters><member><ParameterKey/><ParameterValue/></member>...: key/value pairs.
std::vector<std::pair<std::string, std::string>> pairs(const pugi::xml_node& list, const char* key, const char* value) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const pugi::xml_node& m : list.children("member")) out.emplace_back(text(m, key), text(m, value));
  return out;
}

void add_pairs(QueryParams& params, std::string_view list, const std::vector<std::pair<std::string, std::string>>& items,
               std::string_view key, std::string_view value) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    params.emplace_back(fmt::format("{}.member.{}.{}", list, i + 1, key), items[i].first);
    params.emplace_back(fmt::format("{}.member.{}.{}", list, i + 1, value), items[i].second);
  }
}

template <class T>
Result<T> parsed(Result<AwsResponse> res, Result<T> (*parse)(std::string_view)) {
  if (!res) return Unexpected{std::move(res).error()};
  return parse(res->body);
}

Result<void> done(Result<AwsResponse> res) {
  if (!res) return Unexpected{std::move(res).error()};
  return {};
}

}  // namespace

Result<CreatedChangeSet> parse_create_change_set(std::string_view xml) {
  pugi::xml_document doc;
  auto node = result_node(doc, xml, "CreateChangeSet");
  if (!node) return Unexpected{std::move(node).error()};
  return CreatedChangeSet{text(*node, "Id"), text(*node, "StackId")};
}

Result<ChangeSet> parse_describe_change_set(std::string_view xml) {
  pugi::xml_document doc;
  auto node = result_node(doc, xml, "DescribeChangeSet");
  if (!node) return Unexpected{std::move(node).error()};
  ChangeSet out;
  out.id = text(*node, "ChangeSetId");
  out.name = text(*node, "ChangeSetName");
  out.stack_id = text(*node, "StackId");
  out.stack_name = text(*node, "StackName");
  out.status = text(*node, "Status");
  out.status_reason = text(*node, "StatusReason");
  out.execution_status = text(*node, "ExecutionStatus");
  out.next_token = text(*node, "NextToken");
  for (const pugi::xml_node& m : node->child("Changes").children("member")) {
    const pugi::xml_node rc = m.child("ResourceChange");
    if (!rc) continue;  // only Type=Resource changes exist today
    ResourceChange c;
    c.action = text(rc, "Action");
    c.logical_id = text(rc, "LogicalResourceId");
    c.physical_id = text(rc, "PhysicalResourceId");
    c.resource_type = text(rc, "ResourceType");
    c.replacement = text(rc, "Replacement");
    for (const pugi::xml_node& s : rc.child("Scope").children("member")) c.scope.emplace_back(s.text().as_string());
    out.changes.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Stack>> parse_describe_stacks(std::string_view xml) {
  pugi::xml_document doc;
  auto node = result_node(doc, xml, "DescribeStacks");
  if (!node) return Unexpected{std::move(node).error()};
  std::vector<Stack> out;
  for (const pugi::xml_node& m : node->child("Stacks").children("member")) {
    Stack s;
    s.id = text(m, "StackId");
    s.name = text(m, "StackName");
    s.status = text(m, "StackStatus");
    s.status_reason = text(m, "StackStatusReason");
    s.parameters = pairs(m.child("Parameters"), "ParameterKey", "ParameterValue");
    s.tags = pairs(m.child("Tags"), "Key", "Value");
    for (const pugi::xml_node& o : m.child("Outputs").children("member"))
      s.outputs.push_back({text(o, "OutputKey"), text(o, "OutputValue"), text(o, "Description")});
    out.push_back(std::move(s));
  }
  return out;
}

Result<StackEventPage> parse_describe_stack_events(std::string_view xml) {
  pugi::xml_document doc;
  auto node = result_node(doc, xml, "DescribeStackEvents");
  if (!node) return Unexpected{std::move(node).error()};
  StackEventPage out;
  out.next_token = text(*node, "NextToken");
  for (const pugi::xml_node& m : node->child("StackEvents").children("member")) {
    StackEvent e;
    e.id = text(m, "EventId");
    e.logical_id = text(m, "LogicalResourceId");
    e.physical_id = text(m, "PhysicalResourceId");
    e.resource_type = text(m, "ResourceType");
    e.status = text(m, "ResourceStatus");
    e.status_reason = text(m, "ResourceStatusReason");
    e.timestamp = parse_iso8601(text(m, "Timestamp"));
    out.events.push_back(std::move(e));
  }
  return out;
}

Result<StackResourcePage> parse_list_stack_resources(std::string_view xml) {
  pugi::xml_document doc;
  auto node = result_node(doc, xml, "ListStackResources");
  if (!node) return Unexpected{std::move(node).error()};
  StackResourcePage out;
  out.next_token = text(*node, "NextToken");
  for (const pugi::xml_node& m : node->child("StackResourceSummaries").children("member")) {
    out.resources.push_back({text(m, "LogicalResourceId"), text(m, "PhysicalResourceId"), text(m, "ResourceType"),
                             text(m, "ResourceStatus"), text(m, "ResourceStatusReason")});
  }
  return out;
}

Result<std::string> parse_get_template(std::string_view xml) {
  pugi::xml_document doc;
  auto node = result_node(doc, xml, "GetTemplate");
  if (!node) return Unexpected{std::move(node).error()};
  return text(*node, "TemplateBody");
}

bool is_missing_stack_error(const Error& error) {
  return error.aws.code == "ValidationError" && error.message.find("does not exist") != std::string::npos;
}

bool is_no_change_reason(std::string_view reason) {
  // CloudFormation's words for a change set with nothing in it (the first for
  // templates, the second for parameter-only updates on older stacks).
  return reason.find("didn't contain changes") != std::string_view::npos ||
         reason.find("No updates are to be performed") != std::string_view::npos;
}

Result<CreatedChangeSet> CloudFormationClient::create_change_set(const CreateChangeSetRequest& request) const {
  QueryParams params = {{"StackName", request.stack_name},
                        {"ChangeSetName", request.change_set_name},
                        {"ChangeSetType", request.type == ChangeSetType::create ? "CREATE" : "UPDATE"}};
  if (!request.template_url.empty()) params.emplace_back("TemplateURL", request.template_url);
  else params.emplace_back("TemplateBody", request.template_body);
  add_pairs(params, "Parameters", request.parameters, "ParameterKey", "ParameterValue");
  for (std::size_t i = 0; i < request.capabilities.size(); ++i)
    params.emplace_back(fmt::format("Capabilities.member.{}", i + 1), request.capabilities[i]);
  add_pairs(params, "Tags", request.tags, "Key", "Value");
  if (!request.description.empty()) params.emplace_back("Description", request.description);
  return parsed(client_.call_query("CreateChangeSet", kVersion, params, "cloudformation CreateChangeSet " + request.stack_name),
                parse_create_change_set);
}

Result<ChangeSet> CloudFormationClient::describe_change_set_page(std::string_view change_set, std::string_view stack_name,
                                                                 std::string_view next_token) const {
  QueryParams params = {{"ChangeSetName", std::string(change_set)}, {"StackName", std::string(stack_name)}};
  if (!next_token.empty()) params.emplace_back("NextToken", std::string(next_token));
  return parsed(client_.call_query("DescribeChangeSet", kVersion, params,
                                   fmt::format("cloudformation DescribeChangeSet {}", stack_name)),
                parse_describe_change_set);
}

Result<ChangeSet> CloudFormationClient::describe_change_set(std::string_view change_set, std::string_view stack_name) const {
  auto first = describe_change_set_page(change_set, stack_name);
  if (!first) return first;
  // Bounded: a stack holds at most 500 resources, far fewer pages than this.
  for (int page = 0; page < 100 && !first->next_token.empty(); ++page) {
    auto more = describe_change_set_page(change_set, stack_name, first->next_token);
    if (!more) return Unexpected{std::move(more).error()};
    for (auto& c : more->changes) first->changes.push_back(std::move(c));
    first->next_token = more->next_token;
  }
  return first;
}

Result<void> CloudFormationClient::execute_change_set(std::string_view change_set, std::string_view stack_name) const {
  return done(client_.call_query("ExecuteChangeSet", kVersion,
                                 {{"ChangeSetName", std::string(change_set)}, {"StackName", std::string(stack_name)}},
                                 fmt::format("cloudformation ExecuteChangeSet {}", stack_name)));
}

Result<void> CloudFormationClient::delete_change_set(std::string_view change_set, std::string_view stack_name) const {
  return done(client_.call_query("DeleteChangeSet", kVersion,
                                 {{"ChangeSetName", std::string(change_set)}, {"StackName", std::string(stack_name)}},
                                 fmt::format("cloudformation DeleteChangeSet {}", stack_name)));
}

Result<std::optional<Stack>> CloudFormationClient::describe_stack(std::string_view stack_name) const {
  auto res = client_.call_query("DescribeStacks", kVersion, {{"StackName", std::string(stack_name)}},
                                fmt::format("cloudformation DescribeStacks {}", stack_name));
  if (!res) {
    if (is_missing_stack_error(res.error())) return std::optional<Stack>();
    return Unexpected{std::move(res).error()};
  }
  auto stacks = parse_describe_stacks(res->body);
  if (!stacks) return Unexpected{std::move(stacks).error()};
  if (stacks->empty()) return std::optional<Stack>();
  return std::optional<Stack>(std::move(stacks->front()));
}

Result<StackEventPage> CloudFormationClient::describe_stack_events(std::string_view stack_name,
                                                                   std::string_view next_token) const {
  QueryParams params = {{"StackName", std::string(stack_name)}};
  if (!next_token.empty()) params.emplace_back("NextToken", std::string(next_token));
  return parsed(client_.call_query("DescribeStackEvents", kVersion, params,
                                   fmt::format("cloudformation DescribeStackEvents {}", stack_name)),
                parse_describe_stack_events);
}

Result<std::vector<StackResource>> CloudFormationClient::list_stack_resources(std::string_view stack_name) const {
  std::vector<StackResource> out;
  std::string token;
  for (int page = 0; page < 100; ++page) {  // bounded: at most 500 resources per stack
    QueryParams params = {{"StackName", std::string(stack_name)}};
    if (!token.empty()) params.emplace_back("NextToken", token);
    auto res = parsed(client_.call_query("ListStackResources", kVersion, params,
                                         fmt::format("cloudformation ListStackResources {}", stack_name)),
                      parse_list_stack_resources);
    if (!res) return Unexpected{std::move(res).error()};
    for (auto& r : res->resources) out.push_back(std::move(r));
    token = res->next_token;
    if (token.empty()) break;
  }
  return out;
}

Result<std::string> CloudFormationClient::get_template(std::string_view stack_name) const {
  return parsed(client_.call_query("GetTemplate", kVersion, {{"StackName", std::string(stack_name)}},
                                   fmt::format("cloudformation GetTemplate {}", stack_name)),
                parse_get_template);
}

Result<void> CloudFormationClient::delete_stack(std::string_view stack_name) const {
  return done(client_.call_query("DeleteStack", kVersion, {{"StackName", std::string(stack_name)}},
                                 fmt::format("cloudformation DeleteStack {}", stack_name)));
}

}  // namespace gust::aws
