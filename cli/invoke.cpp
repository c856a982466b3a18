#include "project_args.hpp"
#include "report.hpp"

#include "project/process.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <iterator>

namespace gust::cli {

Command invoke_command() {
  return {"invoke", "Build the app and run one invocation of HANDLER locally, printing its response",
          "  gust invoke examples/hello get-hello-name\n"
          "  gust invoke examples/todo consume-todo-events --event examples/todo/events/todo-events.json\n",
          [](CLI::App& sub) {
            auto project_args = add_project_args(sub, false);
            auto args = std::make_shared<std::vector<std::string>>();
            auto event = std::make_shared<std::string>();
            sub.add_option("[DIR] HANDLER", *args, "The project folder (default: .) and the handler id (see `gust manifest`)")
                ->required()
                ->expected(1, 2);
            sub.add_option("--event,-e", *event, "A JSON event file, or - for standard input (default: a sample event)");
            return [project_args, args, event]() -> int {
              const std::string handler = args->back();
              project_args->dir = args->size() == 2 ? (*args)[0] : ".";
              if (!event->empty() && *event != "-" && !std::filesystem::exists(*event)) {
                print_error(fmt::format("no such event file: {}", *event), "pass a JSON file, or - to read the event from standard input");
                return kExitUsage;
              }
              auto built = build_or_report(*project_args);
              if (!built) return kExitFailed;
              std::vector<std::string> argv = {built->binary.string(), "invoke", handler};
              if (!event->empty()) argv.push_back(*event == "-" ? "-" : std::filesystem::absolute(*event).string());
              std::optional<std::string> input;
              if (*event == "-") input = std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
              auto r = project::run_process(argv, {.stdin_data = input});
              if (!r) {
                print_error(r.error());
                return kExitFailed;
              }
              fmt::print("{}", r->out);
              fmt::print(stderr, "{}", r->err);
              return r->exit_code;
            };
          }};
}

}  // namespace gust::cli
