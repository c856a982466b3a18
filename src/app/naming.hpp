#pragma once
// Names derived from declarations: function ids and resource variables.

#include "manifest/manifest.hpp"

#include <string>
#include <string_view>

namespace gust::detail {

// Lower-case letters, digits and single '-' ("Todo Events" -> "todo-events").
std::string id_slug(std::string_view text);
// "GET" "/todos/{id}" -> "get-todos-id"; "/" -> "get-root"; "{proxy+}" -> "proxy".
std::string route_function_id(std::string_view method, std::string_view path);
// The variable that carries a resource's physical name/URL/ARN: GUST_TABLE_TODOS, GUST_QUEUE_TODO_EVENTS, ...
std::string resource_env_var(manifest::ResourceKind kind, std::string_view id);

}  // namespace gust::detail
