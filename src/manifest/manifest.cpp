#include "manifest/manifest.hpp"

namespace gust::manifest {

std::string_view to_string(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::table: return "table";
    case ResourceKind::bucket: return "bucket";
    case ResourceKind::queue: return "queue";
    case ResourceKind::topic: return "topic";
  }
  return "table";
}

std::string_view to_string(TriggerKind kind) {
  switch (kind) {
    case TriggerKind::http: return "http";
    case TriggerKind::queue: return "queue";
    case TriggerKind::topic: return "topic";
    case TriggerKind::schedule: return "schedule";
    case TriggerKind::object_created: return "object_created";
  }
  return "http";
}

const Resource* Manifest::find_resource(std::string_view id) const {
  for (const auto& r : resources) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const Function* Manifest::find_function(std::string_view id) const {
  for (const auto& f : functions) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

}  // namespace gust::manifest
