#pragma once
// A change set's changes: what executing `next` with `parameters` would do
// to the stack's resources, as CloudFormation lists it (Add, Modify with
// Replacement True/False, Remove), without touching anything.

#include "devcloud/target/cfn_template.hpp"
#include "devcloud/target/stack_records.hpp"

#include <gust/result.hpp>

#include <vector>

namespace gust::devcloud::target {

// `stack` holds the current resources (none for a CREATE change set).
Result<std::vector<ResourceChange>> plan_changes(const StackRecord& stack, const Template& next, const NameValues& parameters,
                                                 const std::string& region, const std::string& account_id);

// The top-level properties that differ between two resolved property sets.
std::vector<std::string> changed_properties(const boost::json::object& before, const boost::json::object& after);

}  // namespace gust::devcloud::target
