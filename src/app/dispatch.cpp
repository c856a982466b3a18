#include "app/dispatch.hpp"

#include "runtime/events.hpp"
#include "runtime/response_stream.hpp"

#include <gust/log.hpp>

#include <cxxabi.h>
#include <fmt/format.h>

#include <cstdlib>
#include <memory>

namespace gust::detail {
namespace {

using runtime::InvocationResult;

std::string type_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(type.name());
}

// Runs `f`; an exception becomes a function error named after its type.
template <class F>
InvocationResult guarded(F&& f) {
  try {
    return f();
  } catch (const BadResultAccess& e) {
    return InvocationResult::failed(fmt::format("gust.{}", to_string(e.error().code)), e.what());
  } catch (const std::exception& e) {
    return InvocationResult::failed(type_name(typeid(e)), e.what());
  } catch (...) {
    return InvocationResult::failed("Runtime.UnknownException", "the handler threw something that is not a std::exception");
  }
}

InvocationResult malformed(const Error& error) {
  return InvocationResult::failed("Runtime.MalformedEvent", error.describe());
}

Result<ResourceBinding> bind(const manifest::Manifest& manifest, const manifest::Grant& grant, const manifest::Function& fn,
                             BindingMode mode) {
  const manifest::Resource* r = manifest.find_resource(grant.resource);
  ResourceBinding b;
  b.id = r->id;
  const char* value = std::getenv(r->env.c_str());
  if (value != nullptr && *value != '\0') {
    b.physical = value;
  } else if (mode == BindingMode::local) {
    b.physical = r->id;
  } else {
    return unexpected(ErrorCode::failed_precondition,
                      fmt::format("environment variable {} is not set; the deployment must set it to the physical {} of {} \"{}\"",
                                  r->env, r->kind == manifest::ResourceKind::queue ? "URL" : r->kind == manifest::ResourceKind::topic ? "ARN" : "name",
                                  manifest::to_string(r->kind), r->id),
                      fmt::format("function {}", fn.id));
  }
  if (r->partition_key) b.partition_key = r->partition_key->name;
  if (r->sort_key) b.sort_key = r->sort_key->name;
  // An index grant: the binding names the index and carries its keys.
  const std::string& scope = grant.statements.empty() ? std::string() : grant.statements.front().scope;
  if (scope.starts_with("index/")) {
    b.id = scope.substr(6);
    for (const auto& i : r->indexes) {
      if (i.name == b.id) {
        b.partition_key = i.partition_key.name;
        b.sort_key = i.sort_key ? i.sort_key->name : std::string();
      }
    }
  }
  return b;
}

InvocationResult invoke_http(const HttpHandler& handler, const Bindings& bindings, std::string_view event, BindingMode mode) {
  auto request = runtime::parse_http_event(event);
  if (!request) return malformed(request.error());
  return guarded([&] {
    try {
      auto response = handler(*request, bindings);
      if (response.is_streaming()) {
        // Deployed: stream through the Runtime API. `APP invoke` prints the whole response instead.
        if (mode == BindingMode::deployed) return runtime::http_streaming_result(response);
        return InvocationResult::ok(runtime::http_response_json(runtime::collect_stream(response)));
      }
      return InvocationResult::ok(runtime::http_response_json(response));
    } catch (const HttpError& e) {
      return InvocationResult::ok(runtime::http_response_json(Response::error(e.status(), e.what())));
    } catch (const BadResultAccess& e) {
      return InvocationResult::ok(runtime::http_response_json(response_for_error(e.error())));
    }
  });
}

InvocationResult invoke_queue(const MessageHandler& handler, const Bindings& bindings, std::string_view event) {
  auto records = runtime::parse_sqs_event(event);
  if (!records) return malformed(records.error());
  std::vector<std::string> failed;
  for (const auto& record : *records) {
    auto outcome = guarded([&] {
      handler(record.body, bindings);
      return InvocationResult::ok({});
    });
    if (outcome.status != InvocationResult::Status::ok) {
      log::error("message {} failed: {}: {}", record.info.message_id, outcome.error_type, outcome.error_message);
      failed.push_back(record.info.message_id);
    }
  }
  return InvocationResult::ok(runtime::sqs_batch_response(failed));
}

InvocationResult invoke_topic(const MessageHandler& handler, const Bindings& bindings, std::string_view event) {
  auto records = runtime::parse_sns_event(event);
  if (!records) return malformed(records.error());
  return guarded([&] {
    for (const auto& record : *records) handler(record.message, bindings);
    return InvocationResult::ok("null");
  });
}

InvocationResult invoke_schedule(const ScheduleHandler& handler, const Bindings& bindings, std::string_view event) {
  auto parsed = runtime::parse_schedule_event(event);
  if (!parsed) return malformed(parsed.error());
  return guarded([&] {
    handler(*parsed, bindings);
    return InvocationResult::ok("null");
  });
}

InvocationResult invoke_object(const ObjectHandler& handler, const Bindings& bindings, std::string_view event) {
  auto records = runtime::parse_s3_event(event);
  if (!records) return malformed(records.error());
  return guarded([&] {
    for (const auto& record : *records) {
      if (record.event_name.starts_with("ObjectCreated:")) handler(record, bindings);
    }
    return InvocationResult::ok("null");
  });
}

}  // namespace

Result<runtime::InvokeFn> make_invoker(const AppState& state, const manifest::Manifest& manifest, std::string_view handler_id,
                                       BindingMode mode) {
  const FunctionDecl* decl = nullptr;
  for (const auto& f : state.functions) {
    if (f.id == handler_id) decl = &f;
  }
  const manifest::Function* fn = manifest.find_function(handler_id);
  if (decl == nullptr || fn == nullptr) {
    std::string known;
    for (const auto& f : manifest.functions) known += (known.empty() ? "" : ", ") + f.id;
    return unexpected(ErrorCode::not_found, fmt::format("no handler \"{}\" in app \"{}\"; its handlers are: {}", handler_id, manifest.app, known),
                      "_HANDLER");
  }
  // Slot i of the bindings is grant i as the handler declared it (the implicit consume grant is not a parameter).
  auto bindings = std::make_shared<Bindings>();
  for (const auto& g : fn->grants) {
    if (g.permission == "consume") continue;
    auto b = bind(manifest, g, *fn, mode);
    if (!b) return Unexpected{std::move(b).error()};
    bindings->push_back(std::move(*b));
  }
  return runtime::InvokeFn([decl, bindings, mode](std::string_view event, const Context&) -> InvocationResult {
    return std::visit(
        [&](const auto& handler) -> InvocationResult {
          using H = std::decay_t<decltype(handler)>;
          if constexpr (std::is_same_v<H, HttpHandler>) return invoke_http(handler, *bindings, event, mode);
          else if constexpr (std::is_same_v<H, ScheduleHandler>) return invoke_schedule(handler, *bindings, event);
          else if constexpr (std::is_same_v<H, ObjectHandler>) return invoke_object(handler, *bindings, event);
          else return decl->trigger.kind == manifest::TriggerKind::queue ? invoke_queue(handler, *bindings, event)
                                                                        : invoke_topic(handler, *bindings, event);
        },
        decl->handler);
  });
}

}  // namespace gust::detail
