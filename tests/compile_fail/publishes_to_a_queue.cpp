// expect: gust::publishes takes a topic
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
  auto events = app.queue<Todo>("events");
  auto alerts = app.topic<Note>("alerts");
#ifdef GUST_COMPILE_FAIL
  auto grant = gust::publishes(events);
#else
  auto grant = gust::publishes(alerts);
#endif
  (void)grant;
  return app.run(argc, argv);
}
