// Lambda event payloads <-> gust types, with Boost.JSON (parsed once, no
// intermediate gust::Value on the hot HTTP path).
#include "runtime/events.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace gust::runtime {
namespace json = boost::json;

namespace {

Error malformed(std::string_view what, std::string_view where) {
  return Error{ErrorCode::invalid_argument, std::string(what), std::string(where), {}};
}

Result<json::value> parse(std::string_view text, std::string_view event_kind) {
  boost::system::error_code ec;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return Unexpected{malformed(fmt::format("malformed {} event: {}", event_kind, ec.message()), "(event)")};
  if (!v.is_object()) return Unexpected{malformed(fmt::format("malformed {} event: expected a JSON object", event_kind), "(event)")};
  return v;
}

// The string at `key`, or "" when absent or not a string.
std::string_view str(const json::object& o, std::string_view key) {
  auto it = o.find(json::string_view(key.data(), key.size()));
  if (it == o.end() || !it->value().is_string()) return {};
  const auto& s = it->value().get_string();
  return {s.data(), s.size()};
}

const json::object* obj(const json::object& o, std::string_view key) {
  auto it = o.find(json::string_view(key.data(), key.size()));
  if (it == o.end() || !it->value().is_object()) return nullptr;
  return &it->value().get_object();
}

const json::array* arr(const json::object& o, std::string_view key) {
  auto it = o.find(json::string_view(key.data(), key.size()));
  if (it == o.end() || !it->value().is_array()) return nullptr;
  return &it->value().get_array();
}

bool boolean(const json::object& o, std::string_view key) {
  auto it = o.find(json::string_view(key.data(), key.size()));
  return it != o.end() && it->value().is_bool() && it->value().get_bool();
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; `plus_is_space` for form encoding (S3 keys in events, query strings).
std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

Result<std::vector<std::reference_wrapper<const json::object>>> records(const json::value& v, std::string_view kind) {
  const json::array* rs = arr(v.get_object(), "Records");
  if (rs == nullptr) return Unexpected{malformed(fmt::format("not an {} event: no \"Records\" array", kind), "Records")};
  std::vector<std::reference_wrapper<const json::object>> out;
  for (std::size_t i = 0; i < rs->size(); ++i) {
    if (!(*rs)[i].is_object()) return Unexpected{malformed("expected an object", fmt::format("Records[{}]", i))};
    out.emplace_back((*rs)[i].get_object());
  }
  return out;
}

Result<void> set_body(Request& req, const json::object& o) {
  auto body = str(o, "body");
  if (boolean(o, "isBase64Encoded")) {
    auto decoded = base64_decode(body);
    if (!decoded) return Unexpected{malformed("body is marked isBase64Encoded but is not valid base64", "body")};
    req.set_body(std::move(*decoded), true);
  } else {
    req.set_body(std::string(body));
  }
  return {};
}

void set_string_map(const json::object* m, auto&& set) {
  if (m == nullptr) return;
  for (const auto& kv : *m) {
    if (kv.value().is_string()) set(std::string(kv.key()), std::string(kv.value().get_string()));
  }
}

Result<Request> parse_v2(const json::object& o) {
  Request req;
  const json::object* ctx = obj(o, "requestContext");
  const json::object* http = ctx ? obj(*ctx, "http") : nullptr;
  if (http == nullptr) return Unexpected{malformed("payload 2.0 event without requestContext.http", "requestContext.http")};
  req.set_method(std::string(str(*http, "method")));
  req.set_path(std::string(str(o, "rawPath")));
  req.set_route_key(std::string(str(o, "routeKey")));
  req.set_raw_query(std::string(str(o, "rawQueryString")));
  req.set_source_ip(std::string(str(*http, "sourceIp")));
  req.set_request_id(std::string(str(*ctx, "requestId")));
  req.set_stage(std::string(str(*ctx, "stage")));
  set_string_map(obj(o, "headers"), [&](std::string k, std::string v) { req.add_header(k, v); });
  set_string_map(obj(o, "queryStringParameters"), [&](std::string k, std::string v) { req.set_query(std::move(k), std::move(v)); });
  set_string_map(obj(o, "pathParameters"), [&](std::string k, std::string v) { req.set_param(std::move(k), std::move(v)); });
  if (const json::array* cookies = arr(o, "cookies")) {
    for (const auto& c : *cookies) {
      if (c.is_string()) req.add_cookie(std::string(c.get_string()));
    }
  }
  auto body = set_body(req, o);
  if (!body) return Unexpected{std::move(body).error()};
  return req;
}

// REST API (payload 1.0): multi-value maps win over single-value ones, as API Gateway fills both.
Result<Request> parse_v1(const json::object& o) {
  Request req;
  req.set_method(std::string(str(o, "httpMethod")));
  req.set_path(std::string(str(o, "path")));
  const json::object* ctx = obj(o, "requestContext");
  if (ctx != nullptr) {
    req.set_request_id(std::string(str(*ctx, "requestId")));
    req.set_stage(std::string(str(*ctx, "stage")));
    if (const json::object* identity = obj(*ctx, "identity")) req.set_source_ip(std::string(str(*identity, "sourceIp")));
    req.set_route_key(fmt::format("{} {}", str(o, "httpMethod"), str(*ctx, "resourcePath")));
  }
  if (const json::object* mv = obj(o, "multiValueHeaders")) {
    for (const auto& kv : *mv) {
      if (!kv.value().is_array()) continue;
      for (const auto& v : kv.value().get_array()) {
        if (v.is_string()) req.add_header(std::string_view(kv.key()), std::string_view(v.get_string()));
      }
    }
  } else {
    set_string_map(obj(o, "headers"), [&](std::string k, std::string v) { req.add_header(k, v); });
  }
  std::string raw_query;
  if (const json::object* mv = obj(o, "multiValueQueryStringParameters")) {
    for (const auto& kv : *mv) {
      if (!kv.value().is_array()) continue;
      std::string joined;
      for (const auto& v : kv.value().get_array()) {
        if (!v.is_string()) continue;
        if (!joined.empty()) joined += ',';
        joined += v.get_string();
        if (!raw_query.empty()) raw_query += '&';
        raw_query += fmt::format("{}={}", std::string_view(kv.key()), std::string_view(v.get_string()));
      }
      req.set_query(std::string(kv.key()), std::move(joined));
    }
  } else {
    set_string_map(obj(o, "queryStringParameters"), [&](std::string k, std::string v) {
      if (!raw_query.empty()) raw_query += '&';
      raw_query += fmt::format("{}={}", k, v);
      req.set_query(std::move(k), std::move(v));
    });
  }
  req.set_raw_query(std::move(raw_query));
  set_string_map(obj(o, "pathParameters"), [&](std::string k, std::string v) { req.set_param(std::move(k), std::move(v)); });
  if (auto cookie = req.header("cookie")) {
    std::string_view rest = *cookie;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      std::string_view one = rest.substr(0, semi);
      while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
      if (!one.empty()) req.add_cookie(std::string(one));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    }
  }
  auto body = set_body(req, o);
  if (!body) return Unexpected{std::move(body).error()};
  return req;
}

}  // namespace

