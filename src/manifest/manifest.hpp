#pragma once
// The manifest: everything the tools need to know about an app, produced by
// the app itself (`APP manifest`) and read by synth, dev and deploy. It
// holds what the code needs, never account or stage names.
// docs/manifest.md documents the JSON field by field.

#include <gust/result.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gust::manifest {

inline constexpr int kVersion = 1;

enum class ResourceKind { table, bucket, queue, topic };
std::string_view to_string(ResourceKind kind);

// A key attribute: its name and DynamoDB type ("S", "N" or "B").
struct KeyAttribute {
  std::string name;
  std::string type;
  friend bool operator==(const KeyAttribute&, const KeyAttribute&) = default;
};

struct TableIndex {
  std::string name;
  KeyAttribute partition_key;
  std::optional<KeyAttribute> sort_key;
  friend bool operator==(const TableIndex&, const TableIndex&) = default;
};

struct Resource {
  std::string id;        // declared name: letters, digits, '-' and '_'
  ResourceKind kind = ResourceKind::table;
  std::string env;       // the variable that carries the physical name (table, bucket), URL (queue) or ARN (topic)
  std::string source;    // "main.cpp:12"
  // tables
  std::optional<KeyAttribute> partition_key;
  std::optional<KeyAttribute> sort_key;
  std::vector<TableIndex> indexes;
  // tables and buckets: keep the data when the stack is removed
  bool retain = true;
  // queues: receives before the dead-letter queue (0 = no dead-letter queue), retention
  int max_receives = 5;
  int retention_seconds = 345600;
  friend bool operator==(const Resource&, const Resource&) = default;
};

// IAM actions on one part of a resource. Scopes: "table", "index/NAME",
// "bucket" (the bucket ARN), "objects" (bucket ARN + "/*"), "queue", "topic".
struct Statement {
  std::vector<std::string> actions;
  std::string scope;
  friend bool operator==(const Statement&, const Statement&) = default;
};

// Permissions: "read", "write", "read_write" (tables, indexes, buckets),
// "send", "receive", "consume" (queues), "publish" (topics).
struct Grant {
  std::string resource;
  std::string permission;
  std::vector<Statement> statements;
  friend bool operator==(const Grant&, const Grant&) = default;
};

enum class TriggerKind { http, queue, topic, schedule, object_created };
std::string_view to_string(TriggerKind kind);

struct Trigger {
  TriggerKind kind = TriggerKind::http;
  std::string method;      // http: GET POST PUT PATCH DELETE HEAD OPTIONS ANY
  std::string path;        // http: "/todos/{id}"
  std::string resource;    // queue, topic, object_created: the resource id
  std::string name;        // schedule: the schedule's declared name
  std::string expression;  // schedule: "rate(5 minutes)" or "cron(0 3 * * ? *)"
  std::string prefix;      // object_created: key filters
  std::string suffix;
  int batch_size = 10;     // queue
  int batch_window_seconds = 0;  // queue
  friend bool operator==(const Trigger&, const Trigger&) = default;
};

struct FunctionOptions {
  int memory_mb = 128;
  int timeout_seconds = 10;
  std::string architecture = "arm64";  // "arm64" or "x86_64"
  std::optional<int> reserved_concurrency;
  int retries = 2;  // async triggers
  friend bool operator==(const FunctionOptions&, const FunctionOptions&) = default;
};

struct Function {
  std::string id;  // also the _HANDLER value
  Trigger trigger;
  FunctionOptions options;
  std::vector<Grant> grants;
  std::string source;
  friend bool operator==(const Function&, const Function&) = default;
};

struct Manifest {
  int version = kVersion;
  std::string app;
  std::vector<Resource> resources;
  std::vector<Function> functions;

  const Resource* find_resource(std::string_view id) const;
  const Function* find_function(std::string_view id) const;
  friend bool operator==(const Manifest&, const Manifest&) = default;
};

// Pretty-printed JSON with a stable member order (golden files diff cleanly).
std::string to_json(const Manifest& manifest);

// Strict parse: unknown members, wrong types, a wrong version and dangling
// references fail with the JSON path of the problem ("functions[2].grants[0].resource").
Result<Manifest> parse(std::string_view json);

}  // namespace gust::manifest
