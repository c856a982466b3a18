#include "project_args.hpp"
#include "report.hpp"
#include "stack_args.hpp"

#include "aws/lambda.hpp"
#include "deploy/stack_lookup.hpp"

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

// Lambda Invoke on the deployed function of stack APP-STAGE.
int invoke_deployed(ProjectArgs& project, const std::string& stage_flag, const std::string& handler, const std::string& event_source) {
  auto stage = stage_or_report(stage_flag);
  if (!stage) return kExitUsage;
  auto manifest = app_manifest_or_report(project);
  if (!manifest) return kExitFailed;
  std::string payload = "{}";
  if (const manifest::Function* fn = manifest->find_function(handler); fn != nullptr || !event_source.empty()) {
    auto event = event_source.empty() ? manifest::sample_event(*fn) : read_event(event_source);
    if (!event) {
      print_error(event.error());
      return kExitUsage;
    }
    payload = *std::move(event);
  }
  auto target = connect_or_report();
  if (!target) return kExitFailed;
  aws::CloudFormationClient cfn(target->config);
  auto deployed = deploy::find_function(cfn, deploy::stack_name(manifest->app, *stage), handler);
  if (!deployed) {
    print_error(deployed.error());
    return deployed.error().code == ErrorCode::not_found ? kExitUsage : kExitFailed;
  }
  aws::LambdaClient lambda(target->config);
  auto reply = lambda.invoke(deployed->function_name, std::move(payload), true);
  if (!reply) {
    print_error(reply.error());
    return kExitFailed;
  }
  if (!reply->log_tail.empty()) fmt::print(stderr, "{}", reply->log_tail);
  fmt::print("{}\n", reply->payload);
  if (!reply->function_error.empty()) {
    print_error(fmt::format("{} failed ({} error)", deployed->function_name, reply->function_error),
                fmt::format("its logs: gust logs {}{} --stage {}", handler, project.dir == "." ? "" : " " + project.dir, *stage));
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace

Command invoke_command() {
  return {"invoke", "Run one invocation of HANDLER and print its response (through `gust dev` when it runs)",
          "  gust invoke examples/hello get-hello-name\n"
          "  gust invoke examples/todo consume-todo-events --event examples/todo/events/consume-todo-events.json\n"
          "  gust invoke examples/todo get-lists-list-todos --remote --stage prod\n",
          [](CLI::App& sub) {
            auto project_args = add_project_args(sub, false);
            auto args = std::make_shared<std::vector<std::string>>();
            auto event = std::make_shared<std::string>();
            auto local = std::make_shared<bool>(false);
            auto remote = std::make_shared<bool>(false);
            sub.add_option("[DIR] HANDLER", *args, "The project folder (default: .) and the handler id (see `gust manifest`)")
                ->required()
                ->expected(1, 2);
            sub.add_option("--event,-e", *event, "A JSON event file, or - for standard input (default: a sample event)");
            sub.add_flag("--in-process", *local, "Invoke in a process of its own even when `gust dev` is running");
            sub.add_flag("--remote", *remote, "Invoke the deployed function of stack APP-STAGE (Lambda Invoke)")->excludes("--in-process");
            auto stage = add_stage_arg(sub);
            return [project_args, args, event, local, remote, stage]() -> int {
              const std::string handler = args->back();
              project_args->dir = args->size() == 2 ? (*args)[0] : ".";
              if (!event->empty() && *event != "-" && !std::filesystem::exists(*event)) {
                print_error(fmt::format("no such event file: {}", *event), "pass a JSON file, or - to read the event from standard input");
                return kExitUsage;
              }
              if (*remote) return invoke_deployed(*project_args, *stage, handler, *event);
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
