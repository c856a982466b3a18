#include "devcloud/target/cloudformation_api.hpp"

#include "devcloud/services/aws_common.hpp"
#include "devcloud/target/change_planner.hpp"
#include "devcloud/target/internal_request.hpp"
#include "devcloud/target/query_xml.hpp"
#include "devcloud/target/resource_catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace gust::devcloud::target {
namespace {

constexpr std::string_view kXmlns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
constexpr std::string_view kNoChanges = "The submitted information didn't contain changes. Submit different information to create a change set.";

// A failure on its way to the client, in CloudFormation's words.
struct CfnError {
  int status;
  std::string code;
  std::string message;
};

CfnError validation(std::string message) { return {400, "ValidationError", std::move(message)}; }

std::string param(const localaws::Params& params, std::string_view name) {
  const std::string* v = localaws::find_param(params, name);
  return v == nullptr ? std::string() : *v;
}

// "Prefix.member.N.Field" values, in N order: member N -> field -> value.
std::map<int, std::map<std::string, std::string>> members(const localaws::Params& params, std::string_view prefix) {
  std::map<int, std::map<std::string, std::string>> out;
  const std::string head = std::string(prefix) + ".member.";
  for (const auto& [k, v] : params) {
    if (!k.starts_with(head)) continue;
    const std::string rest = k.substr(head.size());
    const auto dot = rest.find('.');
    const int n = std::atoi(rest.substr(0, dot).c_str());
    out[n][dot == std::string::npos ? "" : rest.substr(dot + 1)] = v;
  }
  return out;
}

std::string time_text(std::int64_t ms) { return localaws::iso8601_ms(ms); }

std::string parameters_xml(const NameValues& parameters) {
  std::string out;
  for (const auto& [k, v] : parameters) out += "<member>" + element("ParameterKey", k) + element("ParameterValue", v, false) + "</member>";
  return "<Parameters>" + out + "</Parameters>";
}

std::string capabilities_xml(const std::vector<std::string>& capabilities) {
  std::string out;
  for (const auto& c : capabilities) out += element("member", c);
  return "<Capabilities>" + out + "</Capabilities>";
}

std::string stack_xml(const StackRecord& s) {
  std::string outputs;
  for (const auto& o : s.outputs) {
    outputs += "<member>" + element("OutputKey", o.key) + element("OutputValue", o.value, false) + element("Description", o.description) + "</member>";
  }
  return "<member>" + element("StackId", s.id) + element("StackName", s.name) + element("ChangeSetId", s.change_set_id) +
         element("Description", s.description) + parameters_xml(s.parameters) + element("CreationTime", time_text(s.created_ms)) +
         (s.updated_ms != s.created_ms && s.updated_ms != 0 ? element("LastUpdatedTime", time_text(s.updated_ms)) : "") +
         (s.deleted_ms != 0 ? element("DeletionTime", time_text(s.deleted_ms)) : "") + element("StackStatus", s.status) +
         element("StackStatusReason", s.status_reason) + "<DisableRollback>false</DisableRollback><NotificationARNs/>" +
         capabilities_xml(s.capabilities) + "<Outputs>" + outputs + "</Outputs><Tags/>" +
         "<EnableTerminationProtection>false</EnableTerminationProtection><DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus>"
         "</DriftInformation></member>";
}

}  // namespace

bool CloudFormationApi::is_action(std::string_view action) {
  static const std::set<std::string, std::less<>> kActions = {
      "CreateChangeSet", "DescribeChangeSet",   "ExecuteChangeSet",       "DeleteChangeSet", "ListChangeSets", "DescribeStacks",
      "DescribeStackEvents", "ListStackResources", "DescribeStackResources", "GetTemplate",     "DeleteStack",    "ValidateTemplate",
      "ListStacks"};
  return kActions.contains(action);
}

