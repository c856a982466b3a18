// Manifest <-> JSON. Writing uses a fixed member order so golden files are
// stable; reading is strict (unknown members and wrong types are errors with
// the JSON path) because a manifest is machine-made: a surprise means a
// version mismatch or a hand edit, and both deserve a clear stop.
#include "manifest/manifest.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

#include <array>
#include <optional>

namespace gust::manifest {
namespace {

// ---------------------------------------------------------------- writing
Value key_value(const KeyAttribute& k) {
  Value v;
  v["name"] = k.name;
  v["type"] = k.type;
  return v;
}

Value resource_value(const Resource& r) {
  Value v;
  v["id"] = r.id;
  v["kind"] = to_string(r.kind);
  v["env"] = r.env;
  if (r.kind == ResourceKind::table) {
    if (r.partition_key) v["partition_key"] = key_value(*r.partition_key);
    if (r.sort_key) v["sort_key"] = key_value(*r.sort_key);
    Array indexes;
    for (const auto& i : r.indexes) {
      Value iv;
      iv["name"] = i.name;
      iv["partition_key"] = key_value(i.partition_key);
      if (i.sort_key) iv["sort_key"] = key_value(*i.sort_key);
      indexes.push_back(std::move(iv));
    }
    v["indexes"] = std::move(indexes);
  }
  if (r.kind == ResourceKind::table || r.kind == ResourceKind::bucket) v["retain"] = r.retain;
  if (r.kind == ResourceKind::queue) {
    v["max_receives"] = r.max_receives;
    v["retention_seconds"] = r.retention_seconds;
  }
  v["source"] = r.source;
  return v;
}

Value trigger_value(const Trigger& t) {
  Value v;
  v["kind"] = to_string(t.kind);
  switch (t.kind) {
    case TriggerKind::http:
      v["method"] = t.method;
      v["path"] = t.path;
      break;
    case TriggerKind::queue:
      v["resource"] = t.resource;
      v["batch_size"] = t.batch_size;
      v["batch_window_seconds"] = t.batch_window_seconds;
      break;
    case TriggerKind::topic:
      v["resource"] = t.resource;
      break;
    case TriggerKind::schedule:
      v["name"] = t.name;
      v["expression"] = t.expression;
      break;
    case TriggerKind::object_created:
      v["resource"] = t.resource;
      v["prefix"] = t.prefix;
      v["suffix"] = t.suffix;
      break;
  }
  return v;
}

Value function_value(const Function& f) {
  Value v;
  v["id"] = f.id;
  v["trigger"] = trigger_value(f.trigger);
  Value o;
  o["memory_mb"] = f.options.memory_mb;
  o["timeout_seconds"] = f.options.timeout_seconds;
  o["architecture"] = f.options.architecture;
  o["reserved_concurrency"] = f.options.reserved_concurrency ? Value(*f.options.reserved_concurrency) : Value();
  o["retries"] = f.options.retries;
  v["options"] = std::move(o);
  Array grants;
  for (const auto& g : f.grants) {
    Value gv;
    gv["resource"] = g.resource;
    gv["permission"] = g.permission;
    Array statements;
    for (const auto& s : g.statements) {
      Value sv;
      Array actions;
      for (const auto& a : s.actions) actions.emplace_back(a);
      sv["actions"] = std::move(actions);
      sv["scope"] = s.scope;
      statements.push_back(std::move(sv));
    }
    gv["statements"] = std::move(statements);
    grants.push_back(std::move(gv));
  }
  v["grants"] = std::move(grants);
  v["source"] = f.source;
  return v;
}

// ---------------------------------------------------------------- reading
struct Problem {
  std::string path;
  std::string message;
};

// Reads one JSON object member by member, remembering which were used so
// that leftovers can be reported as unknown.
class ObjectReader {
 public:
  ObjectReader(const Value& v, std::string path, std::optional<Problem>& problem)
      : value_(v), path_(std::move(path)), problem_(problem) {
    if (v.kind() != Value::Kind::object) fail(path_, fmt::format("expected object, got {}", kind_name(v.kind())));
  }

  bool ok() const { return !problem_.has_value(); }
  std::string path_of(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }

  const Value* member(std::string_view key, bool required) {
    if (!ok() || value_.kind() != Value::Kind::object) return nullptr;
    used_.emplace_back(key);
    const Value* m = value_.find(key);
    if (m == nullptr && required) fail(path_of(key), "missing required member");
    return m;
  }

