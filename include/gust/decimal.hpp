#pragma once
// gust::Decimal: an exact decimal number, as DynamoDB stores numbers: at most
// 38 significant digits, magnitude from 1E-130 to 9.99...E+125, or zero.
// Use it for money, large identifiers and anything a double would round.
//
//   struct Order { std::string id; gust::Decimal total; std::set<gust::Decimal> prices; };
//   GUST_RECORD(Order, id, total, prices);
//   gust::Decimal d{"19.990"};                  // throws BadResultAccess when not a number in range
//   auto e = gust::Decimal::parse(text);        // Result<Decimal>, checked
//   d.to_string();                              // "19.99"
//
// It holds canonical text: plain notation, no exponent, no leading or trailing
// zeros, "0" for zero ("1E+2" -> "100", "-0.50" -> "-0.5") -- the form DynamoDB
// answers with -- so equal numbers have equal text. DynamoDB N and JSON
// carry the exact digits both ways.

#include <gust/result.hpp>

#include <compare>
#include <concepts>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>

namespace gust {

class Decimal {
 public:
  static constexpr int kMaxDigits = 38;     // significant digits
  static constexpr int kMinExponent = -130;  // smallest non-zero magnitude: 1E-130
  static constexpr int kMaxExponent = 125;   // largest magnitude: 9.99...E+125 (38 nines)

  Decimal() = default;  // zero
  // Any integer, exactly (64-bit integers have at most 20 digits).
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  Decimal(I i)  // NOLINT: implicit by design, it loses nothing
      : text_(std::is_signed_v<I> ? from_signed(static_cast<long long>(i))
                                  : from_unsigned(static_cast<unsigned long long>(i))) {}
  // Parses `text` like parse(); throws BadResultAccess when it is not a number in range.
  explicit Decimal(std::string_view text);

  // "-12.50", "1e-130", "+7", ".5", "12E3". The error (invalid_argument) says
  // what is wrong and the allowed range; no whitespace, NaN or infinity.
  static Result<Decimal> parse(std::string_view text);
  // The shortest decimal that reads back as `d` (0.1 -> "0.1"); NaN, infinities
  // and magnitudes outside the range are errors.
  static Result<Decimal> from_double(double d);

  // The canonical text ("19.99", "-0.001", "100").
  const std::string& to_string() const noexcept { return text_; }
  bool is_integer() const noexcept { return text_.find('.') == std::string::npos; }
  // The value as an integer; an error when it has a fraction or is outside int64.
  Result<std::int64_t> to_int64() const;
  // The value as a double; an error when the double would not read back as
  // this number (more digits than a double holds). nearest_double() rounds instead.
  Result<double> to_double() const;
  double nearest_double() const noexcept;

  friend bool operator==(const Decimal&, const Decimal&) = default;  // canonical text: equal text == equal value
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept {
    return compare(a, b) <=> 0;
  }

 private:
  static std::string from_signed(long long i);
  static std::string from_unsigned(unsigned long long u);
  static int compare(const Decimal& a, const Decimal& b) noexcept;
  std::string text_ = "0";
};

}  // namespace gust

template <>
struct std::hash<gust::Decimal> {
  std::size_t operator()(const gust::Decimal& d) const noexcept { return std::hash<std::string>{}(d.to_string()); }
};
