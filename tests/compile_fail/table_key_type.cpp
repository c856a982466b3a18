// expect: a table or index key must be a std::string, a number or gust::Bytes field
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
#ifdef GUST_COMPILE_FAIL
  auto todos = app.table<Todo>("todos", &Todo::done);
#else
  auto todos = app.table<Todo>("todos", &Todo::id);
#endif
  (void)todos;
  app.get("/", [](const gust::Request&) { return gust::Response::no_content(); });
  return app.run(argc, argv);
}
