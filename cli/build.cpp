#include "project_args.hpp"

#include <fmt/format.h>

namespace gust::cli {

Command build_command() {
  return {"build", "Build the app in DIR (default: the current folder)",
          "  gust build\n  gust build examples/todo\n",
          [](CLI::App& sub) {
            auto args = add_project_args(sub);
            return [args]() -> int {
              auto built = build_or_report(*args);
              if (!built) return kExitFailed;
              fmt::print("built {}: {}\n", built->name, built->binary.string());
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
