#include "command.hpp"
#include "report.hpp"
#include "stop_signals.hpp"

#include "devcloud/target/target_cloud.hpp"

#include <fmt/format.h>

#include <memory>
#include <unistd.h>

namespace gust::cli {

Command cloud_command() {
  return {"cloud",
          "Serve the local cloud as a deploy target: CloudFormation, STS, Lambda, CloudWatch Logs, DynamoDB, S3, SQS and SNS on one "
          "loopback endpoint",
          "  gust cloud                                  # http://127.0.0.1:4566, state in .gust/cloud\n"
          "  AWS_ENDPOINT_URL=http://127.0.0.1:4566 gust deploy examples/todo --stage test\n"
          "  aws --endpoint-url http://127.0.0.1:4566 cloudformation describe-stacks   # any access key; account 000000000000\n"
          "  gust cloud --port 0 --state /tmp/cloud       # any free port; the first line names it\n",
          [](CLI::App& sub) {
            auto options = std::make_shared<devcloud::target::TargetOptions>();
            options->state_dir = ".gust/cloud";
            auto state = std::make_shared<std::string>(".gust/cloud");
            sub.add_option("--port,-p", options->port, "The endpoint's port on 127.0.0.1 (0: any free port); each deployed HTTP API gets a port of its own, its stack's ApiUrl output")->capture_default_str();
            sub.add_option("--state", *state, "Where stacks, logs, function packages and the services' data are kept (kept across restarts)")
                ->capture_default_str();
            sub.add_option("--region", options->region, "The region in ARNs and pseudo parameters")->capture_default_str();
            sub.add_option("--concurrency", options->default_concurrency,
                           "Instances per deployed function when it sets no reserved concurrency")
                ->capture_default_str()
                ->check(CLI::Range(1, 1000));
            auto reset = std::make_shared<bool>(false);
            sub.add_flag("--reset", *reset, "Start empty: delete the state folder first (every stack, log and object)");
            auto quiet = std::make_shared<bool>(false);
            sub.add_flag("--quiet,-q", *quiet, "Do not print the deployed functions' logs (they stay in CloudWatch Logs: gust logs)");
            return [options, state, reset, quiet]() -> int {
              StopSignals stop;
              options->state_dir = *state;
              if (*reset) {
                std::error_code ec;
                std::filesystem::remove_all(options->state_dir, ec);
              }
              devcloud::ConsoleLog log(stdout, colour_on(STDOUT_FILENO));
              auto cloud = devcloud::target::TargetCloud::start(*options, *quiet ? nullptr : &log);
              if (!cloud) {
                print_error(cloud.error());
                return kExitFailed;
              }
              log.note(fmt::format("gust cloud: serving on {} (state in {})", (*cloud)->url(), options->state_dir.string()));
              for (const auto& line : (*cloud)->describe()) log.note(line);
              log.note(fmt::format("  export AWS_ENDPOINT_URL={} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION={}", (*cloud)->url(),
                                   options->region));
              log.note("gust cloud: Ctrl-C stops");
              log.note(fmt::format("gust cloud: {} received, stopping", stop.wait()));
              (*cloud)->stop();
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
