#pragma once
// Ctrl-C and SIGTERM for a command that serves until it is stopped (gust dev,
// gust cloud): blocked in this thread and every thread it starts afterwards,
// then taken synchronously by wait().

#include <csignal>
#include <string_view>

namespace gust::cli {

class StopSignals {
 public:
  // Call before starting any thread, so none of them receives the signal.
  StopSignals();
  // Blocks until Ctrl-C or SIGTERM arrives; says which ("Ctrl-C" or "SIGTERM").
  std::string_view wait();

 private:
  sigset_t signals_;
};

}  // namespace gust::cli
