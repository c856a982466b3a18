#pragma once
// gust::log: structured log lines in Lambda's log format. With
// AWS_LAMBDA_LOG_FORMAT=JSON each line is a JSON object (timestamp, level,
// message, requestId, plus fields); otherwise plain text. Lines below
// AWS_LAMBDA_LOG_LEVEL (default INFO) are dropped before formatting.
//
//   gust::log::info("created {}", todo.id);

#include <fmt/format.h>

#include <string_view>

namespace gust::log {

enum class Level { trace, debug, info, warn, error, fatal };

bool enabled(Level level) noexcept;
void write(Level level, std::string_view message);

template <class... Args>
void trace(fmt::format_string<Args...> f, Args&&... args) { if (enabled(Level::trace)) write(Level::trace, fmt::format(f, std::forward<Args>(args)...)); }
template <class... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) { if (enabled(Level::debug)) write(Level::debug, fmt::format(f, std::forward<Args>(args)...)); }
template <class... Args>
void info(fmt::format_string<Args...> f, Args&&... args) { if (enabled(Level::info)) write(Level::info, fmt::format(f, std::forward<Args>(args)...)); }
template <class... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) { if (enabled(Level::warn)) write(Level::warn, fmt::format(f, std::forward<Args>(args)...)); }
template <class... Args>
void error(fmt::format_string<Args...> f, Args&&... args) { if (enabled(Level::error)) write(Level::error, fmt::format(f, std::forward<Args>(args)...)); }

}  // namespace gust::log
