// expect: a route handler's first parameter must be `const gust::Request&`
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
#ifdef GUST_COMPILE_FAIL
  app.get("/hello", [](const std::string&) { return gust::Response::text("hello"); });
#else
  app.get("/hello", [](const gust::Request&) { return gust::Response::text("hello"); });
#endif
  return app.run(argc, argv);
}
