#include "devcloud/gateway/router.hpp"

#include <gtest/gtest.h>

namespace gust::devcloud {
namespace {

Router make_router() {
  return Router({{"GET", "/todos", "list"},
                 {"GET", "/todos/{id}", "get"},
                 {"GET", "/todos/archived", "archived"},
                 {"ANY", "/todos/{id}", "any-todo"},
                 {"GET", "/files/{proxy+}", "files"},
                 {"GET", "/files/special/{name}", "special"},
                 {"POST", "/todos", "create"},
                 {"GET", "/", "root"}});
}

std::string target(const Router& r, std::string_view method, std::string_view path) {
  auto m = r.match(method, path);
  return m ? m->route->function : "(none)";
}

TEST(Router, LiteralSegmentsBeatParameters) {
  auto r = make_router();
  EXPECT_EQ(target(r, "GET", "/todos/archived"), "archived");
  EXPECT_EQ(target(r, "GET", "/todos/42"), "get");
  EXPECT_EQ(r.match("GET", "/todos/42")->params.at("id"), "42");
}

TEST(Router, NamedMethodBeatsAny) {
  auto r = make_router();
  EXPECT_EQ(target(r, "GET", "/todos/1"), "get");
  EXPECT_EQ(target(r, "DELETE", "/todos/1"), "any-todo");
}

TEST(Router, GreedyParameterTakesTheRestButLosesToSpecificRoutes) {
  auto r = make_router();
  auto m = r.match("GET", "/files/a/b/c.txt");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route->function, "files");
  EXPECT_EQ(m->params.at("proxy"), "a/b/c.txt");
  EXPECT_EQ(target(r, "GET", "/files/special/x"), "special");
  EXPECT_EQ(target(r, "GET", "/files"), "(none)") << "{proxy+} needs at least one segment";
}

TEST(Router, MethodAndRootAndMisses) {
  auto r = make_router();
  EXPECT_EQ(target(r, "POST", "/todos"), "create");
  EXPECT_EQ(target(r, "PUT", "/todos"), "(none)");
  EXPECT_EQ(target(r, "GET", "/"), "root");
  EXPECT_EQ(target(r, "GET", "/nothing/here"), "(none)");
  EXPECT_EQ(target(r, "GET", "/todos/"), "(none)") << "an empty segment is not a parameter";
}

TEST(Router, DefaultRouteCatchesTheRest) {
  Router r({{"GET", "/a", "a"}, {"$default", "", "fallback"}});
  EXPECT_EQ(target(r, "GET", "/a"), "a");
  auto m = r.match("PATCH", "/zzz");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route->function, "fallback");
  EXPECT_EQ(m->route->route_key(), "$default");
}

}  // namespace
}  // namespace gust::devcloud
