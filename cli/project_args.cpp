#include "project_args.hpp"

#include "report.hpp"

namespace gust::cli {

std::shared_ptr<ProjectArgs> add_project_args(CLI::App& sub, bool with_dir) {
  auto args = std::make_shared<ProjectArgs>();
  if (with_dir) sub.add_option("DIR", args->dir, "The project folder")->capture_default_str();
  sub.add_option("--app", args->build.app, "Which app, when the project builds several");
  return args;
}

std::optional<project::BuiltApp> build_or_report(ProjectArgs& args) {
  args.build.dir = args.dir;
  auto built = project::build(args.build);
  if (!built) {
    print_error(built.error());
    return std::nullopt;
  }
  return *std::move(built);
}

}  // namespace gust::cli
