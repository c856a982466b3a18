// expect: QueueSender cannot receive
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
  auto events = app.queue<Todo>("events");
#ifdef GUST_COMPILE_FAIL
  app.post("/drain", gust::sends(events), [](const gust::Request&, gust::QueueSender<Todo> events) {
#else
  app.post("/drain", gust::receives(events), [](const gust::Request&, gust::QueueReceiver<Todo> events) {
#endif
    auto got = events.receive(10).value();
    return gust::Response::json(got.size());
  });
  return app.run(argc, argv);
}
