#include "project_args.hpp"
#include "report.hpp"
#include "stop_signals.hpp"

#include "devcloud/dev/dev_session.hpp"

#include <fmt/format.h>

#include <unistd.h>

namespace gust::cli {

Command dev_command() {
  return {"dev", "Run the app locally as AWS would: HTTP gateway, Lambda processes, reload on save",
          "  gust dev examples/todo\n  gust dev --port 0          # any free port\n"
          "  gust dev --run 'hello=env _HANDLER=index.handler node ric/index.mjs'   # one function on Node's aws-lambda-ric\n",
          [](CLI::App& sub) {
            auto args = add_project_args(sub);
            auto options = std::make_shared<devcloud::DevSessionOptions>();
            sub.add_option("--port,-p", options->cloud.port, "The gateway's port on 127.0.0.1 (0: any free port)")->capture_default_str();
            sub.add_option("--concurrency", options->cloud.default_concurrency,
                           "Instances per function when it sets no reserved concurrency")
                ->capture_default_str()
                ->check(CLI::Range(1, 1000));
            auto no_watch = std::make_shared<bool>(false);
            sub.add_flag("--no-watch", *no_watch, "Do not rebuild and reload when a source file changes");
            sub.add_flag("--reset", options->reset, "Start with empty local services (deletes DIR/.gust/dev/aws)");
            auto build_type = std::make_shared<std::string>(project::kDevBuildType);
            sub.add_option("--build-type", *build_type,
                           "CMake build type of the app: GustDev (quick to compile: -O1, gust's headers precompiled) or "
                           "any other, e.g. RelWithDebInfo as `gust build` uses")
                ->capture_default_str();
            auto runs = std::make_shared<std::vector<std::string>>();
            sub.add_option("--run", *runs,
                           "FUNCTION=COMMAND: serve FUNCTION with another Lambda runtime started by COMMAND (a shell command "
                           "run in DIR with the function's environment; set variables with `env`, e.g. env _HANDLER=index.handler node ...) "
                           "instead of the app binary")
                ->check(CLI::Validator(
                    [](std::string& spec) -> std::string {
                      const auto eq = spec.find('=');
                      if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) return "expected FUNCTION=COMMAND, got '" + spec + "'";
                      return {};
                    },
                    "FUNCTION=COMMAND"));
            return [args, options, no_watch, runs, build_type]() -> int {
              StopSignals stop;

              options->build = args->build;
              options->build.dir = args->dir;
              // A quick-compiling profile in a folder of its own: the release build (.gust/build) is left alone.
              options->build.build_type = *build_type;
              options->build.build_dir = std::filesystem::path(args->dir) / ".gust" / "dev" / "build";
              options->watch = !*no_watch;
              for (const auto& spec : *runs) options->cloud.function_commands[spec.substr(0, spec.find('='))] = spec.substr(spec.find('=') + 1);
              options->cloud.command_dir = args->dir;
              devcloud::ConsoleLog log(stdout, colour_on(STDOUT_FILENO));
              log.note(fmt::format("gust dev: building {}", args->dir));
              auto session = devcloud::DevSession::start(*options, log);
              if (!session) {
                if (session.error().code == ErrorCode::invalid_argument && session.error().context.ends_with(" manifest")) {
                  fmt::print(stderr, "{}\n", session.error().message);  // declaration errors, one line each
                  return kExitUsage;
                }
                print_error(session.error());
                return kExitFailed;
              }
              log.note(fmt::format("gust dev: serving on {} (state in {})", (*session)->cloud().url(), (*session)->state_dir().string()));
              for (const auto& line : (*session)->describe()) log.note(line);
              log.note(options->watch ? "gust dev: watching for changes; Ctrl-C stops" : "gust dev: Ctrl-C stops");
              log.note(fmt::format("gust dev: {} received, stopping", stop.wait()));
              (*session)->stop();
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
