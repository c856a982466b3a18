#include "devcloud/services/ddb_number.hpp"

#include "devcloud/services/ddb_errors.hpp"

#include <algorithm>
#include <cstdint>

namespace gust::localaws::ddb {

std::optional<Decimal> parse_decimal(std::string_view s) {
  Decimal d;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) d.negative = s[i++] == '-';
  std::string all;  // every mantissa digit
  int point = -1;   // digits before the point
  bool any = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      all += c;
      any = true;
    } else if (c == '.' && point < 0) {
      point = static_cast<int>(all.size());
    } else {
      break;
    }
  }
  if (!any) return std::nullopt;
  long long exp10 = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (i >= s.size()) return std::nullopt;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      exp10 = exp10 * 10 + (s[i] - '0');
      if (exp10 > 100000) return std::nullopt;
    }
    if (neg) exp10 = -exp10;
  }
  if (i != s.size()) return std::nullopt;
  if (point < 0) point = static_cast<int>(all.size());
  // Strip leading zeros (each moves the point left) and trailing zeros.
  std::size_t lead = 0;
  while (lead < all.size() && all[lead] == '0') ++lead;
  if (lead == all.size()) return Decimal{};  // zero, sign dropped
  std::size_t end = all.size();
  while (end > lead && all[end - 1] == '0') --end;
  d.digits = all.substr(lead, end - lead);
  d.exponent = static_cast<int>(point - static_cast<int>(lead) + exp10);
  return d;
}

std::string check_range(const Decimal& d) {
  if (d.is_zero()) return {};
  const int sci = d.exponent - 1;
  if (sci > 125) return "Number overflow. Attempting to store a number with magnitude larger than supported range";
  if (sci < -130) return "Number underflow. Attempting to store a number with magnitude smaller than supported range";
  if (d.digits.size() > 38) return "Attempting to store more than 38 significant digits in a Number";
  return {};
}

std::string to_string(const Decimal& d) {
  if (d.is_zero()) return "0";
  std::string out = d.negative ? "-" : "";
  const int n = static_cast<int>(d.digits.size());
  if (d.exponent <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-d.exponent), '0');
    out += d.digits;
  } else if (d.exponent >= n) {
    out += d.digits;
    out.append(static_cast<std::size_t>(d.exponent - n), '0');
  } else {
    out += d.digits.substr(0, static_cast<std::size_t>(d.exponent));
    out += '.';
    out += d.digits.substr(static_cast<std::size_t>(d.exponent));
  }
  return out;
}

namespace {
int compare_magnitude(const Decimal& a, const Decimal& b) {
  if (a.is_zero() || b.is_zero()) return a.is_zero() == b.is_zero() ? 0 : (a.is_zero() ? -1 : 1);
  if (a.exponent != b.exponent) return a.exponent < b.exponent ? -1 : 1;
  const int c = a.digits.compare(b.digits);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// Digits of |d| as an integer scaled by 10^-low ("low" the smallest place).
std::string scaled(const Decimal& d, int low) {
  std::string s = d.digits;
  const int place = d.exponent - static_cast<int>(d.digits.size());
  s.append(static_cast<std::size_t>(place - low), '0');
  return s;
}

// Decimal-string magnitude arithmetic on non-negative integers.
std::string add_mag(const std::string& a, const std::string& b) {
  std::string out;
  int carry = 0;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int sum = carry;
    if (i < a.size()) sum += a[a.size() - 1 - i] - '0';
    if (i < b.size()) sum += b[b.size() - 1 - i] - '0';
    out += static_cast<char>('0' + sum % 10);
    carry = sum / 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}
// a >= b
std::string sub_mag(const std::string& a, const std::string& b) {
  std::string out;
  int borrow = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    int diff = (a[a.size() - 1 - i] - '0') - borrow - (i < b.size() ? b[b.size() - 1 - i] - '0' : 0);
    borrow = diff < 0;
    if (diff < 0) diff += 10;
    out += static_cast<char>('0' + diff);
  }
  std::reverse(out.begin(), out.end());
  return out;
}
int compare_int(const std::string& a, const std::string& b) {
  std::size_t ia = a.find_first_not_of('0');
  std::size_t ib = b.find_first_not_of('0');
  std::string_view va = ia == std::string::npos ? std::string_view{} : std::string_view(a).substr(ia);
  std::string_view vb = ib == std::string::npos ? std::string_view{} : std::string_view(b).substr(ib);
  if (va.size() != vb.size()) return va.size() < vb.size() ? -1 : 1;
  const int c = va.compare(vb);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

Decimal from_scaled(bool negative, const std::string& integer, int low) {
  const std::size_t lead = integer.find_first_not_of('0');
  if (lead == std::string::npos) return Decimal{};
  std::string digits = integer.substr(lead);
  const int exponent = static_cast<int>(digits.size()) + low;
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return Decimal{negative, digits, exponent};
}
}  // namespace

int compare(const Decimal& a, const Decimal& b) {
  const int sa = a.is_zero() ? 0 : (a.negative ? -1 : 1);
  const int sb = b.is_zero() ? 0 : (b.negative ? -1 : 1);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  const int m = compare_magnitude(a, b);
  return sa > 0 ? m : -m;
}

Decimal negate(Decimal d) {
  if (!d.is_zero()) d.negative = !d.negative;
  return d;
}

Decimal add(const Decimal& a, const Decimal& b) {
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  const int low = std::min(a.exponent - static_cast<int>(a.digits.size()), b.exponent - static_cast<int>(b.digits.size()));
  const std::string x = scaled(a, low);
  const std::string y = scaled(b, low);
  if (a.negative == b.negative) return from_scaled(a.negative, add_mag(x, y), low);
  const int c = compare_int(x, y);
  if (c == 0) return Decimal{};
  return c > 0 ? from_scaled(a.negative, sub_mag(x, y), low) : from_scaled(b.negative, sub_mag(y, x), low);
}

std::string sort_bytes(const Decimal& d) {
  std::string out;
  if (d.is_zero()) {
    out += '\x02';
    return out;
  }
  const auto biased = static_cast<std::uint16_t>(d.exponent + 0x4000);
  if (!d.negative) {
    out += '\x03';
    out += static_cast<char>(biased >> 8);
    out += static_cast<char>(biased & 0xFF);
    out += d.digits;  // a prefix sorts first, as 0.12 < 0.123
    return out;
  }
  // Negative: everything inverted, and a terminator above any digit so that
  // -0.12 (shorter) sorts after -0.123.
  const auto inv = static_cast<std::uint16_t>(0xFFFF - biased);
  out += '\x01';
  out += static_cast<char>(inv >> 8);
  out += static_cast<char>(inv & 0xFF);
  for (const char c : d.digits) out += static_cast<char>(0xFF - static_cast<unsigned char>(c));
  out += '\xFF';
  return out;
}

std::string normalize_number(std::string_view text) {
  if (text.empty()) throw validation_error("The parameter cannot be converted to a numeric value");
  auto d = parse_decimal(text);
  if (!d) throw validation_error("The parameter cannot be converted to a numeric value: " + std::string(text));
  if (auto msg = check_range(*d); !msg.empty()) throw validation_error(msg);
  return to_string(*d);
}

int compare_numbers(std::string_view a, std::string_view b) {
  auto x = parse_decimal(a);
  auto y = parse_decimal(b);
  if (!x || !y) return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
  return compare(*x, *y);
}

}  // namespace gust::localaws::ddb
