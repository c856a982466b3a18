// gust's runtime loop alone: the event posted straight back, no parsing.
// Against raw_loop.c this is the cost of gust's Runtime API client.
#include "runtime/runtime_loop.hpp"

#include <cstdlib>

int main() {
  const char* api = std::getenv("AWS_LAMBDA_RUNTIME_API");
  if (api == nullptr) return 2;
  return gust::runtime::run_loop(api, [] {
    return gust::Result<gust::runtime::InvokeFn>([](std::string_view event, const gust::Context&) {
      return gust::runtime::InvocationResult::ok(std::string(event));
    });
  });
}
