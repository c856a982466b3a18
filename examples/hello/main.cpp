// The smallest gust app: one route.
#include <gust/gust.hpp>

int main(int argc, char** argv) {
  gust::App app{"hello"};

  app.get("/hello/{name}", [](const gust::Request& req) {
    return gust::Response::text(fmt::format("hello, {}!\n", req.param("name")));
  });

  return app.run(argc, argv);
}
