// What invokes each function: the HTTP API, an SQS event-source mapping, a
// schedule, a topic subscription or a bucket notification, each with the
// invoke permission scoped to its source.
#include "synth/logical_ids.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

namespace gust::synth {
namespace {

constexpr std::string_view kApi = "HttpApi";

void add_permission(TemplateBuilder& b, const std::string& id, const manifest::Function& fn, std::string_view principal,
                    Value source_arn, bool with_account) {
  Value p;
  p["Action"] = "lambda:InvokeFunction";
  p["FunctionName"] = get_att(function_id(fn.id), "Arn");
  p["Principal"] = principal;
  p["SourceArn"] = std::move(source_arn);
  if (with_account) p["SourceAccount"] = cfn_ref("AWS::AccountId");
  b.add(id, "AWS::Lambda::Permission", std::move(p));
}

// Retries of asynchronous invocations (schedules, topics, buckets).
void add_async_config(TemplateBuilder& b, const manifest::Function& fn) {
  Value c;
  c["FunctionName"] = cfn_ref(function_id(fn.id));
  c["Qualifier"] = "$LATEST";
  c["MaximumRetryAttempts"] = fn.options.retries;
  b.add(pascal_case(fn.id) + "AsyncConfig", "AWS::Lambda::EventInvokeConfig", std::move(c));
}

}  // namespace

void add_http_api(TemplateBuilder& b) {
  Value api;
  api["Name"] = sub("${AWS::StackName}");
  api["ProtocolType"] = "HTTP";
  api["Description"] = fmt::format("{} {}", b.manifest.app, b.options.stage);
  b.add(std::string(kApi), "AWS::ApiGatewayV2::Api", std::move(api));
  Value stage;
  stage["ApiId"] = cfn_ref(kApi);
  stage["StageName"] = "$default";
  stage["AutoDeploy"] = true;
  b.add("HttpApiDefaultStage", "AWS::ApiGatewayV2::Stage", std::move(stage));
  b.output("ApiUrl", get_att(kApi, "ApiEndpoint"), "The HTTP API's URL");
}

void add_trigger(TemplateBuilder& b, const manifest::Function& fn) {
  const std::string base = pascal_case(fn.id);
  const auto& t = fn.trigger;
  switch (t.kind) {
    case manifest::TriggerKind::http: {
      Value integration;
      integration["ApiId"] = cfn_ref(kApi);
      integration["IntegrationType"] = "AWS_PROXY";
      integration["IntegrationUri"] = get_att(function_id(fn.id), "Arn");
      integration["PayloadFormatVersion"] = "2.0";
      integration["TimeoutInMillis"] = std::min(30000, fn.options.timeout_seconds * 1000 + 500);
      b.add(base + "Integration", "AWS::ApiGatewayV2::Integration", std::move(integration));
      Value route;
      route["ApiId"] = cfn_ref(kApi);
      route["RouteKey"] = fmt::format("{} {}", t.method, t.path);
      Value target;
      target["Fn::Join"] = Array{Value(""), Array{Value("integrations/"), cfn_ref(base + "Integration")}};
      route["Target"] = std::move(target);
      b.add(base + "Route", "AWS::ApiGatewayV2::Route", std::move(route));
      // Only this API may invoke it, on any stage and route it serves.
      add_permission(b, base + "ApiPermission", fn, "apigateway.amazonaws.com",
                     sub(fmt::format("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{}}}/*", kApi)), false);
      break;
    }
    case manifest::TriggerKind::queue: {
      Value m;
      m["EventSourceArn"] = get_att(queue_id(t.resource), "Arn");
      m["FunctionName"] = cfn_ref(function_id(fn.id));
      m["BatchSize"] = t.batch_size;
      if (t.batch_window_seconds > 0) m["MaximumBatchingWindowInSeconds"] = t.batch_window_seconds;
      m["FunctionResponseTypes"] = Array{Value("ReportBatchItemFailures")};
      b.add(base + "EventSourceMapping", "AWS::Lambda::EventSourceMapping", std::move(m));
      break;
    }
    case manifest::TriggerKind::topic: {
      Value s;
      s["Protocol"] = "lambda";
      s["Endpoint"] = get_att(function_id(fn.id), "Arn");
      s["TopicArn"] = cfn_ref(topic_id(t.resource));
      b.add(base + "Subscription", "AWS::SNS::Subscription", std::move(s));
      add_permission(b, base + "TopicPermission", fn, "sns.amazonaws.com", cfn_ref(topic_id(t.resource)), false);
      add_async_config(b, fn);
      break;
    }
    case manifest::TriggerKind::schedule: {
      // EventBridge Scheduler invokes through a role that may invoke only this function.
      Value statement;
      statement["Sid"] = "InvokeScheduledFunction";
      statement["Effect"] = "Allow";
      statement["Action"] = Array{Value("lambda:InvokeFunction")};
      statement["Resource"] = get_att(function_id(fn.id), "Arn");
      Value policy;
      policy["PolicyName"] = base + "SchedulePolicy";
      policy["PolicyDocument"]["Version"] = "2012-10-17";
      policy["PolicyDocument"]["Statement"] = Array{std::move(statement)};
      Value trust_statement;
      trust_statement["Effect"] = "Allow";
      trust_statement["Principal"]["Service"] = "scheduler.amazonaws.com";
      trust_statement["Action"] = "sts:AssumeRole";
      trust_statement["Condition"]["StringEquals"]["aws:SourceAccount"] = cfn_ref("AWS::AccountId");
      Value role;
      role["AssumeRolePolicyDocument"]["Version"] = "2012-10-17";
      role["AssumeRolePolicyDocument"]["Statement"] = Array{std::move(trust_statement)};
      role["Policies"] = Array{std::move(policy)};
      b.add(base + "ScheduleRole", "AWS::IAM::Role", std::move(role));
      Value schedule;
      schedule["Description"] = fmt::format("{} {}: {}", b.manifest.app, b.options.stage, t.name);
      schedule["ScheduleExpression"] = t.expression;
      schedule["ScheduleExpressionTimezone"] = "UTC";
      schedule["FlexibleTimeWindow"]["Mode"] = "OFF";
      schedule["State"] = "ENABLED";
      schedule["Target"]["Arn"] = get_att(function_id(fn.id), "Arn");
      schedule["Target"]["RoleArn"] = get_att(base + "ScheduleRole", "Arn");
      schedule["Target"]["RetryPolicy"]["MaximumRetryAttempts"] = fn.options.retries;
      b.add(base + "Schedule", "AWS::Scheduler::Schedule", std::move(schedule));
      break;
    }
    case manifest::TriggerKind::object_created: {
      // The bucket's notification (resources.cpp) depends on this permission.
      add_permission(b, base + "BucketPermission", fn, "s3.amazonaws.com",
                     sub(fmt::format("arn:${{AWS::Partition}}:s3:::${{AWS::StackName}}-{}-${{AWS::AccountId}}", t.resource)), true);
      add_async_config(b, fn);
      break;
    }
  }
}

}  // namespace gust::synth
