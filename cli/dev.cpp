#include "project_args.hpp"
#include "report.hpp"

#include "devcloud/dev/dev_session.hpp"

#include <fmt/format.h>

#include <csignal>
#include <pthread.h>
#include <unistd.h>

namespace gust::cli {

Command dev_command() {
  return {"dev", "Run the app locally as AWS would: HTTP gateway, Lambda processes, reload on save",
          "  gust dev examples/todo\n  gust dev --port 0          # any free port\n",
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
            return [args, options, no_watch]() -> int {
              // Ctrl-C and SIGTERM are taken by sigwait below; every thread started after this inherits the mask.
              sigset_t signals;
              sigemptyset(&signals);
              sigaddset(&signals, SIGINT);
              sigaddset(&signals, SIGTERM);
              pthread_sigmask(SIG_BLOCK, &signals, nullptr);

              options->build = args->build;
              options->build.dir = args->dir;
              options->watch = !*no_watch;
              devcloud::ConsoleLog log(stdout, ::isatty(1) != 0 && std::getenv("NO_COLOR") == nullptr);
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
              int received = 0;
              sigwait(&signals, &received);
              log.note(fmt::format("gust dev: {} received, stopping", received == SIGINT ? "Ctrl-C" : "SIGTERM"));
              (*session)->stop();
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
