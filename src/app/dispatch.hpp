#pragma once
// From a handler id to an invoke function: resolves the function's resource
// bindings from the environment once, then turns each raw event into typed
// handler calls and the handler's outcome into the response payload.

#include "app/app_state.hpp"
#include "manifest/manifest.hpp"
#include "runtime/runtime_loop.hpp"

namespace gust::detail {

enum class BindingMode {
  deployed,  // every granted resource's variable must be set (Lambda, gust dev)
  local,     // `APP invoke`: a missing variable falls back to the declared name
};

Result<runtime::InvokeFn> make_invoker(const AppState& state, const manifest::Manifest& manifest,
                                       std::string_view handler_id, BindingMode mode);

}  // namespace gust::detail
