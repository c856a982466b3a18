#pragma once
// DynamoDB numbers: decimals of up to 38 significant digits with magnitudes
// from 1E-130 to 9.99..E+125, exchanged as text. They compare numerically,
// add exactly, and come back in plain notation ("1.50e1" -> "15"), as
// DynamoDB returns them. Keys are stored as bytes whose order is the numbers'
// order, so SQLite can range-scan sort keys.

#include <optional>
#include <string>
#include <string_view>

namespace gust::localaws::ddb {

// value = (negative ? -1 : 1) * 0.d1d2d3... * 10^exponent; zero has no digits.
struct Decimal {
  bool negative = false;
  std::string digits;  // no leading or trailing zeros
  int exponent = 0;
  bool is_zero() const { return digits.empty(); }
};

// Parses "-12.5", "1e3", ".5", "+7". nullopt when it is not a number.
std::optional<Decimal> parse_decimal(std::string_view text);
// An empty string when `d` fits DynamoDB's range and precision, else AWS's message.
std::string check_range(const Decimal& d);
// Plain notation without exponent or superfluous zeros ("0.001", "-15", "0").
std::string to_string(const Decimal& d);
int compare(const Decimal& a, const Decimal& b);
Decimal add(const Decimal& a, const Decimal& b);
Decimal negate(Decimal d);
// Order-preserving byte encoding (memcmp order == numeric order).
std::string sort_bytes(const Decimal& d);

// Parses and normalises number text as DynamoDB stores it; throws AwsError
// (ValidationException) with AWS's wording when it is not a storable number.
std::string normalize_number(std::string_view text);
// Numeric comparison of two normalised number strings.
int compare_numbers(std::string_view a, std::string_view b);

}  // namespace gust::localaws::ddb
