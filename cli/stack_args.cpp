#include "stack_args.hpp"

#include "report.hpp"

#include "project/project.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <unistd.h>

namespace gust::cli {

std::shared_ptr<std::string> add_stage_arg(CLI::App& sub) {
  auto stage = std::make_shared<std::string>();
  sub.add_option("--stage,-s", *stage, "The stage: the stack is APP-STAGE (default: $GUST_STAGE, else dev)");
  return stage;
}

std::optional<std::string> stage_or_report(const std::string& flag) {
  std::string stage = deploy::resolve_stage(flag, aws::Environment::process());
  // synth's rule (check.cpp): it ends up in stack names and tags.
  const bool ok = !stage.empty() && stage.size() <= 32 && std::islower(static_cast<unsigned char>(stage[0])) != 0 &&
                  std::all_of(stage.begin(), stage.end(), [](char c) {
                    return std::islower(static_cast<unsigned char>(c)) != 0 || std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '-';
                  });
  if (!ok) {
    print_error(fmt::format("stage \"{}\" must be 1 to 32 lower-case letters, digits or '-', starting with a letter", stage),
                "pass --stage NAME (or set GUST_STAGE) with a name such as dev, prod or pr-42");
    return std::nullopt;
  }
  return stage;
}

std::optional<deploy::Target> connect_or_report() {
  auto target = deploy::connect(aws::Environment::process());
  if (!target) {
    print_error(target.error());
    return std::nullopt;
  }
  return *std::move(target);
}

std::optional<manifest::Manifest> app_manifest_or_report(ProjectArgs& args) {
  // The packaged binary is what `gust deploy` shipped; reading it builds nothing.
  const std::filesystem::path packaged = std::filesystem::path(args.dir) / ".gust" / "package" / "bootstrap";
  if (std::filesystem::exists(packaged)) {
    if (auto m = project::load_manifest(packaged); m && (args.build.app.empty() || m->app == args.build.app)) return *std::move(m);
  }
  auto built = build_or_report(args);
  if (!built) return std::nullopt;
  auto m = project::load_manifest(built->binary);
  if (!m) {
    print_error(m.error());
    return std::nullopt;
  }
  return *std::move(m);
}

std::optional<std::string> stack_name_or_report(ProjectArgs& args, const std::string& stage) {
  if (!args.build.app.empty()) return deploy::stack_name(args.build.app, stage);
  auto m = app_manifest_or_report(args);
  if (!m) return std::nullopt;
  return deploy::stack_name(m->app, stage);
}

std::optional<StackTarget> stack_target_or_report(ProjectArgs& args, const std::string& stage_flag, int& exit_code) {
  exit_code = kExitUsage;
  auto stage = stage_or_report(stage_flag);
  if (!stage) return std::nullopt;
  exit_code = kExitFailed;
  auto target = connect_or_report();
  if (!target) return std::nullopt;
  auto name = stack_name_or_report(args, *stage);
  if (!name) return std::nullopt;
  return StackTarget{*std::move(target), *stage, *std::move(name)};
}

std::unique_ptr<deploy::ConsoleSink> console_sink() {
  return std::make_unique<deploy::ConsoleSink>(stdout, colour_on(STDOUT_FILENO));
}

}  // namespace gust::cli
