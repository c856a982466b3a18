#include <gust/request.hpp>
#include <gust/response.hpp>

#include <gtest/gtest.h>

namespace gust {
namespace {

struct Todo {
  std::string title;
  bool done = false;
};
GUST_RECORD(Todo, title, done);

TEST(Headers, LookupIsCaseInsensitiveAndKeepsRepeats) {
  Headers h;
  h.add("Content-Type", "text/plain");
  h.add("Set-Cookie", "a=1");
  h.add("set-cookie", "b=2");
  EXPECT_EQ(h.get("content-type"), "text/plain");
  EXPECT_EQ(h.size(), 3u);
  h.set("SET-COOKIE", "c=3");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.get("set-cookie"), "c=3");
  EXPECT_FALSE(h.get("x-missing"));
}

TEST(Request, ParamsQueryCookiesAndJsonBody) {
  Request req;
  req.set_param("id", "42").set_query("page", "2").add_cookie("session=abc").add_cookie("theme=dark");
  req.set_body(R"({"title":"write tests"})");
  EXPECT_EQ(req.param("id"), "42");
  EXPECT_EQ(req.param("missing"), "");
  EXPECT_EQ(req.query("page"), "2");
  EXPECT_FALSE(req.query("nope"));
  EXPECT_EQ(req.cookie("theme"), "dark");
  EXPECT_FALSE(req.cookie("them"));
  EXPECT_EQ(req.json<Todo>().title, "write tests");
}

TEST(Request, MalformedJsonBodyThrowsHttpError400WithThePath) {
  Request req;
  req.set_body(R"({"done":"yes"})");
  try {
    (void)req.json<Todo>();
    FAIL() << "json<T>() accepted a wrong type";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_STREQ(e.what(), "done: expected boolean, got string");
  }
  EXPECT_FALSE(req.try_json<Todo>());
}

TEST(Response, JsonTextBinaryAndErrors) {
  auto json = Response::json(Todo{"a", true}, 201);
  EXPECT_EQ(json.status(), 201);
  EXPECT_EQ(json.headers().get("content-type"), "application/json");
  EXPECT_EQ(json.body(), R"({"title":"a","done":true})");
  auto bin = Response::binary(std::string("\x89PNG", 4), "image/png");
  EXPECT_TRUE(bin.is_binary());
  auto missing = Response::not_found("no such todo");
  EXPECT_EQ(missing.status(), 404);
  EXPECT_EQ(missing.body(), R"({"message":"no such todo"})");
}

TEST(Response, CookiesCarrySafeDefaults) {
  Response r;
  r.cookie("session", "abc");
  ASSERT_EQ(r.cookies().size(), 1u);
  EXPECT_EQ(r.cookies()[0], "session=abc; Path=/; Secure; HttpOnly; SameSite=Lax");
  r.cookie("theme", "dark", {.path = "/app", .max_age = std::chrono::seconds(60), .http_only = false, .same_site = "Strict"});
  EXPECT_EQ(r.cookies()[1], "theme=dark; Path=/app; Max-Age=60; Secure; SameSite=Strict");
}

}  // namespace
}  // namespace gust
