#pragma once
// IAM policy derivation: a function's grants -> the statements of its role.
// The policy is exactly the union of the grants' statements (plus writing to
// the function's own log group, functions.cpp): no wildcard action, no
// wildcard resource, no action the code was not granted.

#include "manifest/manifest.hpp"

#include <string>
#include <vector>

namespace gust::synth {

struct PolicyStatement {
  std::string sid;                   // "TodosTable", "TodosIndexRecent", "AttachmentsObjects"
  std::string resource;              // the declared resource id
  std::string scope;                 // "table", "index/NAME", "bucket", "objects", "queue", "topic"
  std::vector<std::string> actions;  // sorted, each once
};

// One statement per (resource, scope) the function's grants name, in the
// order the grants first name them, holding the union of their actions:
// reads(todos) + writes(todos) is one statement on the table.
std::vector<PolicyStatement> policy_statements(const manifest::Function& fn);

}  // namespace gust::synth
