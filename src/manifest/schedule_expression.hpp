#pragma once
// EventBridge schedule expressions: "rate(5 minutes)" and
// "cron(Minutes Hours Day-of-month Month Day-of-week Year)", checked by the
// rules AWS applies, so a mistake fails at `manifest` time, not at deploy.

#include <gust/result.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace gust::manifest {

struct ScheduleExpression {
  enum class Kind { rate, cron };
  Kind kind = Kind::rate;
  std::chrono::seconds period{0};  // rate only
  std::string fields[6];           // cron only: the six fields as written
};

// Parses and validates; the error says which part is wrong and what is allowed.
Result<ScheduleExpression> parse_schedule_expression(std::string_view text);

}  // namespace gust::manifest
