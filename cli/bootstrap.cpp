// gust bootstrap: the deployment bucket's stack, once per account and region.
#include "report.hpp"
#include "stack_args.hpp"

#include "deploy/bootstrap.hpp"

#include <fmt/format.h>

namespace gust::cli {

Command bootstrap_command() {
  return {"bootstrap",
          "Create (or update) the deployment bucket's stack `gust-bootstrap`, once per AWS account and region",
          "  gust bootstrap\n  AWS_PROFILE=prod AWS_REGION=eu-west-1 gust bootstrap\n",
          [](CLI::App&) {
            return []() -> int {
              auto target = connect_or_report();
              if (!target) return kExitFailed;
              auto sink = console_sink();
              sink->step(fmt::format("account {} in {}", target->identity.account, target->region));
              auto result = deploy::bootstrap(*target, *sink);
              if (!result) {
                print_error(result.error());
                return kExitFailed;
              }
              if (!result->succeeded) {
                fmt::print(stderr, "{}", deploy::explain_failure(*result));
                print_error("gust bootstrap failed", "fix the reason above, then run `gust bootstrap` again");
                return kExitFailed;
              }
              aws::CloudFormationClient cfn(target->config);
              auto bucket = deploy::find_deployment_bucket(cfn, *target);
              if (!bucket) {
                print_error(bucket.error());
                return kExitFailed;
              }
              fmt::print("{}: deployment bucket {}\n", result->no_changes ? "already bootstrapped" : "bootstrapped", *bucket);
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
