// App::run: describe (manifest), invoke locally, or serve the Runtime API.
#include "app/describe.hpp"
#include "app/dispatch.hpp"
#include "manifest/sample_events.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace gust {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

void print_usage(std::FILE* out, std::string_view program, std::string_view app) {
  fmt::print(out,
             "{0}: the gust app \"{1}\"\n\n"
             "usage:\n"
             "  {0} manifest                       print the app's manifest (JSON)\n"
             "  {0} handlers                       list the handler ids\n"
             "  {0} invoke HANDLER [EVENT.json|-]  run one invocation here and print the response\n"
             "\nWith AWS_LAMBDA_RUNTIME_API set, it serves Lambda's Runtime API for the handler named by _HANDLER.\n",
             program, app);
}

// Describes the app; prints every declaration mistake and returns nullopt when there are any.
std::optional<manifest::Manifest> checked_manifest(const detail::AppState& state) {
  auto description = detail::describe(state);
  if (description.errors.empty()) return std::move(description.manifest);
  for (const auto& e : description.errors) fmt::print(stderr, "{}\n", detail::render(e));
  fmt::print(stderr, "{} declaration error{} in app \"{}\"\n", description.errors.size(),
             description.errors.size() == 1 ? "" : "s", state.name);
  return std::nullopt;
}

Result<std::string> read_event(std::string_view source) {
  if (source == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream file{std::string(source), std::ios::binary};
  if (!file) return unexpected(ErrorCode::not_found, "cannot open the event file", std::string(source));
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

int run_invoke(const detail::AppState& state, const manifest::Manifest& manifest, std::string_view handler,
               std::optional<std::string_view> event_source) {
  const manifest::Function* fn = manifest.find_function(handler);
  auto invoker = detail::make_invoker(state, manifest, handler, detail::BindingMode::local);
  if (!invoker || fn == nullptr) {
    fmt::print(stderr, "error: {}\n", invoker ? "unknown handler" : invoker.error().message);
    return kExitUsage;
  }
  auto event = event_source ? read_event(*event_source) : manifest::sample_event(*fn);
  if (!event) {
    fmt::print(stderr, "error: {}\n", event.error().describe());
    return kExitUsage;
  }
  Context ctx;
  ctx.request_id = "local-invoke";
  ctx.function_name = fn->id;
  ctx.memory_mb = fn->options.memory_mb;
  ctx.deadline = std::chrono::system_clock::now() + std::chrono::seconds(fn->options.timeout_seconds);
  detail::ScopedContext scope(ctx);
  auto result = (*invoker)(*event, ctx);
  if (result.status == runtime::InvocationResult::Status::ok) {
    fmt::print("{}\n", result.payload);
    return kExitOk;
  }
  Value error;
  error["errorType"] = result.error_type;
  error["errorMessage"] = result.error_message;
  fmt::print("{}\n", to_json_text(error));
  return kExitFailed;
}

int run_runtime(const detail::AppState& state, std::string_view endpoint) {
  return runtime::run_loop(endpoint, [&state]() -> Result<runtime::InvokeFn> {
    auto description = detail::describe(state);
    if (!description.errors.empty()) {
      std::string all;
      for (const auto& e : description.errors) all += detail::render(e) + "\n";
      return unexpected(ErrorCode::invalid_argument, all, "declarations");
    }
    const char* handler = std::getenv("_HANDLER");
    if (handler == nullptr || *handler == '\0')
      return unexpected(ErrorCode::invalid_argument, "_HANDLER is not set: it names the handler this function runs", "_HANDLER");
    // The manifest must outlive the loop: the invoker refers to it only while binding.
    return detail::make_invoker(state, description.manifest, handler, detail::BindingMode::deployed);
  });
}

}  // namespace

int App::run(int argc, char** argv) {
  const std::string_view program = argc > 0 ? std::string_view(argv[0]) : std::string_view("app");
  if (const char* api = std::getenv("AWS_LAMBDA_RUNTIME_API"); api != nullptr && *api != '\0' && argc <= 1) {
    return run_runtime(*state_, api);
  }
  if (argc < 2) {
    print_usage(stderr, program, state_->name);
    return kExitUsage;
  }
  const std::string_view mode = argv[1];
  if (mode == "--help" || mode == "-h" || mode == "help") {
    print_usage(stdout, program, state_->name);
    return kExitOk;
  }
  if (mode == "manifest") {
    auto manifest = checked_manifest(*state_);
    if (!manifest) return kExitUsage;
    fmt::print("{}", manifest::to_json(*manifest));
    return kExitOk;
  }
  if (mode == "handlers") {
    auto manifest = checked_manifest(*state_);
    if (!manifest) return kExitUsage;
    for (const auto& f : manifest->functions) fmt::print("{}\n", f.id);
    return kExitOk;
  }
  if (mode == "invoke") {
    if (argc < 3 || argc > 4) {
      fmt::print(stderr, "error: usage: {} invoke HANDLER [EVENT.json|-]\n", program);
      return kExitUsage;
    }
    auto manifest = checked_manifest(*state_);
    if (!manifest) return kExitUsage;
    return run_invoke(*state_, *manifest, argv[2], argc == 4 ? std::optional<std::string_view>(argv[3]) : std::nullopt);
  }
  fmt::print(stderr, "error: unknown mode \"{}\"\n", mode);
  print_usage(stderr, program, state_->name);
  return kExitUsage;
}

}  // namespace gust
