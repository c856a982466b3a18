#include "synth/synth.hpp"

#include "synth/logical_ids.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace gust::synth {
namespace {

using manifest::ResourceKind;
using manifest::TriggerKind;

Unexpected problem(std::string path, std::string message) {
  return unexpected(ErrorCode::invalid_argument, std::move(message), std::move(path));
}

bool lower_name(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// What a manifest built in code (not parsed) could still get wrong, with the JSON path.
Result<void> check(const manifest::Manifest& m, const SynthOptions& o) {
  if (m.version != manifest::kVersion) return problem("version", fmt::format("manifest version {} is not {}", m.version, manifest::kVersion));
  if (!lower_name(o.stage) || o.stage.size() > 20)
    return problem("--stage", fmt::format("stage \"{}\" must be 1 to 20 lower-case letters, digits or '-'", o.stage));
  std::set<std::string, std::less<>> logical;
  for (std::size_t i = 0; i < m.resources.size(); ++i) {
    const auto& r = m.resources[i];
    if (r.kind == ResourceKind::table && !r.partition_key)
      return problem(fmt::format("resources[{}].partition_key", i), fmt::format("table \"{}\" has no partition key", r.id));
    if (!logical.insert(pascal_case(r.id) + std::string(manifest::to_string(r.kind))).second)
      return problem(fmt::format("resources[{}].id", i), fmt::format("\"{}\" gives the same logical id as another resource", r.id));
  }
  for (std::size_t i = 0; i < m.functions.size(); ++i) {
    const auto& f = m.functions[i];
    if (!logical.insert(function_id(f.id)).second)
      return problem(fmt::format("functions[{}].id", i), fmt::format("\"{}\" gives the same logical id as another function", f.id));
    for (std::size_t g = 0; g < f.grants.size(); ++g) {
      const manifest::Resource* r = m.find_resource(f.grants[g].resource);
      if (r == nullptr)
        return problem(fmt::format("functions[{}].grants[{}].resource", i, g), fmt::format("no resource \"{}\" is declared", f.grants[g].resource));
      for (std::size_t s = 0; s < f.grants[g].statements.size(); ++s) {
        const auto& st = f.grants[g].statements[s];
        const std::string_view scope = st.scope;
        const bool fits = (r->kind == ResourceKind::table && (scope == "table" || scope.starts_with("index/"))) ||
                          (r->kind == ResourceKind::bucket && (scope == "bucket" || scope == "objects")) ||
                          (r->kind == ResourceKind::queue && scope == "queue") || (r->kind == ResourceKind::topic && scope == "topic");
        const std::string path = fmt::format("functions[{}].grants[{}].statements[{}]", i, g, s);
        if (!fits) return problem(path + ".scope", fmt::format("scope \"{}\" does not apply to {} \"{}\"", scope, manifest::to_string(r->kind), r->id));
        if (scope.starts_with("index/") &&
            std::none_of(r->indexes.begin(), r->indexes.end(), [&](const auto& idx) { return "index/" + idx.name == scope; }))
          return problem(path + ".scope", fmt::format("table \"{}\" has no index \"{}\"", r->id, scope.substr(6)));
        if (st.actions.empty()) return problem(path + ".actions", "a statement needs at least one action");
        for (std::size_t a = 0; a < st.actions.size(); ++a) {
          if (st.actions[a].find('*') != std::string::npos)
            return problem(fmt::format("{}.actions[{}]", path, a), fmt::format("\"{}\" is a wildcard: grants name exact actions", st.actions[a]));
        }
      }
    }
    const ResourceKind expected = f.trigger.kind == TriggerKind::queue ? ResourceKind::queue
                                  : f.trigger.kind == TriggerKind::topic ? ResourceKind::topic : ResourceKind::bucket;
    if (f.trigger.kind == TriggerKind::queue || f.trigger.kind == TriggerKind::topic || f.trigger.kind == TriggerKind::object_created) {
      const manifest::Resource* r = m.find_resource(f.trigger.resource);
      if (r == nullptr || r->kind != expected)
        return problem(fmt::format("functions[{}].trigger.resource", i),
                       fmt::format("no {} \"{}\" is declared", manifest::to_string(expected), f.trigger.resource));
      if (f.trigger.kind == TriggerKind::object_created) {
        // Buckets that notify get a name from the stack: S3's rules apply to it.
        const std::size_t length = m.app.size() + 1 + o.stage.size() + 1 + r->id.size() + 1 + 12;
        if (!lower_name(m.app) || !lower_name(r->id) || length > 63)
          return problem(fmt::format("functions[{}].trigger.resource", i),
                         fmt::format("bucket \"{}\" notifies a function, so it is named {}-{}-{}-ACCOUNT: that needs lower-case "
                                     "names and at most 63 characters (it would be {})", r->id, m.app, o.stage, r->id, length));
      }
    }
  }
  return {};
}

}  // namespace

Result<Value> synthesize(const manifest::Manifest& m, const SynthOptions& o) {
  auto checked = check(m, o);
  if (!checked) return Unexpected{std::move(checked).error()};
  TemplateBuilder b{m, o};
  for (const auto& f : m.functions) {
    if (f.trigger.kind == TriggerKind::queue) b.consumers[f.trigger.resource] = &f;
    if (f.trigger.kind == TriggerKind::object_created) b.object_handlers[f.trigger.resource].push_back(&f);
  }
  for (const auto& r : m.resources) {
    switch (r.kind) {
      case ResourceKind::table: add_table(b, r); break;
      case ResourceKind::bucket: add_bucket(b, r); break;
      case ResourceKind::queue: add_queue(b, r); break;
      case ResourceKind::topic: add_topic(b, r); break;
    }
  }
  const bool has_http = std::any_of(m.functions.begin(), m.functions.end(), [](const auto& f) { return f.trigger.kind == TriggerKind::http; });
  if (has_http) add_http_api(b);
  for (const auto& f : m.functions) {
    add_function(b, f);
    add_trigger(b, f);
  }

  Value t;
  t["AWSTemplateFormatVersion"] = "2010-09-09";
  t["Description"] = fmt::format("{} ({}), generated by gust from the app's manifest", m.app, o.stage);
  Value bucket;
  bucket["Type"] = "String";
  bucket["Description"] = "The deployment bucket holding the app's package (gust bootstrap creates it)";
  Value key;
  key["Type"] = "String";
  key["Description"] = "The package's key: its content hash, so a new build replaces the code";
  t["Parameters"]["ArtifactBucket"] = std::move(bucket);
  t["Parameters"]["ArtifactKey"] = std::move(key);
  t["Resources"] = std::move(b.resources);
  if (!b.outputs.as_object().empty()) t["Outputs"] = std::move(b.outputs);
  return t;
}

std::string summarize(const manifest::Manifest& m) {
  std::string out = fmt::format("{}: {} function{}, {} resource{}\n", m.app, m.functions.size(), m.functions.size() == 1 ? "" : "s",
                                m.resources.size(), m.resources.size() == 1 ? "" : "s");
  for (const auto& r : m.resources) out += fmt::format("  {:<7} {}\n", manifest::to_string(r.kind), r.id);
  for (const auto& f : m.functions) {
    const auto& t = f.trigger;
    std::string trigger;
    switch (t.kind) {
      case TriggerKind::http: trigger = fmt::format("{} {}", t.method, t.path); break;
      case TriggerKind::queue: trigger = fmt::format("queue {}", t.resource); break;
      case TriggerKind::topic: trigger = fmt::format("topic {}", t.resource); break;
      case TriggerKind::schedule: trigger = fmt::format("schedule {}", t.expression); break;
      case TriggerKind::object_created: trigger = fmt::format("objects created in {}", t.resource); break;
    }
    out += fmt::format("  function {} ({}, {} MB, {} s, {})\n", f.id, trigger, f.options.memory_mb, f.options.timeout_seconds,
                       f.options.architecture);
    for (const auto& g : f.grants) {
      for (const auto& s : g.statements) {
        std::string actions;
        for (const auto& a : s.actions) actions += (actions.empty() ? "" : ", ") + a;
        out += fmt::format("    {} {}: {}\n", g.resource, s.scope, actions);
      }
    }
    out += "    logs: its own log group\n";
  }
  return out;
}

}  // namespace gust::synth
