#pragma once
// What the commands that talk to a deployed stack share (bootstrap, deploy,
// diff, outputs, remove, logs, invoke --remote): --stage, the AWS target
// with its error report, the app's name and the console sink.

#include "project_args.hpp"

#include "deploy/progress.hpp"
#include "deploy/target.hpp"
#include "manifest/manifest.hpp"

#include <memory>
#include <optional>
#include <string>

namespace gust::cli {

// Declares --stage on `sub`.
std::shared_ptr<std::string> add_stage_arg(CLI::App& sub);

// The stage: the flag, else $GUST_STAGE, else dev; a malformed one is
// reported (the caller exits 2).
std::optional<std::string> stage_or_report(const std::string& flag);

// Credentials, region and account; on failure prints why (and every credential source tried).
std::optional<deploy::Target> connect_or_report();

// The manifest of the app in args->dir: from the last package (what was
// deployed), else by building it. Prints the error and returns nullopt on failure.
std::optional<manifest::Manifest> app_manifest_or_report(ProjectArgs& args);

// The stack name `<app>-<stage>`: --app names the app without building it.
std::optional<std::string> stack_name_or_report(ProjectArgs& args, const std::string& stage);

struct StackTarget {
  deploy::Target target;
  std::string stage;
  std::string stack_name;
};

// --stage checked, the target connected and the stack named, each failure
// reported; nullopt sets `exit_code` (2 for a bad stage, else 1).
std::optional<StackTarget> stack_target_or_report(ProjectArgs& args, const std::string& stage_flag, int& exit_code);

// A sink on standard output: animated on a terminal, plain lines otherwise.
std::unique_ptr<deploy::ConsoleSink> console_sink();

}  // namespace gust::cli
