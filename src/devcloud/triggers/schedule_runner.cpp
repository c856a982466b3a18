#include "devcloud/triggers/schedule_runner.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

#include <ctime>
#include <random>

namespace gust::devcloud {

std::string iso8601(SystemTime time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm u{};
  gmtime_r(&t, &u);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", u.tm_year + 1900, u.tm_mon + 1, u.tm_mday, u.tm_hour, u.tm_min, u.tm_sec);
}

std::string scheduled_event(const ScheduledFunction& schedule, SystemTime time, std::string_view region) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  Value e;
  e["version"] = "0";
  e["id"] = fmt::format("{:016x}{:016x}", random(), random());
  e["detail-type"] = "Scheduled Event";
  e["source"] = "aws.events";
  e["account"] = "000000000000";
  e["time"] = iso8601(time);
  e["region"] = region;
  e["resources"] = Array{Value(fmt::format("arn:aws:scheduler:{}:000000000000:schedule/default/{}", region, schedule.name))};
  e["detail"] = Object{};
  return to_json_text(e);
}

ScheduleRunner::ScheduleRunner(std::vector<ScheduledFunction> schedules, Invoker invoke, std::string region)
    : invoke_(std::move(invoke)), region_(std::move(region)), origin_(std::chrono::system_clock::now()) {
  for (auto& s : schedules) {
    auto parsed = manifest::parse_schedule_expression(s.expression);
    if (!parsed) continue;  // the app's manifest check already refused it
    Entry e{std::move(s), *parsed, std::nullopt};
    e.next = next_fire_time(e.expression, origin_, origin_);
    entries_.push_back(std::move(e));
  }
  thread_ = std::thread([this] { run(); });
}

ScheduleRunner::~ScheduleRunner() { stop(); }

std::vector<std::string> ScheduleRunner::describe() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& e : entries_) {
    out.push_back(fmt::format("{} {} next {}", e.schedule.name, e.schedule.expression, e.next ? iso8601(*e.next) : std::string("never")));
  }
  return out;
}

void ScheduleRunner::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ScheduleRunner::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    std::optional<SystemTime> soonest;
    for (const auto& e : entries_) {
      if (e.next && (!soonest || *e.next < *soonest)) soonest = e.next;
    }
    if (!soonest) {
      wake_.wait(lock, [this] { return stopping_; });
      break;
    }
    if (wake_.wait_until(lock, *soonest, [this] { return stopping_; })) break;
    const auto now = std::chrono::system_clock::now();
    for (auto& e : entries_) {
      if (!e.next || *e.next > now) continue;
      const std::string event = scheduled_event(e.schedule, *e.next, region_);
      e.next = next_fire_time(e.expression, now, origin_);
      // Asynchronous, as EventBridge invokes: the outcome shows in the function's log.
      lock.unlock();
      invoke_(e.schedule.function, event, [](InvokeResult) {});
      lock.lock();
    }
  }
}

}  // namespace gust::devcloud
