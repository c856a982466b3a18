#include "devcloud/emulator/pricing.hpp"

#include <fmt/format.h>

namespace gust::devcloud {

std::chrono::milliseconds billed_duration(std::chrono::microseconds duration) {
  const auto us = duration.count() < 0 ? 0 : duration.count();
  return std::chrono::milliseconds((us + 999) / 1000 == 0 ? 1 : (us + 999) / 1000);
}

double invocation_cost(std::chrono::microseconds duration, int memory_mb, std::string_view architecture,
                       const LambdaPrices& prices) {
  const double gb_seconds = (memory_mb / 1024.0) * (static_cast<double>(billed_duration(duration).count()) / 1000.0);
  const double rate = architecture == "x86_64" ? prices.per_gb_second_x86_64 : prices.per_gb_second_arm64;
  return prices.per_request + gb_seconds * rate;
}

std::string format_cost(double usd) { return fmt::format("${:.10f}", usd); }

}  // namespace gust::devcloud
