#include "project_args.hpp"
#include "report.hpp"

#include "manifest/sample_events.hpp"
#include "project/dev_endpoint.hpp"

#include <fmt/format.h>

namespace gust::cli {

Command trigger_command() {
  return {"trigger", "Fire a schedule now on the running `gust dev` of DIR",
          "  gust trigger nightly-digest examples/todo\n",
          [](CLI::App& sub) {
            auto name = std::make_shared<std::string>();
            sub.add_option("NAME", *name, "The schedule's name (or its function id)")->required();
            auto args = add_project_args(sub);
            return [name, args]() -> int {
              auto built = build_or_report(*args);
              if (!built) return kExitFailed;
              auto manifest = project::load_manifest(built->binary);
              if (!manifest) {
                print_error(manifest.error());
                return kExitUsage;
              }
              const manifest::Function* fn = nullptr;
              std::string schedules;
              for (const auto& f : manifest->functions) {
                if (f.trigger.kind != manifest::TriggerKind::schedule) continue;
                schedules += (schedules.empty() ? "" : ", ") + f.trigger.name;
                if (f.trigger.name == *name || f.id == *name) fn = &f;
              }
              if (fn == nullptr) {
                print_error(fmt::format("app \"{}\" has no schedule \"{}\"", manifest->app, *name),
                            schedules.empty() ? std::string("it declares no schedules") : fmt::format("its schedules: {}", schedules));
                return kExitUsage;
              }
              auto url = project::running_dev_cloud(built->project_dir);
              if (!url) {
                print_error(fmt::format("no gust dev is running for {}", built->project_dir.string()),
                            fmt::format("start one with `gust dev {}`, or run the handler alone with `gust invoke {} {}`", args->dir,
                                        args->dir, fn->id));
                return kExitFailed;
              }
              auto event = manifest::sample_event(*fn);
              auto reply = project::invoke_dev_function(*url, fn->id, *event);
              if (!reply) {
                print_error(reply.error());
                return kExitFailed;
              }
              if (reply->status != 200 || reply->headers.contains("x-amz-function-error")) {
                print_error(fmt::format("schedule \"{}\" failed: {}", fn->trigger.name, reply->body));
                return kExitFailed;
              }
              fmt::print("fired {} ({})\n", fn->trigger.name, fn->id);
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
