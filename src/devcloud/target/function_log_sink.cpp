#include "devcloud/target/function_log_sink.hpp"

#include "devcloud/services/aws_common.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gust::devcloud::target {
namespace {

std::string env_of(const FunctionConfig& fn, std::string_view name) {
  for (const auto& [k, v] : fn.env) {
    if (k == name) return v;
  }
  return {};
}

}  // namespace

void FunctionLogSink::append_tail(std::string& tail, std::string_view message) {
  tail.append(message).push_back('\n');
  if (tail.size() > 2 * kTailBytes) tail.erase(0, tail.size() - kTailBytes);
}

void FunctionLogSink::write(const FunctionConfig& fn, std::string_view request_id, std::string_view message) {
  store_.append(env_of(fn, "AWS_LAMBDA_LOG_GROUP_NAME"), env_of(fn, "AWS_LAMBDA_LOG_STREAM_NAME"), localaws::now_ms(), message);
  std::lock_guard lock(mutex_);
  if (auto it = tails_.find(std::string(request_id)); it != tails_.end()) return append_tail(it->second, message);
  // A new instance's first lines may come before its invocation starts (it
  // prints while the pool is still handing it the request): they open the
  // next invocation's tail. A line after an invocation finished starts none.
  if (std::find(finished_.begin(), finished_.end(), request_id) == finished_.end()) append_tail(early_[fn.function_name], message);
}

void FunctionLogSink::start(const FunctionConfig& fn, std::string_view request_id) {
  {
    std::lock_guard lock(mutex_);
    std::string& tail = tails_[std::string(request_id)];
    if (auto early = early_.find(fn.function_name); early != early_.end()) {
      tail = std::move(early->second);
      early_.erase(early);
    }
  }
  write(fn, request_id, fmt::format("START RequestId: {} Version: $LATEST", request_id));
  if (console_ != nullptr) console_->start(fn, request_id);
}

void FunctionLogSink::output(const FunctionConfig& fn, std::string_view request_id, std::string_view line) {
  write(fn, request_id, line);
  if (console_ != nullptr) console_->output(fn, request_id, line);
}

void FunctionLogSink::end(const FunctionConfig& fn, const InvokeResult& r) {
  if (r.status == InvokeResult::Status::throttled) return;  // never ran: Lambda logs nothing
  if (r.status != InvokeResult::Status::success) {
    write(fn, r.request_id,
          fmt::format("RequestId: {} Error: {}{}{}", r.request_id, r.error_type, r.error_message.empty() ? "" : ": ", r.error_message));
  }
  write(fn, r.request_id, fmt::format("END RequestId: {}", r.request_id));
  write(fn, r.request_id, report_line(fn, r));
  if (console_ != nullptr) console_->end(fn, r);
  std::lock_guard lock(mutex_);
  finished_.push_back(r.request_id);
  while (finished_.size() > kFinishedKept) {
    tails_.erase(finished_.front());
    finished_.pop_front();
  }
}

std::string FunctionLogSink::take_tail(const std::string& request_id) {
  std::lock_guard lock(mutex_);
  auto it = tails_.find(request_id);
  if (it == tails_.end()) return {};
  std::string tail = std::move(it->second);
  tails_.erase(it);
  if (tail.size() > kTailBytes) tail.erase(0, tail.size() - kTailBytes);
  return tail;
}

}  // namespace gust::devcloud::target
