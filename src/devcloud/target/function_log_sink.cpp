#include "devcloud/target/function_log_sink.hpp"

#include "devcloud/services/aws_common.hpp"

#include <fmt/format.h>

namespace gust::devcloud::target {
namespace {

std::string env_of(const FunctionConfig& fn, std::string_view name) {
  for (const auto& [k, v] : fn.env) {
    if (k == name) return v;
  }
  return {};
}

}  // namespace

void FunctionLogSink::write(const FunctionConfig& fn, std::string_view message) {
  store_.append(env_of(fn, "AWS_LAMBDA_LOG_GROUP_NAME"), env_of(fn, "AWS_LAMBDA_LOG_STREAM_NAME"), localaws::now_ms(), message);
}

void FunctionLogSink::start(const FunctionConfig& fn, std::string_view request_id) {
  write(fn, fmt::format("START RequestId: {} Version: $LATEST", request_id));
  if (console_ != nullptr) console_->start(fn, request_id);
}

void FunctionLogSink::output(const FunctionConfig& fn, std::string_view request_id, std::string_view line) {
  write(fn, line);
  if (console_ != nullptr) console_->output(fn, request_id, line);
}

void FunctionLogSink::end(const FunctionConfig& fn, const InvokeResult& r) {
  if (r.status == InvokeResult::Status::throttled) return;  // never ran: Lambda logs nothing
  if (r.status != InvokeResult::Status::success) {
    write(fn, fmt::format("RequestId: {} Error: {}{}{}", r.request_id, r.error_type, r.error_message.empty() ? "" : ": ", r.error_message));
  }
  write(fn, fmt::format("END RequestId: {}", r.request_id));
  write(fn, report_line(fn, r));
  if (console_ != nullptr) console_->end(fn, r);
}

}  // namespace gust::devcloud::target
