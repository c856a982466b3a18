// The app the runtime integration tests run as a real process: one route
// that answers, one that throws.
#include <gust/gust.hpp>

#include <stdexcept>

int main(int argc, char** argv) {
  gust::App app{"runtime-test"};

  app.get("/echo/{word}", [](const gust::Request& req) {
    gust::Value body;
    body["word"] = req.param("word");
    body["requestId"] = gust::context().request_id;
    return gust::Response::json(body);
  });

  app.post("/fail", [](const gust::Request&) -> gust::Response { throw std::runtime_error("asked to fail"); });

  return app.run(argc, argv);
}
