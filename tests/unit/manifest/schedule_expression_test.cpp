#include "manifest/schedule_expression.hpp"

#include <gtest/gtest.h>

namespace gust::manifest {
namespace {

TEST(ScheduleExpression, AcceptsRates) {
  auto five = parse_schedule_expression("rate(5 minutes)");
  ASSERT_TRUE(five);
  EXPECT_EQ(five->kind, ScheduleExpression::Kind::rate);
  EXPECT_EQ(five->period, std::chrono::minutes(5));
  EXPECT_EQ(parse_schedule_expression("rate(1 hour)")->period, std::chrono::hours(1));
  EXPECT_EQ(parse_schedule_expression("rate(2 days)")->period, std::chrono::hours(48));
}

TEST(ScheduleExpression, RejectsMalformedRates) {
  for (const char* bad : {"rate(5 minute)", "rate(1 minutes)", "rate(0 minutes)", "rate(-1 days)", "rate(5 weeks)", "rate(5)",
                          "rate(five minutes)", "rate()"}) {
    EXPECT_FALSE(parse_schedule_expression(bad)) << bad;
  }
}

TEST(ScheduleExpression, AcceptsDocumentedCronForms) {
  for (const char* good : {"cron(0 3 * * ? *)", "cron(0/15 * * * ? *)", "cron(0 18 ? * MON-FRI *)", "cron(0 8 1 * ? *)",
                           "cron(5,35 14 * * ? *)", "cron(15 10 ? * 6L 2022-2023)", "cron(0 12 L * ? *)", "cron(0 9 ? * 2#1 *)",
                           "cron(0 10 15W * ? *)", "cron(0 0 1 JAN,JUL ? *)"}) {
    auto parsed = parse_schedule_expression(good);
    EXPECT_TRUE(parsed) << good << ": " << (parsed ? "" : parsed.error().message);
  }
}

TEST(ScheduleExpression, RejectsMalformedCron) {
  const std::pair<const char*, const char*> cases[] = {
      {"cron(0 3 * * *)", "six fields"},
      {"cron(0 3 * * * *)", "exactly one of day-of-month and day-of-week must be ?"},
      {"cron(0 3 ? * ? *)", "exactly one of"},
      {"cron(60 3 * * ? *)", "minutes field \"60\""},
      {"cron(0 24 * * ? *)", "hours field"},
      {"cron(0 3 * 13 ? *)", "month field"},
      {"cron(0 3 ? * 8 *)", "day-of-week field"},
      {"cron(0 3 * * ? 1969)", "year field"},
      {"cron(0 ? * * ? *)", "hours field \"?\" cannot be ?"},
      {"cron(0/0 3 * * ? *)", "step"},
  };
  for (const auto& [text, why] : cases) {
    auto parsed = parse_schedule_expression(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_NE(parsed.error().message.find(why), std::string::npos) << text << ": " << parsed.error().message;
  }
}

TEST(ScheduleExpression, RejectsOtherShapes) {
  EXPECT_FALSE(parse_schedule_expression(""));
  EXPECT_FALSE(parse_schedule_expression("every day"));
  EXPECT_FALSE(parse_schedule_expression("at(2026-01-01T00:00:00)"));
}

}  // namespace
}  // namespace gust::manifest
