#include "devcloud/emulator/log_tails.hpp"

#include "devcloud/emulator/console_log.hpp"

#include <algorithm>

namespace gust::devcloud {
namespace {

void append_line(std::string& tail, std::string_view line) {
  tail.append(line).push_back('\n');
  if (tail.size() > 2 * LogTails::kTailBytes) tail.erase(0, tail.size() - LogTails::kTailBytes);
}

}  // namespace

void LogTails::append(const FunctionConfig& fn, std::string_view request_id, std::string_view line) {
  std::lock_guard lock(mutex_);
  if (auto it = tails_.find(std::string(request_id)); it != tails_.end()) return append_line(it->second, line);
  // A new instance's first lines may come before its invocation starts (it
  // prints while the pool is still handing it the request): they open the
  // next invocation's tail. A line after an invocation finished starts none.
  if (std::find(finished_.begin(), finished_.end(), request_id) == finished_.end()) append_line(early_[fn.function_name], line);
}

void LogTails::start(const FunctionConfig& fn, std::string_view request_id) {
  {
    std::lock_guard lock(mutex_);
    std::string& tail = tails_[std::string(request_id)];
    if (auto early = early_.find(fn.function_name); early != early_.end()) {
      tail = std::move(early->second);
      early_.erase(early);
    }
  }
  append(fn, request_id, start_line(request_id));
  next_.start(fn, request_id);
}

void LogTails::output(const FunctionConfig& fn, std::string_view request_id, std::string_view line) {
  append(fn, request_id, line);
  next_.output(fn, request_id, line);
}

void LogTails::end(const FunctionConfig& fn, const InvokeResult& r) {
  if (r.status != InvokeResult::Status::throttled) {  // never ran: Lambda logs nothing
    for (const auto& line : end_lines(fn, r)) append(fn, r.request_id, line);
  }
  next_.end(fn, r);
  std::lock_guard lock(mutex_);
  finished_.push_back(r.request_id);
  while (finished_.size() > kFinishedKept) {
    tails_.erase(finished_.front());
    finished_.pop_front();
  }
}

std::string LogTails::take(const std::string& request_id) {
  std::lock_guard lock(mutex_);
  auto it = tails_.find(request_id);
  if (it == tails_.end()) return {};
  std::string tail = std::move(it->second);
  tails_.erase(it);
  if (tail.size() > kTailBytes) tail.erase(0, tail.size() - kTailBytes);
  return tail;
}

}  // namespace gust::devcloud
