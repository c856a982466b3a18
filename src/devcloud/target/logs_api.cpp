#include "devcloud/target/logs_api.hpp"

#include "devcloud/target/property_access.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

namespace gust::devcloud::target {
namespace json = boost::json;
namespace {

localaws::ServiceResponse json_answer(int status, const json::value& body) {
  localaws::ServiceResponse r{status, {}, json::serialize(body)};
  r.headers.set("Content-Type", "application/x-amz-json-1.1");
  return r;
}

localaws::ServiceResponse error(std::string_view type, std::string_view message) {
  return json_answer(400, json::object{{"__type", type}, {"message", message}});
}

localaws::ServiceResponse missing_group() {
  return error("InvalidParameterException",
               "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null");
}

std::string group_of(const json::object& request) {
  std::string group = text_property(request, "logGroupName");
  if (group.empty()) group = text_property(request, "logGroupIdentifier");
  // An identifier may be the group's ARN: arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]
  if (const auto at = group.find(":log-group:"); at != std::string::npos) {
    group = group.substr(at + 11);
    if (group.ends_with(":*")) group.resize(group.size() - 2);
  }
  return group;
}

}  // namespace

localaws::ServiceResponse serve_logs_api(LogStore& store, std::string_view action, std::string_view body) {
  boost::system::error_code ec;
  const json::value doc = json::parse(body.empty() ? std::string_view("{}") : body, ec);
  if (ec || !doc.is_object()) return error("SerializationException", "the request body is not a JSON object");
  const auto& request = doc.as_object();
  if (action == "FilterLogEvents") {
    LogFilter f;
    f.group = group_of(request);
    if (f.group.empty()) return missing_group();
    if (const auto* streams = request.if_contains("logStreamNames"); streams != nullptr && streams->is_array()) {
      for (const auto& s : streams->as_array()) f.streams.push_back(text_of(s));
    }
    if (request.contains("startTime")) f.start_ms = int_property(request, "startTime", 0);
    if (request.contains("endTime")) f.end_ms = int_property(request, "endTime", 0);
    f.pattern = text_property(request, "filterPattern");
    f.limit = static_cast<int>(int_property(request, "limit", 10000));
    if (f.limit < 1 || f.limit > 10000)
      return error("InvalidParameterException", fmt::format("1 validation error detected: Value '{}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000", f.limit));
    if (const std::string token = text_property(request, "nextToken"); !token.empty()) {
      if (!token.starts_with("gust-") || token.find_first_not_of("0123456789", 5) != std::string::npos)
        return error("InvalidParameterException", "The specified nextToken is invalid.");
      f.after_id = std::stoll(token.substr(5));
    }
    auto page = store.filter(f);
    if (!page) return error("ResourceNotFoundException", page.error().message);
    json::array events, searched;
    for (const auto& e : page->events) {
      events.push_back(json::object{{"logStreamName", e.stream}, {"timestamp", e.timestamp_ms}, {"message", e.message},
                                    {"ingestionTime", e.ingestion_ms}, {"eventId", std::to_string(e.id)}});
    }
    for (const auto& s : page->streams) searched.push_back(json::object{{"logStreamName", s}, {"searchedCompletely", !page->next_after_id}});
    json::object out{{"events", events}, {"searchedLogStreams", searched}};
    if (page->next_after_id) out["nextToken"] = fmt::format("gust-{}", *page->next_after_id);
    return json_answer(200, out);
  }
  if (action == "CreateLogGroup") {
    const std::string group = group_of(request);
    if (group.empty()) return missing_group();
    if (store.has_group(group)) return error("ResourceAlreadyExistsException", "The specified log group already exists");
    store.create_group(group);
    return json_answer(200, json::object{});
  }
  if (action == "DeleteLogGroup") {
    const std::string group = group_of(request);
    if (group.empty()) return missing_group();
    if (!store.has_group(group)) return error("ResourceNotFoundException", "The specified log group does not exist.");
    store.delete_group(group);
    return json_answer(200, json::object{});
  }
  return error("UnknownOperationException",
               fmt::format("the local cloud target's CloudWatch Logs serves FilterLogEvents, CreateLogGroup and DeleteLogGroup, not {}",
                           action));
}

}  // namespace gust::devcloud::target
