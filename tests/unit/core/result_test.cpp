#include <gust/result.hpp>

#include <gtest/gtest.h>

namespace gust {
namespace {

Result<int> parse_positive(int n) {
  if (n <= 0) return unexpected(ErrorCode::invalid_argument, "must be positive", "n");
  return n;
}

TEST(Result, HoldsAValue) {
  auto r = parse_positive(3);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 3);
  EXPECT_EQ(r.value(), 3);
}

TEST(Result, HoldsAnErrorWithCodeAndContext) {
  auto r = parse_positive(0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(r.error().describe(), "n: must be positive");
}

TEST(Result, ValueThrowsBadResultAccessCarryingTheError) {
  try {
    (void)parse_positive(-1).value();
    FAIL() << "value() did not throw";
  } catch (const BadResultAccess& e) {
    EXPECT_EQ(e.error().code, ErrorCode::invalid_argument);
    EXPECT_STREQ(e.what(), "n: must be positive");
  }
}

TEST(Result, AndThenAndTransformChain) {
  auto r = parse_positive(2);
  auto doubled = r.transform([](int n) { return n * 2; });
  ASSERT_TRUE(doubled);
  EXPECT_EQ(*doubled, 4);
  auto bad = parse_positive(0);
  auto chained = bad.and_then([](int n) { return parse_positive(n); });
  EXPECT_FALSE(chained);
}

TEST(Result, VoidResult) {
  Result<void> ok;
  EXPECT_TRUE(ok);
  Result<void> failed = unexpected(ErrorCode::unavailable, "down");
  EXPECT_FALSE(failed);
  EXPECT_THROW(failed.value(), BadResultAccess);
}

TEST(ErrorCode, MapsToHttpStatusAndRetryability) {
  EXPECT_EQ(http_status(ErrorCode::not_found), 404);
  EXPECT_EQ(http_status(ErrorCode::already_exists), 409);
  EXPECT_EQ(http_status(ErrorCode::resource_exhausted), 429);
  EXPECT_TRUE(is_retryable(ErrorCode::unavailable));
  EXPECT_FALSE(is_retryable(ErrorCode::invalid_argument));
  EXPECT_EQ(to_string(ErrorCode::failed_precondition), "failed_precondition");
}

}  // namespace
}  // namespace gust
