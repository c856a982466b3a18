// gust remove: delete the stack APP-STAGE; retained tables and buckets stay and are listed.
#include "report.hpp"
#include "stack_args.hpp"

#include "deploy/remove.hpp"

#include <fmt/format.h>

namespace gust::cli {

Command remove_command() {
  return {"remove",
          "Delete the stack APP-STAGE and wait until it is gone (retained tables and buckets are kept, and listed)",
          "  gust remove examples/todo --stage pr-42\n  gust remove --app todo --stage dev\n",
          [](CLI::App& sub) {
            auto args = add_project_args(sub);
            auto stage = add_stage_arg(sub);
            auto timeout = std::make_shared<int>(3600);
            sub.add_option("--timeout", *timeout, "Seconds to wait for CloudFormation")->check(CLI::Range(1, 86400))->capture_default_str();
            return [args, stage, timeout]() -> int {
              int exit_code = kExitOk;
              auto where = stack_target_or_report(*args, *stage, exit_code);
              if (!where) return exit_code;
              const deploy::Target& target = where->target;
              const std::string& name = where->stack_name;
              auto sink = console_sink();
              auto removed = deploy::remove(target, name, *sink, std::chrono::seconds(*timeout));
              if (!removed) {
                print_error(removed.error());
                return kExitFailed;
              }
              if (!removed->existed) {
                fmt::print("no stack {} in account {} ({}): nothing to remove\n", name, target.identity.account, target.region);
                return kExitOk;
              }
              fmt::print("removed {}\n", name);
              if (!removed->kept.empty()) {
                fmt::print("kept (DeletionPolicy Retain; delete them yourself when you no longer need the data):\n");
                for (const auto& r : removed->kept) fmt::print("  {} {} ({})\n", r.resource_type, r.physical_id, r.logical_id);
              }
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
