// gust logs: a deployed function's CloudWatch log events (FilterLogEvents), optionally followed.
#include "report.hpp"
#include "stack_args.hpp"

#include "aws/logs.hpp"
#include "aws/cloudformation.hpp"
#include "deploy/stack_lookup.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>
#include <thread>

namespace gust::cli {
namespace {

// "10m", "90s", "2h", "1d" -> milliseconds; nullopt when malformed.
std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
  if (ec != std::errc() || end != text.data() + text.size() - 1 || n < 0) return std::nullopt;
  switch (text.back()) {
    case 's': return n * 1000;
    case 'm': return n * 60 * 1000;
    case 'h': return n * 3600 * 1000;
    case 'd': return n * 86400 * 1000;
    default: return std::nullopt;
  }
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A plain text matches as one quoted term; a text that already is a filter pattern passes as it is.
std::string filter_pattern(const std::string& text) {
  if (text.empty() || text.front() == '{' || text.front() == '[' || text.front() == '"' || text.front() == '%') return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\\\"") : std::string(1, c);
  return quoted + "\"";
}

void print_event(const aws::LogEvent& e) {
  std::string message = e.message;
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  const auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(e.timestamp_ms));
  fmt::print("{:%Y-%m-%d %H:%M:%S}Z {}\n", std::chrono::floor<std::chrono::seconds>(t), message);
}

}  // namespace

Command logs_command() {
  return {"logs",
          "Print the CloudWatch log events of the deployed function FUNCTION (a gust function id) of stack APP-STAGE",
          "  gust logs get-lists-list-todos-id examples/todo\n  gust logs consume-todo-events --since 1h --filter ERROR\n"
          "  gust logs post-lists-list-todos --follow --stage prod\n",
          [](CLI::App& sub) {
            auto project = add_project_args(sub, false);
            auto positional = std::make_shared<std::vector<std::string>>();
            auto stage = add_stage_arg(sub);
            auto follow = std::make_shared<bool>(false);
            auto since = std::make_shared<std::string>("10m");
            auto filter = std::make_shared<std::string>();
            sub.add_option("FUNCTION [DIR]", *positional, "The function id (see `gust manifest`) and the project folder (default: .)")
                ->required()
                ->expected(1, 2);
            sub.add_flag("--follow,-f", *follow, "Keep printing new events until interrupted");
            sub.add_option("--since", *since, "How far back to start: 90s, 10m, 2h, 1d")->capture_default_str();
            sub.add_option("--filter", *filter, "Only events containing TEXT (or a CloudWatch filter pattern: {$.level = \"ERROR\"})");
            return [project, positional, stage, follow, since, filter]() -> int {
              auto since_ms = parse_duration_ms(*since);
              if (!since_ms) {
                print_error(fmt::format("--since \"{}\" is not a duration", *since), "write a number and a unit: 90s, 10m, 2h or 1d");
                return kExitUsage;
              }
              std::string function = (*positional)[0];
              if (positional->size() == 2) {
                // Either order: the folder is the one that exists.
                if (std::filesystem::is_directory((*positional)[0]) && !std::filesystem::is_directory((*positional)[1])) {
                  project->dir = (*positional)[0];
                  function = (*positional)[1];
                } else {
                  project->dir = (*positional)[1];
                }
              }
              int exit_code = kExitOk;
              auto where = stack_target_or_report(*project, *stage, exit_code);
              if (!where) return exit_code;
              aws::CloudFormationClient cfn(where->target.config);
              auto fn = deploy::find_function(cfn, where->stack_name, function);
              if (!fn) {
                print_error(fn.error());
                return fn.error().code == ErrorCode::not_found ? kExitUsage : kExitFailed;
              }
              aws::LogsClient logs(where->target.config);
              aws::FilterLogEventsRequest request;
              request.log_group = fn->log_group;
              request.start_ms = now_ms() - *since_ms;
              request.filter_pattern = filter_pattern(*filter);
              std::set<std::string> seen;  // a followed page repeats the events of its start millisecond
              std::size_t printed = 0;
              std::int64_t latest = *request.start_ms;
              for (;;) {
                for (int page = 0; page < 1000; ++page) {  // bounded: 1000 pages of up to 10,000 events
                  auto events = logs.filter_log_events(request);
                  if (!events) {
                    if (events.error().code == ErrorCode::not_found) break;  // the group appears with the first invocation
                    print_error(events.error());
                    return kExitFailed;
                  }
                  for (const auto& e : events->events) {
                    if (!e.event_id.empty() && !seen.insert(e.event_id).second) continue;
                    print_event(e);
                    ++printed;
                    latest = std::max(latest, e.timestamp_ms);
                  }
                  request.next_token = events->next_token;
                  if (request.next_token.empty()) break;
                }
                if (!*follow) break;
                request.start_ms = latest;  // the next poll starts where this one ended
                request.next_token.clear();
                std::fflush(stdout);
                std::this_thread::sleep_for(std::chrono::seconds(1));
              }
              if (printed == 0)
                fmt::print(stderr, "no log events for {} in {} since {} ago{}\n", function, fn->log_group, *since,
                           filter->empty() ? "" : " matching " + *filter);
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
