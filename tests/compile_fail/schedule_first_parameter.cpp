// expect: a schedule handler's first parameter must be `const gust::ScheduleEvent&`
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
#ifdef GUST_COMPILE_FAIL
  app.schedule("nightly", "rate(1 day)", [](const gust::Request&) {});
#else
  app.schedule("nightly", "rate(1 day)", [](const gust::ScheduleEvent&) {});
#endif
  return app.run(argc, argv);
}
