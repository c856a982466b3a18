#include "devcloud/target/function_log_sink.hpp"

#include "devcloud/services/aws_common.hpp"

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
  write(fn, start_line(request_id));
  if (console_ != nullptr) console_->start(fn, request_id);
}

void FunctionLogSink::output(const FunctionConfig& fn, std::string_view request_id, std::string_view line) {
  write(fn, line);
  if (console_ != nullptr) console_->output(fn, request_id, line);
}

void FunctionLogSink::end(const FunctionConfig& fn, const InvokeResult& r) {
  if (r.status == InvokeResult::Status::throttled) return;  // never ran: Lambda logs nothing
  for (const auto& line : end_lines(fn, r)) write(fn, line);
  if (console_ != nullptr) console_->end(fn, r);
}

}  // namespace gust::devcloud::target
