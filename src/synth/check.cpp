#include "synth/check.hpp"

#include "manifest/schedule_expression.hpp"
#include "synth/logical_ids.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

namespace gust::synth {
namespace {

using manifest::ResourceKind;
using manifest::TriggerKind;

Unexpected problem(std::string path, std::string message) {
  return unexpected(ErrorCode::invalid_argument, std::move(message), std::move(path));
}

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Declared names: letters, digits, '-' and '_' (manifest.hpp), at most `max` long.
bool declared_name(std::string_view s, std::size_t max) {
  return !s.empty() && s.size() <= max &&
         std::all_of(s.begin(), s.end(), [](char c) { return is_lower(c) || is_upper(c) || is_digit(c) || c == '-' || c == '_'; });
}

bool stage_name(std::string_view s) {
  return !s.empty() && s.size() <= 32 && is_lower(s.front()) &&
         std::all_of(s.begin(), s.end(), [](char c) { return is_lower(c) || is_digit(c) || c == '-'; });
}

// Lambda: [a-zA-Z][a-zA-Z0-9_]+, and AWS_* / LAMBDA_* / _HANDLER belong to the runtime.
bool variable_name(std::string_view s) {
  return s.size() >= 2 && (is_lower(s.front()) || is_upper(s.front())) && !s.starts_with("AWS_") && !s.starts_with("LAMBDA_") &&
         std::all_of(s.begin(), s.end(), [](char c) { return is_lower(c) || is_upper(c) || is_digit(c) || c == '_'; });
}

// API Gateway route paths: "/", or "/" segments of these characters, "{param}" and a final "{proxy+}".
bool route_path(std::string_view s) {
  return s.starts_with('/') && std::all_of(s.begin(), s.end(), [](char c) {
           return is_lower(c) || is_upper(c) || is_digit(c) || std::string_view("/-._~{}+:@").find(c) != std::string_view::npos;
         });
}

std::string_view service_of(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::table: return "dynamodb";
    case ResourceKind::bucket: return "s3";
    case ResourceKind::queue: return "sqs";
    case ResourceKind::topic: return "sns";
  }
  return "";
}

bool scope_fits(ResourceKind kind, std::string_view scope) {
  switch (kind) {
    case ResourceKind::table: return scope == "table" || scope.starts_with("index/");
    case ResourceKind::bucket: return scope == "bucket" || scope == "objects";
    case ResourceKind::queue: return scope == "queue";
    case ResourceKind::topic: return scope == "topic";
  }
  return false;
}

std::string_view scopes_of(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::table: return "\"table\" or \"index/NAME\"";
    case ResourceKind::bucket: return "\"bucket\" or \"objects\"";
    case ResourceKind::queue: return "\"queue\"";
    case ResourceKind::topic: return "\"topic\"";
  }
  return "";
}

Result<void> in_range(const std::string& path, long value, long low, long high, std::string_view what) {
  if (value < low || value > high) return problem(path, fmt::format("{} is {}: it must be {} to {}", what, value, low, high));
  return {};
}

