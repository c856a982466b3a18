#include "devcloud/target/stack_scope.hpp"

namespace gust::devcloud::target {

ResolveScope stack_scope(const StackScopeInput& in) {
  ResolveScope scope;
  scope.region = in.region;
  scope.ref = [in](std::string_view name) -> std::optional<std::string> {
    if (name == "AWS::Region") return in.region;
    if (name == "AWS::AccountId") return in.account_id;
    if (name == "AWS::StackName") return in.stack_name;
    if (name == "AWS::StackId") return in.stack_id;
    if (name == "AWS::Partition") return std::string("aws");
    if (name == "AWS::URLSuffix") return std::string("amazonaws.com");
    if (in.parameters != nullptr) {
      for (const auto& [k, v] : *in.parameters) {
        if (k == name) return v;
      }
    }
    if (in.unknown != nullptr && in.unknown->contains(std::string(name))) return std::string(kUnknownValue);
    if (in.resources != nullptr) {
      if (auto it = in.resources->find(std::string(name)); it != in.resources->end()) return it->second.physical_id;
    }
    return std::nullopt;
  };
  scope.get_att = [in](std::string_view logical, std::string_view attribute) -> std::optional<std::string> {
    if (in.unknown != nullptr && in.unknown->contains(std::string(logical))) return std::string(kUnknownValue);
    if (in.resources == nullptr) return std::nullopt;
    auto it = in.resources->find(std::string(logical));
    if (it == in.resources->end()) return std::nullopt;
    auto a = it->second.attributes.find(std::string(attribute));
    if (a == it->second.attributes.end()) return std::nullopt;
    return a->second;
  };
  return scope;
}

}  // namespace gust::devcloud::target
