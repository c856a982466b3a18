// gust::log in Lambda's formats. JSON (AWS_LAMBDA_LOG_FORMAT=JSON):
//   {"timestamp":"2026-11-26T12:00:00.123Z","level":"INFO","message":"...","requestId":"..."}
// Text: "2026-11-26T12:00:00.123Z\t<requestId>\tINFO\tmessage".
// Lines go to stderr, which Lambda captures like stdout, so that `APP invoke`
// keeps standard output for the response alone.
#include <gust/context.hpp>
#include <gust/headers.hpp>
#include <gust/log.hpp>
#include <gust/value.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>

namespace gust::log {
namespace {

struct Settings {
  Level min_level = Level::info;
  bool json = false;
};

Level parse_level(const char* text, Level fallback) {
  if (text == nullptr) return fallback;
  const std::string_view t = text;
  if (iequals(t, "TRACE")) return Level::trace;
  if (iequals(t, "DEBUG")) return Level::debug;
  if (iequals(t, "INFO")) return Level::info;
  if (iequals(t, "WARN")) return Level::warn;
  if (iequals(t, "ERROR")) return Level::error;
  if (iequals(t, "FATAL")) return Level::fatal;
  return fallback;
}

const Settings& settings() {
  static const Settings s = [] {
    Settings out;
    out.min_level = parse_level(std::getenv("AWS_LAMBDA_LOG_LEVEL"), Level::info);
    const char* format = std::getenv("AWS_LAMBDA_LOG_FORMAT");
    out.json = format != nullptr && iequals(format, "JSON");
    return out;
  }();
  return s;
}

std::string_view level_name(Level level) {
  switch (level) {
    case Level::trace: return "TRACE";
    case Level::debug: return "DEBUG";
    case Level::info: return "INFO";
    case Level::warn: return "WARN";
    case Level::error: return "ERROR";
    case Level::fatal: return "FATAL";
  }
  return "INFO";
}

std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                     utc.tm_min, utc.tm_sec, ms);
}

}  // namespace

bool enabled(Level level) noexcept { return level >= settings().min_level; }

void write(Level level, std::string_view message) {
  const auto& request_id = context().request_id;
  std::string line;
  if (settings().json) {
    Value v;
    v["timestamp"] = timestamp();
    v["level"] = level_name(level);
    v["message"] = message;
    if (!request_id.empty()) v["requestId"] = request_id;
    line = to_json_text(v);
  } else {
    line = fmt::format("{}\t{}\t{}\t{}", timestamp(), request_id.empty() ? "-" : request_id, level_name(level), message);
  }
  line += '\n';
  // One write per line so lines from threads never interleave.
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace gust::log
