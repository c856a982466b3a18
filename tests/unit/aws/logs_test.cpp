// CloudWatch Logs FilterLogEvents answers.
#include "aws/logs.hpp"

#include <gtest/gtest.h>

namespace gust::aws {
namespace {

TEST(LogsJson, FilterLogEventsReadsEventsAndToken) {
  auto r = parse_filter_log_events(R"({"events":[
      {"logStreamName":"2026/11/27/[$LATEST]abc","timestamp":1795743013123,"message":"START RequestId: 1\n","ingestionTime":1795743013200,"eventId":"3761"},
      {"logStreamName":"2026/11/27/[$LATEST]abc","timestamp":1795743013130,"message":"{\"level\":\"INFO\"}","eventId":"3762"}],
    "searchedLogStreams":[],"nextToken":"tok"})");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[0].event_id, "3761");
  EXPECT_EQ(r->events[0].stream, "2026/11/27/[$LATEST]abc");
  EXPECT_EQ(r->events[0].timestamp_ms, 1795743013123);
  EXPECT_EQ(r->events[0].message, "START RequestId: 1\n");
  EXPECT_EQ(r->next_token, "tok");
}

TEST(LogsJson, EmptyAndMalformedAnswers) {
  auto empty = parse_filter_log_events(R"({"events":[],"searchedLogStreams":[]})");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->events.empty());
  EXPECT_TRUE(empty->next_token.empty());
  auto bad = parse_filter_log_events("not json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::internal);
}

}  // namespace
}  // namespace gust::aws
