#include "command.hpp"
#include "report.hpp"

#include "project/project.hpp"

#include <fmt/format.h>

namespace gust::cli {

Command manifest_command() {
  return {"manifest", "Build the app in DIR and print its manifest (JSON)",
          "  gust manifest examples/todo\n  gust manifest > manifest.json\n",
          [](CLI::App& sub) {
            auto options = std::make_shared<project::BuildOptions>();
            auto dir = std::make_shared<std::string>(".");
            sub.add_option("DIR", *dir, "The project folder")->capture_default_str();
            sub.add_option("--app", options->app, "Which app, when the project builds several");
            return [options, dir]() -> int {
              options->dir = *dir;
              auto built = project::build(*options);
              if (!built) {
                print_error(built.error());
                return kExitFailed;
              }
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
