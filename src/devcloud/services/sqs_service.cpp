#include "devcloud/services/sqs_service.hpp"

#include "devcloud/services/aws_common.hpp"
#include "devcloud/services/query_protocol.hpp"
#include "devcloud/services/sigv4_check.hpp"
#include "devcloud/services/sqlite_db.hpp"

#include <gust/value.hpp>

#include <boost/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <list>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

namespace gust::localaws {

namespace json = boost::json;

namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS queues(
  name TEXT PRIMARY KEY,
  attributes TEXT NOT NULL,
  tags TEXT NOT NULL,
  created INTEGER NOT NULL,
  modified INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS messages(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  id TEXT NOT NULL,
  body TEXT NOT NULL,
  attributes TEXT NOT NULL,
  system_attributes TEXT NOT NULL,
  sent INTEGER NOT NULL,
  visible_at INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  first_receive INTEGER,
  receipt TEXT,
  group_id TEXT,
  dedup_id TEXT,
  sender TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS messages_ready ON messages(queue, visible_at, seq);
CREATE TABLE IF NOT EXISTS dedup(
  queue TEXT NOT NULL, dedup_id TEXT NOT NULL, message_id TEXT NOT NULL, sequence TEXT NOT NULL, expires INTEGER NOT NULL,
  PRIMARY KEY(queue, dedup_id)) WITHOUT ROWID;
)sql";

constexpr int kMaxWaiters = 1024;
constexpr std::int64_t kDedupWindowMs = 5 * 60 * 1000;

// SQS errors: the JSON code, the query protocol's code, the message.
AwsError sqs_error(std::string code, std::string message, std::string query_code = {}, int status = 400) {
  if (query_code.empty()) query_code = code;
  return AwsError(status, std::move(code), std::move(message), std::move(query_code));
}
AwsError queue_missing() {
  return sqs_error("QueueDoesNotExist", "The specified queue does not exist.", "AWS.SimpleQueueService.NonExistentQueue");
}
AwsError invalid_parameter(std::string message) { return sqs_error("InvalidParameterValue", std::move(message)); }
AwsError missing_parameter(std::string_view name) {
  return sqs_error("MissingParameter", "The request must contain the parameter " + std::string(name) + ".");
}

// ---- request access (the JSON protocol's members; the query protocol is converted to them)
std::optional<std::string> str(const json::object& req, std::string_view name) {
  const auto* v = req.if_contains(name);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_bool()) return v->get_bool() ? "true" : "false";
  throw sqs_error("InvalidParameterValue", "Value for parameter " + std::string(name) + " is invalid. Reason: Must be a string.");
}
std::optional<std::int64_t> integer(const json::object& req, std::string_view name) {
  const auto* v = req.if_contains(name);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_string()) {
    const std::string s(v->get_string());
    if (!s.empty() && s.size() < 12 && s.find_first_not_of("-0123456789") == std::string::npos) return std::stoll(s);
  }
  throw invalid_parameter("Value " + json::serialize(*v) + " for parameter " + std::string(name) + " is invalid. Reason: Must be an integer.");
}
std::vector<std::string> strings(const json::object& req, std::string_view name) {
  std::vector<std::string> out;
  const auto* v = req.if_contains(name);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) throw invalid_parameter("Value for parameter " + std::string(name) + " is invalid. Reason: Must be a list.");
  for (const auto& e : v->get_array()) {
    if (e.is_string()) out.emplace_back(e.get_string());
  }
  return out;
}
const json::object* map_member(const json::object& req, std::string_view name) {
  const auto* v = req.if_contains(name);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_object()) throw invalid_parameter("Value for parameter " + std::string(name) + " is invalid. Reason: Must be a map.");
  return &v->get_object();
}

std::string queue_name_of(const json::object& req) {
  auto url = str(req, "QueueUrl");
  if (!url || url->empty()) throw missing_parameter("QueueUrl");
  // https://sqs.region.amazonaws.com/123456789012/name, http://127.0.0.1:4566/000000000000/name, or the bare name.
  std::string_view u = *url;
  if (const auto q = u.find('?'); q != std::string_view::npos) u = u.substr(0, q);
  while (!u.empty() && u.back() == '/') u.remove_suffix(1);
  const auto slash = u.rfind('/');
  return std::string(slash == std::string_view::npos ? u : u.substr(slash + 1));
}

bool valid_queue_name(std::string_view name) {
  std::string_view base = name;
  if (base.size() > 5 && base.substr(base.size() - 5) == ".fifo") base.remove_suffix(5);
  if (name.empty() || name.size() > 80) return false;
  for (char c : base) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

// Characters SQS accepts in bodies and attribute strings.
bool valid_sqs_text(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0;
    int len = 0;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0F;
      len = 3;
    } else if ((c >> 3) == 30) {
      cp = c & 0x07;
      len = 4;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(len) > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((cc >> 6) != 2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    i += static_cast<std::size_t>(len);
    const bool ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
                    (cp >= 0x10000 && cp <= 0x10FFFF);
    if (!ok) return false;
  }
  return true;
}

std::string sha256_hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
  return to_hex(std::string_view(reinterpret_cast<const char*>(out), len));
}

// MD5 of message attributes as SQS computes it (and clients verify it):
// sorted by name; each: name, data type, transport byte, value, every
// string and value prefixed by its 4-byte big-endian length.
std::string md5_of_attributes(const json::object& attrs) {
  if (attrs.empty()) return {};
  std::vector<std::string> names;
  for (const auto& [k, v] : attrs) names.emplace_back(k);
  std::sort(names.begin(), names.end());
  std::string buf;
  auto put = [&](std::string_view bytes) {
    const auto n = static_cast<std::uint32_t>(bytes.size());
    buf += static_cast<char>(n >> 24);
    buf += static_cast<char>((n >> 16) & 0xFF);
    buf += static_cast<char>((n >> 8) & 0xFF);
    buf += static_cast<char>(n & 0xFF);
    buf += bytes;
  };
  for (const auto& name : names) {
    const auto& a = attrs.at(name).get_object();
    const std::string type(a.at("DataType").get_string());
    put(name);
    put(type);
    if (type.rfind("Binary", 0) == 0) {
      buf += '\x02';
      auto decoded = base64_decode(a.at("BinaryValue").get_string());
      put(decoded ? *decoded : std::string{});
    } else {
      buf += '\x01';
      put(a.at("StringValue").get_string());
    }
  }
  return md5_hex(buf);
}

