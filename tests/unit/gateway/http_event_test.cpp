#include "devcloud/gateway/http_event.hpp"

#include "runtime/events.hpp"

#include <gust/value.hpp>

#include <gtest/gtest.h>

namespace gust::devcloud {
namespace {

TEST(GatewayEvent, RoundTripsThroughTheRuntimesEventParser) {
  Router router({{"POST", "/todos/{id}", "f"}});
  auto match = router.match("POST", "/todos/7");
  GatewayRequest req{"POST", "/todos/7?tag=a&tag=b&q=hello+world%21", "HTTP/1.1",
                     {{"Content-Type", "application/json"}, {"X-Multi", "1"}, {"x-multi", "2"}, {"Cookie", "a=1; b=2"},
                      {"User-Agent", "test"}},
                     R"({"title":"x"})", "127.0.0.9"};
  const std::string event = build_http_event(req, *match, {"req-1", "api", "123", "localhost", "$default", 1764115200000});
  auto parsed = runtime::parse_http_event(event);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->method(), "POST");
  EXPECT_EQ(parsed->path(), "/todos/7");
  EXPECT_EQ(parsed->route_key(), "POST /todos/{id}");
  EXPECT_EQ(parsed->param("id"), "7");
  EXPECT_EQ(parsed->query("tag"), "a,b");
  EXPECT_EQ(parsed->query("q"), "hello world!");
  EXPECT_EQ(parsed->raw_query(), "tag=a&tag=b&q=hello+world%21");
  EXPECT_EQ(parsed->header("x-multi"), "1,2");
  EXPECT_FALSE(parsed->header("cookie")) << "cookies travel in their own field";
  EXPECT_EQ(parsed->cookie("b"), "2");
  EXPECT_EQ(parsed->body(), R"({"title":"x"})");
  EXPECT_FALSE(parsed->body_was_base64());
  EXPECT_EQ(parsed->source_ip(), "127.0.0.9");
  auto raw = parse_json(event);
  EXPECT_EQ(raw->find("requestContext")->find("time")->as_string(), "26/Nov/2025:00:00:00 +0000");
}

TEST(GatewayEvent, BinaryBodiesAreBase64Encoded) {
  Router router({{"PUT", "/f", "f"}});
  const std::string bytes("\x89PNG\r\n\x1a\n\x00\xff", 10);
  GatewayRequest req{"PUT", "/f", "HTTP/1.1", {{"content-type", "image/png"}}, bytes};
  auto parsed = runtime::parse_http_event(build_http_event(req, *router.match("PUT", "/f"), {}));
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->body_was_base64());
  EXPECT_EQ(parsed->body(), bytes);
  GatewayRequest invalid_text{"PUT", "/f", "HTTP/1.1", {{"content-type", "text/plain"}}, std::string("\xff\xfe", 2)};
  auto parsed_invalid = runtime::parse_http_event(build_http_event(invalid_text, *router.match("PUT", "/f"), {}));
  ASSERT_TRUE(parsed_invalid);
  EXPECT_TRUE(parsed_invalid->body_was_base64()) << "bytes that are not UTF-8 cannot travel as JSON text";
}

TEST(GatewayResponse, ReadsThePayload2ResponseShape) {
  auto r = response_from_payload(
      R"({"statusCode":201,"headers":{"content-type":"text/plain","x-n":5},"cookies":["a=1","b=2"],"body":"aGk=","isBase64Encoded":true})");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "hi");
  EXPECT_EQ(r.headers.size(), 4u);
  EXPECT_EQ(r.headers[1], (std::pair<std::string, std::string>{"x-n", "5"}));
  EXPECT_EQ(r.headers[3], (std::pair<std::string, std::string>{"set-cookie", "b=2"}));
}

TEST(GatewayResponse, AnyOtherJsonIsA200JsonBody) {
  auto r = response_from_payload(R"({"hello":"world"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"hello":"world"})");
  EXPECT_EQ(r.headers.at(0).second, "application/json");
}

TEST(GatewayResponse, MalformedPayloadsAre500) {
  for (const char* bad : {"not json", R"({"statusCode":"200"})", R"({"statusCode":999})",
                          R"({"statusCode":200,"body":"%%%","isBase64Encoded":true})"}) {
    auto r = response_from_payload(bad);
    EXPECT_EQ(r.status, 500) << bad;
    EXPECT_EQ(r.body, R"({"message":"Internal Server Error"})");
  }
}

TEST(GatewayResponse, FailuresMapLikeHttpApis) {
  EXPECT_EQ(failure_response(GatewayFailure::function_error).status, 500);
  EXPECT_EQ(failure_response(GatewayFailure::timeout).status, 503);
  EXPECT_EQ(failure_response(GatewayFailure::throttled).status, 429);
  EXPECT_EQ(failure_response(GatewayFailure::no_route).body, R"({"message":"Not Found"})");
}

}  // namespace
}  // namespace gust::devcloud
