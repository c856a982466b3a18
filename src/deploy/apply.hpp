#pragma once
// Applies a template to a stack through a change set, the way both
// `gust bootstrap` and `gust deploy` (and, without executing, `gust diff`) do:
//
//   1. a stack left in ROLLBACK_COMPLETE (its first create failed) holds
//      nothing and cannot be updated: it is deleted first, saying so;
//   2. when the stack's template and parameters already equal the new ones,
//      nothing is created at all ("no changes", in one or two calls);
//   3. a change set (CREATE for a new or REVIEW_IN_PROGRESS stack, else
//      UPDATE) is created and waited for; "didn't contain changes" deletes it;
//   4. its changes are shown, then it is executed (or deleted, for a diff)
//      and the operation is watched to its end.

#include "aws/cloudformation.hpp"
#include "deploy/progress.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace gust::deploy {

struct StackSpec {
  std::string stack_name;
  std::string template_body;  // always: compared with the deployed one
  std::string template_url;   // when set, sent instead of the body (templates over 51,200 bytes)
  std::vector<std::pair<std::string, std::string>> parameters;
  std::vector<std::pair<std::string, std::string>> tags;
  std::string description;    // of the change set
};

struct ApplyOptions {
  bool execute = true;  // false: show the change set, then delete it (gust diff)
  std::chrono::seconds max_wait{3600};
};

struct ApplyResult {
  bool no_changes = false;
  std::vector<aws::ResourceChange> changes;
  std::optional<aws::Stack> stack;           // after the operation (or as found, when nothing changed)
  std::optional<aws::StackEvent> failure;    // the first failed resource, when the operation failed
  bool succeeded = false;                    // the stack ended in CREATE_COMPLETE or UPDATE_COMPLETE
};

// Runs the steps above. Errors are what stopped it before or while talking
// to CloudFormation; a stack operation that failed and rolled back is a
// result with succeeded == false and `failure` set.
Result<ApplyResult> apply_stack(const aws::CloudFormationClient& cfn, const StackSpec& spec, const ApplyOptions& options,
                                Sink& sink);

// Deletes the stack and waits until it is gone (DELETE_COMPLETE).
Result<std::optional<aws::Stack>> delete_stack_and_wait(const aws::CloudFormationClient& cfn, const aws::Stack& stack,
                                                        std::chrono::seconds max_wait, Sink& sink);

// What a failed operation means for the user: the first failed resource and
// its reason, then the rollback's outcome and, for the states a stack gets
// stuck in, the fix.
std::string explain_failure(const ApplyResult& result);

// Each CloudFormation name for a change set: "gust-20261127T001500Z".
std::string change_set_name(std::chrono::system_clock::time_point now);

}  // namespace gust::deploy
