#include "app/naming.hpp"

#include <gtest/gtest.h>

namespace gust::detail {
namespace {

TEST(Naming, RouteFunctionIds) {
  EXPECT_EQ(route_function_id("GET", "/todos/{id}"), "get-todos-id");
  EXPECT_EQ(route_function_id("GET", "/"), "get-root");
  EXPECT_EQ(route_function_id("ANY", "/files/{proxy+}"), "any-files-proxy");
  EXPECT_EQ(route_function_id("DELETE", "/Lists/{list}/Todos"), "delete-lists-list-todos");
}

TEST(Naming, Slugs) {
  EXPECT_EQ(id_slug("Todo Events"), "todo-events");
  EXPECT_EQ(id_slug("--a__b--"), "a-b");
}

TEST(Naming, ResourceVariables) {
  EXPECT_EQ(resource_env_var(manifest::ResourceKind::table, "todos"), "GUST_TABLE_TODOS");
  EXPECT_EQ(resource_env_var(manifest::ResourceKind::queue, "todo-events"), "GUST_QUEUE_TODO_EVENTS");
  EXPECT_EQ(resource_env_var(manifest::ResourceKind::topic, "Alerts2"), "GUST_TOPIC_ALERTS2");
}

}  // namespace
}  // namespace gust::detail
