// expect: a queue consumer's first parameter must be the queue's message type
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
  auto events = app.queue<Todo>("events");
#ifdef GUST_COMPILE_FAIL
  app.consume(events, [](const Note&) {});
#else
  app.consume(events, [](const Todo&) {});
#endif
  return app.run(argc, argv);
}