localaws::ServiceResponse CloudFormationApi::handle(const localaws::Params& params) {
  const std::string action = param(params, "Action");
  try {
    if (action == "CreateChangeSet") return create_change_set(params);
    if (action == "DescribeChangeSet") return describe_change_set(params);
    if (action == "ExecuteChangeSet") return execute_change_set(params);
    if (action == "DeleteChangeSet") return delete_change_set(params);
    if (action == "ListChangeSets") return list_change_sets(params);
    if (action == "DescribeStacks") return describe_stacks(params);
    if (action == "DescribeStackEvents") return describe_stack_events(params);
    if (action == "ListStackResources") return stack_resources(params, true);
    if (action == "DescribeStackResources") return stack_resources(params, false);
    if (action == "GetTemplate") return get_template(params);
    if (action == "DeleteStack") return delete_stack(params);
    if (action == "ValidateTemplate") return validate_template(params);
    if (action == "ListStacks") return list_stacks();
    return query_error(kXmlns, 400, "InvalidAction",
                       fmt::format("The action {} is not valid for this web service (the local cloud target serves CloudFormation's "
                                   "change sets, stacks, events, resources and templates).",
                                   action));
  } catch (const CfnError& e) {
    return query_error(kXmlns, e.status, e.code, e.message);
  }
}

namespace {

// The template of a request: TemplateBody, or TemplateURL naming an object in the local S3.
std::string template_text(const localaws::Params& params, localaws::S3Service& s3, const std::string& region) {
  if (const std::string* body = localaws::find_param(params, "TemplateBody")) {
    // CloudFormation's limit for an inline template; larger ones go through S3 (TemplateURL).
    if (body->size() > 51200)
      throw validation("1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or "
                       "equal to 51200");
    return *body;
  }
  const std::string url = param(params, "TemplateURL");
  if (url.empty()) throw validation("Either Template URL or Template Body must be specified.");
  // http://127.0.0.1:PORT/bucket/key, https://bucket.s3.REGION.amazonaws.com/key, https://s3.REGION.amazonaws.com/bucket/key
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) throw validation("TemplateURL must be a supported URL.");
  const auto slash = url.find('/', scheme + 3);
  const std::string host = url.substr(scheme + 3, slash == std::string::npos ? std::string::npos : slash - scheme - 3);
  std::string path = slash == std::string::npos ? "/" : url.substr(slash);
  path = path.substr(0, path.find('?'));
  if (const auto s3 = host.find(".s3"); s3 != std::string::npos && s3 > 0) path = "/" + host.substr(0, s3) + path;  // virtual-hosted
  auto res = localaws::call(s3, internal_request("GET", path, "s3", region));
  if (res.status != 200) {
    const auto open = res.body.find("<Message>"), close = res.body.find("</Message>");
    throw validation(fmt::format("S3 error: {}", open == std::string::npos ? "Access Denied" : res.body.substr(open + 9, close - open - 9)));
  }
  return res.body;
}

// The values of the template's parameters: given, previous (UsePreviousValue) or default.
NameValues parameter_values(const localaws::Params& params, const Template& t, const StackRecord* previous) {
  std::map<std::string, std::string> given;
  std::vector<std::string> unknown;
  for (const auto& [n, m] : members(params, "Parameters")) {
    const std::string key = m.count("ParameterKey") ? m.at("ParameterKey") : "";
    const bool known = std::any_of(t.parameters.begin(), t.parameters.end(), [&](const TemplateParameter& p) { return p.name == key; });
    if (!known) {
      unknown.push_back(key);
      continue;
    }
    if (m.count("UsePreviousValue") && m.at("UsePreviousValue") == "true") {
      if (previous == nullptr) throw validation(fmt::format("Invalid input for parameter key {}. Cannot specify usePreviousValue as true for a parameter key not in the previous template", key));
      for (const auto& [k, v] : previous->parameters) {
        if (k == key) given[key] = v;
      }
    } else {
      given[key] = m.count("ParameterValue") ? m.at("ParameterValue") : "";
    }
  }
  if (!unknown.empty()) {
    std::string list;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    throw validation(fmt::format("Parameters: [{}] do not exist in the template", list));
  }
  NameValues out;
  std::string missing;
  for (const auto& p : t.parameters) {
    if (auto it = given.find(p.name); it != given.end()) {
      out.emplace_back(p.name, it->second);
    } else if (p.default_value) {
      out.emplace_back(p.name, *p.default_value);
    } else {
      missing += (missing.empty() ? "" : ", ") + p.name;
    }
  }
  if (!missing.empty()) throw validation(fmt::format("Parameters: [{}] must have values", missing));
  return out;
}

