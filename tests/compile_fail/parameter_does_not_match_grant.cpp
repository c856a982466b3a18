// expect: a handler parameter does not match its grant
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
  auto todos = app.table<Todo>("todos", &Todo::id);
#ifdef GUST_COMPILE_FAIL
  app.get("/todos/{id}", gust::reads(todos), [](const gust::Request&, gust::TableWriter<Todo>) {
#else
  app.get("/todos/{id}", gust::reads(todos), [](const gust::Request&, gust::TableReader<Todo>) {
#endif
    return gust::Response::no_content();
  });
  return app.run(argc, argv);
}
