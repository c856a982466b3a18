#pragma once
// Timestamps in the shapes AWS writes them.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gust::aws {

// "2024-06-11T12:00:00Z", with optional fractional seconds and a "+hh:mm" offset.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);
// "Tue, 11 Jun 2024 12:00:00 GMT" (HTTP Date header).
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

}  // namespace gust::aws
