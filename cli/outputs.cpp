// gust outputs: the deployed stack's outputs (ApiUrl first).
#include "report.hpp"
#include "stack_args.hpp"

#include "deploy/deploy.hpp"
#include "deploy/stack_lookup.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

namespace gust::cli {

Command outputs_command() {
  return {"outputs", "Print the outputs of the deployed stack APP-STAGE (API URL, table and queue names, ...)",
          "  gust outputs examples/todo\n  gust outputs examples/todo --stage prod --json\n",
          [](CLI::App& sub) {
            auto args = add_project_args(sub);
            auto stage = add_stage_arg(sub);
            auto json = std::make_shared<bool>(false);
            sub.add_flag("--json", *json, "Print one JSON object {OutputKey: value}");
            return [args, stage, json]() -> int {
              int exit_code = kExitOk;
              auto where = stack_target_or_report(*args, *stage, exit_code);
              if (!where) return exit_code;
              aws::CloudFormationClient cfn(where->target.config);
              auto stack = deploy::require_stack(cfn, where->stack_name);
              if (!stack) {
                print_error(stack.error());
                return kExitFailed;
              }
              const auto outputs = deploy::ordered_outputs(*stack);
              if (*json) {
                Object o;
                for (const auto& out : outputs) o.push_back(Member{out.key, Value(out.value)});
                fmt::print("{}\n", to_json_pretty(Value(std::move(o))));
                return kExitOk;
              }
              fmt::print("{} ({})\n", stack->name, stack->status);
              for (const auto& out : outputs) fmt::print("  {} = {}\n", out.key, out.value);
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
