#include "project_args.hpp"

#include <fmt/format.h>

namespace gust::cli {

Command manifest_command() {
  return {"manifest", "Build the app in DIR and print its manifest (JSON)",
          "  gust manifest examples/todo\n  gust manifest > manifest.json\n",
          [](CLI::App& sub) {
            auto args = add_project_args(sub);
            return [args]() -> int {
              auto built = build_or_report(*args);
              if (!built) return kExitFailed;
              auto text = project::manifest_text(built->binary);
              if (!text) {
                // Declaration errors: the app printed one line per mistake.
                fmt::print(stderr, "{}\n", text.error().message);
                return kExitUsage;
              }
              fmt::print("{}", *text);
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
