#pragma once
// When a schedule fires next: rate(...) every period from a start time,
// cron(...) at the next UTC minute its six fields match (EventBridge rules:
// L, W and # included).

#include "manifest/schedule_expression.hpp"

#include <chrono>
#include <optional>

namespace gust::devcloud {

using SystemTime = std::chrono::system_clock::time_point;

// The first firing strictly after `after`; nullopt when none within ~5 years
// (e.g. a year field in the past). `origin` anchors rate schedules.
std::optional<SystemTime> next_fire_time(const manifest::ScheduleExpression& expression, SystemTime after, SystemTime origin);

}  // namespace gust::devcloud
