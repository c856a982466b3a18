// expect: an object-created handler's first parameter must be `const gust::ObjectCreated&`
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
  auto files = app.bucket("files");
#ifdef GUST_COMPILE_FAIL
  app.on_object_created(files, [](const std::string& key) { gust::log::info("{}", key); });
#else
  app.on_object_created(files, [](const gust::ObjectCreated& o) { gust::log::info("{}", o.key); });
#endif
  return app.run(argc, argv);
}