// IAM resources need the caller to acknowledge them, as CloudFormation asks.
void check_capabilities(const Template& t, const std::vector<std::string>& capabilities) {
  bool iam = false, named = false;
  for (const auto& r : t.resources) {
    if (!r.type.starts_with("AWS::IAM::")) continue;
    iam = true;
    if (r.properties.contains("RoleName") || r.properties.contains("PolicyName") || r.properties.contains("UserName")) named = true;
  }
  auto has = [&](std::string_view c) { return std::find(capabilities.begin(), capabilities.end(), c) != capabilities.end(); };
  if (named && !has("CAPABILITY_NAMED_IAM")) throw CfnError{400, "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_NAMED_IAM]"};
  if (iam && !has("CAPABILITY_IAM") && !has("CAPABILITY_NAMED_IAM"))
    throw CfnError{400, "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM]"};
}

bool updatable(std::string_view status) {
  return status == "CREATE_COMPLETE" || status == "UPDATE_COMPLETE" || status == "UPDATE_ROLLBACK_COMPLETE" || status == "IMPORT_COMPLETE";
}

}  // namespace

localaws::ServiceResponse CloudFormationApi::create_change_set(const localaws::Params& params) {
  const std::string stack_name = param(params, "StackName");
  const std::string name = param(params, "ChangeSetName");
  const std::string type = param(params, "ChangeSetType").empty() ? "UPDATE" : param(params, "ChangeSetType");
  if (stack_name.empty()) throw validation("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null");
  if (name.empty()) throw validation("1 validation error detected: Value null at 'changeSetName' failed to satisfy constraint: Member must not be null");
  if (type != "CREATE" && type != "UPDATE" && type != "IMPORT")
    throw validation(fmt::format("1 validation error detected: Value '{}' at 'changeSetType' failed to satisfy constraint: Member must satisfy enum "
                                 "value set: [IMPORT, UPDATE, CREATE]",
                                 type));
  if (type == "IMPORT") throw validation("the local cloud target does not import resources (ChangeSetType IMPORT)");
  auto existing = store_.find_stack(stack_name);
  if (type == "CREATE" && existing && existing->status != "REVIEW_IN_PROGRESS")
    throw validation(fmt::format("Stack [{}] already exists and cannot be created again with the changeSet [{}].", stack_name, name));
  if (type == "UPDATE" && (!existing || existing->status == "REVIEW_IN_PROGRESS")) throw validation(fmt::format("Stack [{}] does not exist", stack_name));
  if (type == "UPDATE" && !updatable(existing->status))
    throw validation(fmt::format("Stack:{} is in {} state and can not be updated.", existing->id, existing->status));
  if (existing && store_.find_change_set(name, existing->id))
    throw CfnError{400, "AlreadyExistsException", fmt::format("ChangeSet {} already exists", name)};

  std::string text;
  if (param(params, "UsePreviousTemplate") == "true") {
    if (!existing || existing->template_body.empty()) throw validation("UsePreviousTemplate can only be used for an existing stack");
    text = existing->template_body;
  } else {
    text = template_text(params, s3_, region_);
  }
  auto parsed = parse_template(text);
  if (!parsed) throw validation(parsed.error().message);
  const NameValues values = parameter_values(params, *parsed, type == "UPDATE" ? &*existing : nullptr);
  std::vector<std::string> capabilities;
  for (const auto& [n, m] : members(params, "Capabilities")) capabilities.push_back(m.count("") ? m.at("") : "");
  check_capabilities(*parsed, capabilities);

  const std::int64_t now = localaws::now_ms();
  StackRecord stack;
  if (existing) {
    stack = *existing;
  } else {
    stack.name = stack_name;
    stack.id = fmt::format("arn:aws:cloudformation:{}:{}:stack/{}/{}", region_, account_id_, stack_name, localaws::uuid_v4());
    stack.status = "REVIEW_IN_PROGRESS";
    stack.status_reason = "User Initiated";
    stack.created_ms = now;
    stack.updated_ms = now;
    store_.put(stack);
    store_.add({localaws::uuid_v4(), stack.id, stack.name, stack.name, stack.id, "AWS::CloudFormation::Stack", "REVIEW_IN_PROGRESS",
                "User Initiated", now});
  }
  ChangeSetRecord c;
  c.id = fmt::format("arn:aws:cloudformation:{}:{}:changeSet/{}/{}", region_, account_id_, name, localaws::uuid_v4());
  c.name = name;
  c.stack_id = stack.id;
  c.stack_name = stack.name;
  c.type = type;
  c.description = param(params, "Description");
  c.template_body = text;
  c.parameters = values;
  c.capabilities = capabilities;
  c.created_ms = now;
  auto changes = plan_changes(type == "CREATE" ? StackRecord{.id = stack.id, .name = stack.name} : stack, *parsed, values, region_, account_id_);
  if (!changes) {
    c.status = "FAILED";
    c.status_reason = changes.error().message;
    c.execution_status = "UNAVAILABLE";
  } else if (changes->empty()) {
    c.status = "FAILED";
    c.status_reason = std::string(kNoChanges);
    c.execution_status = "UNAVAILABLE";
  } else {
    c.status = "CREATE_COMPLETE";
    c.execution_status = "AVAILABLE";
    c.changes = std::move(*changes);
  }
  store_.put(c);
  return query_result(kXmlns, "CreateChangeSet", element("Id", c.id) + element("StackId", c.stack_id));
}

