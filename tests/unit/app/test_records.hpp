#pragma once
#include <gust/gust.hpp>

namespace app_test {

struct Todo {
  std::string list;
  std::string id;
  std::string title;
  bool done = false;
  std::int64_t created_at = 0;
};
GUST_RECORD(Todo, list, id, title, done, created_at);

struct Unlisted {
  std::string id;
  std::string secret;
};
GUST_RECORD(Unlisted, id);

}  // namespace app_test
