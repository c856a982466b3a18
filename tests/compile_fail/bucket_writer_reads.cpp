// expect: BucketWriter cannot read
#include "snippet_app.hpp"
int main(int argc, char** argv) {
  gust::App app{"t"};
  auto files = app.bucket("files");
#ifdef GUST_COMPILE_FAIL
  app.get("/files/{name}", gust::writes(files), [](const gust::Request& req, gust::BucketWriter files) {
#else
  app.get("/files/{name}", gust::reads(files), [](const gust::Request& req, gust::BucketReader files) {
#endif
    auto object = files.get(req.param("name")).value();
    return gust::Response::binary(object.body, object.content_type);
  });
  return app.run(argc, argv);
}
