#include "devcloud/target/log_store.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

namespace gust::devcloud::target {
namespace {

TEST(LogStore, FiltersByTermsTimeAndPages) {
  const auto dir = std::filesystem::temp_directory_path() / ("gust-log-store-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto store = LogStore::open(dir);
    ASSERT_TRUE(store);
    (*store)->create_group("/aws/lambda/f");
    (*store)->append("/aws/lambda/f", "s1", 1000, "START RequestId: a Version: $LATEST");
    (*store)->append("/aws/lambda/f", "s1", 1001, "saved todo milk");
    (*store)->append("/aws/lambda/f", "s2", 2000, "START RequestId: b Version: $LATEST");
    auto all = (*store)->filter({.group = "/aws/lambda/f", .pattern = "START"});
    ASSERT_TRUE(all);
    EXPECT_EQ(all->events.size(), 2u);
    auto late = (*store)->filter({.group = "/aws/lambda/f", .start_ms = 1500, .pattern = "START"});
    ASSERT_EQ(late->events.size(), 1u);
    EXPECT_EQ(late->events[0].stream, "s2");
    auto page = (*store)->filter({.group = "/aws/lambda/f", .limit = 1});
    ASSERT_TRUE(page->next_after_id);
    auto next = (*store)->filter({.group = "/aws/lambda/f", .after_id = *page->next_after_id, .limit = 1});
    EXPECT_EQ(next->events[0].message, "saved todo milk");
    EXPECT_FALSE((*store)->filter({.group = "/aws/lambda/none"}));
  }
  auto reopened = LogStore::open(dir);
  EXPECT_EQ((*reopened)->filter({.group = "/aws/lambda/f", .pattern = "\"todo milk\""})->events.size(), 1u);
  std::filesystem::remove_all(dir);
}

TEST(LogStore, PatternTermsMustAllAppear) {
  EXPECT_TRUE(matches_filter_pattern("", "anything"));
  EXPECT_TRUE(matches_filter_pattern("REPORT Duration", "REPORT RequestId: x\tDuration: 1 ms"));
  EXPECT_FALSE(matches_filter_pattern("REPORT error", "REPORT RequestId: x"));
  EXPECT_FALSE(matches_filter_pattern("\"b a\"", "a b"));
}

}  // namespace
}  // namespace gust::devcloud::target