// Validates MessageAttributes as SQS does; returns them normalised and their size in bytes.
json::object check_message_attributes(const json::object* attrs, std::size_t& size, bool system = false) {
  json::object out;
  if (!attrs) return out;
  if (!system && attrs->size() > 10) {
    throw invalid_parameter("Number of message attributes [" + std::to_string(attrs->size()) + "] exceeds the allowed maximum [10].");
  }
  for (const auto& [name_sv, value] : *attrs) {
    const std::string name(name_sv);
    if (system && name != "AWSTraceHeader") {
      throw invalid_parameter("Message system attribute name '" + name + "' is invalid.");
    }
    if (!value.is_object()) throw invalid_parameter("The message attribute '" + name + "' must contain non-empty message attribute type.");
    const auto& a = value.get_object();
    const auto type = str(a, "DataType");
    if (!type || type->empty()) throw invalid_parameter("The message attribute '" + name + "' must contain non-empty message attribute type.");
    const bool binary = type->rfind("Binary", 0) == 0;
    const bool number = type->rfind("Number", 0) == 0;
    if (!binary && !number && type->rfind("String", 0) != 0) {
      throw invalid_parameter("The type of message (user) attribute '" + name + "' is invalid. You must use only the following supported type prefixes: Binary, Number, String.");
    }
    json::object norm{{"DataType", *type}};
    if (binary) {
      const auto v = str(a, "BinaryValue");
      if (!v || v->empty()) {
        throw invalid_parameter("The message attribute '" + name + "' with type 'Binary' must use field 'Binary'.");
      }
      norm["BinaryValue"] = *v;
      size += base64_decode(*v).value_or(std::string{}).size();
    } else {
      const auto v = str(a, "StringValue");
      if (!v || v->empty()) {
        throw invalid_parameter("The message attribute '" + name + "' must contain non-empty message attribute value for message attribute type '" + *type + "'.");
      }
      if (number && !std::regex_match(*v, std::regex(R"([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)"))) {
        throw invalid_parameter("Can't cast the value of message (user) attribute '" + name + "' to a number.");
      }
      if (!valid_sqs_text(*v)) {
        throw sqs_error("InvalidMessageContents",
                        "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
      }
      norm["StringValue"] = *v;
      size += v->size();
    }
    size += name.size() + type->size();
    out[name] = std::move(norm);
  }
  return out;
}

const std::map<std::string, std::pair<std::int64_t, std::int64_t>>& attribute_ranges() {
  static const std::map<std::string, std::pair<std::int64_t, std::int64_t>> kRanges = {
      {"VisibilityTimeout", {0, 43200}},       {"DelaySeconds", {0, 900}},
      {"ReceiveMessageWaitTimeSeconds", {0, 20}}, {"MaximumMessageSize", {1024, 1048576}},
      {"MessageRetentionPeriod", {60, 1209600}}, {"KmsDataKeyReusePeriodSeconds", {60, 86400}}};
  return kRanges;
}

const std::set<std::string>& settable_attributes() {
  static const std::set<std::string> kSettable = {
      "VisibilityTimeout", "DelaySeconds",     "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds",
      "RedrivePolicy",     "RedriveAllowPolicy", "Policy",           "KmsMasterKeyId",        "KmsDataKeyReusePeriodSeconds",
      "FifoQueue",         "ContentBasedDeduplication", "SqsManagedSseEnabled", "DeduplicationScope", "FifoThroughputLimit"};
  return kSettable;
}

struct Queue {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::int64_t created = 0;
  std::int64_t modified = 0;
  bool fifo() const { return name.size() > 5 && name.substr(name.size() - 5) == ".fifo"; }
  std::int64_t attr_int(const std::string& key, std::int64_t fallback) const {
    auto it = attributes.find(key);
    if (it == attributes.end()) return fallback;
    try {
      return std::stoll(it->second);
    } catch (...) {
      return fallback;
    }
  }
};

struct Redrive {
  std::string dead_letter_queue;  // name
  std::int64_t max_receive_count = 0;
};

std::optional<Redrive> redrive_of(const Queue& q) {
  auto it = q.attributes.find("RedrivePolicy");
  if (it == q.attributes.end() || it->second.empty()) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(it->second, ec);
  if (ec || !v.is_object()) return std::nullopt;
  Redrive r;
  const auto* arn = v.get_object().if_contains("deadLetterTargetArn");
  const auto* max = v.get_object().if_contains("maxReceiveCount");
  if (!arn || !arn->is_string() || !max) return std::nullopt;
  const std::string a(arn->get_string());
  r.dead_letter_queue = a.substr(a.rfind(':') + 1);
  if (max->is_string()) {
    try {
      r.max_receive_count = std::stoll(std::string(max->get_string()));
    } catch (...) {
      return std::nullopt;
    }
  } else if (max->is_int64()) {
    r.max_receive_count = max->get_int64();
  }
  if (r.max_receive_count < 1) return std::nullopt;
  return r;
}

}  // namespace

struct SqsService::Impl {
  ServiceOptions options;
  std::unique_ptr<Db> db;
  mutable std::mutex mu;  // the database

  // Long polls waiting for messages.
  struct Waiter {
    std::string queue;
    json::object request;
    std::string host;
    std::int64_t deadline_ms;
    Reply reply;
    std::function<void(const json::object& result, Reply& reply)> render;
    std::function<void(const AwsError& error, Reply& reply)> render_error;
  };
  std::mutex waiters_mu;
  std::condition_variable waiters_cv;
  std::list<Waiter> waiters;
  bool stopping = false;
  std::thread poller;

  std::mutex callback_mu;
  std::function<void(const std::string&)> on_message;

  // ---- queues
  std::optional<Queue> find_queue(const std::string& name) const {
    auto& st = db->stmt("SELECT attributes, created, modified FROM queues WHERE name=?1");
    st.bind_text(1, name);
    if (!st.step()) return std::nullopt;
    Queue q;
    q.name = name;
    json::value attrs = json::parse(st.column_text(0));
    for (const auto& [k, v] : attrs.get_object()) q.attributes[std::string(k)] = std::string(v.get_string());
    q.created = st.column_int(1);
    q.modified = st.column_int(2);
    st.reset();
    return q;
  }
  Queue require_queue(const std::string& name) const {
    auto q = find_queue(name);
    if (!q) throw queue_missing();
    return *q;
  }
  std::string url(const std::string& name, std::string_view host) const {
    return "http://" + std::string(host.empty() ? "localhost" : host) + "/" + options.account_id + "/" + name;
  }
  std::string arn(const std::string& name) const { return "arn:aws:sqs:" + options.region + ":" + options.account_id + ":" + name; }

