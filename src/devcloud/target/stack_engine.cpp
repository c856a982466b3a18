#include "devcloud/target/stack_engine.hpp"

#include "devcloud/services/aws_common.hpp"
#include "devcloud/target/change_planner.hpp"
#include "devcloud/target/property_access.hpp"
#include "devcloud/target/resource_catalog.hpp"
#include "devcloud/target/stack_scope.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gust::devcloud::target {
namespace {

constexpr std::string_view kStackType = "AWS::CloudFormation::Stack";

}  // namespace

StackEngine::StackEngine(StackStore& store, Provisioner& provisioner, DeployedRuntime& runtime, std::string region, std::string account_id)
    : store_(store), provisioner_(provisioner), runtime_(runtime), region_(std::move(region)), account_id_(std::move(account_id)) {
  thread_ = std::thread([this] { run(); });
}

StackEngine::~StackEngine() {
  wait_idle();  // local operations are quick: finish them rather than leave stacks in progress
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StackEngine::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (stopping_) break;
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    running_job_ = true;
    lock.unlock();
    job();
    lock.lock();
    running_job_ = false;
    idle_.notify_all();
  }
  running_job_ = false;
  idle_.notify_all();
}

void StackEngine::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_all();
}

void StackEngine::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return stopping_ || (jobs_.empty() && !running_job_); });
}

