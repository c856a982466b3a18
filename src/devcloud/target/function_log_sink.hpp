#pragma once
// Where deployed functions' output goes: into CloudWatch Logs (the log store:
// START, the function's own lines, END and REPORT, in the function's log
// group and its instance's stream) and to the target's console. LogTails in
// front of it keeps each invocation's end for Invoke's LogType Tail.

#include "devcloud/emulator/console_log.hpp"
#include "devcloud/target/log_store.hpp"

#include <string_view>

namespace gust::devcloud::target {

class FunctionLogSink final : public InvocationLog {
 public:
  FunctionLogSink(LogStore& store, ConsoleLog* console) : store_(store), console_(console) {}

  void start(const FunctionConfig& fn, std::string_view request_id) override;
  void output(const FunctionConfig& fn, std::string_view request_id, std::string_view line) override;
  void end(const FunctionConfig& fn, const InvokeResult& result) override;

 private:
  void write(const FunctionConfig& fn, std::string_view message);
  LogStore& store_;
  ConsoleLog* console_;
};

}  // namespace gust::devcloud::target
