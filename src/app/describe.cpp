#include "app/describe.hpp"

#include "app/naming.hpp"
#include "app/permissions.hpp"
#include "manifest/schedule_expression.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace gust::detail {
namespace {

using manifest::ResourceKind;
using manifest::TriggerKind;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

class Checker {
 public:
  explicit Checker(std::vector<DeclarationError>& errors) : errors_(errors) {}

  void error(const std::source_location& where, std::string message, std::string help) {
    errors_.push_back({where, std::move(message), std::move(help)});
  }

  void name(const std::source_location& where, std::string_view what, std::string_view text, std::size_t max) {
    if (text.empty()) return error(where, fmt::format("{} has an empty name", what), "give it a name");
    if (text.size() > max)
      error(where, fmt::format("{} \"{}\" is {} characters long; the limit is {}", what, text, text.size(), max), "shorten the name");
    if (!std::all_of(text.begin(), text.end(), is_name_char))
      error(where, fmt::format("{} \"{}\" has characters other than letters, digits, '-' and '_'", what, text),
            "rename it using only letters, digits, '-' and '_'");
  }

  void range(const std::source_location& where, std::string_view what, long long value, long long lo, long long hi,
             std::string_view unit) {
    if (value < lo || value > hi)
      error(where, fmt::format("{} is {}{}; Lambda allows {} to {}{}", what, value, unit, lo, hi, unit),
            fmt::format("choose a value from {} to {}", lo, hi));
  }

 private:
  std::vector<DeclarationError>& errors_;
};

// Checks a route path and returns its shape (parameter names blanked) for conflict detection.
std::string check_path(Checker& check, const std::source_location& where, std::string_view path) {
  const auto fail = [&](std::string why, std::string help) {
    check.error(where, fmt::format("route path \"{}\" {}", path, why), std::move(help));
  };
  if (path.empty() || path.front() != '/') {
    fail("does not start with '/'", "write paths like \"/todos/{id}\"");
    return std::string(path);
  }
  if (path.size() > 1 && path.back() == '/') fail("ends with '/'", "drop the trailing '/'");
  std::string shape;
  std::set<std::string, std::less<>> params;
  std::size_t start = 1;
  while (start <= path.size() && path.size() > 1) {
    const auto end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    const bool last = end >= path.size();
    if (segment.empty() && !last) fail("has an empty segment (\"//\")", "remove the doubled '/'");
    if (!segment.empty() && segment.front() == '{') {
      if (segment.back() != '}') {
        fail(fmt::format("has an unclosed parameter \"{}\"", segment), "write parameters as {name}");
      } else {
        std::string_view name = segment.substr(1, segment.size() - 2);
        const bool greedy = !name.empty() && name.back() == '+';
        if (greedy) {
          name.remove_suffix(1);
          if (!last) fail(fmt::format("has the greedy parameter \"{}\" before its last segment", segment),
                          "a {name+} parameter may only be the last segment");
        }
        if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }))
          fail(fmt::format("has a malformed parameter \"{}\"", segment), "parameter names use letters, digits and '_'");
        else if (!params.insert(std::string(name)).second)
          fail(fmt::format("names the parameter \"{}\" twice", name), "give each parameter its own name");
        shape += greedy ? "/{+}" : "/{}";
      }
    } else {
      for (char c : segment) {
        if (c == '{' || c == '}' || c == '?' || c == '#' || c == ' ' || c == '%') {
          fail(fmt::format("has '{}' inside the segment \"{}\"", c, segment),
               "parameters take a whole segment ({id}); query strings are not part of a route");
          break;
        }
      }
      shape += "/";
      shape += segment;
    }
    start = end + 1;
  }
  return shape.empty() ? "/" : shape;
}

ResourceKind kind_of(GrantTarget t) {
  switch (t) {
    case GrantTarget::table:
    case GrantTarget::index: return ResourceKind::table;
    case GrantTarget::bucket: return ResourceKind::bucket;
    case GrantTarget::queue: return ResourceKind::queue;
    case GrantTarget::topic: return ResourceKind::topic;
  }
  return ResourceKind::table;
}

