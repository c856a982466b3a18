#include "runtime/response_stream.hpp"

#include <gust/value.hpp>

#include <gtest/gtest.h>

namespace gust::runtime {
namespace {

class Collect final : public StreamWriter {
 public:
  bool write(std::string_view bytes) override {
    out.append(bytes);
    return true;
  }
  std::string out;
};

Response streaming_route() {
  return Response::stream("text/event-stream",
                          [](StreamWriter& out) {
                            out.write("data: 1\n\n");
                            out.write("data: 2\n\n");
                          },
                          201)
      .header("cache-control", "no-store")
      .add_header("x-tag", "a")
      .add_header("x-tag", "b")
      .cookie("session=abc; Path=/");
}

TEST(HttpStreaming, PreludeCarriesStatusHeadersAndCookies) {
  auto prelude = parse_json(http_stream_prelude(streaming_route()));
  ASSERT_TRUE(prelude);
  EXPECT_EQ(prelude->find("statusCode")->as_int(), 201);
  const Value* headers = prelude->find("headers");
  ASSERT_NE(headers, nullptr);
  EXPECT_EQ(headers->find("content-type")->as_string(), "text/event-stream");
  EXPECT_EQ(headers->find("cache-control")->as_string(), "no-store");
  EXPECT_EQ(headers->find("x-tag")->as_string(), "a,b");
  ASSERT_NE(prelude->find("cookies"), nullptr);
  EXPECT_EQ(prelude->find("cookies")->as_array().at(0).as_string(), "session=abc; Path=/");
}

TEST(HttpStreaming, ResultIsPreludeSeparatorThenBody) {
  Response route = streaming_route();
  ASSERT_TRUE(route.is_streaming());
  InvocationResult r = http_streaming_result(route);
  EXPECT_EQ(r.status, InvocationResult::Status::streaming);
  EXPECT_EQ(r.content_type, "application/vnd.awslambda.http-integration-response");
  Collect body;
  body.write(r.payload);
  r.stream(body);
  std::string_view prelude, rest;
  ASSERT_TRUE(split_http_stream(body.out, prelude, rest));
  EXPECT_EQ(prelude, http_stream_prelude(route));
  EXPECT_EQ(rest, "data: 1\n\ndata: 2\n\n");
  EXPECT_EQ(body.out.substr(prelude.size(), 8), std::string(8, '\0'));
}

TEST(HttpStreaming, CollectsAStreamIntoABufferedResponse) {
  Response buffered = collect_stream(streaming_route());
  EXPECT_FALSE(buffered.is_streaming());
  EXPECT_EQ(buffered.status(), 201);
  EXPECT_EQ(buffered.body(), "data: 1\n\ndata: 2\n\n");
  EXPECT_EQ(buffered.headers().get("content-type").value_or(""), "text/event-stream");
  EXPECT_EQ(buffered.cookies().size(), 1u);
}

TEST(HttpStreaming, SplitNeedsTheSeparator) {
  std::string_view prelude, body;
  EXPECT_FALSE(split_http_stream("{\"statusCode\":200}", prelude, body));
}

}  // namespace
}  // namespace gust::runtime
