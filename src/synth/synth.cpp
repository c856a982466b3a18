// Assembles the template: check the manifest, then each resource in declared
// order, the HTTP API, and each function with what invokes it.
#include "synth/synth.hpp"

#include "synth/check.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gust::synth {
namespace {

Value parameters() {
  Value bucket;
  bucket["Type"] = "String";
  bucket["Description"] = "The deployment bucket holding the app's package (gust bootstrap creates it)";
  Value key;
  key["Type"] = "String";
  key["Description"] = "The package's key: its content hash, so a new build replaces the code";
  Value p;
  p["ArtifactBucket"] = std::move(bucket);
  p["ArtifactKey"] = std::move(key);
  return p;
}

}  // namespace

Result<Value> synthesize(const manifest::Manifest& m, const SynthOptions& o) {
  if (auto checked = check_manifest(m, o); !checked) return Unexpected{std::move(checked).error()};
  TemplateBuilder b{m, o};
  for (std::size_t i = 0; i < m.resources.size(); ++i) {
    const auto& r = m.resources[i];
    b.where = fmt::format("resources[{}] (\"{}\")", i, r.id);
    switch (r.kind) {
      case manifest::ResourceKind::table: add_table(b, r); break;
      case manifest::ResourceKind::bucket: add_bucket(b, r); break;
      case manifest::ResourceKind::queue: add_queue(b, r); break;
      case manifest::ResourceKind::topic: add_topic(b, r); break;
    }
  }
  b.where = "the HTTP API";
  if (std::any_of(m.functions.begin(), m.functions.end(), [](const auto& f) { return f.trigger.kind == manifest::TriggerKind::http; }))
    add_http_api(b);
  for (std::size_t i = 0; i < m.functions.size(); ++i) {
    const auto& f = m.functions[i];
    b.where = fmt::format("functions[{}] (\"{}\")", i, f.id);
    add_function(b, f);
    switch (f.trigger.kind) {
      case manifest::TriggerKind::http: add_route(b, f); break;
      case manifest::TriggerKind::queue: add_consumer(b, f); break;
      case manifest::TriggerKind::topic: add_subscriber(b, f); break;
      case manifest::TriggerKind::schedule: add_schedule(b, f); break;
      case manifest::TriggerKind::object_created: add_object_handler(b, f); break;
    }
  }
  return std::move(b).finish(parameters());
}

}  // namespace gust::synth
