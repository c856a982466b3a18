#pragma once
// Stacks, change sets and stack events in SQLite (`cloudformation.sqlite` in
// the state folder), so a restarted target finds its stacks as it left them.
// Thread-safe: one mutex around the connection.

#include "devcloud/target/stack_records.hpp"

#include <gust/result.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace gust::localaws {
class Db;
}

namespace gust::devcloud::target {

class StackStore {
 public:
  static Result<std::unique_ptr<StackStore>> open(const std::filesystem::path& state_dir);
  ~StackStore();

  void put(const StackRecord& stack);
  // The live stack (not DELETE_COMPLETE) called `name_or_id`, or any stack by its id.
  std::optional<StackRecord> find_stack(std::string_view name_or_id) const;
  std::vector<StackRecord> live_stacks() const;
  // Every stack, deleted ones included (ListStacks), oldest first.
  std::vector<StackRecord> all_stacks() const;

  void put(const ChangeSetRecord& change_set);
  // By ARN, or by name within `stack_name_or_id`.
  std::optional<ChangeSetRecord> find_change_set(std::string_view name_or_id, std::string_view stack_name_or_id) const;
  std::vector<ChangeSetRecord> change_sets(std::string_view stack_id) const;
  void remove_change_set(std::string_view id);

  void add(const StackEvent& event);
  // Newest first.
  std::vector<StackEvent> events(std::string_view stack_id) const;

 private:
  explicit StackStore(std::unique_ptr<localaws::Db> db);
  std::unique_ptr<localaws::Db> db_;
  mutable std::mutex mutex_;
};

}  // namespace gust::devcloud::target
