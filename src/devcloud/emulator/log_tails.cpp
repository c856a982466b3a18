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
  // Lines may come before their invocation starts: a new instance's init
  // output (no request yet) opens the function's next tail; one already named
  // (the pool sets the request before START) opens that invocation's. A line
  // after an invocation finished starts none.
  if (std::find(finished_.begin(), finished_.end(), request_id) != finished_.end()) return;
  const std::string key = request_id.empty() ? "function:" + fn.function_name : std::string(request_id);
  auto [it, added] = early_.try_emplace(key, Early{{}, ++early_sequence_});
  append_line(it->second.text, line);
  // Lines of a request that never starts here (an instance's output long after
  // its invocation left finished_): the oldest such bucket goes.
  if (added && early_.size() > kFinishedKept) {
    early_.erase(std::min_element(early_.begin(), early_.end(), [](const auto& a, const auto& b) { return a.second.sequence < b.second.sequence; }));
  }
}

void LogTails::start(const FunctionConfig& fn, std::string_view request_id) {
  {
    std::lock_guard lock(mutex_);
    std::string& tail = tails_[std::string(request_id)];
    for (const std::string& key : {"function:" + fn.function_name, std::string(request_id)}) {
      if (auto early = early_.find(key); early != early_.end()) {
        tail += early->second.text;
        early_.erase(early);
      }
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