Result<Request> parse_http_event(std::string_view text) {
  auto v = parse(text, "HTTP");
  if (!v) return Unexpected{std::move(v).error()};
  const auto& o = v->get_object();
  if (str(o, "version") == "2.0") return parse_v2(o);
  if (!str(o, "httpMethod").empty()) return parse_v1(o);
  return Unexpected{malformed(
      "not an API Gateway HTTP event: expected \"version\": \"2.0\" (HTTP API) or \"httpMethod\" (REST API)", "(event)")};
}

std::string http_response_json(const Response& response) {
  json::object out;
  out["statusCode"] = response.status();
  json::object headers;
  for (const auto& [name, value] : response.headers()) {
    // Payload 2.0 has one value per header: repeated names are joined with commas, as API Gateway does.
    auto key = json::string_view(name);
    if (auto it = headers.find(key); it != headers.end()) {
      auto& s = it->value().as_string();
      s.append(",");
      s.append(value);
    } else {
      headers[key] = value;
    }
  }
  out["headers"] = std::move(headers);
  if (!response.cookies().empty()) {
    json::array cookies;
    for (const auto& c : response.cookies()) cookies.emplace_back(c);
    out["cookies"] = std::move(cookies);
  }
  if (response.is_binary()) {
    out["body"] = base64_encode(response.body());
    out["isBase64Encoded"] = true;
  } else {
    out["body"] = response.body();
    out["isBase64Encoded"] = false;
  }
  return json::serialize(out);
}

