#pragma once
// The end of each invocation's log, for the Invoke API's LogType Tail (what
// `aws lambda invoke --log-type Tail` prints): an InvocationLog that keeps
// the last 4 KB of every recent invocation's lines (START, the function's
// own, END and REPORT, as CloudWatch has them) and passes each on to the log
// that shows or stores them. gust dev and gust cloud both stand on it.
//
//   LogTails tails(console);                  // the pools log to `tails`
//   ... after the invocation's reply:  tails.take(request_id)

#include "devcloud/emulator/function_pool.hpp"

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gust::devcloud {

class LogTails final : public InvocationLog {
 public:
  explicit LogTails(InvocationLog& next) : next_(next) {}

  void start(const FunctionConfig& fn, std::string_view request_id) override;
  void output(const FunctionConfig& fn, std::string_view request_id, std::string_view line) override;
  void end(const FunctionConfig& fn, const InvokeResult& result) override;

  // The last 4 KB of a finished invocation's log, once; "" when unknown.
  // Ready when the pool's reply runs: end() comes first.
  std::string take(const std::string& request_id);

  static constexpr std::size_t kTailBytes = 4096;         // Lambda's X-Amz-Log-Result
  static constexpr std::size_t kFinishedKept = 256;       // tails nobody asked for are dropped oldest first

 private:
  void append(const FunctionConfig& fn, std::string_view request_id, std::string_view line);
  InvocationLog& next_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::string> tails_;  // running and recently finished invocations
  std::deque<std::string> finished_;                    // their ids, oldest first
  struct Early {
    std::string text;
    std::uint64_t sequence = 0;  // creation order: the oldest goes first
  };
  std::unordered_map<std::string, Early> early_;  // lines before START: by request id, or "function:NAME" for init output
  std::uint64_t early_sequence_ = 0;
};

}  // namespace gust::devcloud
