#include "aws/timestamps.hpp"

#include <charconv>
#include <cstring>
#include <ctime>

namespace gust::aws {
namespace {

bool number(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return ec == std::errc{} && p == s.data() + pos + len;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view s) {
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
      s[16] != ':')
    return std::nullopt;
  if (!number(s, 0, 4, year) || !number(s, 5, 2, month) || !number(s, 8, 2, day) || !number(s, 11, 2, hour) ||
      !number(s, 14, 2, minute) || !number(s, 17, 2, second))
    return std::nullopt;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  }
  long offset = 0;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = 0, om = 0;
    if (!number(s, pos + 1, 2, oh)) return std::nullopt;
    const std::size_t mpos = s.size() > pos + 3 && s[pos + 3] == ':' ? pos + 4 : pos + 3;
    if (mpos < s.size() && !number(s, mpos, 2, om)) return std::nullopt;
    offset = (s[pos] == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
  } else if (pos < s.size() && s[pos] != 'Z' && s[pos] != 'z') {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return std::chrono::system_clock::from_time_t(timegm(&tm) - offset);
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  std::tm tm{};
  const std::string s(text);
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  if (end == nullptr) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace gust::aws
