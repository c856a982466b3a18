#include "synth/iam.hpp"

#include "synth/logical_ids.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace gust::synth {

std::vector<PolicyStatement> policy_statements(const manifest::Function& fn) {
  std::vector<PolicyStatement> out;
  for (const auto& g : fn.grants) {
    for (const auto& s : g.statements) {
      auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.resource == g.resource && p.scope == s.scope; });
      if (it == out.end()) {
        out.push_back({pascal_case(g.resource) + pascal_case(s.scope), g.resource, s.scope, {}});
        it = std::prev(out.end());
      }
      it->actions.insert(it->actions.end(), s.actions.begin(), s.actions.end());
    }
  }
  std::set<std::string, std::less<>> sids;
  for (auto& p : out) {
    std::sort(p.actions.begin(), p.actions.end());
    p.actions.erase(std::unique(p.actions.begin(), p.actions.end()), p.actions.end());
    // IAM wants unique Sids; "a-b" and "a_b" would both give "AB".
    const std::string base = p.sid;
    for (int n = 2; !sids.insert(p.sid).second; ++n) p.sid = fmt::format("{}{}", base, n);
  }
  return out;
}

Value scope_arn(const TemplateBuilder& b, const manifest::Resource& r, std::string_view scope) {
  using manifest::ResourceKind;
  switch (r.kind) {
    case ResourceKind::table:
      // An index grant names that index's ARN only, not the table's.
      if (scope.starts_with("index/")) return sub(fmt::format("${{{}.Arn}}/{}", table_id(r.id), scope));
      return get_att(table_id(r.id), "Arn");
    case ResourceKind::bucket: return bucket_arn(b, r, scope == "objects");
    case ResourceKind::queue: return get_att(queue_id(r.id), "Arn");
    case ResourceKind::topic: return cfn_ref(topic_id(r.id));
  }
  return Value();
}

}  // namespace gust::synth
