// expect: TableReader cannot write
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
  auto todos = app.table<Todo>("todos", &Todo::id);
#ifdef GUST_COMPILE_FAIL
  app.post("/todos", gust::reads(todos), [](const gust::Request& req, gust::TableReader<Todo> todos) {
#else
  app.post("/todos", gust::writes(todos), [](const gust::Request& req, gust::TableWriter<Todo> todos) {
#endif
    todos.put(req.json<Todo>()).value();
    return gust::Response::no_content();
  });
  return app.run(argc, argv);
}
