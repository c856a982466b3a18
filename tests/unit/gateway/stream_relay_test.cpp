// StreamRelay: a streamed function response relayed as function URLs do.
#include "devcloud/gateway/stream_relay.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gust::devcloud {
namespace {

using ::testing::Contains;
using ::testing::Pair;

const std::string kPreludeType = "application/vnd.awslambda.http-integration-response";
const std::string kSeparator(8, '\0');

struct Seen {
  std::optional<GatewayResponse> head;
  std::vector<std::string> writes;
};

StreamRelay relay_into(Seen& seen) {
  return StreamRelay({.begin = [&](GatewayResponse h) { seen.head = std::move(h); },
                      .write = [&](std::string b) { seen.writes.push_back(std::move(b)); }});
}

TEST(StreamRelay, APreludeSplitAcrossPiecesGivesStatusHeadersAndCookiesThenTheBody) {
  Seen seen;
  auto relay = relay_into(seen);
  relay.start(kPreludeType);
  relay.feed(R"({"statusCode":201,"headers":{"content-type":"text/plain","x-a":"1"},)");
  relay.feed(R"("cookies":["s=1"]})" + kSeparator.substr(0, 3));
  EXPECT_FALSE(relay.begun()) << "the separator is not complete yet";
  relay.feed(kSeparator.substr(3) + "first");
  ASSERT_TRUE(relay.begun());
  EXPECT_EQ(seen.head->status, 201);
  EXPECT_THAT(seen.head->headers, Contains(Pair("x-a", "1")));
  EXPECT_THAT(seen.head->headers, Contains(Pair("set-cookie", "s=1")));
  EXPECT_TRUE(seen.head->body.empty());
  relay.feed("second");
  EXPECT_EQ(seen.writes, (std::vector<std::string>{"first", "second"}));
}

TEST(StreamRelay, APreludeWithoutStatusCodeIs200) {
  Seen seen;
  auto relay = relay_into(seen);
  relay.start(kPreludeType);
  relay.feed("{}" + kSeparator);
  ASSERT_TRUE(seen.head);
  EXPECT_EQ(seen.head->status, 200);
  EXPECT_TRUE(seen.writes.empty());
}

TEST(StreamRelay, AnyOtherContentTypeIsTheBodyItselfFromTheStart) {
  Seen seen;
  auto relay = relay_into(seen);
  relay.start("text/event-stream");
  ASSERT_TRUE(relay.begun()) << "the head goes out before the first byte";
  EXPECT_EQ(seen.head->status, 200);
  EXPECT_THAT(seen.head->headers, Contains(Pair("content-type", "text/event-stream")));
  relay.feed(std::string("data: 1\0", 8));
  EXPECT_EQ(seen.writes, (std::vector<std::string>{std::string("data: 1\0", 8)}));
}

TEST(StreamRelay, ABadPreludeNeverBeginsSoTheOutcomeAnswers) {
  for (const std::string bad : {"not json", "[1]", R"({"statusCode":"teapot"})", R"({"statusCode":42})"}) {
    Seen seen;
    auto relay = relay_into(seen);
    relay.start(kPreludeType);
    relay.feed(bad + kSeparator + "body");
    EXPECT_FALSE(relay.begun()) << bad;
    EXPECT_TRUE(seen.writes.empty()) << bad;
  }
}

TEST(StreamRelay, PiecesBeforeTheStartAreIgnored) {
  Seen seen;
  auto relay = relay_into(seen);
  relay.feed("stray");
  EXPECT_FALSE(relay.begun());
  EXPECT_TRUE(seen.writes.empty());
}

}  // namespace
}  // namespace gust::devcloud
