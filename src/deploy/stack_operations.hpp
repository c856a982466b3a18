#pragma once
// The waiting parts of a deploy: a change set until CloudFormation has
// computed it, and a stack operation until it ends, reporting each new event
// and the progress line. Polling starts at 100 ms (a local cloud answers at
// once) and backs off to 2 s (CloudFormation takes minutes); every wait is
// bounded by `max_wait`.

#include "aws/cloudformation.hpp"
#include "deploy/progress.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace gust::deploy {

struct ChangeSetOutcome {
  aws::CreatedChangeSet created;
  aws::ChangeSet change_set;  // with every page of changes
  bool no_changes = false;    // FAILED because it would change nothing
};

// Creates the change set and waits until it is computed. A change set that
// FAILED for another reason is deleted and returned as an error with
// CloudFormation's reason (the template was rejected).
Result<ChangeSetOutcome> create_change_set_and_wait(const aws::CloudFormationClient& cfn,
                                                    const aws::CreateChangeSetRequest& request,
                                                    std::chrono::seconds max_wait);

struct OperationResult {
  std::optional<aws::Stack> stack;      // the stack at the end (nullopt: deleted)
  std::vector<aws::StackEvent> events;  // this operation's events, oldest first
};

// The id of the newest event so far ("" when none): later events belong to the next operation.
Result<std::string> newest_event_id(const aws::CloudFormationClient& cfn, std::string_view stack);

// Polls the stack (`stack` is best its id: a deleted stack is found by id)
// until its status no longer ends in _IN_PROGRESS, reporting events newer
// than `after_event_id` and the progress line.
Result<OperationResult> watch_operation(const aws::CloudFormationClient& cfn, std::string_view stack,
                                        std::string_view after_event_id, StackProgress progress, Sink& sink,
                                        std::chrono::seconds max_wait);

// The event that explains a failure: the first resource that failed for a
// reason of its own (not "Resource creation cancelled" because another failed).
std::optional<aws::StackEvent> first_failure(const std::vector<aws::StackEvent>& events);

bool is_in_progress(std::string_view status);
// A stack that failed and rolled back its first creation: it holds nothing and cannot be updated.
inline bool is_rolled_back_create(std::string_view status) { return status == "ROLLBACK_COMPLETE"; }

}  // namespace gust::deploy