  void string(std::string_view key, std::string& out, bool required = true) {
    if (const Value* m = member(key, required)) {
      if (m->kind() != Value::Kind::string) return type_error(key, "string", *m);
      out = m->as_string();
    }
  }
  void integer(std::string_view key, int& out, bool required = true) {
    if (const Value* m = member(key, required)) {
      if (m->kind() != Value::Kind::integer && m->kind() != Value::Kind::unsigned_integer)
        return type_error(key, "integer", *m);
      const long long n = m->kind() == Value::Kind::integer ? m->as_int() : static_cast<long long>(m->as_uint());
      if (n < -2147483647LL || n > 2147483647LL) return fail(path_of(key), "integer out of range");
      out = static_cast<int>(n);
    }
  }
  void optional_integer(std::string_view key, std::optional<int>& out) {
    if (const Value* m = member(key, false)) {
      if (m->is_null()) return out.reset();
      int n = 0;
      integer(key, n, true);
      out = n;
    }
  }
  void boolean(std::string_view key, bool& out, bool required = true) {
    if (const Value* m = member(key, required)) {
      if (m->kind() != Value::Kind::boolean) return type_error(key, "boolean", *m);
      out = m->as_bool();
    }
  }
  // Calls f(element, path) for each element of an array member.
  template <class F>
  void array(std::string_view key, F&& f, bool required = true) {
    if (const Value* m = member(key, required)) {
      if (m->kind() != Value::Kind::array) return type_error(key, "array", *m);
      const auto& a = m->as_array();
      for (std::size_t i = 0; i < a.size() && ok(); ++i) f(a[i], fmt::format("{}[{}]", path_of(key), i));
    }
  }

  // Reports the first member that nobody asked for.
  void finish() {
    if (!ok() || value_.kind() != Value::Kind::object) return;
    for (const auto& m : value_.as_object()) {
      bool known = false;
      for (const auto& u : used_) known = known || u == m.key;
      if (!known) return fail(path_of(m.key), "unknown member (is the manifest from a newer gust?)");
    }
  }

  void fail(std::string path, std::string message) {
    if (!problem_) problem_ = Problem{std::move(path), std::move(message)};
  }

 private:
  void type_error(std::string_view key, std::string_view expected, const Value& got) {
    fail(path_of(key), fmt::format("expected {}, got {}", expected, kind_name(got.kind())));
  }

