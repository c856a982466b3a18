#pragma once
// Fires the app's schedules in `gust dev` at their times (UTC), with the
// EventBridge "Scheduled Event" Lambda would receive.

#include "devcloud/triggers/queue_poller.hpp"
#include "devcloud/triggers/schedule_clock.hpp"
#include "manifest/manifest.hpp"

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gust::devcloud {

struct ScheduledFunction {
  std::string function;  // id
  std::string name;      // the schedule's name
  std::string expression;
};

class ScheduleRunner {
 public:
  ScheduleRunner(std::vector<ScheduledFunction> schedules, Invoker invoke, std::string region);
  ~ScheduleRunner();
  ScheduleRunner(const ScheduleRunner&) = delete;
  ScheduleRunner& operator=(const ScheduleRunner&) = delete;

  // "nightly-digest cron(0 3 * * ? *) next 2026-11-27T03:00:00Z", one per schedule.
  std::vector<std::string> describe() const;
  void stop();

 private:
  void run();
  struct Entry {
    ScheduledFunction schedule;
    manifest::ScheduleExpression expression;
    std::optional<SystemTime> next;
  };
  std::vector<Entry> entries_;
  Invoker invoke_;
  std::string region_;
  SystemTime origin_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// The EventBridge scheduled event for a firing at `time`.
std::string scheduled_event(const ScheduledFunction& schedule, SystemTime time, std::string_view region);
std::string iso8601(SystemTime time);

}  // namespace gust::devcloud
