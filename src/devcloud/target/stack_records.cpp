#include "devcloud/target/stack_records.hpp"

namespace gust::devcloud::target {
namespace json = boost::json;
namespace {

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t num(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->as_int64() : 0;
}

json::value pairs_to_json(const NameValues& pairs) {
  json::array out;
  for (const auto& [k, v] : pairs) out.push_back(json::array{json::value(k), json::value(v)});
  return out;
}

NameValues pairs_from_json(const json::object& o, std::string_view key) {
  NameValues out;
  if (const auto* a = o.if_contains(key); a != nullptr && a->is_array()) {
    for (const auto& e : a->as_array()) out.emplace_back(std::string(e.as_array()[0].as_string()), std::string(e.as_array()[1].as_string()));
  }
  return out;
}

json::value strings_to_json(const std::vector<std::string>& list) {
  json::array out;
  for (const auto& s : list) out.emplace_back(s);
  return out;
}

std::vector<std::string> strings_from_json(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* a = o.if_contains(key); a != nullptr && a->is_array()) {
    for (const auto& e : a->as_array()) out.emplace_back(e.as_string());
  }
  return out;
}

}  // namespace

const ResourceState* StackRecord::find(std::string_view logical_id) const {
  for (const auto& r : resources) {
    if (r.logical_id == logical_id) return &r;
  }
  return nullptr;
}

json::value to_json(const StackRecord& s) {
  json::array resources;
  for (const auto& r : s.resources) {
    json::object attributes;
    for (const auto& [k, v] : r.attributes) attributes[k] = v;
    resources.push_back(json::object{{"logical", r.logical_id}, {"type", r.type}, {"physical", r.physical_id}, {"status", r.status},
                                     {"properties", r.properties}, {"attributes", attributes}, {"deletion_policy", r.deletion_policy},
                                     {"updated_ms", r.updated_ms}});
  }
  json::array outputs;
  for (const auto& o : s.outputs) outputs.push_back(json::object{{"key", o.key}, {"value", o.value}, {"description", o.description}});
  return json::object{{"id", s.id}, {"name", s.name}, {"status", s.status}, {"status_reason", s.status_reason},
                      {"description", s.description}, {"template", s.template_body}, {"change_set_id", s.change_set_id},
                      {"parameters", pairs_to_json(s.parameters)}, {"capabilities", strings_to_json(s.capabilities)},
                      {"outputs", outputs}, {"resources", resources}, {"created_ms", s.created_ms}, {"updated_ms", s.updated_ms},
                      {"deleted_ms", s.deleted_ms}};
}

StackRecord stack_from_json(const json::value& doc) {
  const auto& o = doc.as_object();
  StackRecord s;
  s.id = str(o, "id");
  s.name = str(o, "name");
  s.status = str(o, "status");
  s.status_reason = str(o, "status_reason");
  s.description = str(o, "description");
  s.template_body = str(o, "template");
  s.change_set_id = str(o, "change_set_id");
  s.parameters = pairs_from_json(o, "parameters");
  s.capabilities = strings_from_json(o, "capabilities");
  for (const auto& e : o.at("outputs").as_array()) {
    const auto& x = e.as_object();
    s.outputs.push_back({str(x, "key"), str(x, "value"), str(x, "description")});
  }
  for (const auto& e : o.at("resources").as_array()) {
    const auto& x = e.as_object();
    ResourceState r;
    r.logical_id = str(x, "logical");
    r.type = str(x, "type");
    r.physical_id = str(x, "physical");
    r.status = str(x, "status");
    r.properties = x.at("properties").as_object();
    for (const auto& kv : x.at("attributes").as_object()) r.attributes[std::string(kv.key())] = std::string(kv.value().as_string());
    r.deletion_policy = str(x, "deletion_policy");
    r.updated_ms = num(x, "updated_ms");
    s.resources.push_back(std::move(r));
  }
  s.created_ms = num(o, "created_ms");
  s.updated_ms = num(o, "updated_ms");
  s.deleted_ms = num(o, "deleted_ms");
  return s;
}

json::value to_json(const ChangeSetRecord& c) {
  json::array changes;
  for (const auto& ch : c.changes) {
    changes.push_back(json::object{{"action", ch.action}, {"logical", ch.logical_id}, {"physical", ch.physical_id}, {"type", ch.type},
                                   {"replacement", ch.replacement}, {"properties", strings_to_json(ch.properties)}});
  }
  return json::object{{"id", c.id}, {"name", c.name}, {"stack_id", c.stack_id}, {"stack_name", c.stack_name}, {"type", c.type},
                      {"status", c.status}, {"status_reason", c.status_reason}, {"execution_status", c.execution_status},
                      {"description", c.description}, {"template", c.template_body}, {"parameters", pairs_to_json(c.parameters)},
                      {"capabilities", strings_to_json(c.capabilities)}, {"changes", changes}, {"created_ms", c.created_ms}};
}

ChangeSetRecord change_set_from_json(const json::value& doc) {
  const auto& o = doc.as_object();
  ChangeSetRecord c;
  c.id = str(o, "id");
  c.name = str(o, "name");
  c.stack_id = str(o, "stack_id");
  c.stack_name = str(o, "stack_name");
  c.type = str(o, "type");
  c.status = str(o, "status");
  c.status_reason = str(o, "status_reason");
  c.execution_status = str(o, "execution_status");
  c.description = str(o, "description");
  c.template_body = str(o, "template");
  c.parameters = pairs_from_json(o, "parameters");
  c.capabilities = strings_from_json(o, "capabilities");
  for (const auto& e : o.at("changes").as_array()) {
    const auto& x = e.as_object();
    c.changes.push_back({str(x, "action"), str(x, "logical"), str(x, "physical"), str(x, "type"), str(x, "replacement"),
                         strings_from_json(x, "properties")});
  }
  c.created_ms = num(o, "created_ms");
  return c;
}

json::value to_json(const StackEvent& e) {
  return json::object{{"event_id", e.event_id}, {"stack_id", e.stack_id}, {"stack_name", e.stack_name}, {"logical", e.logical_id},
                      {"physical", e.physical_id}, {"type", e.resource_type}, {"status", e.status}, {"reason", e.reason},
                      {"timestamp_ms", e.timestamp_ms}};
}

StackEvent event_from_json(const json::value& doc) {
  const auto& o = doc.as_object();
  return {str(o, "event_id"), str(o, "stack_id"), str(o, "stack_name"), str(o, "logical"), str(o, "physical"),
          str(o, "type"),     str(o, "status"),   str(o, "reason"),     num(o, "timestamp_ms")};
}

}  // namespace gust::devcloud::target