  void save_queue(const Queue& q, const json::object& tags) {
    json::object attrs;
    for (const auto& [k, v] : q.attributes) attrs[k] = v;
    db->stmt("INSERT OR REPLACE INTO queues(name, attributes, tags, created, modified) VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind_text(1, q.name)
        .bind_text(2, json::serialize(attrs))
        .bind_text(3, json::serialize(tags))
        .bind(4, q.created)
        .bind(5, q.modified)
        .run();
  }
  json::object queue_tags(const std::string& name) const {
    auto& st = db->stmt("SELECT tags FROM queues WHERE name=?1");
    st.bind_text(1, name);
    json::object tags;
    if (st.step()) tags = json::parse(st.column_text(0)).get_object();
    st.reset();
    return tags;
  }

  // Checks queue attributes as SetQueueAttributes/CreateQueue do.
  void check_attributes(const std::map<std::string, std::string>& attrs, bool fifo) const {
    for (const auto& [k, v] : attrs) {
      if (!settable_attributes().count(k)) throw sqs_error("InvalidAttributeName", "Unknown Attribute " + k + ".");
      auto range = attribute_ranges().find(k);
      if (range != attribute_ranges().end()) {
        bool ok = !v.empty() && v.size() < 12 && v.find_first_not_of("0123456789") == std::string::npos;
        if (ok) {
          const auto n = std::stoll(v);
          ok = n >= range->second.first && n <= range->second.second;
        }
        if (!ok) {
          throw sqs_error("InvalidAttributeValue", "Invalid value for the parameter " + k + ". Reason: Must be between " +
                                                       std::to_string(range->second.first) + " and " + std::to_string(range->second.second) + ".");
        }
      }
      if (k == "RedrivePolicy" && !v.empty()) {
        boost::system::error_code ec;
        auto parsed = json::parse(v, ec);
        if (ec || !parsed.is_object()) {
          throw invalid_parameter("Value " + v + " for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map.");
        }
        Queue probe;
        probe.attributes["RedrivePolicy"] = v;
        auto r = redrive_of(probe);
        if (!r) {
          throw invalid_parameter("Value " + v + " for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: maxReceiveCount.");
        }
        if (!find_queue(r->dead_letter_queue)) {
          throw invalid_parameter("Value " + v + " for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.");
        }
      }
      if ((k == "FifoQueue" || k == "ContentBasedDeduplication") && v != "true" && v != "false") {
        throw sqs_error("InvalidAttributeValue", "Invalid value for the parameter " + k + ".");
      }
      if (k == "ContentBasedDeduplication" && !fifo) {
        throw sqs_error("InvalidAttributeName", "Unknown Attribute ContentBasedDeduplication.");
      }
    }
  }

  // ---- operations (JSON protocol shapes)
  json::object create_queue(const json::object& req, std::string_view host) {
    const auto name = str(req, "QueueName");
    if (!name) throw missing_parameter("QueueName");
    if (!valid_queue_name(*name)) {
      throw invalid_parameter("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
    }
    std::map<std::string, std::string> attrs;
    if (const auto* given = map_member(req, "Attributes")) {
      for (const auto& [k, v] : *given) attrs[std::string(k)] = v.is_string() ? std::string(v.get_string()) : json::serialize(v);
    }
    const bool fifo_name = name->size() > 5 && name->substr(name->size() - 5) == ".fifo";
    auto fifo_attr = attrs.find("FifoQueue");
    if (fifo_attr != attrs.end() && fifo_attr->second == "true" && !fifo_name) {
      throw invalid_parameter("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix.");
    }
    if (fifo_name && (fifo_attr == attrs.end() || fifo_attr->second != "true")) {
      throw invalid_parameter("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix.");
    }
    check_attributes(attrs, fifo_name);
    json::object tags;
    if (const auto* t = map_member(req, "tags")) tags = *t;
    Transaction tx(*db);
    if (auto existing = find_queue(*name)) {
      for (const auto& [k, v] : attrs) {
        auto it = existing->attributes.find(k);
        const std::string current = it == existing->attributes.end() ? "" : it->second;
        if (current != v) {
          throw sqs_error("QueueNameExists", "A queue already exists with the same name and a different value for attribute " + k,
                          "QueueAlreadyExists");
        }
      }
      return json::object{{"QueueUrl", url(*name, host)}};
    }
    Queue q;
    q.name = *name;
    q.attributes = {{"VisibilityTimeout", "30"},
                    {"DelaySeconds", "0"},
                    {"MaximumMessageSize", "1048576"},
                    {"MessageRetentionPeriod", "345600"},
                    {"ReceiveMessageWaitTimeSeconds", "0"},
                    {"SqsManagedSseEnabled", "true"}};
    if (fifo_name) {
      q.attributes["ContentBasedDeduplication"] = "false";
      q.attributes["DeduplicationScope"] = "queue";
      q.attributes["FifoThroughputLimit"] = "perQueue";
    }
    for (const auto& [k, v] : attrs) q.attributes[k] = v;
    q.created = q.modified = now_ms() / 1000;
    save_queue(q, tags);
    tx.commit();
    return json::object{{"QueueUrl", url(*name, host)}};
  }

  json::object get_queue_url(const json::object& req, std::string_view host) {
    const auto name = str(req, "QueueName");
    if (!name) throw missing_parameter("QueueName");
    require_queue(*name);
    return json::object{{"QueueUrl", url(*name, host)}};
  }

  json::object delete_queue(const json::object& req) {
    const std::string name = queue_name_of(req);
    Transaction tx(*db);
    require_queue(name);
    db->stmt("DELETE FROM messages WHERE queue=?1").bind_text(1, name).run();
    db->stmt("DELETE FROM dedup WHERE queue=?1").bind_text(1, name).run();
    db->stmt("DELETE FROM queues WHERE name=?1").bind_text(1, name).run();
    tx.commit();
    return {};
  }

  json::object list_queues(const json::object& req, std::string_view host) {
    const std::string prefix = str(req, "QueueNamePrefix").value_or("");
    const auto max = integer(req, "MaxResults");
    if (max && (*max < 1 || *max > 1000)) {
      throw invalid_parameter("Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.");
    }
    const std::string after = str(req, "NextToken").value_or("");
    auto& st = db->stmt("SELECT name FROM queues WHERE name > ?1 ORDER BY name");
    st.bind_text(1, after);
    json::array urls;
    std::string last;
    bool more = false;
    while (st.step()) {
      const std::string name = st.column_text(0);
      if (name.compare(0, prefix.size(), prefix) != 0) continue;
      if (max && static_cast<std::int64_t>(urls.size()) >= *max) {
        more = true;
        break;
      }
      urls.push_back(json::value(url(name, host)));
      last = name;
    }
    st.reset();
    json::object out;
    if (!urls.empty()) out["QueueUrls"] = std::move(urls);
    if (more) out["NextToken"] = last;
    return out;
  }

  json::object get_queue_attributes(const json::object& req) {
    const Queue q = require_queue(queue_name_of(req));
    auto names = strings(req, "AttributeNames");
    const bool all = std::find(names.begin(), names.end(), "All") != names.end();
    const std::int64_t now = now_ms();
    auto count = [&](const char* sql) {
      auto& st = db->stmt(sql);
      st.bind_text(1, q.name).bind(2, now);
      st.step();
      const auto n = st.column_int(0);
      st.reset();
      return std::to_string(n);
    };
    std::map<std::string, std::string> computed = q.attributes;
    computed["QueueArn"] = arn(q.name);
    computed["CreatedTimestamp"] = std::to_string(q.created);
    computed["LastModifiedTimestamp"] = std::to_string(q.modified);
    computed["ApproximateNumberOfMessages"] = count("SELECT COUNT(*) FROM messages WHERE queue=?1 AND visible_at<=?2");
    computed["ApproximateNumberOfMessagesNotVisible"] = count("SELECT COUNT(*) FROM messages WHERE queue=?1 AND visible_at>?2 AND receive_count>0");
    computed["ApproximateNumberOfMessagesDelayed"] = count("SELECT COUNT(*) FROM messages WHERE queue=?1 AND visible_at>?2 AND receive_count=0");
    static const std::set<std::string> kReadable = {
        "All", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed", "ApproximateNumberOfMessagesNotVisible",
        "CreatedTimestamp", "DelaySeconds", "LastModifiedTimestamp", "MaximumMessageSize", "MessageRetentionPeriod", "Policy",
        "QueueArn", "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "RedriveAllowPolicy", "VisibilityTimeout", "KmsMasterKeyId",
        "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope",
        "FifoThroughputLimit"};
    json::object attrs;
    for (const auto& n : names) {
      if (!kReadable.count(n)) throw sqs_error("InvalidAttributeName", "Unknown Attribute " + n + ".");
    }
    for (const auto& [k, v] : computed) {
      if (all || std::find(names.begin(), names.end(), k) != names.end()) attrs[k] = v;
    }
    json::object out;
    if (!attrs.empty()) out["Attributes"] = std::move(attrs);
    return out;
  }

  json::object set_queue_attributes(const json::object& req) {
    const std::string name = queue_name_of(req);
    Transaction tx(*db);
    Queue q = require_queue(name);
    std::map<std::string, std::string> attrs;
    if (const auto* given = map_member(req, "Attributes")) {
      for (const auto& [k, v] : *given) attrs[std::string(k)] = v.is_string() ? std::string(v.get_string()) : json::serialize(v);
    }
    if (attrs.count("FifoQueue") && attrs["FifoQueue"] != (q.fifo() ? "true" : "false")) {
      throw sqs_error("InvalidAttributeValue", "Invalid value for the parameter FifoQueue. You cannot change the FifoQueue attribute of an existing queue.");
    }
    check_attributes(attrs, q.fifo());
    for (const auto& [k, v] : attrs) {
      if (v.empty() && (k == "RedrivePolicy" || k == "Policy" || k == "RedriveAllowPolicy")) {
        q.attributes.erase(k);
      } else {
        q.attributes[k] = v;
      }
    }
    q.modified = now_ms() / 1000;
    save_queue(q, queue_tags(name));
    tx.commit();
    return {};
  }

  json::object purge_queue(const json::object& req) {
    const std::string name = queue_name_of(req);
    Transaction tx(*db);
    require_queue(name);
    db->stmt("DELETE FROM messages WHERE queue=?1").bind_text(1, name).run();
    tx.commit();
    return {};
  }

  // One message; returns the SendMessage result members.
  json::object send_one(const Queue& q, const json::object& entry, const std::string& sender) {
    const auto body = str(entry, "MessageBody");
    if (!body || body->empty()) throw missing_parameter("MessageBody");
    if (!valid_sqs_text(*body)) {
      throw sqs_error("InvalidMessageContents",
                      "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
    }
    std::size_t size = body->size();
    json::object attrs = check_message_attributes(map_member(entry, "MessageAttributes"), size);
    std::size_t ignored = 0;
    json::object system_attrs = check_message_attributes(map_member(entry, "MessageSystemAttributes"), ignored, true);
    const auto max_size = q.attr_int("MaximumMessageSize", 1048576);
    if (static_cast<std::int64_t>(size) > max_size) {
      throw invalid_parameter("One or more parameters are invalid. Reason: Message must be shorter than " + std::to_string(max_size) + " bytes.");
    }
    auto delay = integer(entry, "DelaySeconds");
    if (delay && (*delay < 0 || *delay > 900)) {
      throw invalid_parameter("Value " + std::to_string(*delay) + " for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.");
    }
    auto group = str(entry, "MessageGroupId");
    auto dedup = str(entry, "MessageDeduplicationId");
    const std::int64_t now = now_ms();
    std::string sequence;
    if (q.fifo()) {
      if (delay && *delay != 0) {
        throw invalid_parameter("Value " + std::to_string(*delay) + " for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.");
      }
      if (!group) throw missing_parameter("MessageGroupId");
      if (!dedup) {
        if (q.attributes.count("ContentBasedDeduplication") && q.attributes.at("ContentBasedDeduplication") == "true") {
          dedup = sha256_hex(*body);
        } else {
          throw invalid_parameter("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
        }
      }
      db->stmt("DELETE FROM dedup WHERE expires < ?1").bind(1, now).run();
      auto& st = db->stmt("SELECT message_id, sequence FROM dedup WHERE queue=?1 AND dedup_id=?2");
      st.bind_text(1, q.name).bind_text(2, *dedup);
      if (st.step()) {
        // A duplicate within five minutes: accepted, not enqueued again.
        json::object out{{"MessageId", st.column_text(0)}, {"MD5OfMessageBody", md5_hex(*body)}, {"SequenceNumber", st.column_text(1)}};
        st.reset();
        if (!attrs.empty()) out["MD5OfMessageAttributes"] = md5_of_attributes(attrs);
        return out;
      }
      st.reset();
      char buf[32];
      std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(now * 1000 + (db->changes() % 1000)));
      sequence = buf;
    } else if (group) {
      // Standard queues accept a MessageGroupId (fair queues) and ignore it for ordering.
    }
    const std::int64_t delay_s = delay.value_or(q.attr_int("DelaySeconds", 0));
    const std::string id = uuid_v4();
    db->stmt("INSERT INTO messages(queue, id, body, attributes, system_attributes, sent, visible_at, group_id, dedup_id, sender) "
             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
        .bind_text(1, q.name)
        .bind_text(2, id)
        .bind_text(3, *body)
        .bind_text(4, json::serialize(attrs))
        .bind_text(5, json::serialize(system_attrs))
        .bind(6, now)
        .bind(7, now + delay_s * 1000)
        .bind_text(8, group.value_or(""))
        .bind_text(9, dedup.value_or(""))
        .bind_text(10, sender)
        .run();
    if (q.fifo()) {
      db->stmt("INSERT OR REPLACE INTO dedup(queue, dedup_id, message_id, sequence, expires) VALUES(?1, ?2, ?3, ?4, ?5)")
          .bind_text(1, q.name)
          .bind_text(2, *dedup)
          .bind_text(3, id)
          .bind_text(4, sequence)
          .bind(5, now + kDedupWindowMs)
          .run();
    }
    json::object out{{"MessageId", id}, {"MD5OfMessageBody", md5_hex(*body)}};
    if (!attrs.empty()) out["MD5OfMessageAttributes"] = md5_of_attributes(attrs);
    if (!system_attrs.empty()) out["MD5OfMessageSystemAttributes"] = md5_of_attributes(system_attrs);
    if (!sequence.empty()) out["SequenceNumber"] = sequence;
    return out;
  }

  json::object send_message(const json::object& req, const std::string& sender, std::string& queue_out) {
    queue_out = queue_name_of(req);
    Transaction tx(*db);
    const Queue q = require_queue(queue_out);
    json::object out = send_one(q, req, sender);
    tx.commit();
    return out;
  }

  // Checks a batch's entries (count, ids) as SQS does.
  static const json::array& batch_entries(const json::object& req) {
    const auto* v = req.if_contains("Entries");
    if (!v || !v->is_array() || v->get_array().empty()) {
      throw sqs_error("EmptyBatchRequest", "There should be at least one SendMessageBatchRequestEntry in the request.",
                      "AWS.SimpleQueueService.EmptyBatchRequest");
    }
    const auto& entries = v->get_array();
    if (entries.size() > 10) {
      throw sqs_error("TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10. You have sent " + std::to_string(entries.size()) + ".",
                      "AWS.SimpleQueueService.TooManyEntriesInBatchRequest");
    }
    std::set<std::string> ids;
    static const std::regex kId("[A-Za-z0-9_-]{1,80}");
    for (const auto& e : entries) {
      if (!e.is_object()) throw invalid_parameter("Batch entries must be objects.");
      const auto id = str(e.get_object(), "Id");
      if (!id || !std::regex_match(*id, kId)) {
        throw sqs_error("InvalidBatchEntryId", "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
                        "AWS.SimpleQueueService.InvalidBatchEntryId");
      }
      if (!ids.insert(*id).second) {
        throw sqs_error("BatchEntryIdsNotDistinct", "Id " + *id + " repeated.", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct");
      }
    }
    return entries;
  }

  static json::object batch_failure(const std::string& id, const AwsError& e) {
    return json::object{{"Id", id}, {"SenderFault", e.status < 500}, {"Code", e.type}, {"Message", e.message}};
  }

  json::object send_message_batch(const json::object& req, const std::string& sender, std::string& queue_out) {
    queue_out = queue_name_of(req);
    Transaction tx(*db);
    const Queue q = require_queue(queue_out);
    const auto& entries = batch_entries(req);
    std::size_t total = 0;
    for (const auto& e : entries) total += str(e.get_object(), "MessageBody").value_or("").size();
    if (total > 1048576) {
      throw sqs_error("BatchRequestTooLong", "Batch requests cannot be longer than 1048576 bytes. You have sent " + std::to_string(total) + " bytes.",
                      "AWS.SimpleQueueService.BatchRequestTooLong");
    }
    json::array ok;
    json::array failed;
    for (const auto& e : entries) {
      const auto id = *str(e.get_object(), "Id");
      try {
        json::object r = send_one(q, e.get_object(), sender);
        r["Id"] = id;
        ok.push_back(std::move(r));
      } catch (const AwsError& err) {
        failed.push_back(batch_failure(id, err));
      }
    }
    tx.commit();
    return json::object{{"Successful", std::move(ok)}, {"Failed", std::move(failed)}};
  }

  // Takes up to `max` visible messages, redriving those past maxReceiveCount.
  std::vector<json::object> take(const Queue& q, int max, std::int64_t visibility_s) {
    std::vector<json::object> out;
    const std::int64_t now = now_ms();
    db->stmt("DELETE FROM messages WHERE queue=?1 AND sent < ?2").bind_text(1, q.name).bind(2, now - q.attr_int("MessageRetentionPeriod", 345600) * 1000).run();
    const auto redrive = redrive_of(q);
    std::optional<Queue> dlq;
    if (redrive) dlq = find_queue(redrive->dead_letter_queue);
    std::set<std::string> blocked_groups;
    if (q.fifo()) {
      auto& st = db->stmt("SELECT DISTINCT group_id FROM messages WHERE queue=?1 AND visible_at>?2 AND receive_count>0");
      st.bind_text(1, q.name).bind(2, now);
      while (st.step()) blocked_groups.insert(st.column_text(0));
      st.reset();
    }
    struct Row {
      std::int64_t seq;
      std::string id, body, attributes, system_attributes, group, dedup, sender;
      std::int64_t sent, receive_count, first_receive;
    };
    std::vector<Row> rows;
    {
      auto& st = db->stmt(
          "SELECT seq, id, body, attributes, system_attributes, sent, receive_count, first_receive, group_id, dedup_id, sender "
          "FROM messages WHERE queue=?1 AND visible_at<=?2 ORDER BY seq LIMIT ?3");
      st.bind_text(1, q.name).bind(2, now).bind(3, static_cast<std::int64_t>(max) * 4 + 16);
      while (st.step()) {
        rows.push_back(Row{st.column_int(0), st.column_text(1), st.column_text(2), st.column_text(3), st.column_text(4), st.column_text(8),
                           st.column_text(9), st.column_text(10), st.column_int(5), st.column_int(6),
                           st.column_is_null(7) ? 0 : st.column_int(7)});
      }
      st.reset();
    }
    std::set<std::string> failed_groups;
    for (const auto& r : rows) {
      if (static_cast<int>(out.size()) >= max) break;
      if (q.fifo() && (blocked_groups.count(r.group) || failed_groups.count(r.group))) continue;
      if (redrive && dlq && r.receive_count >= redrive->max_receive_count) {
        // Received maxReceiveCount times and not deleted: to the dead-letter queue. Like SQS (and moto),
        // the message keeps its receive count, so the dead-letter queue shows how often it was tried.
        db->stmt("INSERT INTO messages(queue, id, body, attributes, system_attributes, sent, visible_at, group_id, dedup_id, sender, "
                 "receive_count, first_receive) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
            .bind_text(1, dlq->name)
            .bind_text(2, r.id)
            .bind_text(3, r.body)
            .bind_text(4, r.attributes)
            .bind_text(5, r.system_attributes)
            .bind(6, r.sent)
            .bind(7, now)
            .bind_text(8, r.group)
            .bind_text(9, r.dedup)
            .bind_text(10, r.sender)
            .bind(11, r.receive_count)
            .bind(12, r.first_receive)
            .run();
        db->stmt("DELETE FROM messages WHERE seq=?1").bind(1, r.seq).run();
        if (q.fifo()) failed_groups.insert(r.group);
        continue;
      }
      const std::string receipt = base64_encode(std::to_string(r.seq) + ":" + q.name + ":" + random_hex(24));
      const std::int64_t first = r.first_receive ? r.first_receive : now;
      db->stmt("UPDATE messages SET receive_count=receive_count+1, visible_at=?2, receipt=?3, first_receive=?4 WHERE seq=?1")
          .bind(1, r.seq)
          .bind(2, now + visibility_s * 1000)
          .bind_text(3, receipt)
          .bind(4, first)
          .run();
      json::object m{{"MessageId", r.id}, {"ReceiptHandle", receipt}, {"MD5OfBody", md5_hex(r.body)}, {"Body", r.body}};
      json::object sys{{"SenderId", r.sender},
                       {"SentTimestamp", std::to_string(r.sent)},
                       {"ApproximateReceiveCount", std::to_string(r.receive_count + 1)},
                       {"ApproximateFirstReceiveTimestamp", std::to_string(first)}};
      json::value sa = json::parse(r.system_attributes);
      if (const auto* trace = sa.get_object().if_contains("AWSTraceHeader")) sys["AWSTraceHeader"] = trace->at("StringValue");
      if (q.fifo()) {
        sys["MessageGroupId"] = r.group;
        sys["MessageDeduplicationId"] = r.dedup;
        auto& st = db->stmt("SELECT sequence FROM dedup WHERE queue=?1 AND dedup_id=?2");
        st.bind_text(1, q.name).bind_text(2, r.dedup);
        if (st.step()) sys["SequenceNumber"] = st.column_text(0);
        st.reset();
      }
      m["x-system"] = std::move(sys);
      m["x-attributes"] = json::parse(r.attributes);
      out.push_back(std::move(m));
    }
    return out;
  }

  // Filters system and message attributes to what the receive asked for.
  static json::object shape(json::object m, const std::vector<std::string>& system_names, const std::vector<std::string>& attr_names) {
    json::object sys = std::move(m["x-system"].get_object());
    json::object attrs = std::move(m["x-attributes"].get_object());
    m.erase("x-system");
    m.erase("x-attributes");
    const bool all_sys = std::find(system_names.begin(), system_names.end(), "All") != system_names.end();
    json::object chosen;
    for (auto& [k, v] : sys) {
      if (all_sys || std::find(system_names.begin(), system_names.end(), std::string(k)) != system_names.end()) chosen[k] = v;
    }
    if (!chosen.empty()) m["Attributes"] = std::move(chosen);
    json::object picked;
    for (auto& [k, v] : attrs) {
      const std::string name(k);
      bool want = false;
      for (const auto& n : attr_names) {
        if (n == "All" || n == ".*" || n == name ||
            (n.size() > 2 && n.substr(n.size() - 2) == ".*" && name.compare(0, n.size() - 1, n, 0, n.size() - 1) == 0)) {
          want = true;
        }
      }
      if (want) picked[k] = v;
    }
    if (!picked.empty()) {
      m["MD5OfMessageAttributes"] = md5_of_attributes(picked);
      m["MessageAttributes"] = std::move(picked);
    }
    return m;
  }

  struct ReceiveParams {
    std::string queue;
    int max = 1;
    std::optional<std::int64_t> visibility;
    std::int64_t wait_s = 0;
    std::vector<std::string> system_names;
    std::vector<std::string> attr_names;
  };

  ReceiveParams receive_params(const json::object& req) {
    ReceiveParams p;
    p.queue = queue_name_of(req);
    const Queue q = require_queue(p.queue);
    const auto max = integer(req, "MaxNumberOfMessages");
    if (max && (*max < 1 || *max > 10)) {
      throw invalid_parameter("Value " + std::to_string(*max) + " for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.");
    }
    p.max = static_cast<int>(max.value_or(1));
    p.visibility = integer(req, "VisibilityTimeout");
    if (p.visibility && (*p.visibility < 0 || *p.visibility > 43200)) {
      throw invalid_parameter("Value " + std::to_string(*p.visibility) + " for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.");
    }
    p.wait_s = integer(req, "WaitTimeSeconds").value_or(q.attr_int("ReceiveMessageWaitTimeSeconds", 0));
    if (p.wait_s < 0 || p.wait_s > 20) {
      throw invalid_parameter("Value " + std::to_string(p.wait_s) + " for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.");
    }
    p.system_names = strings(req, "AttributeNames");
    for (auto& n : strings(req, "MessageSystemAttributeNames")) p.system_names.push_back(n);
    p.attr_names = strings(req, "MessageAttributeNames");
    return p;
  }

  // One receive attempt; an empty result means "nothing visible now".
  json::object receive_now(const ReceiveParams& p) {
    Transaction tx(*db);
    const Queue q = require_queue(p.queue);
    auto taken = take(q, p.max, p.visibility.value_or(q.attr_int("VisibilityTimeout", 30)));
    tx.commit();
    json::object out;
    if (!taken.empty()) {
      json::array msgs;
      for (auto& m : taken) msgs.push_back(shape(std::move(m), p.system_names, p.attr_names));
      out["Messages"] = std::move(msgs);
    }
    return out;
  }

  // Decodes "seq:queue:random"; nullopt when it cannot be a receipt handle.
  static std::optional<std::int64_t> receipt_seq(std::string_view receipt) {
    auto decoded = base64_decode(receipt);
    if (!decoded) return std::nullopt;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos || colon == 0 || colon > 19) return std::nullopt;
    const std::string digits = decoded->substr(0, colon);
    if (digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoll(digits);
  }
  static AwsError bad_receipt(std::string_view receipt) {
    return sqs_error("ReceiptHandleIsInvalid", "The input receipt handle \"" + std::string(receipt) + "\" is not a valid receipt handle.");
  }

  void delete_by_receipt(const std::string& queue, const std::string& receipt) {
    const auto seq = receipt_seq(receipt);
    if (!seq) throw bad_receipt(receipt);
    // An outdated receipt (the message was received again since) succeeds without deleting, as on AWS.
    db->stmt("DELETE FROM messages WHERE seq=?1 AND queue=?2 AND receipt=?3").bind(1, *seq).bind_text(2, queue).bind_text(3, receipt).run();
  }

  json::object delete_message(const json::object& req) {
    const std::string name = queue_name_of(req);
    const auto receipt = str(req, "ReceiptHandle");
    if (!receipt || receipt->empty()) throw missing_parameter("ReceiptHandle");
    Transaction tx(*db);
    require_queue(name);
    delete_by_receipt(name, *receipt);
    tx.commit();
    return {};
  }

  json::object delete_message_batch(const json::object& req) {
    return each_receipt(req, [&](const std::string& queue, const std::string& receipt, const json::object&) { delete_by_receipt(queue, receipt); });
  }

  // A batch of receipt handles (DeleteMessageBatch, ChangeMessageVisibilityBatch):
  // `one` per entry, each succeeding or failing on its own.
  template <class One>
  json::object each_receipt(const json::object& req, One one) {
    const std::string name = queue_name_of(req);
    Transaction tx(*db);
    require_queue(name);
    json::array ok;
    json::array failed;
    for (const auto& e : batch_entries(req)) {
      const auto id = *str(e.get_object(), "Id");
      try {
        const auto receipt = str(e.get_object(), "ReceiptHandle");
        if (!receipt || receipt->empty()) throw missing_parameter("ReceiptHandle");
        one(name, *receipt, e.get_object());
        ok.push_back(json::object{{"Id", id}});
      } catch (const AwsError& err) {
        failed.push_back(batch_failure(id, err));
      }
    }
    tx.commit();
    return json::object{{"Successful", std::move(ok)}, {"Failed", std::move(failed)}};
  }

  void change_one(const std::string& queue, const std::string& receipt, std::optional<std::int64_t> timeout) {
    if (!timeout) throw missing_parameter("VisibilityTimeout");
    if (*timeout < 0 || *timeout > 43200) {
      throw invalid_parameter("Value " + std::to_string(*timeout) + " for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.");
    }
    const auto seq = receipt_seq(receipt);
    if (!seq) throw bad_receipt(receipt);
    const std::int64_t now = now_ms();
    db->stmt("UPDATE messages SET visible_at=?4 WHERE seq=?1 AND queue=?2 AND receipt=?3 AND visible_at>?5")
        .bind(1, *seq)
        .bind_text(2, queue)
        .bind_text(3, receipt)
        .bind(4, now + *timeout * 1000)
        .bind(5, now)
        .run();
    if (db->changes() == 0) {
      throw sqs_error("MessageNotInflight", "Message does not exist or is not available for visibility timeout change.",
                      "AWS.SimpleQueueService.MessageNotInflight");
    }
  }

  json::object change_visibility(const json::object& req) {
    const std::string name = queue_name_of(req);
    const auto receipt = str(req, "ReceiptHandle");
    if (!receipt || receipt->empty()) throw missing_parameter("ReceiptHandle");
    Transaction tx(*db);
    require_queue(name);
    change_one(name, *receipt, integer(req, "VisibilityTimeout"));
    tx.commit();
    return {};
  }

  json::object change_visibility_batch(const json::object& req) {
    return each_receipt(req, [&](const std::string& queue, const std::string& receipt, const json::object& entry) {
      change_one(queue, receipt, integer(entry, "VisibilityTimeout"));
    });
  }

  json::object list_dead_letter_sources(const json::object& req, std::string_view host) {
    const std::string name = queue_name_of(req);
    require_queue(name);
    json::array urls;
    auto& st = db->stmt("SELECT name FROM queues ORDER BY name");
    std::vector<std::string> names;
    while (st.step()) names.push_back(st.column_text(0));
    st.reset();
    for (const auto& n : names) {
      auto q = find_queue(n);
      auto r = q ? redrive_of(*q) : std::nullopt;
      if (r && r->dead_letter_queue == name) urls.push_back(json::value(url(n, host)));
    }
    return json::object{{"queueUrls", std::move(urls)}};
  }

  json::object tag_queue(const json::object& req, bool tag) {
    const std::string name = queue_name_of(req);
    Transaction tx(*db);
    Queue q = require_queue(name);
    json::object tags = queue_tags(name);
    if (tag) {
      if (const auto* t = map_member(req, "Tags")) {
        for (const auto& [k, v] : *t) tags[k] = v;
      }
    } else {
      for (const auto& k : strings(req, "TagKeys")) tags.erase(k);
    }
    save_queue(q, tags);
    tx.commit();
    return {};
  }

  json::object list_queue_tags(const json::object& req) {
    const std::string name = queue_name_of(req);
    require_queue(name);
    json::object tags = queue_tags(name);
    json::object out;
    if (!tags.empty()) out["Tags"] = std::move(tags);
    return out;
  }

  // Runs a non-receive operation under the lock; `queue_sent` names the queue a send went to.
  json::object dispatch(std::string_view op, const json::object& req, std::string_view host, const std::string& sender, std::string& queue_sent) {
    std::lock_guard lock(mu);
    if (op == "CreateQueue") return create_queue(req, host);
    if (op == "GetQueueUrl") return get_queue_url(req, host);
    if (op == "DeleteQueue") return delete_queue(req);
    if (op == "ListQueues") return list_queues(req, host);
    if (op == "GetQueueAttributes") return get_queue_attributes(req);
    if (op == "SetQueueAttributes") return set_queue_attributes(req);
    if (op == "PurgeQueue") return purge_queue(req);
    if (op == "SendMessage") return send_message(req, sender, queue_sent);
    if (op == "SendMessageBatch") return send_message_batch(req, sender, queue_sent);
    if (op == "DeleteMessage") return delete_message(req);
    if (op == "DeleteMessageBatch") return delete_message_batch(req);
    if (op == "ChangeMessageVisibility") return change_visibility(req);
    if (op == "ChangeMessageVisibilityBatch") return change_visibility_batch(req);
    if (op == "ListDeadLetterSourceQueues") return list_dead_letter_sources(req, host);
    if (op == "TagQueue") return tag_queue(req, true);
    if (op == "UntagQueue") return tag_queue(req, false);
    if (op == "ListQueueTags") return list_queue_tags(req);
    throw sqs_error("InvalidAction", "The action " + std::string(op) + " is not valid for this endpoint.", "InvalidAction");
  }

  void notify_sent(const std::string& queue) {
    waiters_cv.notify_all();
    std::function<void(const std::string&)> cb;
    {
      std::lock_guard lock(callback_mu);
      cb = on_message;
    }
    if (cb) cb(queue);
  }

  // Runs any operation; ReceiveMessage may park the reply as a long poll.
  void run(std::string_view op, json::object req, std::string_view host, const std::string& sender,
           std::function<void(const json::object&, Reply&)> render, std::function<void(const AwsError&, Reply&)> render_error, Reply reply) {
    try {
      if (op == "ReceiveMessage") {
        ReceiveParams p;
        json::object now_result;
        {
          std::lock_guard lock(mu);
          p = receive_params(req);
          now_result = receive_now(p);
        }
        if (!now_result.empty() || p.wait_s == 0) return render(now_result, reply);
        std::lock_guard lock(waiters_mu);
        if (stopping || waiters.size() >= kMaxWaiters) return render(json::object{}, reply);
        waiters.push_back(Waiter{p.queue, std::move(req), std::string(host), now_ms() + p.wait_s * 1000, std::move(reply), std::move(render),
                                 std::move(render_error)});
        waiters_cv.notify_all();
        return;
      }
      std::string queue_sent;
      json::object result = dispatch(op, req, host, sender, queue_sent);
      render(result, reply);
      if (!queue_sent.empty()) notify_sent(queue_sent);
    } catch (const AwsError& e) {
      render_error(e, reply);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "local sqs: internal error in %.*s: %s\n", static_cast<int>(op.size()), op.data(), e.what());
      render_error(sqs_error("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", "InternalFailure", 500),
                   reply);
    }
  }

  // The long-poll thread: retries parked receives until they get messages or time out.
  void poll_loop() {
    std::unique_lock lock(waiters_mu);
    while (!stopping) {
      waiters_cv.wait_for(lock, std::chrono::milliseconds(50));
      if (stopping) break;
      const std::int64_t now = now_ms();
      for (auto it = waiters.begin(); it != waiters.end();) {
        json::object result;
        bool done = false;
        try {
          std::lock_guard db_lock(mu);
          result = receive_now(receive_params(it->request));
          done = !result.empty() || now >= it->deadline_ms;
        } catch (const AwsError& e) {
          it->render_error(e, it->reply);
          it = waiters.erase(it);
          continue;
        } catch (const std::exception& e) {
          std::fprintf(stderr, "local sqs: internal error in a long poll: %s\n", e.what());
          done = true;
        }
        if (done) {
          it->render(result, it->reply);
          it = waiters.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (auto& w : waiters) w.render(json::object{}, w.reply);
    waiters.clear();
  }
};

namespace {

ServiceResponse json_reply(int status, const std::string& body) {
  ServiceResponse res;
  res.status = status;
  res.headers.set("Content-Type", "application/x-amz-json-1.0");
  res.headers.set("x-amzn-RequestId", uuid_v4());
  res.body = body;
  return res;
}

ServiceResponse json_error(const AwsError& e) {
  json::object body{{"__type", "com.amazonaws.sqs#" + e.type}, {"message", e.message}};
  auto res = json_reply(e.status, json::serialize(body));
  res.headers.set("x-amzn-query-error", e.extra + (e.status >= 500 ? ";Receiver" : ";Sender"));
  return res;
}

// XML answers of the query protocol.
void xml_value(std::string& out, const std::string& name, const json::value& v);

void xml_members(std::string& out, const json::object& obj, std::string_view op) {
  for (const auto& [k_sv, v] : obj) {
    const std::string k(k_sv);
    if (k == "Attributes") {
      for (const auto& [n, val] : v.get_object()) {
        out += "<Attribute><Name>" + xml_escape(n) + "</Name><Value>" + xml_escape(val.get_string()) + "</Value></Attribute>";
      }
    } else if (k == "MessageAttributes") {
      for (const auto& [n, val] : v.get_object()) {
        out += "<MessageAttribute><Name>" + xml_escape(n) + "</Name><Value>";
        for (const auto& [f, fv] : val.get_object()) out += "<" + std::string(f) + ">" + xml_escape(fv.get_string()) + "</" + std::string(f) + ">";
        out += "</Value></MessageAttribute>";
      }
    } else if (k == "Tags") {
      for (const auto& [n, val] : v.get_object()) {
        out += "<Tag><Key>" + xml_escape(n) + "</Key><Value>" + xml_escape(val.is_string() ? std::string(val.get_string()) : json::serialize(val)) +
               "</Value></Tag>";
      }
    } else if (k == "QueueUrls" || k == "queueUrls") {
      for (const auto& u : v.get_array()) out += "<QueueUrl>" + xml_escape(u.get_string()) + "</QueueUrl>";
    } else if (k == "Messages") {
      for (const auto& m : v.get_array()) {
        out += "<Message>";
        xml_members(out, m.get_object(), op);
        out += "</Message>";
      }
    } else if (k == "Successful") {
      for (const auto& e : v.get_array()) {
        out += "<" + std::string(op) + "ResultEntry>";
        xml_members(out, e.get_object(), op);
        out += "</" + std::string(op) + "ResultEntry>";
      }
    } else if (k == "Failed") {
      for (const auto& e : v.get_array()) {
        out += "<BatchResultErrorEntry>";
        xml_members(out, e.get_object(), op);
        out += "</BatchResultErrorEntry>";
      }
    } else {
      xml_value(out, k, v);
    }
  }
}

void xml_value(std::string& out, const std::string& name, const json::value& v) {
  std::string text;
  if (v.is_string()) {
    text = xml_escape(v.get_string());
  } else if (v.is_bool()) {
    text = v.get_bool() ? "true" : "false";
  } else {
    text = json::serialize(v);
  }
  out += "<" + name + ">" + text + "</" + name + ">";
}

constexpr const char* kSqsXmlns = "http://queue.amazonaws.com/doc/2012-11-05/";

ServiceResponse xml_result(std::string_view op, const json::object& result) {
  std::string body = "<?xml version=\"1.0\"?><" + std::string(op) + "Response xmlns=\"" + kSqsXmlns + "\">";
  std::string inner;
  xml_members(inner, result, op);
  if (!inner.empty() || op == "ReceiveMessage" || op == "ListQueues" || op == "GetQueueAttributes") {
    body += "<" + std::string(op) + "Result>" + inner + "</" + std::string(op) + "Result>";
  }
  const std::string id = uuid_v4();
  body += "<ResponseMetadata><RequestId>" + id + "</RequestId></ResponseMetadata></" + std::string(op) + "Response>";
  ServiceResponse res;
  res.headers.set("Content-Type", "text/xml");
  res.headers.set("x-amzn-RequestId", id);
  res.body = std::move(body);
  return res;
}

ServiceResponse xml_error(const AwsError& e) {
  ServiceResponse res;
  res.status = e.status;
  res.headers.set("Content-Type", "text/xml");
  const std::string id = uuid_v4();
  res.headers.set("x-amzn-RequestId", id);
  const std::string code = e.extra.empty() ? e.type : e.extra;
  res.body = std::string("<?xml version=\"1.0\"?><ErrorResponse xmlns=\"") + kSqsXmlns + "\"><Error><Type>" + (e.status >= 500 ? "Receiver" : "Sender") +
             "</Type><Code>" + xml_escape(code) + "</Code><Message>" + xml_escape(e.message) + "</Message><Detail/></Error><RequestId>" + id +
             "</RequestId></ErrorResponse>";
  return res;
}

// Query-protocol form fields -> the JSON protocol's members.
json::object from_query(const Params& form) {
  json::object tree = query_tree(form, {"Action", "Version"});
  auto rename_pairs = [&](const char* from, const char* to, const char* key, const char* value) {
    auto* v = tree.if_contains(from);
    if (!v || !v->is_array()) return;
    json::object m;
    for (const auto& e : v->get_array()) {
      if (!e.is_object()) continue;
      const auto* k = e.get_object().if_contains(key);
      const auto* val = e.get_object().if_contains(value);
      if (k && k->is_string() && val) m[std::string(k->get_string())] = *val;
    }
    tree.erase(from);
    tree[to] = std::move(m);
  };
  auto rename_list = [&](const char* from, const char* to) {
    if (auto* v = tree.if_contains(from)) {
      json::value moved = std::move(*v);
      tree.erase(from);
      tree[to] = std::move(moved);
    }
  };
  rename_pairs("Attribute", "Attributes", "Name", "Value");
  rename_pairs("MessageAttribute", "MessageAttributes", "Name", "Value");
  rename_pairs("MessageSystemAttribute", "MessageSystemAttributes", "Name", "Value");
  rename_pairs("Tag", "tags", "Key", "Value");
  rename_list("AttributeName", "AttributeNames");
  rename_list("MessageAttributeName", "MessageAttributeNames");
  rename_list("MessageSystemAttributeName", "MessageSystemAttributeNames");
  rename_list("TagKey", "TagKeys");
  for (const char* batch : {"SendMessageBatchRequestEntry", "DeleteMessageBatchRequestEntry", "ChangeMessageVisibilityBatchRequestEntry"}) {
    if (auto* v = tree.if_contains(batch)) {
      json::array entries = v->is_array() ? v->get_array() : json::array{};
      for (auto& e : entries) {
        if (!e.is_object()) continue;
        auto& o = e.get_object();
        if (auto* a = o.if_contains("MessageAttribute"); a && a->is_array()) {
          json::object m;
          for (const auto& x : a->get_array()) {
            if (x.is_object() && x.get_object().contains("Name") && x.get_object().contains("Value")) {
              m[std::string(x.get_object().at("Name").get_string())] = x.get_object().at("Value");
            }
          }
          o.erase("MessageAttribute");
          o["MessageAttributes"] = std::move(m);
        }
      }
      tree.erase(batch);
      tree["Entries"] = std::move(entries);
    }
  }
  if (tree.contains("Tags") == false && tree.contains("tags")) {
    // TagQueue calls them Tags; CreateQueue calls them tags.
    tree["Tags"] = tree["tags"];
  }
  return tree;
}

}  // namespace

Result<std::unique_ptr<SqsService>> SqsService::open(const ServiceOptions& options) {
  auto db = open_state_db(options.state_dir, "sqs.sqlite", kSchema);
  if (!db) return unexpected(db.error());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->db = std::move(*db);
  Impl* raw = impl.get();
  impl->poller = std::thread([raw] { raw->poll_loop(); });
  return std::unique_ptr<SqsService>(new SqsService(std::move(impl)));
}

SqsService::SqsService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqsService::~SqsService() {
  {
    std::lock_guard lock(impl_->waiters_mu);
    impl_->stopping = true;
  }
  impl_->waiters_cv.notify_all();
  if (impl_->poller.joinable()) impl_->poller.join();
}

void SqsService::set_on_message(std::function<void(const std::string&)> callback) {
  std::lock_guard lock(impl_->callback_mu);
  impl_->on_message = std::move(callback);
}

void SqsService::handle(ServiceRequest request, Reply reply) {
  const Params query = parse_query(request.query);
  const std::string host(request.headers.get("Host").value_or("localhost"));
  const auto target = request.headers.get("X-Amz-Target");
  const bool json_protocol = target.has_value();
  const auto auth = check_sigv4(request, query, "sqs", now_ms() / 1000);
  if (!auth.ok()) {
    const auto [code, status] = auth_failure(auth.problem);
    // Signature failures come from the AWS front end, in the caller's protocol.
    if (json_protocol) {
      json::object body{{"__type", "com.amazon.coral.service#" + code + "Exception"}, {"message", auth.message}};
      auto res = json_reply(status, json::serialize(body));
      res.headers.set("x-amzn-query-error", code + ";Sender");
      return reply(std::move(res));
    }
    return reply(xml_error(sqs_error(code, auth.message, code, status)));
  }
  const std::string sender = auth.access_key;
  if (json_protocol) {
    constexpr std::string_view kPrefix = "AmazonSQS.";
    const std::string_view t = *target;
    if (t.substr(0, kPrefix.size()) != kPrefix) {
      return reply(json_error(sqs_error("InvalidAction", "The action " + std::string(t) + " is not valid for this endpoint.", "InvalidAction")));
    }
    boost::system::error_code ec;
    json::value parsed = json::parse(request.body.empty() ? std::string_view("{}") : std::string_view(request.body), ec);
    if (ec || !parsed.is_object()) {
      ServiceResponse res = json_reply(400, R"({"__type":"com.amazon.coral.service#SerializationException"})");
      return reply(std::move(res));
    }
    impl_->run(
        t.substr(kPrefix.size()), std::move(parsed.get_object()), host, sender,
        [](const json::object& result, Reply& r) { r(json_reply(200, json::serialize(result))); },
        [](const AwsError& e, Reply& r) { r(json_error(e)); }, std::move(reply));
    return;
  }
  // Query protocol: form body (or query string) with Action=...
  const Params form = action_params(request, query);
  const std::string* action = find_param(form, "Action");
  if (!action) return reply(xml_error(sqs_error("MissingAction", "No action specified", "MissingAction")));
  const std::string op = *action;
  impl_->run(
      op, from_query(form), host, sender, [op](const json::object& result, Reply& r) { r(xml_result(op, result)); },
      [](const AwsError& e, Reply& r) { r(xml_error(e)); }, std::move(reply));
}

ServiceResponse SqsService::call_operation(std::string_view operation, std::string_view body, std::string_view host) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body.empty() ? std::string_view("{}") : body, ec);
  if (ec || !parsed.is_object()) return json_reply(400, R"({"__type":"com.amazon.coral.service#SerializationException"})");
  auto promise = std::make_shared<std::promise<ServiceResponse>>();
  auto future = promise->get_future();
  impl_->run(
      operation, std::move(parsed.get_object()), host, impl_->options.account_id,
      [](const json::object& result, Reply& r) { r(json_reply(200, json::serialize(result))); }, [](const AwsError& e, Reply& r) { r(json_error(e)); },
      [promise](ServiceResponse res) { promise->set_value(std::move(res)); });
  return future.get();
}

// ---- in-process API

namespace {
Error to_error(const AwsError& e) {
  Error err;
  err.code = e.type == "QueueDoesNotExist" ? ErrorCode::not_found : (e.status >= 500 ? ErrorCode::internal : ErrorCode::invalid_argument);
  err.message = e.message;
  err.aws.code = e.type;
  err.aws.http_status = e.status;
  return err;
}
}  // namespace

Result<std::string> SqsService::queue_url(std::string_view queue_name, std::string_view host) const {
  std::lock_guard lock(impl_->mu);
  if (!impl_->find_queue(std::string(queue_name))) return unexpected(to_error(queue_missing()));
  return impl_->url(std::string(queue_name), host);
}

Result<std::string> SqsService::queue_arn(std::string_view queue_name) const {
  std::lock_guard lock(impl_->mu);
  if (!impl_->find_queue(std::string(queue_name))) return unexpected(to_error(queue_missing()));
  return impl_->arn(std::string(queue_name));
}

Result<void> SqsService::ensure_queue(std::string_view queue_name, const std::map<std::string, std::string>& attributes) {
  json::object req{{"QueueName", std::string(queue_name)}};
  json::object attrs;
  for (const auto& [k, v] : attributes) attrs[k] = v;
  if (!attrs.empty()) req["Attributes"] = std::move(attrs);
  try {
    std::lock_guard lock(impl_->mu);
    // An existing queue takes the given attributes, as a stack update would:
    // CreateQueue would refuse them (QueueNameExists) once the declared
    // values change (a longer consumer timeout) or someone set others.
    if (impl_->find_queue(std::string(queue_name))) {
      req["QueueUrl"] = std::string(queue_name);
      impl_->set_queue_attributes(req);
    } else {
      impl_->create_queue(req, "localhost");
    }
    return {};
  } catch (const AwsError& e) {
    return unexpected(to_error(e));
  } catch (const std::exception& e) {
    return unexpected(ErrorCode::internal, e.what(), "sqs");
  }
}

Result<std::vector<SqsMessage>> SqsService::receive(std::string_view queue_name, SqsReceiveOptions options) {
  json::object req{{"QueueUrl", std::string(queue_name)},
                   {"MaxNumberOfMessages", std::clamp(options.max_messages, 1, 10)},
                   {"WaitTimeSeconds", 0},
                   {"AttributeNames", json::array{"All"}},
                   {"MessageAttributeNames", json::array{"All"}}};
  if (options.visibility_timeout) req["VisibilityTimeout"] = *options.visibility_timeout;
  try {
    json::object result;
    {
      std::lock_guard lock(impl_->mu);
      result = impl_->receive_now(impl_->receive_params(req));
    }
    std::vector<SqsMessage> out;
    if (const auto* msgs = result.if_contains("Messages")) {
      for (const auto& m : msgs->get_array()) {
        const auto& o = m.get_object();
        SqsMessage msg;
        msg.message_id = std::string(o.at("MessageId").get_string());
        msg.receipt_handle = std::string(o.at("ReceiptHandle").get_string());
        msg.body = std::string(o.at("Body").get_string());
        msg.md5_of_body = std::string(o.at("MD5OfBody").get_string());
        if (const auto* a = o.if_contains("Attributes")) {
          for (const auto& [k, v] : a->get_object()) msg.attributes[std::string(k)] = std::string(v.get_string());
        }
        if (const auto* a = o.if_contains("MessageAttributes")) msg.message_attributes_json = json::serialize(*a);
        if (const auto* a = o.if_contains("MD5OfMessageAttributes")) msg.md5_of_message_attributes = std::string(a->get_string());
        out.push_back(std::move(msg));
      }
    }
    return out;
  } catch (const AwsError& e) {
    return unexpected(to_error(e));
  } catch (const std::exception& e) {
    return unexpected(ErrorCode::internal, e.what(), "sqs");
  }
}

Result<void> SqsService::delete_message(std::string_view queue_name, std::string_view receipt_handle) {
  try {
    std::lock_guard lock(impl_->mu);
    impl_->delete_message(json::object{{"QueueUrl", std::string(queue_name)}, {"ReceiptHandle", std::string(receipt_handle)}});
    return {};
  } catch (const AwsError& e) {
    return unexpected(to_error(e));
  } catch (const std::exception& e) {
    return unexpected(ErrorCode::internal, e.what(), "sqs");
  }
}

Result<void> SqsService::change_visibility(std::string_view queue_name, std::string_view receipt_handle, int seconds) {
  try {
    std::lock_guard lock(impl_->mu);
    impl_->change_visibility(
        json::object{{"QueueUrl", std::string(queue_name)}, {"ReceiptHandle", std::string(receipt_handle)}, {"VisibilityTimeout", seconds}});
    return {};
  } catch (const AwsError& e) {
    return unexpected(to_error(e));
  } catch (const std::exception& e) {
    return unexpected(ErrorCode::internal, e.what(), "sqs");
  }
}

Result<std::string> SqsService::send(std::string_view queue_name, std::string_view body) {
  try {
    std::string queue;
    json::object result;
    {
      std::lock_guard lock(impl_->mu);
      result = impl_->send_message(json::object{{"QueueUrl", std::string(queue_name)}, {"MessageBody", std::string(body)}},
                                   impl_->options.account_id, queue);
    }
    impl_->notify_sent(queue);
    return std::string(result.at("MessageId").get_string());
  } catch (const AwsError& e) {
    return unexpected(to_error(e));
  } catch (const std::exception& e) {
    return unexpected(ErrorCode::internal, e.what(), "sqs");
  }
}

std::string sqs_lambda_record(const SqsMessage& m, std::string_view queue_arn, std::string_view region) {
  json::object attrs;
  for (const auto& [k, v] : m.attributes) attrs[k] = v;
  json::object message_attrs;
  boost::system::error_code ec;
  auto given = json::parse(m.message_attributes_json, ec);
  if (!ec && given.is_object()) {
    for (const auto& [name, v] : given.get_object()) {
      const auto& a = v.get_object();
      json::object lambda{{"stringListValues", json::array{}}, {"binaryListValues", json::array{}}, {"dataType", a.at("DataType")}};
      if (const auto* s = a.if_contains("StringValue")) lambda["stringValue"] = *s;
      if (const auto* b = a.if_contains("BinaryValue")) lambda["binaryValue"] = *b;
      message_attrs[name] = std::move(lambda);
    }
  }
  json::object record{{"messageId", m.message_id},
                      {"receiptHandle", m.receipt_handle},
                      {"body", m.body},
                      {"attributes", std::move(attrs)},
                      {"messageAttributes", std::move(message_attrs)},
                      {"md5OfBody", m.md5_of_body},
                      {"eventSource", "aws:sqs"},
                      {"eventSourceARN", std::string(queue_arn)},
                      {"awsRegion", std::string(region)}};
  if (!m.md5_of_message_attributes.empty()) record["md5OfMessageAttributes"] = m.md5_of_message_attributes;
  return json::serialize(record);
}

}  // namespace gust::localaws
