#include "deploy/apply.hpp"

#include "deploy/stack_operations.hpp"

#include <gust/value.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

namespace gust::deploy {
namespace {

// States whose template GetTemplate returns as the one in force.
bool is_settled(std::string_view status) {
  return status == "CREATE_COMPLETE" || status == "UPDATE_COMPLETE" || status == "UPDATE_ROLLBACK_COMPLETE" ||
         status == "IMPORT_COMPLETE";
}

std::vector<std::pair<std::string, std::string>> sorted(std::vector<std::pair<std::string, std::string>> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// True when the deployed stack already has exactly this template and these parameters.
Result<bool> unchanged(const aws::CloudFormationClient& cfn, const aws::Stack& stack, const StackSpec& spec) {
  if (!is_settled(stack.status) || sorted(stack.parameters) != sorted(spec.parameters)) return false;
  auto deployed = cfn.get_template(stack.id.empty() ? stack.name : stack.id);
  if (!deployed) return Unexpected{std::move(deployed).error()};
  auto before = parse_json(*deployed);
  auto after = parse_json(spec.template_body);
  return before && after && *before == *after;
}

}  // namespace

std::string change_set_name(std::chrono::system_clock::time_point now) {
  return fmt::format("gust-{:%Y%m%dT%H%M%S}Z", std::chrono::floor<std::chrono::seconds>(now));
}

Result<std::optional<aws::Stack>> delete_stack_and_wait(const aws::CloudFormationClient& cfn, const aws::Stack& stack,
                                                        std::chrono::seconds max_wait, Sink& sink) {
  const std::string id = stack.id.empty() ? stack.name : stack.id;
  auto after = newest_event_id(cfn, id);
  if (!after) return Unexpected{std::move(after).error()};
  if (auto r = cfn.delete_stack(id); !r) return Unexpected{std::move(r).error()};
  StackProgress progress;
  progress.operation = "removing";
  auto watched = watch_operation(cfn, id, *after, progress, sink, max_wait);
  if (!watched) return Unexpected{std::move(watched).error()};
  if (watched->stack && watched->stack->status != "DELETE_COMPLETE") {
    auto failure = first_failure(watched->events);
    return unexpected(ErrorCode::failed_precondition,
                      fmt::format("stack {} could not be deleted ({}){}", stack.name, watched->stack->status,
                                  failure ? fmt::format(": {} ({}): {}", failure->logical_id, failure->resource_type,
                                                        failure->status_reason)
                                          : std::string()),
                      "fix what blocks it (often a non-empty bucket the stack does not retain), then run `gust remove` again");
  }
  return std::move(watched->stack);
}

Result<ApplyResult> apply_stack(const aws::CloudFormationClient& cfn, const StackSpec& spec, const ApplyOptions& options,
                                Sink& sink) {
  auto existing = cfn.describe_stack(spec.stack_name);
  if (!existing) return Unexpected{std::move(existing).error()};
  std::optional<aws::Stack> stack = *std::move(existing);

  if (stack && is_in_progress(stack->status) && stack->status != "REVIEW_IN_PROGRESS")
    return unexpected(ErrorCode::failed_precondition,
                      fmt::format("stack {} is busy ({}): another operation is running on it", spec.stack_name, stack->status),
                      "wait until it ends, then run the command again");
  if (stack && stack->status == "UPDATE_ROLLBACK_FAILED")
    return unexpected(ErrorCode::failed_precondition,
                      fmt::format("stack {} is stuck in UPDATE_ROLLBACK_FAILED: an update failed and so did its rollback{}",
                                  spec.stack_name, stack->status_reason.empty() ? "" : " (" + stack->status_reason + ")"),
                      "fix the resource named in its events, then `aws cloudformation continue-update-rollback --stack-name " +
                          spec.stack_name + "` (or `gust remove`)");
  if (stack && (stack->status == "DELETE_FAILED" || stack->status == "ROLLBACK_FAILED"))
    return unexpected(ErrorCode::failed_precondition,
                      fmt::format("stack {} is in {}{}", spec.stack_name, stack->status,
                                  stack->status_reason.empty() ? "" : ": " + stack->status_reason),
                      "remove it with `gust remove` (after fixing what blocked the deletion), then deploy again");
  if (stack && is_rolled_back_create(stack->status)) {
    if (!options.execute) {
      // A change set cannot be made for it: the deploy recreates every resource.
      sink.step(fmt::format("stack {} is in ROLLBACK_COMPLETE (its first create failed and rolled back): `gust deploy` "
                            "will delete it and create every resource anew",
                            spec.stack_name));
      ApplyResult result;
      result.stack = std::move(stack);
      result.succeeded = true;
      return result;
    } else {
      sink.step(fmt::format("stack {} is in ROLLBACK_COMPLETE: its first create failed and rolled back, so it holds no "
                            "resources and cannot be updated; deleting it to create it anew",
                            spec.stack_name));
      auto deleted = delete_stack_and_wait(cfn, *stack, options.max_wait, sink);
      if (!deleted) return Unexpected{std::move(deleted).error()};
    }
    stack.reset();
  }

  ApplyResult result;
  if (stack) {
    auto same = unchanged(cfn, *stack, spec);
    if (!same) return Unexpected{std::move(same).error()};
    if (*same) {
      result.no_changes = true;
      result.succeeded = true;
      result.stack = std::move(stack);
      return result;
    }
  }

  aws::CreateChangeSetRequest request;
  request.stack_name = spec.stack_name;
  request.change_set_name = change_set_name(std::chrono::system_clock::now());
  request.type = !stack || stack->status == "REVIEW_IN_PROGRESS" ? aws::ChangeSetType::create : aws::ChangeSetType::update;
  if (spec.template_url.empty()) request.template_body = spec.template_body;
  else request.template_url = spec.template_url;
  request.parameters = spec.parameters;
  request.capabilities = {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"};
  request.tags = spec.tags;
  request.description = spec.description;
  auto outcome = create_change_set_and_wait(cfn, request, options.max_wait);
  if (!outcome) return Unexpected{std::move(outcome).error()};
  const std::string& cs_id = outcome->created.id;

  // A CREATE change set that is not executed leaves an empty REVIEW_IN_PROGRESS stack: remove it too.
  auto discard = [&]() {
    (void)cfn.delete_change_set(cs_id, spec.stack_name);
    if (request.type == aws::ChangeSetType::create && !stack) (void)cfn.delete_stack(spec.stack_name);
  };
  if (outcome->no_changes) {
    discard();
    result.no_changes = true;
    result.succeeded = true;
    result.stack = std::move(stack);
    return result;
  }
  result.changes = outcome->change_set.changes;
  sink.changes(result.changes);
  if (!options.execute) {
    discard();
    result.stack = std::move(stack);
    result.succeeded = true;
    return result;
  }

  const std::string stack_id = outcome->created.stack_id.empty() ? spec.stack_name : outcome->created.stack_id;
  auto after = newest_event_id(cfn, stack_id);
  if (!after) return Unexpected{std::move(after).error()};
  if (auto r = cfn.execute_change_set(cs_id, spec.stack_name); !r) {
    // Some targets validate only now, and answer with the reason at once.
    Error e = std::move(r).error();
    if (e.code == ErrorCode::invalid_argument) {
      e.message = fmt::format("CloudFormation rejected the change set for stack {}: {}", spec.stack_name, e.message);
      e.context = "fix the template or the app's declarations, then deploy again";
    }
    (void)cfn.delete_change_set(cs_id, spec.stack_name);
    return Unexpected{std::move(e)};
  }
  StackProgress progress;
  progress.operation = "deploying";
  progress.total = static_cast<int>(result.changes.size());
  auto watched = watch_operation(cfn, stack_id, *after, progress, sink, options.max_wait);
  if (!watched) return Unexpected{std::move(watched).error()};
  result.stack = std::move(watched->stack);
  const std::string status = result.stack ? result.stack->status : "DELETE_COMPLETE";
  result.succeeded = status == "CREATE_COMPLETE" || status == "UPDATE_COMPLETE";
  if (!result.succeeded) result.failure = first_failure(watched->events);
  return result;
}

std::string explain_failure(const ApplyResult& result) {
  std::string out;
  const std::string name = result.stack ? result.stack->name : std::string("the stack");
  const std::string status = result.stack ? result.stack->status : std::string("DELETE_COMPLETE");
  if (result.failure) {
    out += fmt::format("{} ({}) failed: {}\n", result.failure->logical_id, result.failure->resource_type,
                       result.failure->status_reason.empty() ? std::string("(no reason given)") : result.failure->status_reason);
  } else if (result.stack && !result.stack->status_reason.empty()) {
    out += fmt::format("{}: {}\n", name, result.stack->status_reason);
  }
  if (status == "ROLLBACK_COMPLETE") {
    out += fmt::format("the create was rolled back: {} is in ROLLBACK_COMPLETE and holds no resources (retained ones "
                       "stay). It cannot be updated; the next `gust deploy` deletes it and creates it anew, or remove it "
                       "with `gust remove`.\n",
                       name);
  } else if (status == "UPDATE_ROLLBACK_COMPLETE") {
    out += fmt::format("the update was rolled back: {} is back on its previous version and keeps working.\n", name);
  } else if (status == "UPDATE_ROLLBACK_FAILED" || status == "ROLLBACK_FAILED") {
    out += fmt::format("the rollback failed too: {} is in {}; fix the resource above, then run `aws cloudformation "
                       "continue-update-rollback --stack-name {}` or `gust remove`.\n",
                       name, status, name);
  } else {
    out += fmt::format("{} ended in {}.\n", name, status);
  }
  return out;
}

}  // namespace gust::deploy
