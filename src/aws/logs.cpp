#include "aws/logs.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

namespace gust::aws {
namespace json = boost::json;

Result<LogEventPage> parse_filter_log_events(std::string_view text) {
  boost::system::error_code ec;
  json::value answer = json::parse(text, ec);
  if (ec || !answer.is_object())
    return unexpected(ErrorCode::internal, "CloudWatch Logs answered FilterLogEvents with malformed JSON", "logs");
  const json::object& o = answer.get_object();
  LogEventPage page;
  if (const auto* token = o.if_contains("nextToken"); token != nullptr && token->is_string())
    page.next_token = std::string(token->get_string());
  const auto* events = o.if_contains("events");
  if (events == nullptr || !events->is_array()) return page;
  for (const auto& v : events->get_array()) {
    if (!v.is_object()) continue;
    const json::object& e = v.get_object();
    LogEvent event;
    if (const auto* s = e.if_contains("eventId"); s != nullptr && s->is_string()) event.event_id = std::string(s->get_string());
    if (const auto* s = e.if_contains("logStreamName"); s != nullptr && s->is_string()) event.stream = std::string(s->get_string());
    if (const auto* s = e.if_contains("message"); s != nullptr && s->is_string()) event.message = std::string(s->get_string());
    if (const auto* t = e.if_contains("timestamp"); t != nullptr && t->is_number()) event.timestamp_ms = t->to_number<std::int64_t>();
    page.events.push_back(std::move(event));
  }
  return page;
}

Result<LogEventPage> LogsClient::filter_log_events(const FilterLogEventsRequest& request) const {
  json::object body;
  body["logGroupName"] = request.log_group;
  if (request.start_ms) body["startTime"] = *request.start_ms;
  if (request.end_ms) body["endTime"] = *request.end_ms;
  if (!request.filter_pattern.empty()) body["filterPattern"] = request.filter_pattern;
  if (!request.next_token.empty()) body["nextToken"] = request.next_token;
  if (request.limit) body["limit"] = *request.limit;
  auto res = client_.call_json("Logs_20140328.FilterLogEvents", json::serialize(body),
                               "logs FilterLogEvents " + request.log_group, "application/x-amz-json-1.1");
  if (!res) return Unexpected{std::move(res).error()};
  return parse_filter_log_events(res->body);
}

}  // namespace gust::aws
