#pragma once
// The names a stack's template can refer to, as a ResolveScope: its
// parameters, the pseudo parameters, and its resources' physical ids and
// attributes. Resources listed as `unknown` (about to be made or replaced)
// resolve to a placeholder, which is how a change set sees that a property
// will change without making anything.

#include "devcloud/target/intrinsics.hpp"
#include "devcloud/target/stack_records.hpp"

#include <map>
#include <set>
#include <string>

namespace gust::devcloud::target {

struct StackScopeInput {
  std::string stack_id;
  std::string stack_name;
  std::string region;
  std::string account_id;
  const NameValues* parameters = nullptr;
  const std::map<std::string, ResourceState>* resources = nullptr;  // by logical id
  const std::set<std::string>* unknown = nullptr;
};

inline constexpr std::string_view kUnknownValue = "{{gust:known-after-apply}}";

ResolveScope stack_scope(const StackScopeInput& input);

}  // namespace gust::devcloud::target
