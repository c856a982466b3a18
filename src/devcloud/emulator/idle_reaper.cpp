#include "devcloud/emulator/idle_reaper.hpp"

#include <chrono>

namespace gust::devcloud {

IdleReaper::IdleReaper(PoolList pools)
    : thread_([this, pools = std::move(pools)] {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
          lock.unlock();
          for (const auto& pool : pools()) pool->reap(std::chrono::steady_clock::now());
          lock.lock();
        }
      }) {}

IdleReaper::~IdleReaper() { stop(); }

bool IdleReaper::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  return true;
}

}  // namespace gust::devcloud
