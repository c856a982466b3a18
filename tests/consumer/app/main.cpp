#include <gust/gust.hpp>

int main(int argc, char** argv) {
  gust::App app{"consumer"};
  app.get("/ping", [](const gust::Request&) { return gust::Response::text("pong"); });
  return app.run(argc, argv);
}
