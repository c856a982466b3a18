#include "core/number_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace gust {
namespace {

// Digits of the mantissa without leading and trailing zeros ("0.0120e5" -> 2).
std::size_t significant_digits(std::string_view unsigned_text) {
  const std::string_view mantissa = unsigned_text.substr(0, unsigned_text.find_first_of("eE"));
  std::size_t count = 0;
  std::size_t trailing_zeros = 0;
  for (const char c : mantissa) {
    if (c == '.' || (count == 0 && c == '0')) continue;
    ++count;
    trailing_zeros = c == '0' ? trailing_zeros + 1 : 0;
  }
  return count - trailing_zeros;
}

}  // namespace

std::optional<Value> number_from_text(std::string_view text) {
  std::string_view u = text;  // from_chars takes no '+'
  if (!u.empty() && u.front() == '+') u.remove_prefix(1);
  const std::string_view magnitude = !u.empty() && u.front() == '-' ? u.substr(1) : u;
  // Digits or a point first: no "inf", "nan" or hex, which from_chars would take.
  if (magnitude.empty() || !((magnitude.front() >= '0' && magnitude.front() <= '9') || magnitude.front() == '.'))
    return std::nullopt;
  const char* const end = u.data() + u.size();
  if (u.find_first_of(".eE") == std::string_view::npos) {
    std::int64_t i = 0;
    if (auto [p, ec] = std::from_chars(u.data(), end, i); ec == std::errc{} && p == end)
      return Value(static_cast<long long>(i));
    std::uint64_t n = 0;
    if (auto [p, ec] = std::from_chars(u.data(), end, n); ec == std::errc{} && p == end)
      return Value(static_cast<unsigned long long>(n));
  }
  double d = 0;
  const auto [p, ec] = std::from_chars(u.data(), end, d);
  if (p != end || (ec != std::errc{} && ec != std::errc::result_out_of_range)) return std::nullopt;
  if (ec == std::errc::result_out_of_range) d = std::strtod(std::string(u).c_str(), nullptr);  // +-inf or +-0
  // Up to 15 significant digits (DBL_DIG) a normal double's shortest text is
  // the number itself, so the double is exact enough: the common case, cheap.
  const double magnitude_d = std::fabs(d);
  if (significant_digits(magnitude) <= 15 && (d == 0 || (magnitude_d > 1e-300 && magnitude_d < 1e300)))
    return Value(d);
  auto exact = Decimal::parse(text);
  if (!exact) return Value(d);  // beyond DynamoDB's range: nothing could store it exactly
  if (auto shortest = Decimal::from_double(d); shortest && *shortest == *exact) return Value(d);
  return Value(std::move(*exact));
}

}  // namespace gust
