#include "devcloud/gateway/http_event.hpp"

#include <gust/headers.hpp>
#include <gust/value.hpp>

#include <fmt/format.h>

#include <ctime>

namespace gust::devcloud {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Query strings are form-encoded: '+' is a space.
std::string query_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t continuation = 0;
    if (c < 0x80) continuation = 0;
    else if ((c >> 5) == 0x6) continuation = 1;
    else if ((c >> 4) == 0xE) continuation = 2;
    else if ((c >> 3) == 0x1E) continuation = 3;
    else return false;
    if (i + continuation >= s.size() && continuation > 0) return false;
    for (std::size_t k = 1; k <= continuation; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    }
    i += continuation + 1;
  }
  return true;
}

std::string clf_time(std::int64_t epoch_ms) {
  const std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%d/%b/%Y:%H:%M:%S +0000", &utc);
  return buffer;
}

GatewayResponse json_message(int status, std::string_view message) {
  Value body;
  body["message"] = message;
  return {status, {{"content-type", "application/json"}}, to_json_text(body)};
}

}  // namespace

bool is_text_content_type(std::string_view content_type) {
  const std::string t = lower(content_type);
  return t.starts_with("text/") || t.find("json") != std::string::npos || t.find("xml") != std::string::npos ||
         t.find("javascript") != std::string::npos || t.starts_with("application/x-www-form-urlencoded");
}

std::string build_http_event(const GatewayRequest& request, const RouteMatch& match, const EventContext& context) {
  const auto question = request.target.find('?');
  const std::string raw_path = request.target.substr(0, question);
  const std::string raw_query = question == std::string::npos ? "" : request.target.substr(question + 1);

  Value event;
  event["version"] = "2.0";
  event["routeKey"] = match.route->route_key();
  event["rawPath"] = raw_path;
  event["rawQueryString"] = raw_query;

  // Cookie headers go to "cookies", one entry per cookie; other repeated headers join with commas.
  Array cookies;
  Value headers = Object{};
  std::string content_type;
  std::string user_agent;
  for (const auto& [name, value] : request.headers) {
    const std::string key = lower(name);
    if (key == "cookie") {
      std::string_view rest = value;
      while (!rest.empty()) {
        const auto semi = rest.find(';');
        std::string_view one = rest.substr(0, semi);
        while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
        if (!one.empty()) cookies.emplace_back(std::string(one));
        rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      }
      continue;
    }
    if (key == "content-type") content_type = value;
    if (key == "user-agent") user_agent = value;
    Value& slot = headers[key];
    slot = slot.is_null() ? Value(value) : Value(slot.as_string() + "," + value);
  }
  if (!cookies.empty()) event["cookies"] = std::move(cookies);
  event["headers"] = std::move(headers);

  if (!raw_query.empty()) {
    Value query = Object{};
    std::string_view rest = raw_query;
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      if (pair.empty()) continue;
      const auto eq = pair.find('=');
      const std::string key = query_decode(pair.substr(0, eq));
      const std::string value = eq == std::string_view::npos ? "" : query_decode(pair.substr(eq + 1));
      Value& slot = query[key];
      slot = slot.is_null() ? Value(value) : Value(slot.as_string() + "," + value);
    }
    event["queryStringParameters"] = std::move(query);
  }

  Value ctx;
  ctx["accountId"] = context.account_id;
  ctx["apiId"] = context.api_id;
  ctx["domainName"] = context.domain_name;
  ctx["domainPrefix"] = context.domain_name.substr(0, context.domain_name.find('.'));
  Value http;
  http["method"] = request.method;
  http["path"] = raw_path;
  http["protocol"] = request.protocol;
  http["sourceIp"] = request.source_ip;
  http["userAgent"] = user_agent;
  ctx["http"] = std::move(http);
  ctx["requestId"] = context.request_id;
  ctx["routeKey"] = match.route->route_key();
  ctx["stage"] = context.stage;
  ctx["time"] = clf_time(context.time_epoch_ms);
  ctx["timeEpoch"] = static_cast<long long>(context.time_epoch_ms);
  event["requestContext"] = std::move(ctx);

  if (!match.params.empty()) {
    Value params = Object{};
    for (const auto& [k, v] : match.params) params[k] = v;
    event["pathParameters"] = std::move(params);
  }
  if (!request.body.empty()) {
    const bool text = content_type.empty() ? valid_utf8(request.body) : is_text_content_type(content_type) && valid_utf8(request.body);
    event["body"] = text ? request.body : base64_encode(request.body);
    event["isBase64Encoded"] = !text;
  } else {
    event["isBase64Encoded"] = false;
  }
  return to_json_text(event);
}

GatewayResponse response_from_payload(std::string_view payload) {
  auto parsed = parse_json(payload);
  if (!parsed) return failure_response(GatewayFailure::function_error);
  const Value& v = *parsed;
  const Value* status = v.find("statusCode");
  if (status == nullptr) {
    // Not the response shape: HTTP APIs answer 200 with the value as a JSON body.
    return {200, {{"content-type", "application/json"}}, std::string(payload)};
  }
  GatewayResponse out;
  if (!status->is_number()) return failure_response(GatewayFailure::function_error);
  out.status = status->kind() == Value::Kind::integer ? static_cast<int>(status->as_int()) : static_cast<int>(status->as_double());
  if (out.status < 100 || out.status > 599) return failure_response(GatewayFailure::function_error);
  if (const Value* headers = v.find("headers"); headers && headers->kind() == Value::Kind::object) {
    for (const auto& m : headers->as_object()) {
      if (m.value.kind() == Value::Kind::string) out.headers.emplace_back(m.key, m.value.as_string());
      else if (m.value.is_number() || m.value.kind() == Value::Kind::boolean) out.headers.emplace_back(m.key, to_json_text(m.value));
    }
  }
  if (const Value* cookies = v.find("cookies"); cookies && cookies->kind() == Value::Kind::array) {
    for (const auto& c : cookies->as_array()) {
      if (c.kind() == Value::Kind::string) out.headers.emplace_back("set-cookie", c.as_string());
    }
  }
  const Value* body = v.find("body");
  const Value* base64 = v.find("isBase64Encoded");
  if (body != nullptr && body->kind() == Value::Kind::string) {
    if (base64 != nullptr && base64->kind() == Value::Kind::boolean && base64->as_bool()) {
      auto decoded = base64_decode(body->as_string());
      if (!decoded) return failure_response(GatewayFailure::function_error);
      out.body = std::move(*decoded);
    } else {
      out.body = body->as_string();
    }
  }
  return out;
}

GatewayResponse failure_response(GatewayFailure failure) {
  switch (failure) {
    case GatewayFailure::function_error: return json_message(500, "Internal Server Error");
    case GatewayFailure::timeout: return json_message(503, "Service Unavailable");
    case GatewayFailure::throttled: return json_message(429, "Too Many Requests");
    case GatewayFailure::no_route: return json_message(404, "Not Found");
  }
  return json_message(500, "Internal Server Error");
}

}  // namespace gust::devcloud
