// One function: its role (trusting Lambda, writing only its own log group,
// holding exactly its grants), its log group with a retention period, and
// the function itself running the shared package with its own _HANDLER.
#include "synth/logical_ids.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

namespace gust::synth {
namespace {

Value trust_policy(std::string_view service) {
  Value statement;
  statement["Effect"] = "Allow";
  statement["Principal"]["Service"] = service;
  statement["Action"] = "sts:AssumeRole";
  Value doc;
  doc["Version"] = "2012-10-17";
  doc["Statement"] = Array{std::move(statement)};
  return doc;
}

Value statement(std::string sid, const std::vector<std::string>& actions, Value resource) {
  Value s;
  s["Sid"] = std::move(sid);
  s["Effect"] = "Allow";
  Array a;
  for (const auto& action : actions) a.emplace_back(action);
  s["Action"] = std::move(a);
  s["Resource"] = std::move(resource);
  return s;
}

}  // namespace

void add_function(TemplateBuilder& b, const manifest::Function& fn) {
  const std::string base = pascal_case(fn.id);
  const std::string log_group = log_group_id(fn.id);
  const std::string role = role_id(fn.id);
  const std::string function = function_id(fn.id);

  Value group;
  group["LogGroupName"] = sub(fmt::format("/aws/lambda/${{AWS::StackName}}-{}", fn.id));
  group["RetentionInDays"] = b.options.log_retention_days;
  b.add(log_group, "AWS::Logs::LogGroup", std::move(group));

  // Logs to its own group only; then exactly the grants' statements, one per grant statement.
  Array statements;
  statements.push_back(statement("WriteOwnLogs", {"logs:CreateLogStream", "logs:PutLogEvents"}, get_att(log_group, "Arn")));
  for (const auto& g : fn.grants) {
    const manifest::Resource* r = b.manifest.find_resource(g.resource);
    for (const auto& s : g.statements) {
      const std::string sid = pascal_case(fmt::format("{} {} {}", g.permission, g.resource, s.scope));
      statements.push_back(statement(sid, s.actions, scope_arn(b, *r, s.scope)));
    }
  }
  Value policy;
  policy["PolicyName"] = base + "Policy";
  policy["PolicyDocument"]["Version"] = "2012-10-17";
  policy["PolicyDocument"]["Statement"] = std::move(statements);
  Value role_props;
  role_props["AssumeRolePolicyDocument"] = trust_policy("lambda.amazonaws.com");
  role_props["Policies"] = Array{std::move(policy)};
  role_props["Tags"] = tag_list(b.tags());
  b.add(role, "AWS::IAM::Role", std::move(role_props));

  Value props;
  props["Description"] = fmt::format("{} {}: {}", b.manifest.app, b.options.stage, fn.id);
  props["Runtime"] = "provided.al2023";
  props["Handler"] = fn.id;
  props["Code"]["S3Bucket"] = cfn_ref("ArtifactBucket");
  props["Code"]["S3Key"] = cfn_ref("ArtifactKey");
  props["Architectures"] = Array{Value(fn.options.architecture)};
  props["MemorySize"] = fn.options.memory_mb;
  props["Timeout"] = fn.options.timeout_seconds;
  if (fn.options.reserved_concurrency) props["ReservedConcurrentExecutions"] = *fn.options.reserved_concurrency;
  props["Role"] = get_att(role, "Arn");
  Value variables = Object{};
  for (const auto& g : fn.grants) {
    const manifest::Resource* r = b.manifest.find_resource(g.resource);
    if (variables.find(r->env) == nullptr) variables[r->env] = b.resource_values.at(r->id);
  }
  if (!variables.as_object().empty()) props["Environment"]["Variables"] = std::move(variables);
  props["LoggingConfig"]["LogGroup"] = cfn_ref(log_group);
  props["LoggingConfig"]["LogFormat"] = "JSON";
  props["Tags"] = tag_list(b.tags());
  b.add(function, "AWS::Lambda::Function", std::move(props));
  b.output(function + "Name", cfn_ref(function), fmt::format("Name of function \"{}\"", fn.id));
}

}  // namespace gust::synth
