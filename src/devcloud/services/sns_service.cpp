#include "devcloud/services/sns_service.hpp"

#include "devcloud/services/aws_common.hpp"
#include "devcloud/services/query_protocol.hpp"
#include "devcloud/services/sigv4_check.hpp"
#include "devcloud/services/sqlite_db.hpp"
#include "devcloud/services/sqs_service.hpp"

#include <gust/value.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

namespace gust::localaws {

namespace json = boost::json;

namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS topics(
  arn TEXT PRIMARY KEY, name TEXT NOT NULL, attributes TEXT NOT NULL, tags TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS subscriptions(
  arn TEXT PRIMARY KEY, topic TEXT NOT NULL, protocol TEXT NOT NULL, endpoint TEXT NOT NULL, attributes TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries(
  id INTEGER PRIMARY KEY AUTOINCREMENT, subscription TEXT NOT NULL, protocol TEXT NOT NULL, endpoint TEXT NOT NULL,
  payload TEXT NOT NULL, attributes TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt INTEGER NOT NULL);
)sql";

constexpr const char* kXmlns = "http://sns.amazonaws.com/doc/2010-03-31/";
constexpr int kMaxAttempts = 5;
constexpr std::size_t kMaxMessageBytes = 256 * 1024;

AwsError sns_error(int status, std::string code, std::string message) { return AwsError(status, std::move(code), std::move(message)); }
AwsError invalid(std::string what) { return sns_error(400, "InvalidParameter", "Invalid parameter: " + what); }
AwsError topic_missing() { return sns_error(404, "NotFound", "Topic does not exist"); }

std::string element(std::string_view name, std::string_view value) {
  return "<" + std::string(name) + ">" + xml_escape(value) + "</" + std::string(name) + ">";
}

std::optional<std::string> str(const json::object& req, std::string_view name) {
  const auto* v = req.if_contains(name);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

// "Attributes.entry.N.key/value" -> map
std::map<std::string, std::string> entries(const json::object& req, std::string_view name, const char* key = "key", const char* value = "value") {
  std::map<std::string, std::string> out;
  const auto* v = req.if_contains(name);
  if (!v || !v->is_object()) return out;
  const auto* list = v->get_object().if_contains("entry");
  if (!list) list = v->get_object().if_contains("member");
  if (!list || !list->is_array()) return out;
  for (const auto& e : list->get_array()) {
    if (!e.is_object()) continue;
    auto k = str(e.get_object(), key);
    auto val = str(e.get_object(), value);
    if (k) out[*k] = val.value_or("");
  }
  return out;
}

// MessageAttributes.entry.N.Name / Value.DataType / Value.StringValue / Value.BinaryValue
json::object message_attributes(const json::object& req) {
  json::object out;
  const auto* v = req.if_contains("MessageAttributes");
  if (!v || !v->is_object()) return out;
  const auto* list = v->get_object().if_contains("entry");
  if (!list || !list->is_array()) return out;
  for (const auto& e : list->get_array()) {
    if (!e.is_object()) continue;
    const auto name = str(e.get_object(), "Name");
    const auto* value = e.get_object().if_contains("Value");
    if (!name) continue;
    if (!value || !value->is_object()) throw invalid("The message attribute '" + *name + "' must contain non-empty message attribute value.");
    const auto type = str(value->get_object(), "DataType");
    if (!type || type->empty()) throw invalid("The message attribute '" + *name + "' must contain non-empty message attribute type.");
    json::object a{{"DataType", *type}};
    if (type->rfind("Binary", 0) == 0) {
      auto b = str(value->get_object(), "BinaryValue");
      if (!b) throw invalid("The message attribute '" + *name + "' with type 'Binary' must use field 'Binary'.");
      a["BinaryValue"] = *b;
    } else {
      auto s = str(value->get_object(), "StringValue");
      if (!s) throw invalid("The message attribute '" + *name + "' must contain non-empty message attribute value for message attribute type '" + *type + "'.");
      if (type->rfind("Number", 0) == 0 && !std::regex_match(*s, std::regex(R"([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)"))) {
        throw invalid("Could not cast message attribute '" + *name + "' value to number.");
      }
      a["StringValue"] = *s;
    }
    out[*name] = std::move(a);
  }
  if (out.size() > 10) throw invalid("Number of message attributes [" + std::to_string(out.size()) + "] exceeds the allowed maximum [10].");
  return out;
}

// ---- filter policies (MessageAttributes scope)
bool number_of(const json::value& attr, double& out) {
  const auto* s = attr.get_object().if_contains("StringValue");
  if (!s || !s->is_string()) return false;
  try {
    out = std::stod(std::string(s->get_string()));
    return true;
  } catch (...) {
    return false;
  }
}

bool rule_matches(const json::value& rule, const json::value* attr) {
  const std::string type = attr ? std::string(attr->get_object().at("DataType").get_string()) : "";
  std::string text;
  if (attr) {
    if (const auto* s = attr->get_object().if_contains("StringValue")) text = std::string(s->get_string());
  }
  if (rule.is_string()) return attr && type.rfind("String", 0) == 0 && text == rule.get_string();
  if (rule.is_number()) {
    double v = 0;
    return attr && number_of(*attr, v) && v == rule.to_number<double>();
  }
  if (!rule.is_object()) return false;
  const auto& o = rule.get_object();
  if (const auto* e = o.if_contains("exists")) return e->is_bool() && e->get_bool() == (attr != nullptr);
  if (!attr) return false;
  if (const auto* p = o.if_contains("prefix")) return p->is_string() && text.rfind(std::string(p->get_string()), 0) == 0;
  if (const auto* b = o.if_contains("anything-but")) {
    auto equal = [&](const json::value& x) { return rule_matches(x, attr); };
    if (b->is_array()) return std::none_of(b->get_array().begin(), b->get_array().end(), equal);
    return !equal(*b);
  }
  if (const auto* n = o.if_contains("numeric")) {
    double v = 0;
    if (!n->is_array() || !number_of(*attr, v)) return false;
    const auto& ops = n->get_array();
    for (std::size_t i = 0; i + 1 < ops.size(); i += 2) {
      if (!ops[i].is_string() || !ops[i + 1].is_number()) return false;
      const std::string op(ops[i].get_string());
      const double x = ops[i + 1].to_number<double>();
      const bool ok = op == "=" ? v == x : op == ">" ? v > x : op == ">=" ? v >= x : op == "<" ? v < x : op == "<=" ? v <= x : false;
      if (!ok) return false;
    }
    return true;
  }
  return false;
}

bool policy_matches(const std::string& policy_text, const json::object& attrs) {
  if (policy_text.empty()) return true;
  boost::system::error_code ec;
  auto policy = json::parse(policy_text, ec);
  if (ec || !policy.is_object()) return true;
  for (const auto& [name, rules] : policy.get_object()) {
    const json::value* attr = attrs.if_contains(name);
    bool any = false;
    if (rules.is_array()) {
      for (const auto& r : rules.get_array()) any = any || rule_matches(r, attr);
    } else {
      any = rule_matches(rules, attr);
    }
    if (!any) return false;
  }
  return true;
}

std::string random_bytes(std::size_t n) {
  const std::string hex = random_hex(n);
  std::string raw;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return raw;
}

std::string validate_policy(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return "Invalid parameter: FilterPolicy: failed to parse JSON.";
  return {};
}

}  // namespace

struct SnsService::Impl {
  ServiceOptions options;
  SqsService* sqs = nullptr;
  std::unique_ptr<Db> db;
  mutable std::mutex mu;

  std::mutex delivery_mu;
  std::shared_ptr<SnsDelivery> delivery;
  std::condition_variable wake;
  bool stopping = false;
  std::thread worker;

  std::string topic_arn(const std::string& name) const { return "arn:aws:sns:" + options.region + ":" + options.account_id + ":" + name; }

  std::optional<json::object> topic(const std::string& arn) const {
    auto& st = db->stmt("SELECT attributes FROM topics WHERE arn=?1");
    st.bind_text(1, arn);
    if (!st.step()) return std::nullopt;
    auto v = json::parse(st.column_text(0)).get_object();
    st.reset();
    return v;
  }

  static std::string result(std::string_view action, const std::string& inner) {
    const std::string id = uuid_v4();
    return "<" + std::string(action) + "Response xmlns=\"" + kXmlns + "\"><" + std::string(action) + "Result>" + inner + "</" + std::string(action) +
           "Result><ResponseMetadata><RequestId>" + id + "</RequestId></ResponseMetadata></" + std::string(action) + "Response>";
  }
  static std::string empty_result(std::string_view action) {
    return "<" + std::string(action) + "Response xmlns=\"" + kXmlns + "\"><ResponseMetadata><RequestId>" + uuid_v4() +
           "</RequestId></ResponseMetadata></" + std::string(action) + "Response>";
  }

  std::string create_topic(const json::object& req) {
    const auto name = str(req, "Name");
    static const std::regex kName("[A-Za-z0-9_-]{1,256}(\\.fifo)?");
    if (!name || !std::regex_match(*name, kName)) throw invalid("Topic Name");
    const bool fifo = name->size() > 5 && name->substr(name->size() - 5) == ".fifo";
    auto attrs = entries(req, "Attributes");
    if (attrs.count("FifoTopic") && (attrs["FifoTopic"] == "true") != fifo) {
      throw invalid("Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.");
    }
    const std::string arn = topic_arn(*name);
    Transaction tx(*db);
    if (auto existing = topic(arn)) {
      for (const auto& [k, v] : attrs) {
        const auto* cur = existing->if_contains(k);
        if (!cur || cur->get_string() != v) throw invalid("Attributes Reason: Topic already exists with different attributes");
      }
      return result("CreateTopic", element("TopicArn", arn));
    }
    json::object a{{"TopicArn", arn},
                   {"Owner", options.account_id},
                   {"DisplayName", ""},
                   {"EffectiveDeliveryPolicy",
                    R"({"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}})"}};
    if (fifo) {
      a["FifoTopic"] = "true";
      a["ContentBasedDeduplication"] = "false";
    }
    for (const auto& [k, v] : attrs) a[k] = v;
    json::object tags;
    for (const auto& [k, v] : entries(req, "Tags", "Key", "Value")) tags[k] = v;
    db->stmt("INSERT INTO topics(arn, name, attributes, tags, created) VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind_text(1, arn)
        .bind_text(2, *name)
        .bind_text(3, json::serialize(a))
        .bind_text(4, json::serialize(tags))
        .bind(5, now_ms())
        .run();
    tx.commit();
    return result("CreateTopic", element("TopicArn", arn));
  }

  std::string require_topic_arn(const json::object& req, const char* name = "TopicArn") {
    const auto arn = str(req, name);
    if (!arn || arn->rfind("arn:aws:sns:", 0) != 0) throw invalid(name);
    if (!topic(*arn)) throw topic_missing();
    return *arn;
  }

  std::string delete_topic(const json::object& req) {
    const auto arn = str(req, "TopicArn");
    if (!arn) throw invalid("TopicArn");
    Transaction tx(*db);
    // Deleting a topic that does not exist succeeds, as on AWS.
    db->stmt("DELETE FROM subscriptions WHERE topic=?1").bind_text(1, *arn).run();
    db->stmt("DELETE FROM topics WHERE arn=?1").bind_text(1, *arn).run();
    tx.commit();
    return empty_result("DeleteTopic");
  }

  std::string list_topics(const json::object& req) {
    const std::string after = str(req, "NextToken").value_or("");
    auto& st = db->stmt("SELECT arn FROM topics WHERE arn > ?1 ORDER BY arn LIMIT 101");
    st.bind_text(1, after);
    std::vector<std::string> arns;
    while (st.step()) arns.push_back(st.column_text(0));
    st.reset();
    std::string inner = "<Topics>";
    for (std::size_t i = 0; i < std::min<std::size_t>(arns.size(), 100); ++i) inner += "<member>" + element("TopicArn", arns[i]) + "</member>";
    inner += "</Topics>";
    if (arns.size() > 100) inner += element("NextToken", arns[99]);
    return result("ListTopics", inner);
  }

  int subscription_count(const std::string& topic_arn) const {
    auto& st = db->stmt("SELECT COUNT(*) FROM subscriptions WHERE topic=?1");
    st.bind_text(1, topic_arn);
    st.step();
    const int n = static_cast<int>(st.column_int(0));
    st.reset();
    return n;
  }

  static std::string attributes_xml(const json::object& attrs) {
    std::string inner = "<Attributes>";
    for (const auto& [k, v] : attrs) inner += "<entry>" + element("key", k) + element("value", v.get_string()) + "</entry>";
    return inner + "</Attributes>";
  }

  std::string get_topic_attributes(const json::object& req) {
    const std::string arn = require_topic_arn(req);
    json::object attrs = *topic(arn);
    attrs["SubscriptionsConfirmed"] = std::to_string(subscription_count(arn));
    attrs["SubscriptionsPending"] = "0";
    attrs["SubscriptionsDeleted"] = "0";
    if (!attrs.contains("Policy")) {
      attrs["Policy"] = R"({"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:Publish","SNS:Subscribe"],"Resource":")" +
                        arn + R"("}]})";
    }
    return result("GetTopicAttributes", attributes_xml(attrs));
  }

  std::string set_topic_attributes(const json::object& req) {
    const std::string arn = require_topic_arn(req);
    const auto name = str(req, "AttributeName");
    if (!name) throw invalid("AttributeName");
    static const std::set<std::string> kSettable = {"DisplayName", "Policy", "DeliveryPolicy", "KmsMasterKeyId", "ContentBasedDeduplication",
                                                    "TracingConfig", "SignatureVersion", "ArchivePolicy", "DataProtectionPolicy"};
    if (!kSettable.count(*name)) throw invalid("AttributeName");
    Transaction tx(*db);
    json::object attrs = *topic(arn);
    attrs[*name] = str(req, "AttributeValue").value_or("");
    db->stmt("UPDATE topics SET attributes=?2 WHERE arn=?1").bind_text(1, arn).bind_text(2, json::serialize(attrs)).run();
    tx.commit();
    return empty_result("SetTopicAttributes");
  }

  std::string subscribe(const json::object& req) {
    const std::string arn = require_topic_arn(req);
    const auto protocol = str(req, "Protocol");
    const auto endpoint = str(req, "Endpoint");
    if (!protocol) throw invalid("Protocol");
    if (*protocol != "lambda" && *protocol != "sqs") {
      throw invalid("Protocol Reason: the local SNS of gust dev delivers to lambda and sqs subscriptions only, not " + *protocol);
    }
    if (!endpoint || endpoint->empty()) throw invalid("Endpoint");
    if (*protocol == "lambda" && endpoint->rfind("arn:aws:lambda:", 0) != 0) throw invalid("Lambda endpoint ARN");
    if (*protocol == "sqs" && endpoint->rfind("arn:aws:sqs:", 0) != 0) throw invalid("SQS endpoint ARN");
    json::object attrs;
    for (const auto& [k, v] : entries(req, "Attributes")) {
      static const std::set<std::string> kAllowed = {"DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy",
                                                     "SubscriptionRoleArn"};
      if (!kAllowed.count(k)) throw invalid("Attributes Reason: Unknown attribute " + k);
      if (k == "FilterPolicy") {
        if (auto msg = validate_policy(v); !msg.empty()) throw sns_error(400, "InvalidParameter", msg);
      }
      if (k == "FilterPolicyScope" && v != "MessageAttributes") {
        throw invalid("Attributes Reason: the local SNS of gust dev supports FilterPolicyScope MessageAttributes only");
      }
      attrs[k] = v;
    }
    // Subscribing the same endpoint twice returns the existing subscription.
    auto& st = db->stmt("SELECT arn FROM subscriptions WHERE topic=?1 AND protocol=?2 AND endpoint=?3");
    st.bind_text(1, arn).bind_text(2, *protocol).bind_text(3, *endpoint);
    if (st.step()) {
      std::string existing = st.column_text(0);
      st.reset();
      return result("Subscribe", element("SubscriptionArn", existing));
    }
    st.reset();
    const std::string sub_arn = arn + ":" + uuid_v4();
    Transaction tx(*db);
    db->stmt("INSERT INTO subscriptions(arn, topic, protocol, endpoint, attributes) VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind_text(1, sub_arn)
        .bind_text(2, arn)
        .bind_text(3, *protocol)
        .bind_text(4, *endpoint)
        .bind_text(5, json::serialize(attrs))
        .run();
    tx.commit();
    return result("Subscribe", element("SubscriptionArn", sub_arn));
  }

  std::string unsubscribe(const json::object& req) {
    const auto arn = str(req, "SubscriptionArn");
    if (!arn) throw invalid("SubscriptionArn");
    Transaction tx(*db);
    db->stmt("DELETE FROM subscriptions WHERE arn=?1").bind_text(1, *arn).run();
    if (db->changes() == 0) throw sns_error(404, "NotFound", "Subscription does not exist");
    tx.commit();
    return empty_result("Unsubscribe");
  }

  std::string list_subscriptions(const json::object& req, bool by_topic) {
    std::string sql = "SELECT arn, topic, protocol, endpoint FROM subscriptions";
    std::string topic_arn;
    if (by_topic) {
      topic_arn = require_topic_arn(req);
      sql += " WHERE topic=?1";
    }
    sql += " ORDER BY arn";
    auto& st = db->stmt(sql);
    if (by_topic) st.bind_text(1, topic_arn);
    std::string inner = "<Subscriptions>";
    while (st.step()) {
      inner += "<member>" + element("SubscriptionArn", st.column_text(0)) + element("Owner", options.account_id) + element("Protocol", st.column_text(2)) +
               element("Endpoint", st.column_text(3)) + element("TopicArn", st.column_text(1)) + "</member>";
    }
    st.reset();
    inner += "</Subscriptions>";
    return result(by_topic ? "ListSubscriptionsByTopic" : "ListSubscriptions", inner);
  }

  std::optional<std::tuple<std::string, std::string, std::string, json::object>> subscription(const std::string& arn) {
    auto& st = db->stmt("SELECT topic, protocol, endpoint, attributes FROM subscriptions WHERE arn=?1");
    st.bind_text(1, arn);
    if (!st.step()) return std::nullopt;
    auto out = std::make_tuple(st.column_text(0), st.column_text(1), st.column_text(2), json::parse(st.column_text(3)).get_object());
    st.reset();
    return out;
  }

  std::string get_subscription_attributes(const json::object& req) {
    const auto arn = str(req, "SubscriptionArn");
    if (!arn) throw invalid("SubscriptionArn");
    auto sub = subscription(*arn);
    if (!sub) throw sns_error(404, "NotFound", "Subscription does not exist");
    auto& [topic_arn, protocol, endpoint, attrs] = *sub;
    json::object all = attrs;
    all["SubscriptionArn"] = *arn;
    all["TopicArn"] = topic_arn;
    all["Protocol"] = protocol;
    all["Endpoint"] = endpoint;
    all["Owner"] = options.account_id;
    all["ConfirmationWasAuthenticated"] = "true";
    all["PendingConfirmation"] = "false";
    if (!all.contains("RawMessageDelivery")) all["RawMessageDelivery"] = "false";
    return result("GetSubscriptionAttributes", attributes_xml(all));
  }

  std::string set_subscription_attributes(const json::object& req) {
    const auto arn = str(req, "SubscriptionArn");
    const auto name = str(req, "AttributeName");
    if (!arn) throw invalid("SubscriptionArn");
    if (!name) throw invalid("AttributeName");
    auto sub = subscription(*arn);
    if (!sub) throw sns_error(404, "NotFound", "Subscription does not exist");
    const std::string value = str(req, "AttributeValue").value_or("");
    if (*name == "FilterPolicy" && !value.empty()) {
      if (auto msg = validate_policy(value); !msg.empty()) throw sns_error(400, "InvalidParameter", msg);
    }
    json::object attrs = std::get<3>(*sub);
    if (value.empty()) {
      attrs.erase(*name);
    } else {
      attrs[*name] = value;
    }
    Transaction tx(*db);
    db->stmt("UPDATE subscriptions SET attributes=?2 WHERE arn=?1").bind_text(1, *arn).bind_text(2, json::serialize(attrs)).run();
    tx.commit();
    return empty_result("SetSubscriptionAttributes");
  }

  // The notification as SQS (non-raw) receives it, and as Lambda's Sns record carries it.
  json::object notification(const std::string& topic_arn, const std::string& message_id, const std::string& message,
                            const std::optional<std::string>& subject, const json::object& attrs, const std::string& sub_arn, bool lambda_casing) {
    json::object attr_out;
    for (const auto& [k, v] : attrs) {
      const auto& a = v.get_object();
      const auto* sv = a.if_contains("StringValue");
      const auto* bv = a.if_contains("BinaryValue");
      attr_out[k] = json::object{{"Type", a.at("DataType")}, {"Value", sv ? *sv : (bv ? *bv : json::value(""))}};
    }
    json::object n{{"Type", "Notification"},
                   {"MessageId", message_id},
                   {"TopicArn", topic_arn},
                   {"Subject", subject ? json::value(*subject) : json::value(nullptr)},
                   {"Message", message},
                   {"Timestamp", iso8601_ms(now_ms())},
                   {"SignatureVersion", "1"},
                   {"Signature", base64_encode(random_bytes(256))},  // shaped like AWS's; nothing local can verify it
                   {lambda_casing ? "SigningCertUrl" : "SigningCertURL",
                    "https://sns." + options.region + ".amazonaws.com/SimpleNotificationService-local.pem"},
                   {lambda_casing ? "UnsubscribeUrl" : "UnsubscribeURL",
                    "https://sns." + options.region + ".amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + sub_arn},
                   {"MessageAttributes", std::move(attr_out)}};
    if (!subject && !lambda_casing) n.erase("Subject");
    if (attrs.empty() && !lambda_casing) n.erase("MessageAttributes");
    return n;
  }

  struct Published {
    std::string message_id;
    std::optional<std::string> sequence_number;  // FIFO topics
  };

  std::string publish(const json::object& req, int& queued) {
    const Published p = publish_one(req, queued);
    std::string inner = element("MessageId", p.message_id);
    if (p.sequence_number) inner += element("SequenceNumber", *p.sequence_number);
    return result("Publish", inner);
  }

  // Up to ten messages to one topic; each entry succeeds or fails on its own, as Publish would.
  std::string publish_batch(const json::object& req, int& queued) {
    const std::string topic_arn = require_topic_arn(req);
    const json::array* entries = nullptr;
    if (const auto* e = req.if_contains("PublishBatchRequestEntries"); e && e->is_object()) {
      if (const auto* m = e->get_object().if_contains("member"); m && m->is_array()) entries = &m->get_array();
    }
    if (!entries || entries->empty()) throw sns_error(400, "EmptyBatchRequest", "The batch request doesn't contain any entries.");
    if (entries->size() > 10) throw sns_error(400, "TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible.");
    static const std::regex kId("[A-Za-z0-9_-]{1,80}");
    std::set<std::string> ids;
    std::size_t total = 0;
    for (const auto& e : *entries) {
      const auto id = e.is_object() ? str(e.get_object(), "Id") : std::nullopt;
      if (!id || !std::regex_match(*id, kId)) {
        throw sns_error(400, "InvalidBatchEntryId", "The Id of a batch entry in a batch request doesn't abide by the specification.");
      }
      if (!ids.insert(*id).second) throw sns_error(400, "BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.");
      total += str(e.get_object(), "Message").value_or("").size();
    }
    if (total > kMaxMessageBytes) {
      throw sns_error(400, "BatchRequestTooLong", "The length of all the messages put together is more than the limit.");
    }
    std::string ok;
    std::string failed;
    for (const auto& e : *entries) {
      json::object one = e.get_object();
      const std::string id = *str(one, "Id");
      one["TopicArn"] = topic_arn;
      try {
        const Published p = publish_one(one, queued);
        ok += "<member>" + element("Id", id) + element("MessageId", p.message_id) +
              (p.sequence_number ? element("SequenceNumber", *p.sequence_number) : std::string()) + "</member>";
      } catch (const AwsError& error) {
        failed += "<member>" + element("Id", id) + element("Code", error.type) + element("Message", error.message) +
                  element("SenderFault", "true") + "</member>";
      }
    }
    return result("PublishBatch", "<Successful>" + ok + "</Successful><Failed>" + failed + "</Failed>");
  }

  Published publish_one(const json::object& req, int& queued) {
    std::string topic_arn;
    if (auto target = str(req, "TargetArn"); target && !str(req, "TopicArn")) {
      topic_arn = *target;
      if (!topic(topic_arn)) throw topic_missing();
    } else if (str(req, "PhoneNumber")) {
      throw invalid("PhoneNumber Reason: the local SNS of gust dev does not send SMS");
    } else {
      topic_arn = require_topic_arn(req);
    }
    const auto message = str(req, "Message");
    if (!message || message->empty()) throw invalid("Empty message");
    if (message->size() > kMaxMessageBytes) throw invalid("Message too long");
    const auto subject = str(req, "Subject");
    if (subject && (subject->empty() || subject->size() > 100)) throw invalid("Subject");
    const json::object attrs = message_attributes(req);
    std::string text_for = *message;
    json::object per_protocol;
    if (str(req, "MessageStructure").value_or("") == "json") {
      boost::system::error_code ec;
      auto parsed = json::parse(*message, ec);
      if (ec || !parsed.is_object()) throw invalid("Message Structure - JSON message body failed to parse");
      if (!parsed.get_object().contains("default")) throw invalid("Message Structure - No default entry in JSON message body");
      per_protocol = parsed.get_object();
    }
    const bool fifo = topic_arn.size() > 5 && topic_arn.substr(topic_arn.size() - 5) == ".fifo";
    const auto group = str(req, "MessageGroupId");
    if (fifo && !group) throw invalid("The MessageGroupId parameter is required for FIFO topics");
    const std::string message_id = uuid_v4();
    Transaction tx(*db);
    auto& st = db->stmt("SELECT arn, protocol, endpoint, attributes FROM subscriptions WHERE topic=?1");
    st.bind_text(1, topic_arn);
    struct Sub {
      std::string arn, protocol, endpoint;
      json::object attrs;
    };
    std::vector<Sub> subs;
    while (st.step()) subs.push_back(Sub{st.column_text(0), st.column_text(1), st.column_text(2), json::parse(st.column_text(3)).get_object()});
    st.reset();
    for (const auto& s : subs) {
      const auto* policy = s.attrs.if_contains("FilterPolicy");
      if (policy && !policy_matches(std::string(policy->get_string()), attrs)) continue;
      std::string text = *message;
      if (!per_protocol.empty()) {
        const auto* specific = per_protocol.if_contains(s.protocol);
        text = std::string((specific && specific->is_string() ? *specific : per_protocol.at("default")).get_string());
      }
      std::string payload;
      json::object sqs_attrs;
      if (s.protocol == "lambda") {
        json::object record{{"EventSource", "aws:sns"},
                            {"EventVersion", "1.0"},
                            {"EventSubscriptionArn", s.arn},
                            {"Sns", notification(topic_arn, message_id, text, subject, attrs, s.arn, true)}};
        payload = json::serialize(json::object{{"Records", json::array{std::move(record)}}});
      } else {
        const auto* raw = s.attrs.if_contains("RawMessageDelivery");
        if (raw && raw->get_string() == "true") {
          payload = text;
          sqs_attrs = attrs;
        } else {
          payload = json::serialize(notification(topic_arn, message_id, text, subject, attrs, s.arn, false));
        }
      }
      db->stmt("INSERT INTO deliveries(subscription, protocol, endpoint, payload, attributes, next_attempt) VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
          .bind_text(1, s.arn)
          .bind_text(2, s.protocol)
          .bind_text(3, s.endpoint)
          .bind_text(4, payload)
          .bind_text(5, json::serialize(sqs_attrs))
          .bind(6, std::int64_t{0})
          .run();
      ++queued;
    }
    tx.commit();
    Published out{message_id, std::nullopt};
    if (fifo) out.sequence_number = std::to_string(now_ms()) + "000000";
    return out;
  }

  std::string tags_of(const json::object& req, std::string_view action) {
    const auto arn = str(req, "ResourceArn");
    if (!arn) throw invalid("ResourceArn");
    auto& st = db->stmt("SELECT tags FROM topics WHERE arn=?1");
    st.bind_text(1, *arn);
    if (!st.step()) {
      st.reset();
      throw sns_error(404, "ResourceNotFound", "Resource does not exist");
    }
    json::object tags = json::parse(st.column_text(0)).get_object();
    st.reset();
    if (action == "ListTagsForResource") {
      std::string inner = "<Tags>";
      for (const auto& [k, v] : tags) inner += "<member>" + element("Key", k) + element("Value", v.get_string()) + "</member>";
      return result(action, inner + "</Tags>");
    }
    if (action == "TagResource") {
      for (const auto& [k, v] : entries(req, "Tags", "Key", "Value")) tags[k] = v;
    } else {
      const auto* keys = req.if_contains("TagKeys");
      if (keys && keys->is_object()) {
        if (const auto* m = keys->get_object().if_contains("member"); m && m->is_array()) {
          for (const auto& k : m->get_array()) {
            if (k.is_string()) tags.erase(k.get_string());
          }
        }
      }
    }
    Transaction tx(*db);
    db->stmt("UPDATE topics SET tags=?2 WHERE arn=?1").bind_text(1, *arn).bind_text(2, json::serialize(tags)).run();
    tx.commit();
    return result(action, "");
  }

  std::string dispatch(const std::string& action, const json::object& req, int& queued) {
    std::lock_guard lock(mu);
    if (action == "CreateTopic") return create_topic(req);
    if (action == "DeleteTopic") return delete_topic(req);
    if (action == "ListTopics") return list_topics(req);
    if (action == "GetTopicAttributes") return get_topic_attributes(req);
    if (action == "SetTopicAttributes") return set_topic_attributes(req);
    if (action == "Subscribe") return subscribe(req);
    if (action == "Unsubscribe") return unsubscribe(req);
    if (action == "ListSubscriptions") return list_subscriptions(req, false);
    if (action == "ListSubscriptionsByTopic") return list_subscriptions(req, true);
    if (action == "GetSubscriptionAttributes") return get_subscription_attributes(req);
    if (action == "SetSubscriptionAttributes") return set_subscription_attributes(req);
    if (action == "Publish") return publish(req, queued);
    if (action == "PublishBatch") return publish_batch(req, queued);
    if (action == "ConfirmSubscription") return result("ConfirmSubscription", element("SubscriptionArn", str(req, "TopicArn").value_or("") + ":confirmed"));
    if (action == "ListTagsForResource" || action == "TagResource" || action == "UntagResource") return tags_of(req, action);
    throw sns_error(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
  }

  // ---- deliveries
  struct Pending {
    std::int64_t id;
    std::string protocol, endpoint, payload, attributes;
    std::int64_t attempts;
  };

  void deliver_loop() {
    std::unique_lock lock(delivery_mu);
    while (!stopping) {
      wake.wait_for(lock, std::chrono::milliseconds(200));
      if (stopping) break;
      auto target = delivery;
      lock.unlock();
      std::vector<Pending> due;
      try {
        std::lock_guard db_lock(mu);
        auto& st = db->stmt("SELECT id, protocol, endpoint, payload, attributes, attempts FROM deliveries WHERE next_attempt<=?1 ORDER BY id LIMIT 50");
        st.bind(1, now_ms());
        while (st.step()) due.push_back(Pending{st.column_int(0), st.column_text(1), st.column_text(2), st.column_text(3), st.column_text(4), st.column_int(5)});
        st.reset();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "local sns: cannot read deliveries: %s\n", e.what());
      }
      for (const auto& d : due) {
        bool ok = false;
        bool waiting = false;  // nobody to deliver to yet: not an attempt
        std::string why;
        if (d.protocol == "lambda") {
          if (!target) {
            waiting = true;
          } else {
            auto r = target->deliver_to_lambda(d.endpoint, d.payload);
            ok = r.has_value();
            if (!ok) why = r.error().message;
          }
        } else if (d.protocol == "sqs") {
          ok = deliver_to_sqs(d, why);
        }
        try {
          std::lock_guard db_lock(mu);
          if (ok) {
            db->stmt("DELETE FROM deliveries WHERE id=?1").bind(1, d.id).run();
          } else if (waiting) {
            db->stmt("UPDATE deliveries SET next_attempt=?2 WHERE id=?1").bind(1, d.id).bind(2, now_ms() + 500).run();
          } else if (d.attempts + 1 >= kMaxAttempts) {
            std::fprintf(stderr, "local sns: giving up on a %s delivery to %s after %d attempts: %s\n", d.protocol.c_str(), d.endpoint.c_str(),
                         kMaxAttempts, why.c_str());
            db->stmt("DELETE FROM deliveries WHERE id=?1").bind(1, d.id).run();
          } else {
            db->stmt("UPDATE deliveries SET attempts=attempts+1, next_attempt=?2 WHERE id=?1")
                .bind(1, d.id)
                .bind(2, static_cast<std::int64_t>(now_ms() + (1000LL << d.attempts)))
                .run();
          }
        } catch (const std::exception& e) {
          std::fprintf(stderr, "local sns: cannot record a delivery: %s\n", e.what());
        }
      }
      lock.lock();
    }
  }

  bool deliver_to_sqs(const Pending& d, std::string& why) {
    if (!sqs) {
      why = "no local SQS";
      return false;
    }
    const std::string queue = d.endpoint.substr(d.endpoint.rfind(':') + 1);
    json::object req{{"QueueUrl", queue}, {"MessageBody", d.payload}};
    json::value attrs = json::parse(d.attributes);
    if (!attrs.get_object().empty()) req["MessageAttributes"] = attrs;
    auto res = sqs->call_operation("SendMessage", json::serialize(req));
    if (res.status != 200) why = res.body;
    return res.status == 200;
  }
};

namespace {

ServiceResponse xml_response(int status, std::string body) {
  ServiceResponse res;
  res.status = status;
  res.headers.set("Content-Type", "text/xml");
  res.headers.set("x-amzn-RequestId", uuid_v4());
  res.body = "<?xml version=\"1.0\"?>" + body;
  return res;
}

ServiceResponse error_response(const AwsError& e) {
  return xml_response(e.status, std::string("<ErrorResponse xmlns=\"") + kXmlns + "\"><Error><Type>" + (e.status >= 500 ? "Receiver" : "Sender") +
                                    "</Type>" + element("Code", e.type) + element("Message", e.message) + "</Error>" +
                                    element("RequestId", uuid_v4()) + "</ErrorResponse>");
}

}  // namespace

Result<std::unique_ptr<SnsService>> SnsService::open(const ServiceOptions& options, SqsService* sqs) {
  auto db = open_state_db(options.state_dir, "sns.sqlite", kSchema);
  if (!db) return unexpected(db.error());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->sqs = sqs;
  impl->db = std::move(*db);
  Impl* raw = impl.get();
  impl->worker = std::thread([raw] { raw->deliver_loop(); });
  return std::unique_ptr<SnsService>(new SnsService(std::move(impl)));
}

SnsService::SnsService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SnsService::~SnsService() {
  {
    std::lock_guard lock(impl_->delivery_mu);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->worker.joinable()) impl_->worker.join();
}

void SnsService::set_delivery(std::shared_ptr<SnsDelivery> delivery) {
  {
    std::lock_guard lock(impl_->delivery_mu);
    impl_->delivery = std::move(delivery);
  }
  impl_->wake.notify_all();
}

int SnsService::pending_deliveries() const {
  std::lock_guard lock(impl_->mu);
  auto& st = impl_->db->stmt("SELECT COUNT(*) FROM deliveries");
  st.step();
  const int n = static_cast<int>(st.column_int(0));
  st.reset();
  return n;
}

ServiceResponse SnsService::call_action(const Params& form) {
  const std::string* action = find_param(form, "Action");
  if (!action) return error_response(sns_error(400, "MissingAction", "Missing Action"));
  try {
    int queued = 0;
    std::string body = impl_->dispatch(*action, query_tree(form, {"Action", "Version"}), queued);
    if (queued > 0) impl_->wake.notify_all();
    return xml_response(200, std::move(body));
  } catch (const AwsError& e) {
    return error_response(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "local sns: internal error in %s: %s\n", action->c_str(), e.what());
    return error_response(sns_error(500, "InternalError", "The request processing has failed because of an unknown error, exception or failure."));
  }
}

void SnsService::handle(ServiceRequest request, Reply reply) {
  const Params query = parse_query(request.query);
  const auto auth = check_sigv4(request, query, "sns", now_ms() / 1000);
  if (!auth.ok()) {
    const auto failure = auth_failure(auth.problem);
    return reply(error_response(sns_error(failure.status, failure.code, auth.message)));
  }
  reply(call_action(action_params(request, query)));
}

}  // namespace gust::localaws
