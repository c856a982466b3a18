// expect: a queue, topic, schedule or object handler returns void
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
  auto events = app.queue<Todo>("events");
#ifdef GUST_COMPILE_FAIL
  app.consume(events, [](const Todo& t) { return t.title; });
#else
  app.consume(events, [](const Todo& t) { gust::log::info("{}", t.title); });
#endif
  return app.run(argc, argv);
}