namespace {

ChangeSetRecord find_change_set(const StackStore& store, const localaws::Params& params) {
  const std::string name = param(params, "ChangeSetName");
  if (name.empty()) throw validation("1 validation error detected: Value null at 'changeSetName' failed to satisfy constraint: Member must not be null");
  if (!name.starts_with("arn:") && param(params, "StackName").empty())
    throw validation("StackName must be specified if ChangeSetName is not specified as an ARN.");
  auto c = store.find_change_set(name, param(params, "StackName"));
  if (!c) throw CfnError{404, "ChangeSetNotFound", fmt::format("ChangeSet [{}] does not exist", name)};
  return *c;
}

StackRecord find_stack(const StackStore& store, const std::string& name) {
  auto s = store.find_stack(name);
  if (!s) throw validation(fmt::format("Stack with id {} does not exist", name));
  return *s;
}

}  // namespace

localaws::ServiceResponse CloudFormationApi::describe_change_set(const localaws::Params& params) {
  const ChangeSetRecord c = find_change_set(store_, params);
  std::string changes;
  for (const auto& ch : c.changes) {
    std::string details, scope;
    if (ch.action == "Modify") {
      scope = "<Scope><member>Properties</member></Scope>";
      for (const auto& p : ch.properties) {
        details += "<member><Target><Attribute>Properties</Attribute>" + element("Name", p) +
                   element("RequiresRecreation", requires_replacement(ch.type, p) ? "Always" : "Never") +
                   "</Target><Evaluation>Static</Evaluation><ChangeSource>DirectModification</ChangeSource></member>";
      }
    }
    changes += "<member><Type>Resource</Type><ResourceChange>" + element("Action", ch.action) + element("LogicalResourceId", ch.logical_id) +
               element("PhysicalResourceId", ch.physical_id) + element("ResourceType", ch.type) + element("Replacement", ch.replacement) + scope +
               "<Details>" + details + "</Details></ResourceChange></member>";
  }
  const std::string result = element("ChangeSetName", c.name) + element("ChangeSetId", c.id) + element("StackId", c.stack_id) +
                             element("StackName", c.stack_name) + element("Description", c.description) + parameters_xml(c.parameters) +
                             element("CreationTime", time_text(c.created_ms)) + element("ExecutionStatus", c.execution_status) +
                             element("Status", c.status) + element("StatusReason", c.status_reason) + "<NotificationARNs/>" +
                             capabilities_xml(c.capabilities) + "<Tags/><Changes>" + changes + "</Changes>" +
                             "<IncludeNestedStacks>false</IncludeNestedStacks>";
  return query_result(kXmlns, "DescribeChangeSet", result);
}

