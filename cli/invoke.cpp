#include "project_args.hpp"
#include "report.hpp"

#include "manifest/sample_events.hpp"
#include "project/dev_endpoint.hpp"
#include "project/process.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace gust::cli {
namespace {

Result<std::string> read_event(const std::string& source) {
  if (source == "-") return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  std::ifstream in(source, std::ios::binary);
  if (!in) return unexpected(ErrorCode::not_found, fmt::format("no such event file: {}", source),
                             "pass a JSON file, or - to read the event from standard input");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Through a running `gust dev`: the same instances, logs and local services the app is using.
int invoke_on_dev_cloud(const std::string& url, const project::BuiltApp& built, const std::string& handler, const std::string& event_source) {
  auto manifest = project::load_manifest(built.binary);
  if (!manifest) {
    print_error(manifest.error());
    return kExitUsage;
  }
  const manifest::Function* fn = manifest->find_function(handler);
  if (fn == nullptr) {
    print_error(fmt::format("no handler \"{}\" in app \"{}\"", handler, manifest->app), "list them with `gust manifest`");
    return kExitUsage;
  }
  auto payload = event_source.empty() ? manifest::sample_event(*fn) : read_event(event_source);
  if (!payload) {
    print_error(payload.error());
    return kExitUsage;
  }
  auto reply = project::invoke_dev_function(url, handler, *payload);
  if (!reply) {
    print_error(reply.error());
    return kExitFailed;
  }
  fmt::print("{}\n", reply->body);
  return reply->status == 200 && !reply->headers.contains("x-amz-function-error") ? kExitOk : kExitFailed;
}

}  // namespace

Command invoke_command() {
  return {"invoke", "Run one invocation of HANDLER and print its response (through `gust dev` when it runs)",
          "  gust invoke examples/hello get-hello-name\n"
          "  gust invoke examples/todo consume-todo-events --event examples/todo/events/consume-todo-events.json\n",
          [](CLI::App& sub) {
            auto project_args = add_project_args(sub, false);
            auto args = std::make_shared<std::vector<std::string>>();
            auto event = std::make_shared<std::string>();
            auto local = std::make_shared<bool>(false);
            sub.add_option("[DIR] HANDLER", *args, "The project folder (default: .) and the handler id (see `gust manifest`)")
                ->required()
                ->expected(1, 2);
            sub.add_option("--event,-e", *event, "A JSON event file, or - for standard input (default: a sample event)");
            sub.add_flag("--in-process", *local, "Invoke in a process of its own even when `gust dev` is running");
            return [project_args, args, event, local]() -> int {
              const std::string handler = args->back();
              project_args->dir = args->size() == 2 ? (*args)[0] : ".";
              if (!event->empty() && *event != "-" && !std::filesystem::exists(*event)) {
                print_error(fmt::format("no such event file: {}", *event), "pass a JSON file, or - to read the event from standard input");
                return kExitUsage;
              }
              auto built = build_or_report(*project_args);
              if (!built) return kExitFailed;
              if (!*local) {
                if (auto url = project::running_dev_cloud(built->project_dir)) return invoke_on_dev_cloud(*url, *built, handler, *event);
              }
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
