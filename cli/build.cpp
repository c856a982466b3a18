#include "command.hpp"
#include "report.hpp"

#include "project/project.hpp"

#include <fmt/format.h>

namespace gust::cli {

Command build_command() {
  return {"build", "Build the app in DIR (default: the current folder)",
          "  gust build\n  gust build examples/todo\n",
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
              fmt::print("built {}: {}\n", built->name, built->binary.string());
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
