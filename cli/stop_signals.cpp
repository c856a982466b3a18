#include "stop_signals.hpp"

#include <pthread.h>

namespace gust::cli {

StopSignals::StopSignals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
}

std::string_view StopSignals::wait() {
  int received = 0;
  sigwait(&signals_, &received);
  return received == SIGINT ? "Ctrl-C" : "SIGTERM";
}

}  // namespace gust::cli
