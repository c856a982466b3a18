#include "devcloud/triggers/schedule_clock.hpp"

#include <gtest/gtest.h>

#include <ctime>

namespace gust::devcloud {
namespace {

SystemTime utc(int y, int mo, int d, int h = 0, int mi = 0) {
  std::tm t{};
  t.tm_year = y - 1900;
  t.tm_mon = mo - 1;
  t.tm_mday = d;
  t.tm_hour = h;
  t.tm_min = mi;
  return std::chrono::system_clock::from_time_t(timegm(&t));
}

std::string text(std::optional<SystemTime> t) {
  if (!t) return "never";
  const std::time_t tt = std::chrono::system_clock::to_time_t(*t);
  std::tm u{};
  gmtime_r(&tt, &u);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M %a", &u);
  return buffer;
}

std::string next(std::string_view expression, SystemTime after) {
  auto parsed = manifest::parse_schedule_expression(expression);
  EXPECT_TRUE(parsed) << expression;
  return text(next_fire_time(*parsed, after, after));
}

TEST(ScheduleClock, RatesCountFromTheirOrigin) {
  auto e = *manifest::parse_schedule_expression("rate(5 minutes)");
  const auto origin = utc(2026, 11, 26, 12, 0);
  EXPECT_EQ(text(next_fire_time(e, origin, origin)), "2026-11-26 12:05 Thu");
  EXPECT_EQ(text(next_fire_time(e, origin + std::chrono::minutes(7), origin)), "2026-11-26 12:10 Thu");
}

TEST(ScheduleClock, CronDailyAndWeekdays) {
  const auto now = utc(2026, 11, 26, 12, 30);  // a Thursday
  EXPECT_EQ(next("cron(0 3 * * ? *)", now), "2026-11-27 03:00 Fri");
  EXPECT_EQ(next("cron(0 18 ? * MON-FRI *)", now), "2026-11-26 18:00 Thu");
  EXPECT_EQ(next("cron(0 9 ? * SAT *)", now), "2026-11-28 09:00 Sat");
  EXPECT_EQ(next("cron(0/15 * * * ? *)", now), "2026-11-26 12:45 Thu");
  EXPECT_EQ(next("cron(5,35 14 * * ? *)", now), "2026-11-26 14:05 Thu");
}

TEST(ScheduleClock, CronMonthsLastDaysNearestWeekdaysAndNthWeekdays) {
  const auto now = utc(2026, 11, 26, 12, 30);
  EXPECT_EQ(next("cron(0 8 1 * ? *)", now), "2026-12-01 08:00 Tue");
  EXPECT_EQ(next("cron(0 12 L * ? *)", now), "2026-11-30 12:00 Mon");
  EXPECT_EQ(next("cron(0 0 1 JAN ? *)", now), "2027-01-01 00:00 Fri");
  EXPECT_EQ(next("cron(0 9 ? * 2#1 *)", now), "2026-12-07 09:00 Mon");   // first Monday
  EXPECT_EQ(next("cron(0 9 ? * 6L *)", now), "2026-11-27 09:00 Fri");    // last Friday of November
  EXPECT_EQ(next("cron(0 10 15W * ? *)", utc(2026, 11, 1)), "2026-11-16 10:00 Mon");  // the 15th is a Sunday
}

TEST(ScheduleClock, NoFiringInThePast) {
  EXPECT_EQ(next("cron(0 0 1 1 ? 2020)", utc(2026, 1, 1)), "never");
}

}  // namespace
}  // namespace gust::devcloud
