// expect: between the trigger and the handler come only grants
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
  auto todos = app.table<Todo>("todos", &Todo::id);
#ifdef GUST_COMPILE_FAIL
  app.get("/todos", todos, [](const gust::Request&, gust::TableReader<Todo>) { return gust::Response::no_content(); });
#else
  app.get("/todos", gust::reads(todos), [](const gust::Request&, gust::TableReader<Todo>) { return gust::Response::no_content(); });
#endif
  return app.run(argc, argv);
}