localaws::ServiceResponse CloudFormationApi::execute_change_set(const localaws::Params& params) {
  const ChangeSetRecord c = find_change_set(store_, params);
  if (c.status != "CREATE_COMPLETE" || c.execution_status != "AVAILABLE") {
    throw CfnError{400, "InvalidChangeSetStatus",
                   fmt::format("ChangeSet [{}] cannot be executed in its current status of [{}]", c.id,
                               c.status != "CREATE_COMPLETE" ? c.status : c.execution_status)};
  }
  const StackRecord stack = find_stack(store_, c.stack_id);
  if (stack.status.ends_with("_IN_PROGRESS") && stack.status != "REVIEW_IN_PROGRESS")
    throw validation(fmt::format("Stack:{} is in {} state and can not be updated.", stack.id, stack.status));
  engine_.execute(c);
  return query_result(kXmlns, "ExecuteChangeSet", "");
}

localaws::ServiceResponse CloudFormationApi::delete_change_set(const localaws::Params& params) {
  const ChangeSetRecord c = find_change_set(store_, params);
  if (c.execution_status == "EXECUTE_IN_PROGRESS")
    throw CfnError{400, "InvalidChangeSetStatus", fmt::format("Cannot delete ChangeSet in status {}", c.execution_status)};
  store_.remove_change_set(c.id);
  return query_result(kXmlns, "DeleteChangeSet", "");
}

localaws::ServiceResponse CloudFormationApi::list_change_sets(const localaws::Params& params) {
  const StackRecord stack = find_stack(store_, param(params, "StackName"));
  std::string out;
  for (const auto& c : store_.change_sets(stack.id)) {
    if (c.execution_status.starts_with("EXECUTE_")) continue;  // an executed change set is no longer listed
    out += "<member>" + element("StackId", c.stack_id) + element("StackName", c.stack_name) + element("ChangeSetId", c.id) +
           element("ChangeSetName", c.name) + element("ExecutionStatus", c.execution_status) + element("Status", c.status) +
           element("StatusReason", c.status_reason) + element("CreationTime", time_text(c.created_ms)) + element("Description", c.description) +
           "</member>";
  }
  return query_result(kXmlns, "ListChangeSets", "<Summaries>" + out + "</Summaries>");
}

localaws::ServiceResponse CloudFormationApi::describe_stacks(const localaws::Params& params) {
  const std::string name = param(params, "StackName");
  std::string out;
  if (!name.empty()) {
    out = stack_xml(find_stack(store_, name));
  } else {
    for (const auto& s : store_.live_stacks()) out += stack_xml(s);
  }
  return query_result(kXmlns, "DescribeStacks", "<Stacks>" + out + "</Stacks>");
}

localaws::ServiceResponse CloudFormationApi::list_stacks() {
  std::string out;
  for (const auto& s : store_.all_stacks()) {
    out += "<member>" + element("StackId", s.id) + element("StackName", s.name) + element("TemplateDescription", s.description) +
           element("CreationTime", time_text(s.created_ms)) +
           (s.updated_ms != s.created_ms && s.updated_ms != 0 ? element("LastUpdatedTime", time_text(s.updated_ms)) : "") +
           (s.deleted_ms != 0 ? element("DeletionTime", time_text(s.deleted_ms)) : "") + element("StackStatus", s.status) +
           element("StackStatusReason", s.status_reason) + "</member>";
  }
  return query_result(kXmlns, "ListStacks", "<StackSummaries>" + out + "</StackSummaries>");
}

localaws::ServiceResponse CloudFormationApi::describe_stack_events(const localaws::Params& params) {
  const StackRecord stack = find_stack(store_, param(params, "StackName"));
  const std::vector<StackEvent> events = store_.events(stack.id);  // newest first
  // Pages of 100, as CloudFormation; the token names the last event given, so
  // events added meanwhile (at the front) shift nothing.
  constexpr std::size_t kPageSize = 100;
  constexpr std::string_view kTokenPrefix = "gust-after-";
  std::size_t first = 0;
  if (const std::string token = param(params, "NextToken"); !token.empty()) {
    const std::string after = token.starts_with(kTokenPrefix) ? token.substr(kTokenPrefix.size()) : std::string();
    auto it = std::find_if(events.begin(), events.end(), [&](const StackEvent& e) { return !after.empty() && e.event_id == after; });
    if (it == events.end()) throw CfnError{400, "ValidationError", "Invalid NextToken"};
    first = static_cast<std::size_t>(it - events.begin()) + 1;
  }
  const std::size_t last = std::min(events.size(), first + kPageSize);
  std::string out;
  for (std::size_t i = first; i < last; ++i) {
    const StackEvent& e = events[i];
    out += "<member>" + element("StackId", e.stack_id) + element("EventId", e.event_id) + element("StackName", e.stack_name) +
           element("LogicalResourceId", e.logical_id) + element("PhysicalResourceId", e.physical_id) + element("ResourceType", e.resource_type) +
           element("Timestamp", time_text(e.timestamp_ms)) + element("ResourceStatus", e.status) + element("ResourceStatusReason", e.reason) +
           "</member>";
  }
  const std::string next = last < events.size() ? element("NextToken", std::string(kTokenPrefix) + events[last - 1].event_id) : "";
  return query_result(kXmlns, "DescribeStackEvents", "<StackEvents>" + out + "</StackEvents>" + next);
}

