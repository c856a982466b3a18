// expect: gust::sends takes a queue
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
  auto todos = app.table<Todo>("todos", &Todo::id);
  auto events = app.queue<Todo>("events");
#ifdef GUST_COMPILE_FAIL
  auto grant = gust::sends(todos);
#else
  auto grant = gust::sends(events);
#endif
  (void)grant;
  return app.run(argc, argv);
}