  const Value& value_;
  std::string path_;
  std::optional<Problem>& problem_;
  std::vector<std::string> used_;
};

KeyAttribute read_key(const Value& v, const std::string& path, std::optional<Problem>& problem) {
  KeyAttribute k;
  ObjectReader r(v, path, problem);
  r.string("name", k.name);
  r.string("type", k.type);
  if (r.ok() && k.type != "S" && k.type != "N" && k.type != "B")
    r.fail(r.path_of("type"), fmt::format("key type must be \"S\", \"N\" or \"B\", got \"{}\"", k.type));
  r.finish();
  return k;
}

template <class Enum, std::size_t N>
bool enum_from(std::string_view text, const std::array<Enum, N>& values, Enum& out) {
  for (Enum e : values) {
    if (to_string(e) == text) {
      out = e;
      return true;
    }
  }
  return false;
}

Resource read_resource(const Value& v, const std::string& path, std::optional<Problem>& problem) {
  Resource res;
  ObjectReader r(v, path, problem);
  r.string("id", res.id);
  std::string kind;
  r.string("kind", kind);
  if (r.ok() && !enum_from(kind, std::array{ResourceKind::table, ResourceKind::bucket, ResourceKind::queue, ResourceKind::topic}, res.kind))
    r.fail(r.path_of("kind"), fmt::format("unknown resource kind \"{}\" (table, bucket, queue, topic)", kind));
  r.string("env", res.env);
  r.string("source", res.source, false);
  if (res.kind == ResourceKind::table) {
    if (const Value* pk = r.member("partition_key", true)) res.partition_key = read_key(*pk, r.path_of("partition_key"), problem);
    if (const Value* sk = r.member("sort_key", false)) res.sort_key = read_key(*sk, r.path_of("sort_key"), problem);
    r.array("indexes", [&](const Value& iv, const std::string& ipath) {
      TableIndex index;
      ObjectReader ir(iv, ipath, problem);
      ir.string("name", index.name);
      if (const Value* pk = ir.member("partition_key", true)) index.partition_key = read_key(*pk, ir.path_of("partition_key"), problem);
      if (const Value* sk = ir.member("sort_key", false)) index.sort_key = read_key(*sk, ir.path_of("sort_key"), problem);
      ir.finish();
      res.indexes.push_back(std::move(index));
    }, false);
  }
  if (res.kind == ResourceKind::table || res.kind == ResourceKind::bucket) r.boolean("retain", res.retain, false);
  if (res.kind == ResourceKind::queue) {
    r.integer("max_receives", res.max_receives, false);
    r.integer("retention_seconds", res.retention_seconds, false);
  }
  r.finish();
  return res;
}

Trigger read_trigger(const Value& v, const std::string& path, std::optional<Problem>& problem) {
  Trigger t;
  ObjectReader r(v, path, problem);
  std::string kind;
  r.string("kind", kind);
  if (r.ok() && !enum_from(kind, std::array{TriggerKind::http, TriggerKind::queue, TriggerKind::topic, TriggerKind::schedule,
                                            TriggerKind::object_created}, t.kind))
    r.fail(r.path_of("kind"), fmt::format("unknown trigger kind \"{}\" (http, queue, topic, schedule, object_created)", kind));
  switch (t.kind) {
    case TriggerKind::http:
      r.string("method", t.method);
      r.string("path", t.path);
      break;
    case TriggerKind::queue:
      r.string("resource", t.resource);
      r.integer("batch_size", t.batch_size, false);
      r.integer("batch_window_seconds", t.batch_window_seconds, false);
      break;
    case TriggerKind::topic:
      r.string("resource", t.resource);
      break;
    case TriggerKind::schedule:
      r.string("name", t.name);
      r.string("expression", t.expression);
      break;
    case TriggerKind::object_created:
      r.string("resource", t.resource);
      r.string("prefix", t.prefix, false);
      r.string("suffix", t.suffix, false);
      break;
  }
  r.finish();
  return t;
}

Function read_function(const Value& v, const std::string& path, std::optional<Problem>& problem) {
  Function f;
  ObjectReader r(v, path, problem);
  r.string("id", f.id);
  if (const Value* t = r.member("trigger", true)) f.trigger = read_trigger(*t, r.path_of("trigger"), problem);
  if (const Value* o = r.member("options", true)) {
    ObjectReader orr(*o, r.path_of("options"), problem);
    orr.integer("memory_mb", f.options.memory_mb);
    orr.integer("timeout_seconds", f.options.timeout_seconds);
    orr.string("architecture", f.options.architecture);
    orr.optional_integer("reserved_concurrency", f.options.reserved_concurrency);
    orr.integer("retries", f.options.retries, false);
    orr.finish();
  }
  r.array("grants", [&](const Value& gv, const std::string& gpath) {
    Grant g;
    ObjectReader gr(gv, gpath, problem);
    gr.string("resource", g.resource);
    gr.string("permission", g.permission);
    gr.array("statements", [&](const Value& sv, const std::string& spath) {
      Statement s;
      ObjectReader sr(sv, spath, problem);
      sr.array("actions", [&](const Value& av, const std::string& apath) {
        if (av.kind() != Value::Kind::string) return sr.fail(apath, "expected string");
        s.actions.push_back(av.as_string());
      });
      sr.string("scope", s.scope);
      sr.finish();
      g.statements.push_back(std::move(s));
    });
    gr.finish();
    f.grants.push_back(std::move(g));
  });
  r.string("source", f.source, false);
  r.finish();
  return f;
}

// References that must resolve: grants and triggers name declared resources.
void check_references(const Manifest& m, std::optional<Problem>& problem) {
  for (std::size_t i = 0; i < m.functions.size() && !problem; ++i) {
    const auto& f = m.functions[i];
    for (std::size_t g = 0; g < f.grants.size() && !problem; ++g) {
      if (m.find_resource(f.grants[g].resource) == nullptr)
        problem = Problem{fmt::format("functions[{}].grants[{}].resource", i, g),
                          fmt::format("no resource \"{}\" is declared", f.grants[g].resource)};
    }
    if (!f.trigger.resource.empty() && m.find_resource(f.trigger.resource) == nullptr && !problem)
      problem = Problem{fmt::format("functions[{}].trigger.resource", i),
                        fmt::format("no resource \"{}\" is declared", f.trigger.resource)};
  }
}

}  // namespace

std::string to_json(const Manifest& manifest) {
  Value v;
  v["version"] = manifest.version;
  v["app"] = manifest.app;
  Array resources;
  for (const auto& r : manifest.resources) resources.push_back(resource_value(r));
  v["resources"] = std::move(resources);
  Array functions;
  for (const auto& f : manifest.functions) functions.push_back(function_value(f));
  v["functions"] = std::move(functions);
  return to_json_pretty(v);
}

Result<Manifest> parse(std::string_view json) {
  auto doc = parse_json(json);
  if (!doc) return Unexpected{std::move(doc).error()};
  std::optional<Problem> problem;
  Manifest m;
  ObjectReader r(*doc, "", problem);
  r.integer("version", m.version);
  if (r.ok() && m.version != kVersion)
    r.fail("version", fmt::format("manifest version {} is not supported: this gust reads version {}; rebuild the app "
                                  "against this gust", m.version, kVersion));
  r.string("app", m.app);
  r.array("resources", [&](const Value& v, const std::string& path) { m.resources.push_back(read_resource(v, path, problem)); });
  r.array("functions", [&](const Value& v, const std::string& path) { m.functions.push_back(read_function(v, path, problem)); });
  r.finish();
  if (!problem) check_references(m, problem);
  if (problem) return unexpected(ErrorCode::invalid_argument, problem->message, problem->path);
  return m;
}

}  // namespace gust::manifest