localaws::ServiceResponse CloudFormationApi::stack_resources(const localaws::Params& params, bool list) {
  const StackRecord stack = find_stack(store_, param(params, "StackName"));
  const std::string only = param(params, "LogicalResourceId");
  std::string out;
  for (const auto& r : stack.resources) {
    if (!only.empty() && r.logical_id != only) continue;
    const std::string time = time_text(r.updated_ms);
    out += "<member>" + (list ? std::string() : element("StackName", stack.name) + element("StackId", stack.id)) +
           element("LogicalResourceId", r.logical_id) + element("PhysicalResourceId", r.physical_id) + element("ResourceType", r.type) +
           element(list ? "LastUpdatedTimestamp" : "Timestamp", time) + element("ResourceStatus", r.status) +
           "<DriftInformation><StackResourceDriftStatus>NOT_CHECKED</StackResourceDriftStatus></DriftInformation></member>";
  }
  return list ? query_result(kXmlns, "ListStackResources", "<StackResourceSummaries>" + out + "</StackResourceSummaries>")
              : query_result(kXmlns, "DescribeStackResources", "<StackResources>" + out + "</StackResources>");
}

localaws::ServiceResponse CloudFormationApi::get_template(const localaws::Params& params) {
  std::string body;
  if (!param(params, "ChangeSetName").empty()) {
    body = find_change_set(store_, params).template_body;
  } else {
    body = find_stack(store_, param(params, "StackName")).template_body;
  }
  return query_result(kXmlns, "GetTemplate", element("TemplateBody", body, false) + "<StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>");
}

localaws::ServiceResponse CloudFormationApi::delete_stack(const localaws::Params& params) {
  const std::string name = param(params, "StackName");
  if (name.empty()) throw validation("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null");
  auto stack = store_.find_stack(name);
  // Deleting a stack that does not exist (or is already deleted) succeeds, as on AWS.
  if (!stack || stack->status == "DELETE_COMPLETE" || stack->status == "DELETE_IN_PROGRESS") return query_result(kXmlns, "DeleteStack", "");
  if (stack->status.ends_with("_IN_PROGRESS") && stack->status != "REVIEW_IN_PROGRESS")
    throw validation(fmt::format("Stack [{}] cannot be deleted while in status {}", stack->name, stack->status));
  engine_.delete_stack(*stack);
  return query_result(kXmlns, "DeleteStack", "");
}

localaws::ServiceResponse CloudFormationApi::validate_template(const localaws::Params& params) {
  auto parsed = parse_template(template_text(params, s3_, region_));
  if (!parsed) throw validation(parsed.error().message);
  std::string out;
  bool iam = false;
  for (const auto& p : parsed->parameters) {
    out += "<member>" + element("ParameterKey", p.name) + element("DefaultValue", p.default_value.value_or("")) + "<NoEcho>false</NoEcho>" +
           element("Description", p.description) + "</member>";
  }
  for (const auto& r : parsed->resources) iam = iam || r.type.starts_with("AWS::IAM::");
  return query_result(kXmlns, "ValidateTemplate", "<Parameters>" + out + "</Parameters>" + element("Description", parsed->description) +
                                                      (iam ? "<Capabilities><member>CAPABILITY_IAM</member></Capabilities>"
                                                             "<CapabilitiesReason>The following resource(s) require capabilities: [AWS::IAM::Role]</CapabilitiesReason>"
                                                           : "<Capabilities/>"));
}

}  // namespace gust::devcloud::target
