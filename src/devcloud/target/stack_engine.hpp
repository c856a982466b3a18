#pragma once
// Runs stack operations one at a time on a worker thread, as CloudFormation
// does: executing a change set (create or update, resources in dependency
// order, unchanged ones untouched, replaced and removed ones deleted in the
// cleanup phase) and deleting a stack, each step recorded as a stack event.
// A failed step rolls back: a failed create deletes what it made
// (ROLLBACK_COMPLETE); a failed update restores the previous resources
// (UPDATE_ROLLBACK_COMPLETE). DeletionPolicy Retain keeps a resource.

#include "devcloud/target/cfn_template.hpp"
#include "devcloud/target/deployed_runtime.hpp"
#include "devcloud/target/provisioner.hpp"
#include "devcloud/target/stack_store.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace gust::devcloud::target {

class StackEngine {
 public:
  StackEngine(StackStore& store, Provisioner& provisioner, DeployedRuntime& runtime, std::string region, std::string account_id);
  ~StackEngine();  // finishes the queued operations first
  StackEngine(const StackEngine&) = delete;
  StackEngine& operator=(const StackEngine&) = delete;

  // Brings back what runs for the stored stacks (after a restart); a stack
  // left in progress by a crash is marked failed.
  void restore();
  // Queues the operation; its progress shows in the store.
  void execute(ChangeSetRecord change_set);
  void delete_stack(StackRecord stack);
  // Waits until no operation is queued or running (tests, shutdown).
  void wait_idle();

 private:
  void run();
  void post(std::function<void()> job);
  void execute_now(ChangeSetRecord change_set);
  void create_stack(StackRecord& stack, const Template& next, const ChangeSetRecord& change_set);
  void update_stack(StackRecord& stack, const Template& next, const ChangeSetRecord& change_set);
  void delete_now(StackRecord stack);
  // Deletes `r` (or skips it when retained), with its events; false when it failed.
  bool remove_resource(const StackRecord& stack, const ResourceState& r, bool honour_retain, std::string* reason = nullptr);
  void event(const StackRecord& stack, std::string_view logical_id, std::string_view physical_id, std::string_view type,
             std::string_view status, std::string_view reason = {});
  void stack_status(StackRecord& stack, std::string status, std::string reason = {});
  void resolve_outputs(StackRecord& stack, const Template& t);
  void apply_runtime();

  StackStore& store_;
  Provisioner& provisioner_;
  DeployedRuntime& runtime_;
  std::string region_;
  std::string account_id_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> jobs_;
  bool running_job_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gust::devcloud::target
