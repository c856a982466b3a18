#pragma once
// The arguments every app-building command shares ([DIR], --app) and the
// build step with its error report.

#include "command.hpp"

#include "project/project.hpp"

#include <memory>
#include <optional>
#include <string>

namespace gust::cli {

struct ProjectArgs {
  std::string dir = ".";
  project::BuildOptions build;
};

// Declares DIR (positional, unless `with_dir` is false) and --app on `sub`.
std::shared_ptr<ProjectArgs> add_project_args(CLI::App& sub, bool with_dir = true);

// Builds the project; on failure prints the error (with the compiler's output) and returns nullopt.
std::optional<project::BuiltApp> build_or_report(ProjectArgs& args);

}  // namespace gust::cli