Result<std::vector<SqsRecord>> parse_sqs_event(std::string_view text) {
  auto v = parse(text, "SQS");
  if (!v) return Unexpected{std::move(v).error()};
  auto rs = records(*v, "SQS");
  if (!rs) return Unexpected{std::move(rs).error()};
  std::vector<SqsRecord> out;
  out.reserve(rs->size());
  for (std::size_t i = 0; i < rs->size(); ++i) {
    const json::object& r = (*rs)[i];
    SqsRecord record;
    if (str(r, "messageId").empty()) return Unexpected{malformed("missing messageId", fmt::format("Records[{}].messageId", i))};
    record.body = std::string(str(r, "body"));
    record.info.message_id = std::string(str(r, "messageId"));
    record.info.receipt_handle = std::string(str(r, "receiptHandle"));
    if (const json::object* attrs = obj(r, "attributes")) {
      auto count = str(*attrs, "ApproximateReceiveCount");
      if (!count.empty()) {
        int n = 0;
        for (char c : count) n = (c >= '0' && c <= '9') ? n * 10 + (c - '0') : n;
        record.info.receive_count = n;
      }
      record.info.sent_timestamp = std::string(str(*attrs, "SentTimestamp"));
    }
    if (const json::object* mattrs = obj(r, "messageAttributes")) {
      for (const auto& kv : *mattrs) {
        if (kv.value().is_object()) {
          auto value = str(kv.value().get_object(), "stringValue");
          if (!value.empty()) record.info.attributes.emplace(std::string(kv.key()), std::string(value));
        }
      }
    }
    out.push_back(std::move(record));
  }
  return out;
}

std::string sqs_batch_response(const std::vector<std::string>& failed_message_ids) {
  json::array failures;
  for (const auto& id : failed_message_ids) failures.push_back(json::object{{"itemIdentifier", id}});
  return json::serialize(json::object{{"batchItemFailures", std::move(failures)}});
}

Result<std::vector<SnsRecord>> parse_sns_event(std::string_view text) {
  auto v = parse(text, "SNS");
  if (!v) return Unexpected{std::move(v).error()};
  auto rs = records(*v, "SNS");
  if (!rs) return Unexpected{std::move(rs).error()};
  std::vector<SnsRecord> out;
  for (std::size_t i = 0; i < rs->size(); ++i) {
    const json::object* sns = obj((*rs)[i].get(), "Sns");
    if (sns == nullptr) return Unexpected{malformed("missing \"Sns\" object", fmt::format("Records[{}].Sns", i))};
    out.push_back({std::string(str(*sns, "Message")), std::string(str(*sns, "MessageId")),
                   std::string(str(*sns, "TopicArn")), std::string(str(*sns, "Subject"))});
  }
  return out;
}

Result<std::vector<ObjectCreated>> parse_s3_event(std::string_view text) {
  auto v = parse(text, "S3");
  if (!v) return Unexpected{std::move(v).error()};
  auto rs = records(*v, "S3");
  if (!rs) return Unexpected{std::move(rs).error()};
  std::vector<ObjectCreated> out;
  for (std::size_t i = 0; i < rs->size(); ++i) {
    const json::object& r = (*rs)[i];
    const json::object* s3 = obj(r, "s3");
    const json::object* bucket = s3 ? obj(*s3, "bucket") : nullptr;
    const json::object* object = s3 ? obj(*s3, "object") : nullptr;
    if (bucket == nullptr || object == nullptr)
      return Unexpected{malformed("missing s3.bucket or s3.object", fmt::format("Records[{}].s3", i))};
    ObjectCreated e;
    e.bucket = std::string(str(*bucket, "name"));
    e.key = url_decode(str(*object, "key"), true);
    if (auto it = object->find("size"); it != object->end() && it->value().is_number()) {
      e.size = it->value().to_number<std::uint64_t>();
    }
    e.etag = std::string(str(*object, "eTag"));
    e.version_id = std::string(str(*object, "versionId"));
    e.event_name = std::string(str(r, "eventName"));
    e.event_time = std::string(str(r, "eventTime"));
    out.push_back(std::move(e));
  }
  return out;
}

Result<ScheduleEvent> parse_schedule_event(std::string_view text) {
  auto v = parse(text, "scheduled");
  if (!v) return Unexpected{std::move(v).error()};
  const auto& o = v->get_object();
  if (str(o, "detail-type") != "Scheduled Event")
    return Unexpected{malformed("not a scheduled event: expected \"detail-type\": \"Scheduled Event\"", "detail-type")};
  ScheduleEvent e;
  e.id = std::string(str(o, "id"));
  e.time = std::string(str(o, "time"));
  e.region = std::string(str(o, "region"));
  e.account = std::string(str(o, "account"));
  if (const json::array* resources = arr(o, "resources"); resources && !resources->empty() && (*resources)[0].is_string()) {
    e.rule = std::string((*resources)[0].get_string());
  }
  return e;
}

}  // namespace gust::runtime
