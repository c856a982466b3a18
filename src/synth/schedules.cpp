// Schedules: an EventBridge Scheduler schedule (UTC) invoking the function
// through a role that may invoke that one function and nothing else.
#include "synth/logical_ids.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

namespace gust::synth {

void add_schedule(TemplateBuilder& b, const manifest::Function& fn) {
  const auto& t = fn.trigger;
  const std::string role = schedule_role_id(fn.id);

  Value invoke;
  invoke["Sid"] = "InvokeScheduledFunction";
  invoke["Effect"] = "Allow";
  invoke["Action"] = Array{Value("lambda:InvokeFunction")};
  invoke["Resource"] = get_att(function_id(fn.id), "Arn");
  Value policy;
  policy["PolicyName"] = pascal_case(fn.id).substr(0, 114) + "SchedulePolicy";  // IAM: at most 128
  policy["PolicyDocument"] = policy_document(Array{std::move(invoke)});
  // Only Scheduler acting for this account may take the role (confused deputy).
  Value trust;
  trust["Effect"] = "Allow";
  trust["Principal"]["Service"] = "scheduler.amazonaws.com";
  trust["Action"] = "sts:AssumeRole";
  trust["Condition"]["StringEquals"]["aws:SourceAccount"] = cfn_ref("AWS::AccountId");
  Value role_props;
  role_props["AssumeRolePolicyDocument"] = policy_document(Array{std::move(trust)});
  role_props["Policies"] = Array{std::move(policy)};
  role_props["Tags"] = b.tag_list();
  b.add(role, "AWS::IAM::Role", std::move(role_props));

  Value schedule;
  schedule["Description"] = fmt::format("{} {}: {}", b.manifest.app, b.options.stage, t.name);
  schedule["ScheduleExpression"] = t.expression;
  schedule["ScheduleExpressionTimezone"] = "UTC";
  schedule["FlexibleTimeWindow"]["Mode"] = "OFF";
  schedule["State"] = "ENABLED";
  schedule["Target"]["Arn"] = get_att(function_id(fn.id), "Arn");
  schedule["Target"]["RoleArn"] = get_att(role, "Arn");
  // Scheduler's retries cover delivering the event (throttling); the
  // function's own failures are retried by Lambda (AsyncConfig).
  schedule["Target"]["RetryPolicy"]["MaximumRetryAttempts"] = fn.options.retries;
  b.add(schedule_id(fn.id), "AWS::Scheduler::Schedule", std::move(schedule));
  add_async_config(b, fn);
}

}  // namespace gust::synth