std::string trigger_text(const manifest::Trigger& t) {
  switch (t.kind) {
    case TriggerKind::http: return fmt::format("route \"{} {}\"", t.method, t.path);
    case TriggerKind::queue: return fmt::format("consumer of queue \"{}\"", t.resource);
    case TriggerKind::topic: return fmt::format("subscriber of topic \"{}\"", t.resource);
    case TriggerKind::schedule: return fmt::format("schedule \"{}\"", t.name);
    case TriggerKind::object_created: return fmt::format("object handler of bucket \"{}\"", t.resource);
  }
  return "function";
}

bool filters_overlap(const manifest::Trigger& a, const manifest::Trigger& b) {
  const auto prefix_overlap = a.prefix.starts_with(b.prefix) || b.prefix.starts_with(a.prefix);
  const auto suffix_overlap = a.suffix.ends_with(b.suffix) || b.suffix.ends_with(a.suffix);
  return prefix_overlap && suffix_overlap;
}

}  // namespace

std::string render(const DeclarationError& error) {
  return fmt::format("{}: error: {}; help: {}", source_text(error.where), error.message, error.help);
}

Description describe(const AppState& state) {
  Description out;
  out.errors = state.errors;
  Checker check(out.errors);
  auto& m = out.manifest;
  m.app = state.name;

  check.name(state.where, "app", state.name, 40);
  if (!state.name.empty() && !std::isalpha(static_cast<unsigned char>(state.name.front())))
    check.error(state.where, fmt::format("app \"{}\" must start with a letter", state.name), "rename the app");

  // ---- resources
  std::map<std::string, const ResourceDecl*, std::less<>> seen_resources;
  for (const auto& r : state.resources) {
    const auto kind = std::string(manifest::to_string(r.kind));
    check.name(r.where, kind, r.id, 64);
    if (auto [it, fresh] = seen_resources.emplace(r.id, &r); !fresh)
      check.error(r.where, fmt::format("{} \"{}\" is declared twice (first at {})", kind, r.id, source_text(it->second->where)),
                  fmt::format("reuse the first handle, or give the second {} its own name", kind));
    manifest::Resource res;
    res.id = r.id;
    res.kind = r.kind;
    res.env = resource_env_var(r.kind, r.id);
    res.source = source_text(r.where);
    res.partition_key = r.partition_key;
    res.sort_key = r.sort_key;
    res.retain = r.retain;
    res.max_receives = r.max_receives;
    res.retention_seconds = r.retention_seconds;
    std::set<std::string, std::less<>> index_names;
    for (const auto& i : r.indexes) {
      check.name(i.where, "index", i.name, 255);
      if (!index_names.insert(i.name).second)
        check.error(i.where, fmt::format("index \"{}\" is declared twice on table \"{}\"", i.name, r.id), "give each index its own name");
      res.indexes.push_back({i.name, i.partition_key, i.sort_key});
    }
    if (r.indexes.size() > 20)
      check.error(r.where, fmt::format("table \"{}\" has {} indexes; DynamoDB allows 20", r.id, r.indexes.size()), "drop some indexes");
    if (r.kind == ResourceKind::queue) {
      if (r.max_receives != 0) check.range(r.where, fmt::format("max_receives of queue \"{}\"", r.id), r.max_receives, 1, 1000, "");
      check.range(r.where, fmt::format("retention of queue \"{}\"", r.id), r.retention_seconds, 60, 1209600, " s");
    }
    m.resources.push_back(std::move(res));
  }

  // ---- functions
  std::map<std::string, const FunctionDecl*, std::less<>> seen_ids;
  std::map<std::string, const FunctionDecl*, std::less<>> seen_routes;
  std::map<std::string, const FunctionDecl*, std::less<>> seen_consumers;
  for (const auto& f : state.functions) {
    const std::string what = trigger_text(f.trigger);
    check.name(f.where, fmt::format("function id of the {}", what), f.id, 64);
    if (auto [it, fresh] = seen_ids.emplace(f.id, &f); !fresh)
      check.error(f.where, fmt::format("the {} has the function id \"{}\", as has the {} at {}", what, f.id,
                                       trigger_text(it->second->trigger), source_text(it->second->where)),
                  "give one of them its own id with .id(\"...\")");

    manifest::Function fn;
    fn.id = f.id;
    fn.trigger = f.trigger;
    fn.source = source_text(f.where);
    const auto& o = f.options;
    const bool is_http = f.trigger.kind == TriggerKind::http;
    fn.options.memory_mb = o.memory_mb;
    fn.options.timeout_seconds = o.timeout.count() > 0 ? static_cast<int>(o.timeout.count()) : (is_http ? 10 : 30);
    fn.options.architecture = o.architecture == Architecture::arm64 ? "arm64" : "x86_64";
    fn.options.reserved_concurrency = o.reserved_concurrency;
    fn.options.retries = o.retries;
    check.range(f.where, fmt::format("memory of the {}", what), o.memory_mb, 128, 10240, " MB");
    check.range(f.where, fmt::format("timeout of the {}", what), fn.options.timeout_seconds, 1, is_http ? 30 : 900, " s");
    if (o.reserved_concurrency) check.range(f.where, fmt::format("reserved concurrency of the {}", what), *o.reserved_concurrency, 0, 1000, "");
    check.range(f.where, fmt::format("retries of the {}", what), o.retries, 0, 2, "");

    switch (f.trigger.kind) {
      case TriggerKind::http: {
        const std::string shape = check_path(check, f.where, f.trigger.path);
        const std::string key = f.trigger.method + " " + shape;
        if (auto [it, fresh] = seen_routes.emplace(key, &f); !fresh)
          check.error(f.where, fmt::format("route \"{} {}\" is declared twice (first at {} as \"{} {}\")", f.trigger.method, f.trigger.path,
                                           source_text(it->second->where), it->second->trigger.method, it->second->trigger.path),
                      "remove one of them, or change its method or path");
        break;
      }
      case TriggerKind::queue: {
        fn.trigger.batch_size = o.batch_size;
        fn.trigger.batch_window_seconds = static_cast<int>(o.batch_window.count());
        check.range(f.where, fmt::format("batch size of the {}", what), o.batch_size, 1, 10000, "");
        check.range(f.where, fmt::format("batch window of the {}", what), o.batch_window.count(), 0, 300, " s");
        if (o.batch_size > 10 && o.batch_window.count() == 0)
          check.error(f.where, fmt::format("batch size of the {} is {} but it has no batch window", what, o.batch_size),
                      "batches over 10 messages need .batch_window(std::chrono::seconds(1)) or more");
        if (auto [it, fresh] = seen_consumers.emplace(f.trigger.resource, &f); !fresh)
          check.error(f.where, fmt::format("queue \"{}\" has a second consumer (first at {})", f.trigger.resource, source_text(it->second->where)),
                      "one consumer per queue: each message goes to one of them, so handle every message type in one consumer");
        if (const manifest::Resource* q = m.find_resource(f.trigger.resource)) fn.grants.push_back(consume_grant(*q));
        break;
      }
      case TriggerKind::schedule: {
        auto parsed = manifest::parse_schedule_expression(f.trigger.expression);
        if (!parsed) check.error(f.where, fmt::format("schedule \"{}\": {}", f.trigger.name, parsed.error().message),
                                 "see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html");
        check.name(f.where, "schedule", f.trigger.name, 64);
        break;
      }
      case TriggerKind::object_created:
        for (const auto& other : state.functions) {
          if (&other == &f) break;
          if (other.trigger.kind == TriggerKind::object_created && other.trigger.resource == f.trigger.resource &&
              filters_overlap(other.trigger, f.trigger))
            check.error(f.where, fmt::format("bucket \"{}\" has overlapping object-created handlers (the other at {})",
                                             f.trigger.resource, source_text(other.where)),
                        "S3 rejects overlapping notifications: give each handler a distinct .key_prefix() or .key_suffix()");
        }
        break;
      case TriggerKind::topic:
        break;
    }

    std::set<std::pair<std::string, std::string>> granted;
    for (const auto& g : f.grants) {
      const auto& decl = g.resource.app->state().resources.at(g.resource.index);
      const manifest::Resource* res = m.find_resource(decl.id);
      if (res == nullptr || decl.kind != kind_of(g.target)) continue;
      auto entry = describe_grant(g, *res);
      if (!granted.emplace(entry.resource, entry.statements.front().scope + "/" + entry.permission).second)
        check.error(f.where, fmt::format("the {} is granted {} on \"{}\" twice", what, entry.permission, entry.resource),
                    "remove the repeated grant");
      fn.grants.push_back(std::move(entry));
    }
    m.functions.push_back(std::move(fn));
  }
  if (state.functions.empty())
    check.error(state.where, fmt::format("app \"{}\" declares no functions", state.name),
                "add a route (app.get(...)), a consumer, a schedule or a subscription");
  return out;
}

}  // namespace gust::detail
