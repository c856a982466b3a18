#pragma once
// What an App has declared, in the compiled part of the library. Templates in
// include/gust/app.hpp erase handlers and forward here; describe() turns this
// into the manifest and dispatch turns it into an invocation.

#include <gust/app.hpp>

#include "manifest/manifest.hpp"

#include <optional>
#include <source_location>
#include <string>
#include <variant>
#include <vector>

namespace gust::detail {

struct IndexDecl {
  std::string name;
  manifest::KeyAttribute partition_key;
  std::optional<manifest::KeyAttribute> sort_key;
  std::source_location where;
};

struct ResourceDecl {
  std::string id;
  manifest::ResourceKind kind = manifest::ResourceKind::table;
  std::source_location where;
  std::optional<manifest::KeyAttribute> partition_key;
  std::optional<manifest::KeyAttribute> sort_key;
  std::vector<IndexDecl> indexes;
  bool retain = true;
  int max_receives = 5;
  int retention_seconds = 345600;
};

using ErasedHandler = std::variant<HttpHandler, MessageHandler, ScheduleHandler, ObjectHandler>;

struct FunctionDecl {
  std::string id;
  std::source_location where;
  manifest::Trigger trigger;
  FunctionOptions options;
  std::vector<GrantRecord> grants;
  ErasedHandler handler;
};

// A declaration mistake, reported at `manifest` time with the user's line.
struct DeclarationError {
  std::source_location where;
  std::string message;
  std::string help;
};

struct AppState {
  std::string name;
  std::source_location where;
  std::vector<ResourceDecl> resources;
  std::vector<FunctionDecl> functions;
  std::vector<DeclarationError> errors;  // found while declaring (more are found by validate())

  void error(std::source_location where, std::string message, std::string help) {
    errors.push_back({where, std::move(message), std::move(help)});
  }
};

// "main.cpp:12": the file's base name and line, as manifests and errors show it.
std::string source_text(const std::source_location& where);

}  // namespace gust::detail
