// One function: its log group with a retention period, its role (trusting
// Lambda, writing only its own log group, holding exactly its grants), and
// the function running the shared package with its own _HANDLER and a
// variable per granted resource.
#include "synth/iam.hpp"
#include "synth/logical_ids.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

namespace gust::synth {
namespace {

Value statement(std::string_view sid, const std::vector<std::string>& actions, Value resource) {
  Value s;
  s["Sid"] = sid;
  s["Effect"] = "Allow";
  Array a;
  for (const auto& action : actions) a.emplace_back(action);
  s["Action"] = std::move(a);
  s["Resource"] = std::move(resource);
  return s;
}

Value lambda_trust() {
  Value trust;
  trust["Effect"] = "Allow";
  trust["Principal"]["Service"] = "lambda.amazonaws.com";
  trust["Action"] = "sts:AssumeRole";
  return policy_document(Array{std::move(trust)});
}

}  // namespace

Value resource_variable(const TemplateBuilder& b, const manifest::Resource& r) {
  switch (r.kind) {
    case manifest::ResourceKind::table: return cfn_ref(table_id(r.id));    // the table name
    case manifest::ResourceKind::bucket: return bucket_name(b, r);
    case manifest::ResourceKind::queue: return cfn_ref(queue_id(r.id));    // the queue URL
    case manifest::ResourceKind::topic: return cfn_ref(topic_id(r.id));    // the topic ARN
  }
  return Value();
}

void add_function(TemplateBuilder& b, const manifest::Function& fn) {
  const std::string log_group = log_group_id(fn.id);
  const std::string role = role_id(fn.id);
  const std::string function = function_id(fn.id);

  Value group;
  group["LogGroupName"] = sub(fmt::format("/aws/lambda/${{AWS::StackName}}-{}", fn.id));
  group["RetentionInDays"] = b.options.log_retention_days;
  group["Tags"] = b.tag_list();
  b.add(log_group, "AWS::Logs::LogGroup", std::move(group));

  // Its own log group only (the group exists: no logs:CreateLogGroup), then the grants.
  Array statements;
  statements.push_back(statement("WriteOwnLogs", {"logs:CreateLogStream", "logs:PutLogEvents"}, get_att(log_group, "Arn")));
  for (const auto& p : policy_statements(fn))
    statements.push_back(statement(p.sid, p.actions, scope_arn(b, *b.manifest.find_resource(p.resource), p.scope)));
  Value policy;
  policy["PolicyName"] = policy_name(fn.id);
  policy["PolicyDocument"] = policy_document(std::move(statements));
  Value role_props;
  role_props["AssumeRolePolicyDocument"] = lambda_trust();
  role_props["Policies"] = Array{std::move(policy)};
  role_props["Tags"] = b.tag_list();
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
  // Each granted resource's physical name, URL or ARN, once, in grant order.
  Value variables = Object{};
  for (const auto& g : fn.grants) {
    const manifest::Resource* r = b.manifest.find_resource(g.resource);
    if (variables.find(r->env) == nullptr) variables[r->env] = resource_variable(b, *r);
  }
  if (!variables.as_object().empty()) props["Environment"]["Variables"] = std::move(variables);
  props["LoggingConfig"]["LogGroup"] = cfn_ref(log_group);
  props["LoggingConfig"]["LogFormat"] = "JSON";
  props["Tags"] = b.tag_list();
  b.add(function, "AWS::Lambda::Function", std::move(props));
  b.output(function + "Name", cfn_ref(function), fmt::format("Name of function \"{}\"", fn.id));
}

void add_async_config(TemplateBuilder& b, const manifest::Function& fn) {
  Value c;
  c["FunctionName"] = cfn_ref(function_id(fn.id));
  c["Qualifier"] = "$LATEST";
  c["MaximumRetryAttempts"] = fn.options.retries;
  b.add(async_config_id(fn.id), "AWS::Lambda::EventInvokeConfig", std::move(c));
}

void add_invoke_permission(TemplateBuilder& b, const std::string& logical_id, const manifest::Function& fn,
                           std::string_view principal, Value source_arn, bool with_source_account) {
  Value p;
  p["Action"] = "lambda:InvokeFunction";
  p["FunctionName"] = get_att(function_id(fn.id), "Arn");
  p["Principal"] = principal;
  p["SourceArn"] = std::move(source_arn);
  // S3 ARNs hold no account: without it another account's bucket of that name could invoke.
  if (with_source_account) p["SourceAccount"] = cfn_ref("AWS::AccountId");
  b.add(logical_id, "AWS::Lambda::Permission", std::move(p));
}

}  // namespace gust::synth
