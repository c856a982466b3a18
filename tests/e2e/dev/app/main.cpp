// The app `gust dev` is tested on: one route per behaviour under test.
#include <gust/gust.hpp>

#include <chrono>
#include <cstdlib>
#include <thread>

int main(int argc, char** argv) {
  gust::App app{"devtest"};

  app.get("/version", [](const gust::Request&) { return gust::Response::text("v1"); });

  app.get("/hello/{name}", [](const gust::Request& req) {
    return gust::Response::text(fmt::format("hello, {}! q={}", req.param("name"), req.query("q").value_or("-")));
  });

  // Echoes the body with its content type: binary bodies travel base64 both ways.
  app.post("/echo", [](const gust::Request& req) {
    const std::string type(req.header("content-type").value_or("application/octet-stream"));
    if (req.body_was_base64()) return gust::Response::binary(req.body(), type);
    return gust::Response::text(req.body(), 200, type);
  });

  app.get("/cookies", [](const gust::Request& req) {
    gust::Response r = gust::Response::text(fmt::format("session={}", req.cookie("session").value_or("none")));
    r.cookie("a", "1").cookie("b", "2");
    return r;
  });

  app.get("/files/{path+}", [](const gust::Request& req) { return gust::Response::text(std::string(req.param("path"))); });

  app.get("/slow", [](const gust::Request&) {
    std::this_thread::sleep_for(std::chrono::seconds(5));
    return gust::Response::text("too late");
  }).timeout(std::chrono::seconds(1));

  app.get("/crash", [](const gust::Request&) -> gust::Response { std::abort(); });

  app.get("/busy", [](const gust::Request&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    return gust::Response::text("done");
  }).reserved_concurrency(1);

  app.get("/throw", [](const gust::Request&) -> gust::Response { throw std::runtime_error("handler failed"); });

  app.get("/stream", [](const gust::Request&) {
    return gust::Response::stream("text/plain", [](gust::StreamWriter& out) {
      for (int i = 0; i < 3; ++i) out.write(fmt::format("part {}\n", i));
    });
  });

  // Four parts 400 ms apart: the client must see the first long before the last is written.
  app.get("/stream-slow", [](const gust::Request&) {
    gust::Response r = gust::Response::stream("text/plain", [](gust::StreamWriter& out) {
      for (int i = 0; i < 4; ++i) {
        if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(400));
        out.write(fmt::format("part {}\n", i));
      }
    }, 201);
    r.header("x-streamed", "yes").cookie("s", "1");
    return r;
  });

  app.get("/stream-fail", [](const gust::Request&) {
    return gust::Response::stream("text/plain", [](gust::StreamWriter& out) {
      out.write("before the failure\n");
      throw std::runtime_error("stream broke");
    });
  });

  app.schedule("tick", "rate(1 day)", [](const gust::ScheduleEvent& e) { gust::log::info("tick fired by {}", e.rule); });

  return app.run(argc, argv);
}
