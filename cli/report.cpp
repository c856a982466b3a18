#include "report.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <unistd.h>

namespace gust::cli {

bool colour_on(int fd) { return ::isatty(fd) != 0 && std::getenv("NO_COLOR") == nullptr; }

namespace {
bool colour() {
  static const bool enabled = colour_on(STDERR_FILENO);
  return enabled;
}
}  // namespace

void print_error(std::string_view message, std::string_view help) {
  fmt::print(stderr, "{}error:{} {}\n", colour() ? "\x1b[1;31m" : "", colour() ? "\x1b[0m" : "", message);
  if (!help.empty()) fmt::print(stderr, "{}help:{} {}\n", colour() ? "\x1b[1;36m" : "", colour() ? "\x1b[0m" : "", help);
}

void print_error(const Error& error) { print_error(error.message, error.context); }

}  // namespace gust::cli
