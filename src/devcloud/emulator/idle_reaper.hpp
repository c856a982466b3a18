#pragma once
// Once a second, asks every live function pool to stop its idle instances and
// those stuck in init, as Lambda reclaims execution environments. One thread
// serves gust dev's pools and the deploy target's alike.

#include "devcloud/emulator/function_pool.hpp"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace gust::devcloud {

class IdleReaper {
 public:
  // `pools` is called on the reaper's thread and returns the pools alive now.
  using PoolList = std::function<std::vector<std::shared_ptr<FunctionPool>>()>;
  explicit IdleReaper(PoolList pools);
  ~IdleReaper();
  IdleReaper(const IdleReaper&) = delete;
  IdleReaper& operator=(const IdleReaper&) = delete;

  // Stops and joins the thread. False when it was already stopped, so its
  // owner's stop() runs its own shutdown once.
  bool stop();

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gust::devcloud
