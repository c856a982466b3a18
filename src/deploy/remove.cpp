#include "deploy/remove.hpp"

#include "deploy/apply.hpp"

#include <gust/value.hpp>

#include <algorithm>

namespace gust::deploy {

std::vector<std::string> retained_resources(std::string_view template_json) {
  std::vector<std::string> out;
  auto doc = parse_json(template_json);
  if (!doc) return out;
  const Value* resources = doc->find("Resources");
  if (resources == nullptr || resources->kind() != Value::Kind::object) return out;
  for (const auto& [id, resource] : resources->as_object()) {
    const Value* policy = resource.find("DeletionPolicy");
    if (policy != nullptr && policy->kind() == Value::Kind::string && policy->as_string() == "Retain") out.push_back(id);
  }
  return out;
}

Result<RemoveResult> remove(const Target& target, std::string_view stack_name, Sink& sink, std::chrono::seconds max_wait) {
  aws::CloudFormationClient cfn(target.config);
  RemoveResult result;
  auto stack = cfn.describe_stack(stack_name);
  if (!stack) return Unexpected{std::move(stack).error()};
  if (!stack->has_value()) return result;
  result.existed = true;

  // What the template keeps, with the physical names it has now (gone after the delete).
  auto body = cfn.get_template((*stack)->id);
  if (!body) return Unexpected{std::move(body).error()};
  const auto retained = retained_resources(*body);
  if (!retained.empty()) {
    auto resources = cfn.list_stack_resources((*stack)->id);
    if (!resources) return Unexpected{std::move(resources).error()};
    for (const auto& r : *resources)
      if (std::find(retained.begin(), retained.end(), r.logical_id) != retained.end() && !r.physical_id.empty() &&
          !r.status.starts_with("DELETE_COMPLETE"))
        result.kept.push_back(r);
  }
  auto deleted = delete_stack_and_wait(cfn, **stack, max_wait, sink);
  if (!deleted) return Unexpected{std::move(deleted).error()};
  return result;
}

}  // namespace gust::deploy
