#include "devcloud/triggers/schedule_clock.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace gust::devcloud {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) return out;
    start = pos + 1;
  }
}

int number(std::string_view s, const char* const* names, int name_base) {
  int n = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec == std::errc() && ptr == s.data() + s.size()) return n;
  std::string upper;
  for (char c : s) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (int i = 0; names != nullptr && names[i] != nullptr; ++i) {
    if (upper == names[i]) return i + name_base;
  }
  return -1;
}

constexpr const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC", nullptr};
constexpr const char* kDays[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", nullptr};

// Does `value` match a field of plain items (n, a-b, */s, a-b/s, lists)?
bool matches(std::string_view field, int value, int min, int max, const char* const* names = nullptr, int name_base = 1) {
  if (field == "*" || field == "?") return true;
  for (auto item : split(field, ',')) {
    int step = 1;
    std::string_view range = item;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      step = number(item.substr(slash + 1), nullptr, 0);
      range = item.substr(0, slash);
    }
    int lo = min, hi = max;
    if (range != "*") {
      if (auto dash = range.find('-'); dash != std::string_view::npos) {
        lo = number(range.substr(0, dash), names, name_base);
        hi = number(range.substr(dash + 1), names, name_base);
      } else {
        lo = number(range, names, name_base);
        hi = item.find('/') != std::string_view::npos ? max : lo;
      }
    }
    if (step > 0 && value >= lo && value <= hi && (value - lo) % step == 0) return true;
  }
  return false;
}

int days_in_month(int year, int month) {
  static constexpr int kDaysIn[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDaysIn[month - 1];
}

int weekday(int year, int month, int day) {  // 0 = Sunday
  std::tm t{};
  t.tm_year = year - 1900;
  t.tm_mon = month - 1;
  t.tm_mday = day;
  t.tm_hour = 12;
  const std::time_t time = timegm(&t);
  std::tm out{};
  gmtime_r(&time, &out);
  return out.tm_wday;
}

bool day_of_month_matches(std::string_view field, int year, int month, int day) {
  if (field == "?" || field == "*") return true;
  const int last = days_in_month(year, month);
  for (auto item : split(field, ',')) {
    if (item == "L") {
      if (day == last) return true;
    } else if (item.size() > 1 && item.back() == 'W') {
      // The weekday nearest to day N, within the month.
      int target = number(item.substr(0, item.size() - 1), nullptr, 0);
      if (target > last) target = last;
      const int wd = weekday(year, month, target);
      int nearest = target;
      if (wd == 6) nearest = target == 1 ? 3 : target - 1;
      if (wd == 0) nearest = target == last ? target - 2 : target + 1;
      if (day == nearest) return true;
    } else if (matches(item, day, 1, 31)) {
      return true;
    }
  }
  return false;
}

bool day_of_week_matches(std::string_view field, int year, int month, int day) {
  if (field == "?" || field == "*") return true;
  const int wd = weekday(year, month, day) + 1;  // EventBridge: 1 = Sunday
  for (auto item : split(field, ',')) {
    if (item.size() > 1 && item.back() == 'L') {
      // The last such weekday of the month.
      if (number(item.substr(0, item.size() - 1), kDays, 1) == wd && day + 7 > days_in_month(year, month)) return true;
    } else if (auto hash = item.find('#'); hash != std::string_view::npos) {
      const int nth = number(item.substr(hash + 1), nullptr, 0);
      if (number(item.substr(0, hash), kDays, 1) == wd && (day - 1) / 7 + 1 == nth) return true;
    } else if (matches(item, wd, 1, 7, kDays, 1)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<SystemTime> next_fire_time(const manifest::ScheduleExpression& e, SystemTime after, SystemTime origin) {
  using namespace std::chrono;
  if (e.kind == manifest::ScheduleExpression::Kind::rate) {
    if (e.period.count() <= 0) return std::nullopt;
    const auto elapsed = after < origin ? seconds(0) : duration_cast<seconds>(after - origin);
    return origin + e.period * (elapsed / e.period + 1);
  }
  // Walk whole minutes; skip days (and months) that cannot match to stay fast.
  auto t = time_point_cast<minutes>(after) + minutes(1);
  const auto limit = after + hours(24 * 366 * 5);
  while (t < limit) {
    const std::time_t tt = system_clock::to_time_t(t);
    std::tm u{};
    gmtime_r(&tt, &u);
    const int year = u.tm_year + 1900, month = u.tm_mon + 1, day = u.tm_mday;
    if (!matches(e.fields[5], year, 1970, 2199) || !matches(e.fields[3], month, 1, 12, kMonths, 1) ||
        !day_of_month_matches(e.fields[2], year, month, day) || !day_of_week_matches(e.fields[4], year, month, day)) {
      t += minutes(24 * 60 - (u.tm_hour * 60 + u.tm_min));  // next midnight
      continue;
    }
    if (!matches(e.fields[1], u.tm_hour, 0, 23)) {
      t += minutes(60 - u.tm_min);
      continue;
    }
    if (matches(e.fields[0], u.tm_min, 0, 59)) return t;
    t += minutes(1);
  }
  return std::nullopt;
}

}  // namespace gust::devcloud
