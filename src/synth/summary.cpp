// The summary `gust synth` prints: what the stack holds, and per function
// the IAM actions it holds on which resource (the review of least privilege).
#include "synth/iam.hpp"
#include "synth/synth.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gust::synth {
namespace {

std::string plural(std::size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

std::string trigger_text(const manifest::Trigger& t) {
  switch (t.kind) {
    case manifest::TriggerKind::http: return fmt::format("{} {}", t.method, t.path);
    case manifest::TriggerKind::queue: return fmt::format("queue {} (batches of {})", t.resource, t.batch_size);
    case manifest::TriggerKind::topic: return fmt::format("topic {}", t.resource);
    case manifest::TriggerKind::schedule: return fmt::format("schedule {} {}", t.name, t.expression);
    case manifest::TriggerKind::object_created: {
      std::string filter;
      if (!t.prefix.empty()) filter += fmt::format(" prefix {}", t.prefix);
      if (!t.suffix.empty()) filter += fmt::format(" suffix {}", t.suffix);
      return fmt::format("objects created in {}{}", t.resource, filter);
    }
  }
  return "";
}

// "todos", "todos/index/recent", "attachments/*": what the statement's ARN names.
std::string target(const PolicyStatement& p) {
  if (p.scope.starts_with("index/")) return p.resource + "/" + p.scope;
  if (p.scope == "objects") return p.resource + "/*";
  return p.resource;
}

}  // namespace

std::string summarize(const manifest::Manifest& m) {
  const auto routes = std::count_if(m.functions.begin(), m.functions.end(), [](const auto& f) { return f.trigger.kind == manifest::TriggerKind::http; });
  std::string out = fmt::format("{}: {}, {}, {}\n", m.app, plural(m.functions.size(), "function"), plural(static_cast<std::size_t>(routes), "route"),
                                plural(m.resources.size(), "resource"));
  std::size_t width = 0;
  for (const auto& r : m.resources) width = std::max(width, r.id.size());
  for (const auto& r : m.resources) {
    std::string extra;
    if (r.kind == manifest::ResourceKind::queue)
      extra = r.max_receives > 0 ? fmt::format(", dead-letter queue after {} receives", r.max_receives) : ", no dead-letter queue";
    if ((r.kind == manifest::ResourceKind::table || r.kind == manifest::ResourceKind::bucket) && !r.retain) extra = ", deleted with the stack";
    out += fmt::format("  {:<6} {:<{}}  ${}{}\n", manifest::to_string(r.kind), r.id, width, r.env, extra);
  }
  for (const auto& f : m.functions) {
    out += fmt::format("  function {}: {} ({} MB, {} s, {}{})\n", f.id, trigger_text(f.trigger), f.options.memory_mb, f.options.timeout_seconds,
                       f.options.architecture,
                       f.options.reserved_concurrency ? fmt::format(", {} reserved", *f.options.reserved_concurrency) : std::string());
    for (const auto& p : policy_statements(f)) {
      std::string actions;
      for (const auto& a : p.actions) actions += (actions.empty() ? "" : " ") + a;
      out += fmt::format("    {}: {}\n", target(p), actions);
    }
    out += "    its log group: logs:CreateLogStream logs:PutLogEvents\n";
  }
  return out;
}

}  // namespace gust::synth
