#include "deploy_command.hpp"

#include "report.hpp"
#include "stack_args.hpp"

#include "deploy/deploy.hpp"

#include <fmt/format.h>

namespace gust::cli {

std::function<int()> deploy_or_diff(CLI::App& sub, bool execute) {
  auto args = add_project_args(sub);
  auto stage = add_stage_arg(sub);
  auto timeout = std::make_shared<int>(3600);
  sub.add_option("--timeout", *timeout, "Seconds to wait for CloudFormation")->check(CLI::Range(1, 86400))->capture_default_str();
  return [args, stage, timeout, execute]() -> int {
    auto stage_name = stage_or_report(*stage);
    if (!stage_name) return kExitUsage;
    auto target = connect_or_report();
    if (!target) return kExitFailed;
    auto sink = console_sink();
    sink->step(fmt::format("account {} in {}{}", target->identity.account, target->region,
                           target->endpoint.empty() ? "" : " at " + target->endpoint));
    deploy::DeployOptions options;
    options.package.build = args->build;
    options.package.build.dir = args->dir;
    options.stage = *stage_name;
    options.execute = execute;
    options.max_wait = std::chrono::seconds(*timeout);
    auto result = deploy::deploy(*target, options, *sink);
    if (!result) {
      print_error(result.error());
      return kExitFailed;
    }
    const auto& applied = result->apply;
    if (applied.no_changes) {
      fmt::print("{}: no changes\n", result->stack_name);
      if (applied.stack)
        for (const auto& o : deploy::ordered_outputs(*applied.stack)) fmt::print("  {} = {}\n", o.key, o.value);
      return kExitOk;
    }
    if (!execute) {
      fmt::print("{}: {} change(s); `gust deploy` applies them\n", result->stack_name, applied.changes.size());
      return kExitOk;
    }
    if (!applied.succeeded) {
      fmt::print(stderr, "{}", deploy::explain_failure(applied));
      print_error(fmt::format("deploying {} failed", result->stack_name), "fix the reason above, then deploy again");
      return kExitFailed;
    }
    fmt::print("deployed {} ({})\n", result->stack_name, applied.stack ? applied.stack->status : "");
    if (applied.stack)
      for (const auto& o : deploy::ordered_outputs(*applied.stack)) fmt::print("  {} = {}\n", o.key, o.value);
    return kExitOk;
  };
}

}  // namespace gust::cli
