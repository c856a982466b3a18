// gust::Decimal: parsing to canonical text, range checks, ordering, conversions.
#include <gust/decimal.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace gust {
namespace {

constexpr std::string_view kRange =
    "DynamoDB numbers have at most 38 significant digits and a magnitude from 1E-130 to 9.99...E+125, or are 0";

// Long inputs are shown by their start only.
std::string shown(std::string_view text) {
  return text.size() <= 48 ? std::string(text) : fmt::format("{}... ({} characters)", text.substr(0, 40), text.size());
}

Unexpected not_a_number(std::string_view text) {
  return unexpected(ErrorCode::invalid_argument,
                    fmt::format("'{}' is not a number: write digits with an optional sign, decimal point and "
                                "exponent, e.g. -12.5 or 1E+3",
                                shown(text)));
}

// The integer part's length ("0.5" -> 0), for comparing magnitudes.
std::size_t integer_digits(std::string_view magnitude) {
  const auto point = magnitude.find('.');
  const std::size_t n = point == std::string_view::npos ? magnitude.size() : point;
  return magnitude.substr(0, n) == "0" ? 0 : n;
}

}  // namespace

Decimal::Decimal(std::string_view text) : Decimal(parse(text).value()) {}

Result<Decimal> Decimal::parse(std::string_view s) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  std::string mantissa;  // every mantissa digit, leading zeros included
  std::size_t point = std::string::npos;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      mantissa += c;
    } else if (c == '.' && point == std::string::npos) {
      point = mantissa.size();
    } else {
      break;
    }
  }
  if (mantissa.empty()) return not_a_number(s);
  long long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) exponent_negative = s[i++] == '-';
    if (i >= s.size()) return not_a_number(s);
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return not_a_number(s);
      // Saturate: anything this large is out of range whatever the mantissa.
      if (exponent < 1'000'000'000) exponent = exponent * 10 + (s[i] - '0');
    }
    if (exponent_negative) exponent = -exponent;
  }
  if (i != s.size()) return not_a_number(s);
  if (point == std::string::npos) point = mantissa.size();

  const std::size_t lead = mantissa.find_first_not_of('0');
  if (lead == std::string::npos) return Decimal{};  // zero, whatever its sign or exponent
  const std::size_t end = mantissa.find_last_not_of('0') + 1;
  const std::string_view digits = std::string_view(mantissa).substr(lead, end - lead);
  // value = d1.d2d3... x 10^scientific
  const long long scientific = static_cast<long long>(point) - static_cast<long long>(lead) - 1 + exponent;
  if (digits.size() > kMaxDigits)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("'{}' has {} significant digits: {}", shown(s), digits.size(), kRange));
  if (scientific > kMaxExponent || scientific < kMinExponent)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("'{}' is too {} for a DynamoDB number: {}", shown(s),
                                  scientific > kMaxExponent ? "large" : "small", kRange));

  Decimal d;
  std::string& out = d.text_;
  out.clear();
  if (negative) out += '-';
  const auto n = static_cast<long long>(digits.size());
  if (scientific >= 0) {
    const long long integer = scientific + 1;
    if (integer >= n) {
      out += digits;
      out.append(static_cast<std::size_t>(integer - n), '0');
    } else {
      out += digits.substr(0, static_cast<std::size_t>(integer));
      out += '.';
      out += digits.substr(static_cast<std::size_t>(integer));
    }
  } else {
    out += "0.";
    out.append(static_cast<std::size_t>(-scientific - 1), '0');
    out += digits;
  }
  return d;
}

Result<Decimal> Decimal::from_double(double d) {
  if (!std::isfinite(d))
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("{} is not a number DynamoDB or JSON can hold", d));
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest text that reads back as d
  if (ec != std::errc{}) return unexpected(ErrorCode::internal, "cannot format a double");
  return parse(std::string_view(buf, static_cast<std::size_t>(end - buf)));
}

std::string Decimal::from_signed(long long i) { return std::to_string(i); }
std::string Decimal::from_unsigned(unsigned long long u) { return std::to_string(u); }

int Decimal::compare(const Decimal& a, const Decimal& b) noexcept {
  const auto sign = [](const std::string& t) { return t == "0" ? 0 : (t.front() == '-' ? -1 : 1); };
  const int sa = sign(a.text_);
  const int sb = sign(b.text_);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  std::string_view x = a.text_;
  std::string_view y = b.text_;
  if (sa < 0) {
    x.remove_prefix(1);
    y.remove_prefix(1);
  }
  int magnitude = 0;
  const std::size_t ix = integer_digits(x);
  const std::size_t iy = integer_digits(y);
  if (ix != iy) {
    magnitude = ix < iy ? -1 : 1;
  } else {
    // Same integer length: digit order is value order; a prefix is the smaller.
    const int c = x.compare(y);
    magnitude = c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return sa * magnitude;
}

Result<std::int64_t> Decimal::to_int64() const {
  if (!is_integer())
    return unexpected(ErrorCode::invalid_argument, fmt::format("{} is not a whole number", text_));
  std::int64_t i = 0;
  const auto [p, ec] = std::from_chars(text_.data(), text_.data() + text_.size(), i);
  if (ec != std::errc{} || p != text_.data() + text_.size())
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("{} is outside the int64 range [{}, {}]", text_,
                                  std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()));
  return i;
}

double Decimal::nearest_double() const noexcept {
  double d = 0;
  // Correctly rounded; the range (1E-130..1E+126) is well inside a double's.
  (void)std::from_chars(text_.data(), text_.data() + text_.size(), d);
  return d;
}

Result<double> Decimal::to_double() const {
  const double d = nearest_double();
  auto back = from_double(d);
  if (!back || *back != *this)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("{} has more digits than a double holds (it would read back as {}); "
                                  "use nearest_double() to round it",
                                  text_, d));
  return d;
}

}  // namespace gust
