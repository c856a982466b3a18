#include "devcloud/target/change_planner.hpp"

#include "devcloud/target/resource_catalog.hpp"
#include "devcloud/target/stack_scope.hpp"

#include <set>

namespace gust::devcloud::target {

std::vector<std::string> changed_properties(const boost::json::object& before, const boost::json::object& after) {
  std::set<std::string> names;
  for (const auto& kv : before) {
    const auto* other = after.if_contains(kv.key());
    if (other == nullptr || *other != kv.value()) names.insert(std::string(kv.key()));
  }
  for (const auto& kv : after) {
    if (!before.contains(kv.key())) names.insert(std::string(kv.key()));
  }
  return {names.begin(), names.end()};
}

Result<std::vector<ResourceChange>> plan_changes(const StackRecord& stack, const Template& next, const NameValues& parameters,
                                                 const std::string& region, const std::string& account_id) {
  std::map<std::string, ResourceState> current;
  for (const auto& r : stack.resources) current[r.logical_id] = r;
  std::set<std::string> unknown;
  std::vector<ResourceChange> changes;
  const ResolveScope scope = stack_scope({stack.id, stack.name, region, account_id, &parameters, &current, &unknown});
  for (const auto& r : next.resources) {
    auto it = current.find(r.logical_id);
    if (it == current.end()) {
      changes.push_back({"Add", r.logical_id, "", r.type, "", {}});
      unknown.insert(r.logical_id);
      continue;
    }
    const ResourceState& before = it->second;
    if (before.type != r.type) {
      changes.push_back({"Modify", r.logical_id, before.physical_id, r.type, "True", {"Type"}});
      unknown.insert(r.logical_id);
      continue;
    }
    auto props = resolve(boost::json::value(r.properties), scope);
    if (!props) return Unexpected{std::move(props).error()};
    const auto differ = changed_properties(before.properties, props->as_object());
    if (differ.empty()) continue;
    const bool replace = std::any_of(differ.begin(), differ.end(), [&](const std::string& p) { return requires_replacement(r.type, p); });
    changes.push_back({"Modify", r.logical_id, before.physical_id, r.type, replace ? "True" : "False", differ});
    if (replace) unknown.insert(r.logical_id);
  }
  for (const auto& r : stack.resources) {
    if (next.find(r.logical_id) == nullptr) changes.push_back({"Remove", r.logical_id, r.physical_id, r.type, "", {}});
  }
  return changes;
}

}  // namespace gust::devcloud::target
