// expect: a queue's message type needs GUST_RECORD
#include "snippet_app.hpp"
struct Raw {
  int n = 0;
};
int main(int argc, char** argv) {
  gust::App app{"t"};
#ifdef GUST_COMPILE_FAIL
  auto q = app.queue<Raw>("raw");
#else
  auto q = app.queue<Note>("raw");
#endif
  (void)q;
  return app.run(argc, argv);
}