Result<void> check_resource(const manifest::Resource& r, const std::string& path) {
  if (!declared_name(r.id, 64)) return problem(path + ".id", fmt::format("\"{}\" must be 1 to 64 letters, digits, '-' or '_'", r.id));
  if (!variable_name(r.env))
    return problem(path + ".env", fmt::format("\"{}\" is not a variable Lambda accepts: letters, digits and '_', starting with a "
                                              "letter, not AWS_* or LAMBDA_*", r.env));
  if (r.kind == ResourceKind::table) {
    if (!r.partition_key) return problem(path + ".partition_key", fmt::format("table \"{}\" has no partition key", r.id));
    // One type per attribute name across the table and its indexes (AttributeDefinitions holds each once).
    std::map<std::string, std::string, std::less<>> types;
    auto typed = [&](const manifest::KeyAttribute& k, const std::string& at) -> Result<void> {
      if (k.name.empty() || k.name.size() > 255) return problem(at + ".name", "a key attribute needs a name of 1 to 255 characters");
      auto [it, fresh] = types.emplace(k.name, k.type);
      if (!fresh && it->second != k.type)
        return problem(at + ".type", fmt::format("attribute \"{}\" is \"{}\" here and \"{}\" elsewhere in table \"{}\": give it one type",
                                                 k.name, k.type, it->second, r.id));
      return {};
    };
    if (auto ok = typed(*r.partition_key, path + ".partition_key"); !ok) return ok;
    if (r.sort_key) {
      if (auto ok = typed(*r.sort_key, path + ".sort_key"); !ok) return ok;
    }
    if (r.indexes.size() > 20) return problem(path + ".indexes", fmt::format("table \"{}\" has {} indexes; DynamoDB allows 20", r.id, r.indexes.size()));
    std::set<std::string, std::less<>> names;
    for (std::size_t i = 0; i < r.indexes.size(); ++i) {
      const auto& index = r.indexes[i];
      const std::string at = fmt::format("{}.indexes[{}]", path, i);
      const bool name_ok = index.name.size() >= 3 && index.name.size() <= 255 &&
                           std::all_of(index.name.begin(), index.name.end(),
                                       [](char c) { return is_lower(c) || is_upper(c) || is_digit(c) || c == '_' || c == '-' || c == '.'; });
      if (!name_ok) return problem(at + ".name", fmt::format("index \"{}\" needs a name of 3 to 255 letters, digits, '_', '-' or '.'", index.name));
      if (!names.insert(index.name).second) return problem(at + ".name", fmt::format("table \"{}\" declares index \"{}\" twice", r.id, index.name));
      if (auto ok = typed(index.partition_key, at + ".partition_key"); !ok) return ok;
      if (index.sort_key) {
        if (auto ok = typed(*index.sort_key, at + ".sort_key"); !ok) return ok;
      }
    }
  }
  if (r.kind == ResourceKind::queue) {
    if (auto ok = in_range(path + ".max_receives", r.max_receives, 0, 1000, "max_receives (0: no dead-letter queue)"); !ok) return ok;
    if (auto ok = in_range(path + ".retention_seconds", r.retention_seconds, 60, 1209600, "retention_seconds"); !ok) return ok;
  }
  return {};
}

Result<void> check_grants(const manifest::Manifest& m, const manifest::Function& f, const std::string& path) {
  for (std::size_t g = 0; g < f.grants.size(); ++g) {
    const auto& grant = f.grants[g];
    const std::string gpath = fmt::format("{}.grants[{}]", path, g);
    const manifest::Resource* r = m.find_resource(grant.resource);
    if (r == nullptr) return problem(gpath + ".resource", fmt::format("no resource \"{}\" is declared", grant.resource));
    if (grant.statements.empty()) return problem(gpath + ".statements", "a grant needs at least one statement");
    for (std::size_t s = 0; s < grant.statements.size(); ++s) {
      const auto& st = grant.statements[s];
      const std::string spath = fmt::format("{}.statements[{}]", gpath, s);
      if (!scope_fits(r->kind, st.scope))
        return problem(spath + ".scope", fmt::format("scope \"{}\" does not apply to {} \"{}\" (use {})", st.scope, manifest::to_string(r->kind),
                                                     r->id, scopes_of(r->kind)));
      if (st.scope.starts_with("index/") &&
          std::none_of(r->indexes.begin(), r->indexes.end(), [&](const auto& idx) { return "index/" + idx.name == st.scope; }))
        return problem(spath + ".scope", fmt::format("table \"{}\" has no index \"{}\"", r->id, st.scope.substr(6)));
      if (st.actions.empty()) return problem(spath + ".actions", "a statement needs at least one action");
      for (std::size_t a = 0; a < st.actions.size(); ++a) {
        const std::string& action = st.actions[a];
        const std::string apath = fmt::format("{}.actions[{}]", spath, a);
        if (action.find('*') != std::string::npos)
          return problem(apath, fmt::format("\"{}\" is a wildcard: grants name exact actions", action));
        const std::string prefix = std::string(service_of(r->kind)) + ":";
        const bool named = action.starts_with(prefix) && action.size() > prefix.size() &&
                           std::all_of(action.begin() + static_cast<long>(prefix.size()), action.end(),
                                       [](char c) { return is_lower(c) || is_upper(c) || is_digit(c); });
        if (!named)
          return problem(apath, fmt::format("\"{}\" is not a {} action ({}Name): a grant on {} \"{}\" holds only those", action,
                                            service_of(r->kind), prefix, manifest::to_string(r->kind), r->id));
      }
    }
  }
  return {};
}

bool holds(const manifest::Function& f, std::string_view resource, std::string_view action) {
  return std::any_of(f.grants.begin(), f.grants.end(), [&](const auto& g) {
    return g.resource == resource && std::any_of(g.statements.begin(), g.statements.end(), [&](const auto& s) {
             return std::find(s.actions.begin(), s.actions.end(), action) != s.actions.end();
           });
  });
}

