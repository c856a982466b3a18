// The typed handlers the runtime benchmark times: the hello route (event
// parsed into gust::Request, response serialised) and an echo route.
#include <gust/gust.hpp>

int main(int argc, char** argv) {
  gust::App app{"bench"};
  app.get("/hello/{name}", [](const gust::Request& req) {
    return gust::Response::text(fmt::format("hello, {}!\n", req.param("name")));
  });
  app.post("/echo", [](const gust::Request& req) { return gust::Response::text(std::string(req.body())); });
  return app.run(argc, argv);
}
