#include "manifest/sample_events.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

#include <ctime>

namespace gust::manifest {
namespace {

// "/todos/{id}" -> "/todos/example", with {"id": "example"} as parameters.
std::pair<std::string, Value> fill_path(std::string_view path) {
  std::string out;
  Value params;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '{') {
      const auto close = path.find('}', i);
      std::string name(path.substr(i + 1, close - i - 1));
      if (!name.empty() && name.back() == '+') name.pop_back();
      params[name] = "example";
      out += "example";
      i = close + 1;
    } else {
      out += path[i++];
    }
  }
  return {out, params};
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm u{};
  gmtime_r(&t, &u);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", u.tm_year + 1900, u.tm_mon + 1, u.tm_mday, u.tm_hour, u.tm_min, u.tm_sec);
}

}  // namespace

Result<std::string> sample_event(const Function& fn) {
  switch (fn.trigger.kind) {
    case TriggerKind::http: {
      auto [path, params] = fill_path(fn.trigger.path);
      const std::string method = fn.trigger.method == "ANY" ? "GET" : fn.trigger.method;
      Value http;
      http["method"] = method;
      http["path"] = path;
      http["protocol"] = "HTTP/1.1";
      http["sourceIp"] = "127.0.0.1";
      http["userAgent"] = "gust-invoke";
      Value ctx;
      ctx["accountId"] = "000000000000";
      ctx["apiId"] = "local";
      ctx["domainName"] = "localhost";
      ctx["http"] = std::move(http);
      ctx["requestId"] = "local-invoke";
      ctx["routeKey"] = fmt::format("{} {}", fn.trigger.method, fn.trigger.path);
      ctx["stage"] = "$default";
      Value event;
      event["version"] = "2.0";
      event["routeKey"] = fmt::format("{} {}", fn.trigger.method, fn.trigger.path);
      event["rawPath"] = path;
      event["rawQueryString"] = "";
      Value headers;
      headers["host"] = "localhost";
      headers["user-agent"] = "gust-invoke";
      event["headers"] = std::move(headers);
      if (!params.is_null()) event["pathParameters"] = std::move(params);
      event["requestContext"] = std::move(ctx);
      event["isBase64Encoded"] = false;
      return to_json_text(event);
    }
    case TriggerKind::schedule: {
      Value event;
      event["version"] = "0";
      event["id"] = "local-invoke";
      event["detail-type"] = "Scheduled Event";
      event["source"] = "aws.events";
      event["account"] = "000000000000";
      event["time"] = utc_now();
      event["region"] = "us-east-1";
      event["resources"] = Array{Value(fmt::format("arn:aws:events:us-east-1:000000000000:rule/{}", fn.trigger.name))};
      event["detail"] = Object{};
      return to_json_text(event);
    }
    default:
      return unexpected(ErrorCode::invalid_argument,
                        fmt::format("the {} handler \"{}\" needs an event: pass a JSON file (or - for standard input)",
                                    to_string(fn.trigger.kind), fn.id));
  }
}

}  // namespace gust::manifest