Result<void> check_options(const manifest::FunctionOptions& o, const std::string& path) {
  if (auto ok = in_range(path + ".memory_mb", o.memory_mb, 128, 10240, "memory_mb"); !ok) return ok;
  if (auto ok = in_range(path + ".timeout_seconds", o.timeout_seconds, 1, 900, "timeout_seconds"); !ok) return ok;
  if (o.architecture != "arm64" && o.architecture != "x86_64")
    return problem(path + ".architecture", fmt::format("architecture \"{}\" must be \"arm64\" or \"x86_64\"", o.architecture));
  if (o.reserved_concurrency) {
    if (auto ok = in_range(path + ".reserved_concurrency", *o.reserved_concurrency, 0, 1000000, "reserved_concurrency"); !ok) return ok;
  }
  return in_range(path + ".retries", o.retries, 0, 2, "retries (Lambda retries asynchronous invocations at most twice)");
}

// S3 refuses two notifications for one event whose prefixes and suffixes both overlap.
bool overlaps(std::string_view a, std::string_view b, bool suffix) {
  return suffix ? (a.ends_with(b) || b.ends_with(a)) : (a.starts_with(b) || b.starts_with(a));
}

Result<void> check_trigger(const manifest::Manifest& m, std::size_t i, std::map<std::string, std::size_t, std::less<>>& routes) {
  const auto& f = m.functions[i];
  const auto& t = f.trigger;
  const std::string path = fmt::format("functions[{}].trigger", i);
  if (t.kind == TriggerKind::http) {
    static constexpr std::array kMethods{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"};
    if (std::find(kMethods.begin(), kMethods.end(), t.method) == kMethods.end())
      return problem(path + ".method", fmt::format("method \"{}\" must be one of GET POST PUT PATCH DELETE HEAD OPTIONS ANY", t.method));
    if (!route_path(t.path))
      return problem(path + ".path", fmt::format("path \"{}\" must start with '/' and hold only letters, digits, -._~:@ and {{param}}", t.path));
    const std::string key = t.method + " " + t.path;
    if (auto [it, fresh] = routes.emplace(key, i); !fresh)
      return problem(path, fmt::format("route \"{}\" is also served by functions[{}] (\"{}\"): one function per route", key, it->second,
                                       m.functions[it->second].id));
    return {};
  }
  if (t.kind == TriggerKind::schedule) {
    if (t.name.empty()) return problem(path + ".name", "a schedule needs a name");
    if (auto e = manifest::parse_schedule_expression(t.expression); !e) return problem(path + ".expression", e.error().message);
    return {};
  }
  const ResourceKind expected = t.kind == TriggerKind::queue ? ResourceKind::queue
                                : t.kind == TriggerKind::topic ? ResourceKind::topic : ResourceKind::bucket;
  const manifest::Resource* r = m.find_resource(t.resource);
  if (r == nullptr || r->kind != expected)
    return problem(path + ".resource", fmt::format("no {} \"{}\" is declared", manifest::to_string(expected), t.resource));
  if (t.kind == TriggerKind::queue) {
    if (auto ok = in_range(path + ".batch_size", t.batch_size, 1, 10000, "batch_size"); !ok) return ok;
    if (auto ok = in_range(path + ".batch_window_seconds", t.batch_window_seconds, 0, 300, "batch_window_seconds"); !ok) return ok;
    if (t.batch_size > 10 && t.batch_window_seconds < 1)
      return problem(path + ".batch_window_seconds", fmt::format("a batch of {} messages needs a batching window of at least 1 second (SQS "
                                                                 "takes more than 10 only with a window)", t.batch_size));
    // Lambda checks these when it creates the mapping; the consume grant holds them.
    for (std::string_view action : {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}) {
      if (!holds(f, t.resource, action))
        return problem(fmt::format("functions[{}].grants", i),
                       fmt::format("the consumer of queue \"{}\" lacks {}: it needs the \"consume\" grant on its queue", t.resource, action));
    }
  }
  if (t.kind == TriggerKind::object_created) {
    if (t.prefix.size() > 1024) return problem(path + ".prefix", "a key prefix may hold at most 1024 characters");
    if (t.suffix.size() > 1024) return problem(path + ".suffix", "a key suffix may hold at most 1024 characters");
    for (std::size_t j = 0; j < i; ++j) {
      const auto& o = m.functions[j].trigger;
      if (o.kind == TriggerKind::object_created && o.resource == t.resource && overlaps(o.prefix, t.prefix, false) &&
          overlaps(o.suffix, t.suffix, true))
        return problem(path, fmt::format("bucket \"{}\" already notifies functions[{}] (\"{}\") of keys this filter also matches (prefix "
                                         "\"{}\", suffix \"{}\"): S3 refuses overlapping notifications; make the prefixes or suffixes distinct",
                                         t.resource, j, m.functions[j].id, t.prefix, t.suffix));
    }
  }
  return {};
}

}  // namespace

