#pragma once
// Where deployed functions' output goes: into CloudWatch Logs (the log store:
// START, the function's own lines, END and REPORT, in the function's log
// group and its instance's stream) and to the target's console. It keeps the
// last 4 KB of each recent invocation's log for Invoke's LogType Tail.

#include "devcloud/emulator/console_log.hpp"
#include "devcloud/target/log_store.hpp"

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace gust::devcloud::target {

class FunctionLogSink final : public InvocationLog {
 public:
  FunctionLogSink(LogStore& store, ConsoleLog* console) : store_(store), console_(console) {}

  void start(const FunctionConfig& fn, std::string_view request_id) override;
  void output(const FunctionConfig& fn, std::string_view request_id, std::string_view line) override;
  void end(const FunctionConfig& fn, const InvokeResult& result) override;

  // The last 4 KB of a finished invocation's log (START to REPORT), once; ""
  // when unknown. Ready when the pool's reply runs: end() comes first.
  std::string take_tail(const std::string& request_id);

 private:
  static constexpr std::size_t kTailBytes = 4096;
  static constexpr std::size_t kFinishedKept = 256;  // tails nobody asked for are dropped oldest first

  static void append_tail(std::string& tail, std::string_view message);
  void write(const FunctionConfig& fn, std::string_view request_id, std::string_view message);
  LogStore& store_;
  ConsoleLog* console_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::string> tails_;  // running and recently finished invocations
  std::deque<std::string> finished_;                    // their ids, oldest first
  std::unordered_map<std::string, std::string> early_;  // by function: lines before its next START
};

}  // namespace gust::devcloud::target
