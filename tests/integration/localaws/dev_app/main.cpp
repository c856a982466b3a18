// The smallest app `gust dev` serves: one route and no resources, so the
// local AWS services it starts are as empty as gust-localaws's and the
// interop suite can run against either.
#include <gust/gust.hpp>

int main(int argc, char** argv) {
  gust::App app{"interop"};
  app.get("/ping", [](const gust::Request&) { return gust::Response::text("pong"); });
  return app.run(argc, argv);
}
