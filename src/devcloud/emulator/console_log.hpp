#pragma once
// Invocation logs as CloudWatch shows them — START, the function's own
// lines, END and REPORT (with what the invocation would cost on AWS) — each
// tagged with the function, coloured on a terminal, plain in a pipe.

#include "devcloud/emulator/function_pool.hpp"

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace gust::devcloud {

class ConsoleLog final : public InvocationLog {
 public:
  explicit ConsoleLog(std::FILE* out, bool colour);

  void start(const FunctionConfig& fn, std::string_view request_id) override;
  void output(const FunctionConfig& fn, std::string_view request_id, std::string_view line) override;
  void end(const FunctionConfig& fn, const InvokeResult& result) override;
  // A line of gust dev's own (start-up, reload, errors).
  void note(std::string_view line);

 private:
  void line(const FunctionConfig& fn, std::string_view text, bool dim, bool flush);
  std::FILE* out_;
  bool colour_;
  std::mutex mutex_;
};

// An invocation's lines as Lambda writes them to CloudWatch: START, and
// after the function's own lines, the error (when it failed), END and REPORT.
std::string start_line(std::string_view request_id);
std::vector<std::string> end_lines(const FunctionConfig& fn, const InvokeResult& result);

// The REPORT line, as Lambda prints it, plus the cost figure.
std::string report_line(const FunctionConfig& fn, const InvokeResult& result);

}  // namespace gust::devcloud
