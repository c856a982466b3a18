#include "deploy/stack_operations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

namespace gust::deploy {
namespace {

using Clock = std::chrono::steady_clock;

// 100 ms, 200 ms, 400 ms ... 2 s.
class Backoff {
 public:
  void wait() {
    std::this_thread::sleep_for(delay_);
    delay_ = std::min(delay_ * 2, std::chrono::milliseconds(2000));
  }

 private:
  std::chrono::milliseconds delay_{100};
};

bool is_finished_status(std::string_view status) {
  return status.ends_with("_COMPLETE") || status.ends_with("_FAILED") || status.ends_with("_SKIPPED");
}

// Events newer than `after` (or than any in `seen`), oldest first.
Result<std::vector<aws::StackEvent>> new_events(const aws::CloudFormationClient& cfn, std::string_view stack,
                                                std::string_view after, std::set<std::string>& seen) {
  std::vector<aws::StackEvent> fresh;
  std::string token;
  for (int page = 0; page < 20; ++page) {  // bounded: a poll rarely needs more than the first page
    auto events = cfn.describe_stack_events(stack, token);
    if (!events) return Unexpected{std::move(events).error()};
    bool reached = false;
    for (auto& e : events->events) {
      if (e.id == after || seen.contains(e.id)) {
        reached = true;
        break;
      }
      fresh.push_back(std::move(e));
    }
    token = events->next_token;
    if (reached || token.empty()) break;
  }
  std::reverse(fresh.begin(), fresh.end());
  for (const auto& e : fresh) seen.insert(e.id);
  return fresh;
}

}  // namespace

bool is_in_progress(std::string_view status) { return status.ends_with("_IN_PROGRESS"); }

Result<ChangeSetOutcome> create_change_set_and_wait(const aws::CloudFormationClient& cfn,
                                                    const aws::CreateChangeSetRequest& request,
                                                    std::chrono::seconds max_wait) {
  auto created = cfn.create_change_set(request);
  if (!created) {
    Error e = std::move(created).error();
    e.message = fmt::format("CloudFormation rejected the change set for stack {}: {}", request.stack_name, e.message);
    return Unexpected{std::move(e)};
  }
  ChangeSetOutcome out;
  out.created = *created;
  const auto deadline = Clock::now() + max_wait;
  Backoff backoff;
  for (;;) {
    auto cs = cfn.describe_change_set(created->id, request.stack_name);
    if (!cs) return Unexpected{std::move(cs).error()};
    if (cs->status == "CREATE_COMPLETE") {
      out.change_set = *std::move(cs);
      return out;
    }
    if (cs->status == "FAILED") {
      if (aws::is_no_change_reason(cs->status_reason)) {
        out.no_changes = true;
        out.change_set = *std::move(cs);
        return out;
      }
      (void)cfn.delete_change_set(created->id, request.stack_name);
      return unexpected(ErrorCode::failed_precondition,
                        fmt::format("CloudFormation rejected the change set for stack {}: {}", request.stack_name,
                                    cs->status_reason.empty() ? std::string("(no reason given)") : cs->status_reason),
                        "fix the template or the app's declarations, then deploy again");
    }
    if (Clock::now() >= deadline)
      return unexpected(ErrorCode::deadline_exceeded,
                        fmt::format("change set {} is still {} after {} s", created->id, cs->status, max_wait.count()),
                        "look at it in the CloudFormation console, or try again");
    backoff.wait();
  }
}

Result<std::string> newest_event_id(const aws::CloudFormationClient& cfn, std::string_view stack) {
  auto events = cfn.describe_stack_events(stack);
  if (!events) {
    if (aws::is_missing_stack_error(events.error())) return std::string();
    return Unexpected{std::move(events).error()};
  }
  return events->events.empty() ? std::string() : events->events.front().id;
}

Result<OperationResult> watch_operation(const aws::CloudFormationClient& cfn, std::string_view stack,
                                        std::string_view after_event_id, StackProgress progress, Sink& sink,
                                        std::chrono::seconds max_wait) {
  const auto start = Clock::now();
  const auto deadline = start + max_wait;
  OperationResult out;
  std::set<std::string> seen;
  std::map<std::string, std::string> latest;  // logical id -> its latest status
  Backoff backoff;
  for (;;) {
    auto described = cfn.describe_stack(stack);
    if (!described) return Unexpected{std::move(described).error()};
    const bool ended = !described->has_value() || !is_in_progress((*described)->status);
    auto fresh = new_events(cfn, stack, after_event_id, seen);
    if (!fresh) {
      // A stack deleted between the two calls has no events to read.
      if (!aws::is_missing_stack_error(fresh.error())) return Unexpected{std::move(fresh).error()};
      fresh = std::vector<aws::StackEvent>();
    }
    for (auto& e : *fresh) {
      sink.event(e);
      if (e.resource_type != "AWS::CloudFormation::Stack") {
        latest[e.logical_id] = e.status;
        if (is_in_progress(e.status)) {
          progress.current = e.logical_id;
          progress.current_type = e.resource_type;
        }
      }
      out.events.push_back(std::move(e));
    }
    progress.done = static_cast<int>(std::count_if(latest.begin(), latest.end(), [](const auto& kv) { return is_finished_status(kv.second); }));
    if (progress.total > 0) progress.done = std::min(progress.done, progress.total);
    if (auto it = latest.find(progress.current); it != latest.end() && !is_in_progress(it->second)) {
      // The one shown finished: show another still running, if any.
      progress.current.clear();
      for (auto e = out.events.rbegin(); e != out.events.rend(); ++e) {
        if (e->resource_type != "AWS::CloudFormation::Stack" && is_in_progress(latest[e->logical_id])) {
          progress.current = e->logical_id;
          progress.current_type = e->resource_type;
          break;
        }
      }
    }
    progress.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    if (ended) {
      if (described->has_value() && !is_in_progress((*described)->status)) {
        progress.current.clear();
        if (progress.total > 0 && !(*described)->status.ends_with("ROLLBACK_COMPLETE")) progress.done = progress.total;
      }
      sink.progress(progress);
      sink.finish_progress();
      out.stack = std::move(*described);
      return out;
    }
    sink.progress(progress);
    if (Clock::now() >= deadline) {
      sink.finish_progress();
      return unexpected(ErrorCode::deadline_exceeded,
                        fmt::format("stack {} is still {} after {} s", stack, (*described)->status, max_wait.count()),
                        "it goes on in CloudFormation: look at `gust outputs` later, or raise --timeout");
    }
    backoff.wait();
  }
}

std::optional<aws::StackEvent> first_failure(const std::vector<aws::StackEvent>& events) {
  const aws::StackEvent* fallback = nullptr;
  for (const auto& e : events) {
    if (!e.status.ends_with("_FAILED")) continue;
    const bool cancelled = e.status_reason.find("cancelled") != std::string::npos;
    if (e.resource_type != "AWS::CloudFormation::Stack" && !cancelled) return e;
    if (fallback == nullptr) fallback = &e;
  }
  if (fallback != nullptr) return *fallback;
  return std::nullopt;
}

}  // namespace gust::deploy
