#include "manifest/schedule_expression.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <vector>

namespace gust::manifest {
namespace {

Unexpected bad(std::string message) {
  return unexpected(ErrorCode::invalid_argument, std::move(message));
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

bool parse_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

Result<void> parse_rate(std::string_view body, ScheduleExpression& out) {
  const auto parts = split(body, ' ');
  if (parts.size() != 2) return bad("rate(...) takes a value and a unit, as in rate(5 minutes)");
  int value = 0;
  if (!parse_int(parts[0], value) || value <= 0) return bad(fmt::format("rate value \"{}\" must be a positive whole number", parts[0]));
  const std::string_view unit = parts[1];
  const bool singular = value == 1;
  int seconds = 0;
  if (unit == "minute" || unit == "minutes") seconds = 60;
  else if (unit == "hour" || unit == "hours") seconds = 3600;
  else if (unit == "day" || unit == "days") seconds = 86400;
  else return bad(fmt::format("rate unit \"{}\" must be minute(s), hour(s) or day(s)", unit));
  if (singular != (unit.back() != 's'))
    return bad(fmt::format("rate({} {}): use the {} form for a value of {}", value, unit, singular ? "singular" : "plural", value));
  out.kind = ScheduleExpression::Kind::rate;
  out.period = std::chrono::seconds(static_cast<long long>(value) * seconds);
  return {};
}

struct FieldRule {
  const char* name;
  int min;
  int max;
  const char* extra;  // special characters besides , - * /
  std::array<const char*, 12> names;  // JAN.. or SUN..
};

constexpr FieldRule kRules[6] = {
    {"minutes", 0, 59, "", {}},
    {"hours", 0, 23, "", {}},
    {"day-of-month", 1, 31, "?LW", {}},
    {"month", 1, 12, "", {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
    {"day-of-week", 1, 7, "?L#", {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}},
    {"year", 1970, 2199, "", {}},
};

bool value_in_rule(std::string_view token, const FieldRule& rule) {
  int n = 0;
  if (parse_int(token, n)) return n >= rule.min && n <= rule.max;
  std::string upper;
  for (char c : token) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* name : rule.names) {
    if (name != nullptr && upper == name) return true;
  }
  return false;
}

Result<void> check_field(std::string_view field, const FieldRule& rule) {
  auto problem = [&](std::string_view why) {
    return bad(fmt::format("cron {} field \"{}\" {}; allowed: {}-{}, * , - /{}", rule.name, field, why, rule.min, rule.max,
                           *rule.extra ? fmt::format(" and {}", rule.extra) : std::string()));
  };
  if (field == "*" || field == "?") {
    if (field == "?" && std::string_view(rule.extra).find('?') == std::string_view::npos) return problem("cannot be ?");
    return {};
  }
  const std::string_view extra = rule.extra;
  for (auto item : split(field, ',')) {
    if (item.empty()) return problem("has an empty list item");
    // L, W, # forms (day fields): accepted in the shapes EventBridge documents.
    if (extra.find('L') != std::string_view::npos && (item == "L" || (item.size() > 1 && item.back() == 'L' && value_in_rule(item.substr(0, item.size() - 1), rule)))) continue;
    if (extra.find('W') != std::string_view::npos && item.size() > 1 && item.back() == 'W' && value_in_rule(item.substr(0, item.size() - 1), rule)) continue;
    if (extra.find('#') != std::string_view::npos) {
      if (auto hash = item.find('#'); hash != std::string_view::npos) {
        int nth = 0;
        if (value_in_rule(item.substr(0, hash), rule) && parse_int(item.substr(hash + 1), nth) && nth >= 1 && nth <= 5) continue;
        return problem("has a malformed # item (write DAY#N with N from 1 to 5)");
      }
    }
    std::string_view range = item;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      int step = 0;
      if (!parse_int(item.substr(slash + 1), step) || step <= 0) return problem("has a step that is not a positive number");
      range = item.substr(0, slash);
      if (range == "*") continue;
    }
    if (auto dash = range.find('-'); dash != std::string_view::npos) {
      if (!value_in_rule(range.substr(0, dash), rule) || !value_in_rule(range.substr(dash + 1), rule)) return problem("has a range outside its limits");
      continue;
    }
    if (!value_in_rule(range, rule)) return problem("has a value outside its limits");
  }
  return {};
}

Result<void> parse_cron(std::string_view body, ScheduleExpression& out) {
  std::vector<std::string_view> fields;
  for (auto f : split(body, ' ')) {
    if (!f.empty()) fields.push_back(f);
  }
  if (fields.size() != 6)
    return bad(fmt::format("cron(...) takes six fields (minutes hours day-of-month month day-of-week year), got {}", fields.size()));
  for (std::size_t i = 0; i < 6; ++i) {
    auto checked = check_field(fields[i], kRules[i]);
    if (!checked) return Unexpected{std::move(checked).error()};
    out.fields[i] = std::string(fields[i]);
  }
  if ((fields[2] == "?") == (fields[4] == "?"))
    return bad("cron: exactly one of day-of-month and day-of-week must be ?, as in cron(0 3 * * ? *)");
  out.kind = ScheduleExpression::Kind::cron;
  return {};
}

}  // namespace

Result<ScheduleExpression> parse_schedule_expression(std::string_view text) {
  ScheduleExpression out;
  auto body_of = [&](std::string_view prefix) -> std::optional<std::string_view> {
    if (text.substr(0, prefix.size()) != prefix || text.back() != ')') return std::nullopt;
    return text.substr(prefix.size(), text.size() - prefix.size() - 1);
  };
  if (text.empty()) return bad("empty schedule expression: write rate(5 minutes) or cron(0 3 * * ? *)");
  if (auto body = body_of("rate(")) {
    auto r = parse_rate(*body, out);
    if (!r) return Unexpected{std::move(r).error()};
    return out;
  }
  if (auto body = body_of("cron(")) {
    auto r = parse_cron(*body, out);
    if (!r) return Unexpected{std::move(r).error()};
    return out;
  }
  return bad(fmt::format("\"{}\" is neither rate(...) nor cron(...): write rate(5 minutes) or cron(0 3 * * ? *)", text));
}

}  // namespace gust::manifest