Result<void> check_manifest(const manifest::Manifest& m, const SynthOptions& o) {
  if (m.version != manifest::kVersion)
    return problem("version", fmt::format("manifest version {} is not {}: regenerate it with this gust", m.version, manifest::kVersion));
  if (!declared_name(m.app, 64)) return problem("app", fmt::format("app name \"{}\" must be 1 to 64 letters, digits, '-' or '_'", m.app));
  if (!stage_name(o.stage))
    return problem("--stage", fmt::format("stage \"{}\" must be 1 to 32 lower-case letters, digits or '-', starting with a letter", o.stage));
  if (o.log_retention_days <= 0) return problem("log_retention_days", "the log retention must be a positive number of days");

  std::map<std::string, std::size_t, std::less<>> ids;
  std::map<std::string, std::size_t, std::less<>> variables;
  std::map<std::string, std::size_t, std::less<>> bucket_names;
  std::set<std::string, std::less<>> notifying;
  for (const auto& f : m.functions) {
    if (f.trigger.kind == TriggerKind::object_created) notifying.insert(f.trigger.resource);
  }
  for (std::size_t i = 0; i < m.resources.size(); ++i) {
    const auto& r = m.resources[i];
    const std::string path = fmt::format("resources[{}]", i);
    if (auto ok = check_resource(r, path); !ok) return ok;
    if (auto [it, fresh] = ids.emplace(r.id, i); !fresh)
      return problem(path + ".id", fmt::format("resource \"{}\" is declared twice (also resources[{}])", r.id, it->second));
    if (auto [it, fresh] = variables.emplace(r.env, i); !fresh)
      return problem(path + ".env", fmt::format("variable {} already carries resources[{}] (\"{}\")", r.env, it->second, m.resources[it->second].id));
    if (r.kind == ResourceKind::bucket && notifying.contains(r.id)) {
      if (auto [it, fresh] = bucket_names.emplace(bucket_name_prefix(m.app, r.id), i); !fresh)
        return problem(path + ".id", fmt::format("buckets \"{}\" and \"{}\" both notify functions and their names start alike (\"{}\"): make "
                                                 "the first 26 characters of APP-BUCKET differ", m.resources[it->second].id, r.id, it->first));
    }
  }

  std::map<std::string, std::size_t, std::less<>> functions;
  std::map<std::string, std::size_t, std::less<>> routes;
  for (std::size_t i = 0; i < m.functions.size(); ++i) {
    const auto& f = m.functions[i];
    const std::string path = fmt::format("functions[{}]", i);
    // The id is also Lambda's Handler (at most 128 characters) and part of the log group's name.
    if (!declared_name(f.id, 128)) return problem(path + ".id", fmt::format("\"{}\" must be 1 to 128 letters, digits, '-' or '_'", f.id));
    if (auto [it, fresh] = functions.emplace(f.id, i); !fresh)
      return problem(path + ".id", fmt::format("function \"{}\" is declared twice (also functions[{}])", f.id, it->second));
    if (auto ok = check_options(f.options, path + ".options"); !ok) return ok;
    if (auto ok = check_grants(m, f, path); !ok) return ok;
    if (auto ok = check_trigger(m, i, routes); !ok) return ok;
  }
  return {};
}

std::string declared_at(const manifest::Manifest& m, std::string_view path) {
  auto index_after = [&](std::string_view prefix) -> std::optional<std::size_t> {
    if (!path.starts_with(prefix)) return std::nullopt;
    std::size_t i = 0;
    std::size_t pos = prefix.size();
    if (pos >= path.size() || !is_digit(path[pos])) return std::nullopt;
    while (pos < path.size() && is_digit(path[pos])) i = i * 10 + static_cast<std::size_t>(path[pos++] - '0');
    return i;
  };
  if (auto i = index_after("functions["); i && *i < m.functions.size()) return m.functions[*i].source;
  if (auto i = index_after("resources["); i && *i < m.resources.size()) return m.resources[*i].source;
  return "";
}

}  // namespace gust::synth
