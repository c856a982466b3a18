#include "devcloud/emulator/console_log.hpp"

#include "devcloud/emulator/pricing.hpp"

#include <fmt/format.h>

#include <functional>

namespace gust::devcloud {
namespace {

constexpr std::string_view kPalette[] = {"\x1b[36m", "\x1b[35m", "\x1b[33m", "\x1b[32m", "\x1b[34m", "\x1b[96m", "\x1b[95m", "\x1b[93m"};

std::string_view colour_of(std::string_view id) { return kPalette[std::hash<std::string_view>{}(id) % std::size(kPalette)]; }

}  // namespace

std::string start_line(std::string_view request_id) { return fmt::format("START RequestId: {} Version: $LATEST", request_id); }

std::vector<std::string> end_lines(const FunctionConfig& fn, const InvokeResult& r) {
  std::vector<std::string> lines;
  if (r.status != InvokeResult::Status::success) {
    lines.push_back(fmt::format("RequestId: {} Error: {}{}{}", r.request_id, r.error_type, r.error_message.empty() ? "" : ": ", r.error_message));
  }
  lines.push_back(fmt::format("END RequestId: {}", r.request_id));
  lines.push_back(report_line(fn, r));
  return lines;
}

std::string report_line(const FunctionConfig& fn, const InvokeResult& r) {
  std::string line = fmt::format("REPORT RequestId: {}\tDuration: {:.2f} ms\tBilled Duration: {} ms\tMemory Size: {} MB\tMax Memory Used: {} MB",
                                 r.request_id, r.duration.count() / 1000.0, billed_duration(r.duration).count(), fn.memory_mb,
                                 (r.max_memory_kib + 1023) / 1024);
  if (r.init_duration) line += fmt::format("\tInit Duration: {:.2f} ms", r.init_duration->count() / 1000.0);
  if (r.status == InvokeResult::Status::timed_out) line += "\tStatus: timeout";
  if (r.status == InvokeResult::Status::crashed || r.status == InvokeResult::Status::init_error) line += "\tStatus: error";
  line += fmt::format("\tCost: {} ({} MB {})", format_cost(invocation_cost(r.duration, fn.memory_mb, fn.architecture)),
                      fn.memory_mb, fn.architecture);
  return line;
}

ConsoleLog::ConsoleLog(std::FILE* out, bool colour) : out_(out), colour_(colour) {}

void ConsoleLog::line(const FunctionConfig& fn, std::string_view text, bool dim, bool flush) {
  std::lock_guard lock(mutex_);
  if (colour_) {
    fmt::print(out_, "{}{}\x1b[0m {}{}{}\n", colour_of(fn.id), fn.id, dim ? "\x1b[2m" : "", text, dim ? "\x1b[0m" : "");
  } else {
    fmt::print(out_, "{} {}\n", fn.id, text);
  }
  if (flush) std::fflush(out_);
}

// On a terminal every line shows at once. In a pipe or file, START waits in
// the buffer for its invocation's END: one write per invocation instead of
// three, which under load is a visible share of gust dev's time.
void ConsoleLog::start(const FunctionConfig& fn, std::string_view request_id) {
  line(fn, start_line(request_id), true, colour_);
}

void ConsoleLog::output(const FunctionConfig& fn, std::string_view request_id, std::string_view text) {
  line(fn, request_id.empty() ? std::string(text) : fmt::format("[{}] {}", request_id.substr(0, 8), text), false, true);
}

void ConsoleLog::end(const FunctionConfig& fn, const InvokeResult& r) {
  if (r.status == InvokeResult::Status::throttled) {
    line(fn, fmt::format("THROTTLED RequestId: {} ({})", r.request_id, r.error_message), false, true);
    return;
  }
  // The error and END wait for REPORT (see start()); REPORT goes out at once.
  const auto lines = end_lines(fn, r);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const bool is_report = i + 1 == lines.size();
    const bool is_error = r.status != InvokeResult::Status::success && i == 0;
    line(fn, lines[i], !is_error, is_report || colour_);
  }
}

void ConsoleLog::note(std::string_view text) {
  std::lock_guard lock(mutex_);
  fmt::print(out_, "{}{}{}\n", colour_ ? "\x1b[1m" : "", text, colour_ ? "\x1b[0m" : "");
  std::fflush(out_);
}

}  // namespace gust::devcloud