// The stack shows its new status before the call returns, as CloudFormation's
// does: a client waiting for UPDATE_COMPLETE must not see the previous one.
void StackEngine::execute(ChangeSetRecord change_set) {
  auto stack = store_.find_stack(change_set.stack_id);
  if (!stack) return;
  change_set.execution_status = "EXECUTE_IN_PROGRESS";
  store_.put(change_set);
  stack->change_set_id = change_set.id;
  stack_status(*stack, change_set.type == "CREATE" ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS", "User Initiated");
  post([this, c = std::move(change_set)]() mutable { execute_now(std::move(c)); });
}

void StackEngine::delete_stack(StackRecord stack) {
  if (stack.status == "REVIEW_IN_PROGRESS" && stack.resources.empty()) {
    for (const auto& c : store_.change_sets(stack.id)) store_.remove_change_set(c.id);
    stack_status(stack, "DELETE_COMPLETE");
    return;
  }
  stack_status(stack, "DELETE_IN_PROGRESS", "User Initiated");
  post([this, s = std::move(stack)]() mutable { delete_now(std::move(s)); });
}

void StackEngine::restore() {
  for (auto& stack : store_.live_stacks()) {
    for (const auto& r : stack.resources) provisioner_.restore(r);
    if (stack.status.ends_with("_IN_PROGRESS") && stack.status != "REVIEW_IN_PROGRESS") {
      // The target stopped in the middle of an operation: say so rather than pretend it finished.
      const std::string failed = stack.status.starts_with("DELETE") ? "DELETE_FAILED"
                                 : stack.status.starts_with("CREATE") || stack.status.starts_with("ROLLBACK") ? "ROLLBACK_FAILED"
                                                                                                               : "UPDATE_ROLLBACK_FAILED";
      stack_status(stack, failed, "The local cloud target stopped during the operation; delete the stack and deploy again");
    }
  }
  apply_runtime();
}

void StackEngine::event(const StackRecord& stack, std::string_view logical_id, std::string_view physical_id, std::string_view type,
                        std::string_view status, std::string_view reason) {
  store_.add(StackEvent{localaws::uuid_v4(), stack.id, stack.name, std::string(logical_id), std::string(physical_id), std::string(type),
                        std::string(status), std::string(reason), localaws::now_ms()});
}

void StackEngine::stack_status(StackRecord& stack, std::string status, std::string reason) {
  stack.status = std::move(status);
  stack.status_reason = reason;
  stack.updated_ms = localaws::now_ms();
  if (stack.status == "DELETE_COMPLETE") stack.deleted_ms = stack.updated_ms;
  store_.put(stack);
  event(stack, stack.name, stack.id, kStackType, stack.status, reason);
}

void StackEngine::apply_runtime() {
  std::vector<ResourceState> all;
  for (const auto& s : store_.live_stacks()) all.insert(all.end(), s.resources.begin(), s.resources.end());
  runtime_.apply(all);
}

void StackEngine::resolve_outputs(StackRecord& stack, const Template& t) {
  std::map<std::string, ResourceState> by_id;
  for (const auto& r : stack.resources) by_id[r.logical_id] = r;
  const ResolveScope scope = stack_scope({stack.id, stack.name, region_, account_id_, &stack.parameters, &by_id, nullptr});
  stack.outputs.clear();
  for (const auto& o : t.outputs) {
    auto v = resolve(o.value, scope);
    stack.outputs.push_back({o.key, v ? text_of(*v) : std::string(), o.description});
  }
}

bool StackEngine::remove_resource(const StackRecord& stack, const ResourceState& r, bool honour_retain, std::string* reason) {
  if (honour_retain && r.deletion_policy == "Retain") {
    event(stack, r.logical_id, r.physical_id, r.type, "DELETE_SKIPPED");
    return true;
  }
  event(stack, r.logical_id, r.physical_id, r.type, "DELETE_IN_PROGRESS");
  auto removed = provisioner_.remove(r);
  if (!removed) {
    event(stack, r.logical_id, r.physical_id, r.type, "DELETE_FAILED", removed.error().message);
    if (reason != nullptr) *reason = removed.error().message;
    return false;
  }
  event(stack, r.logical_id, r.physical_id, r.type, "DELETE_COMPLETE");
  return true;
}

void StackEngine::execute_now(ChangeSetRecord change_set) {
  auto stack = store_.find_stack(change_set.stack_id);
  auto next = parse_template(change_set.template_body);
  if (!stack || !next) return;  // checked when the change set was made
  if (change_set.type == "CREATE") {
    create_stack(*stack, *next, change_set);
  } else {
    update_stack(*stack, *next, change_set);
  }
  const bool ok = stack->status == "CREATE_COMPLETE" || stack->status == "UPDATE_COMPLETE";
  change_set.execution_status = ok ? "EXECUTE_COMPLETE" : "EXECUTE_FAILED";
  store_.put(change_set);
  // Executing a change set deletes the stack's others, as CloudFormation does:
  // they were made against what the stack was before.
  for (const auto& other : store_.change_sets(stack->id)) {
    if (other.id != change_set.id) store_.remove_change_set(other.id);
  }
  apply_runtime();
}

void StackEngine::create_stack(StackRecord& stack, const Template& next, const ChangeSetRecord& change_set) {
  stack.template_body = change_set.template_body;
  stack.parameters = change_set.parameters;
  stack.capabilities = change_set.capabilities;
  stack.description = next.description;
  store_.put(stack);
  std::map<std::string, ResourceState> made;
  std::string failed_id, reason;
  for (const auto& r : next.resources) {
    event(stack, r.logical_id, "", r.type, "CREATE_IN_PROGRESS");
    const ResolveScope scope = stack_scope({stack.id, stack.name, region_, account_id_, &stack.parameters, &made, nullptr});
    auto props = resolve(boost::json::value(r.properties), scope);
    Result<ResourceState> state = props ? provisioner_.create(stack.name, r.logical_id, r.type, props->as_object())
                                        : Result<ResourceState>(Unexpected{props.error()});
    if (!state) {
      failed_id = r.logical_id;
      reason = state.error().message;
      event(stack, r.logical_id, "", r.type, "CREATE_FAILED", reason);
      break;
    }
    state->status = "CREATE_COMPLETE";
    state->deletion_policy = r.deletion_policy;
    event(stack, r.logical_id, state->physical_id, r.type, "CREATE_IN_PROGRESS", "Resource creation Initiated");
    made[r.logical_id] = *state;
    stack.resources.push_back(std::move(*state));
    store_.put(stack);
    event(stack, r.logical_id, stack.resources.back().physical_id, r.type, "CREATE_COMPLETE");
  }
  if (failed_id.empty()) {
    resolve_outputs(stack, next);
    stack_status(stack, "CREATE_COMPLETE");
    return;
  }
  const std::string why = fmt::format("The following resource(s) failed to create: [{}]. Rollback requested by user.", failed_id);
  stack_status(stack, "ROLLBACK_IN_PROGRESS", why);
  bool clean = true;
  for (auto it = stack.resources.rbegin(); it != stack.resources.rend(); ++it) clean = remove_resource(stack, *it, true) && clean;
  stack.resources.clear();
  // The stack keeps saying why it rolled back, as CloudFormation's does.
  stack_status(stack, clean ? "ROLLBACK_COMPLETE" : "ROLLBACK_FAILED", why);
}

void StackEngine::update_stack(StackRecord& stack, const Template& next, const ChangeSetRecord& change_set) {
  const StackRecord before = stack;
  struct Step {
    enum class Kind { added, updated, replaced } kind;
    ResourceState old_state;
    ResourceState new_state;
  };
  std::vector<Step> done;
  std::map<std::string, ResourceState> current;
  for (const auto& r : before.resources) current[r.logical_id] = r;
  std::vector<ResourceState> resources;  // the stack's resources after the update, in the new order
  std::string failed_id, reason;
  for (const auto& r : next.resources) {
    const ResolveScope scope = stack_scope({stack.id, stack.name, region_, account_id_, &change_set.parameters, &current, nullptr});
    auto props = resolve(boost::json::value(r.properties), scope);
    const ResourceState* old = before.find(r.logical_id);
    if (old != nullptr && old->type != r.type) old = nullptr;  // a new type is a new resource
    if (old != nullptr && props && changed_properties(old->properties, props->as_object()).empty()) {
      ResourceState kept = *old;
      kept.deletion_policy = r.deletion_policy;
      resources.push_back(std::move(kept));
      continue;  // unchanged: untouched
    }
    bool replace = old == nullptr;
    if (old != nullptr && props) {
      const auto differ = changed_properties(old->properties, props->as_object());
      replace = std::any_of(differ.begin(), differ.end(), [&](const std::string& p) { return requires_replacement(r.type, p); });
    }
    const std::string status_prefix = old == nullptr ? "CREATE" : "UPDATE";
    event(stack, r.logical_id, old ? old->physical_id : "", r.type, status_prefix + "_IN_PROGRESS",
          old && replace ? "Requested update requires the creation of a new physical resource; hence creating one." : "");
    Result<ResourceState> state = !props ? Result<ResourceState>(Unexpected{props.error()})
                                  : replace ? provisioner_.create(stack.name, r.logical_id, r.type, props->as_object())
                                            : provisioner_.update(*old, props->as_object());
    if (!state) {
      failed_id = r.logical_id;
      reason = state.error().message;
      event(stack, r.logical_id, old ? old->physical_id : "", r.type, status_prefix + "_FAILED", reason);
      break;
    }
    state->status = status_prefix + "_COMPLETE";
    state->deletion_policy = r.deletion_policy;
    event(stack, r.logical_id, state->physical_id, r.type, status_prefix + "_COMPLETE");
    done.push_back({old == nullptr ? Step::Kind::added : (replace ? Step::Kind::replaced : Step::Kind::updated), old ? *old : ResourceState{},
                    *state});
    current[r.logical_id] = *state;
    resources.push_back(std::move(*state));
  }
  if (failed_id.empty()) {
    stack.template_body = change_set.template_body;
    stack.parameters = change_set.parameters;
    stack.capabilities = change_set.capabilities;
    stack.description = next.description;
    stack.resources = resources;
    stack_status(stack, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
    apply_runtime();  // the new functions serve before the old resources go
    for (auto it = before.resources.rbegin(); it != before.resources.rend(); ++it) {
      const TemplateResource* kept = next.find(it->logical_id);
      if (kept == nullptr || kept->type != it->type) remove_resource(stack, *it, true);
    }
    for (auto it = done.rbegin(); it != done.rend(); ++it) {
      if (it->kind == Step::Kind::replaced) remove_resource(stack, it->old_state, false);
    }
    resolve_outputs(stack, next);
    stack_status(stack, "UPDATE_COMPLETE");
    return;
  }
  stack_status(stack, "UPDATE_ROLLBACK_IN_PROGRESS", fmt::format("The following resource(s) failed to update: [{}]. ", failed_id));
  std::vector<ResourceState> cleanup;
  for (auto it = done.rbegin(); it != done.rend(); ++it) {
    switch (it->kind) {
      case Step::Kind::added: cleanup.push_back(it->new_state); break;
      case Step::Kind::replaced:
        event(stack, it->old_state.logical_id, it->old_state.physical_id, it->old_state.type, "UPDATE_COMPLETE");
        cleanup.push_back(it->new_state);
        break;
      case Step::Kind::updated: {
        event(stack, it->old_state.logical_id, it->new_state.physical_id, it->old_state.type, "UPDATE_IN_PROGRESS");
        auto restored = provisioner_.update(it->new_state, it->old_state.properties);
        event(stack, it->old_state.logical_id, it->new_state.physical_id, it->old_state.type, restored ? "UPDATE_COMPLETE" : "UPDATE_FAILED",
              restored ? "" : restored.error().message);
        break;
      }
    }
  }
  stack.resources = before.resources;
  stack_status(stack, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
  apply_runtime();
  for (const auto& r : cleanup) remove_resource(stack, r, false);
  stack_status(stack, "UPDATE_ROLLBACK_COMPLETE");
}

void StackEngine::delete_now(StackRecord stack) {
  std::vector<ResourceState> left;
  std::string reason;
  for (auto it = stack.resources.rbegin(); it != stack.resources.rend(); ++it) {
    std::string why;
    if (!remove_resource(stack, *it, true, &why)) {
      left.insert(left.begin(), *it);
      reason = fmt::format("The following resource(s) failed to delete: [{}]. {}", it->logical_id, why);
    }
  }
  stack.resources = left;
  if (!left.empty()) {
    stack_status(stack, "DELETE_FAILED", reason);
  } else {
    for (const auto& c : store_.change_sets(stack.id)) store_.remove_change_set(c.id);
    stack_status(stack, "DELETE_COMPLETE");
  }
  apply_runtime();
}

}  // namespace gust::devcloud::target
