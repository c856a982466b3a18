// expect: a route handler must return gust::Response
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
#ifdef GUST_COMPILE_FAIL
  app.get("/hello", [](const gust::Request&) { return std::string("hello"); });
#else
  app.get("/hello", [](const gust::Request&) { return gust::Response::text("hello"); });
#endif
  return app.run(argc, argv);
}
