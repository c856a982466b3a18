// expect: the handler takes more parameters than it has grants
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
  auto todos = app.table<Todo>("todos", &Todo::id);
#ifdef GUST_COMPILE_FAIL
  app.get("/todos/{id}", [](const gust::Request&, gust::TableReader<Todo>) {
#else
  app.get("/todos/{id}", gust::reads(todos), [](const gust::Request&, gust::TableReader<Todo>) {
#endif
    return gust::Response::no_content();
  });
  (void)todos;
  return app.run(argc, argv);
}
