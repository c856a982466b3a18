#pragma once
// What an invocation would cost on AWS Lambda, kept in one place.
// Prices: US East (N. Virginia), first tier, as published on
// https://aws.amazon.com/lambda/pricing/ (checked 2026-11).

#include <chrono>
#include <string>
#include <string_view>

namespace gust::devcloud {

struct LambdaPrices {
  double per_gb_second_arm64 = 0.0000133334;
  double per_gb_second_x86_64 = 0.0000166667;
  double per_request = 0.20 / 1'000'000;
};

inline constexpr LambdaPrices kLambdaPrices{};

// Lambda bills duration rounded up to the next millisecond.
std::chrono::milliseconds billed_duration(std::chrono::microseconds duration);

// USD for one invocation: requests + memory x billed duration.
double invocation_cost(std::chrono::microseconds duration, int memory_mb, std::string_view architecture,
                       const LambdaPrices& prices = kLambdaPrices);

// "$0.0000002167" style: enough digits to see the difference between configurations.
std::string format_cost(double usd);

}  // namespace gust::devcloud
