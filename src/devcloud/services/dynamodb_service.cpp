#include "devcloud/services/dynamodb_service.hpp"

#include "devcloud/services/dynamodb_impl.hpp"
#include "devcloud/services/sigv4_check.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace gust::localaws {

namespace ddb {

namespace {
std::string_view json_kind(const json::value& v) {
  switch (v.kind()) {
    case json::kind::bool_: return v.get_bool() ? "TRUE_VALUE" : "FALSE_VALUE";
    case json::kind::int64:
    case json::kind::uint64: return "NUMBER_VALUE";
    case json::kind::double_: return "DECIMAL_VALUE";
    case json::kind::string: return "STRING_VALUE";
    default: return "";
  }
}
[[noreturn]] void wrong_type(const json::value& v, std::string_view java) {
  if (v.is_object()) throw serialization_error("Start of structure or map found where not expected");
  if (v.is_array()) throw serialization_error("Unrecognized collection type class java.lang." + std::string(java));
  throw serialization_error(std::string(json_kind(v)) + " cannot be converted to " + std::string(java));
}
}  // namespace

const json::value* member(const json::object& req, std::string_view name) {
  const json::value* v = req.if_contains(name);
  return v && !v->is_null() ? v : nullptr;
}

std::optional<std::string> get_string(const json::object& req, std::string_view name) {
  const json::value* v = member(req, name);
  if (!v) return std::nullopt;
  if (!v->is_string()) wrong_type(*v, "String");
  return std::string(v->get_string());
}

std::string require_string(const json::object& req, std::string_view name) {
  auto v = get_string(req, name);
  if (!v) throw validation_error("The parameter '" + std::string(name) + "' is required but was not present in the request");
  return *v;
}

json::object* get_object(json::object& req, std::string_view name) {
  json::value* v = req.if_contains(name);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_object()) {
    if (v->is_array()) throw serialization_error("Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>");
    throw serialization_error("Unexpected field type");
  }
  return &v->get_object();
}

std::optional<std::int64_t> get_int(const json::object& req, std::string_view name) {
  const json::value* v = member(req, name);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), INT64_MAX));
  if (v->is_double()) throw serialization_error("DECIMAL_VALUE cannot be converted to Integer");
  if (v->is_string()) throw serialization_error("STRING_VALUE cannot be converted to Integer");
  wrong_type(*v, "Integer");
}

std::optional<bool> get_bool(const json::object& req, std::string_view name) {
  const json::value* v = member(req, name);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    if (v->is_string()) throw serialization_error("STRING_VALUE cannot be converted to Boolean");
    wrong_type(*v, "Boolean");
  }
  return v->get_bool();
}

json::array* get_array(json::object& req, std::string_view name) {
  json::value* v = req.if_contains(name);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_array()) {
    if (v->is_object()) throw serialization_error("Start of structure or map found where not expected");
    throw serialization_error("Unexpected field type");
  }
  return &v->get_array();
}

void check_table_name(const json::object& req, std::string_view member_name, std::string_view path) {
  auto name = get_string(req, member_name);
  if (!name) throw validation_error("The parameter '" + std::string(member_name) + "' is required but was not present in the request");
  // Every request names a table: a character loop, not std::regex, keeps this off the profile.
  const bool pattern_ok = !name->empty() && std::all_of(name->begin(), name->end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
  if (pattern_ok && name->size() >= 3 && name->size() <= 255) return;
  std::vector<std::string> errors;
  const std::string value = "Value '" + *name + "' at '" + std::string(path) + "' failed to satisfy constraint: ";
  if (!pattern_ok) errors.push_back(value + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  if (name->size() < 3) errors.push_back(value + "Member must have length greater than or equal to 3");
  if (name->size() > 255) errors.push_back(value + "Member must have length less than or equal to 255");
  {
    std::string msg = std::to_string(errors.size()) + " validation error" + (errors.size() > 1 ? "s" : "") + " detected: ";
    for (std::size_t i = 0; i < errors.size(); ++i) msg += (i ? "; " : "") + errors[i];
    throw validation_error(msg);
  }
}

ExpressionParams expression_params(json::object& req, bool any_expression, bool any_value_expression, std::string_view null_list) {
  ExpressionParams p;
  p.names = get_object(req, "ExpressionAttributeNames");
  p.values = get_object(req, "ExpressionAttributeValues");
  if (p.names && !any_expression) throw validation_error("ExpressionAttributeNames can only be specified when using expressions");
  if (p.values && !any_value_expression) {
    if (null_list.empty()) throw validation_error("ExpressionAttributeValues can only be specified when using expressions");
    throw validation_error("ExpressionAttributeValues can only be specified when using expressions: " + std::string(null_list));
  }
  if (p.names) {
    if (p.names->empty()) throw validation_error("ExpressionAttributeNames must not be empty");
    for (const auto& [k, v] : *p.names) {
      if (k.size() < 2 || k[0] != '#') throw validation_error("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + std::string(k) + "\"");
      if (!v.is_string()) throw serialization_error(std::string(json_kind(v)) + " cannot be converted to String");
    }
  }
  if (p.values) {
    if (p.values->empty()) throw validation_error("ExpressionAttributeValues must not be empty");
    for (auto& [k, v] : *p.values) {
      if (k.size() < 2 || k[0] != ':') throw validation_error("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + std::string(k) + "\"");
      try {
        validate_value(v);
      } catch (const AwsError& e) {
        if (e.type != kValidation) throw;
        throw validation_error("ExpressionAttributeValues contains invalid value: " + e.message + " for key " + std::string(k));
      }
    }
  }
  return p;
}

void reject_legacy(const json::object& req, std::initializer_list<std::string_view> names) {
  for (auto name : names) {
    if (member(req, name)) {
      throw validation_error("The local DynamoDB of gust dev does not support the legacy parameter " + std::string(name) +
                             "; use the expression parameters instead");
    }
  }
}

void collect_heads(const Expr& e, std::set<std::string>& out) {
  if (e.kind == Expr::Kind::path && !e.path.empty()) out.insert(e.path[0].name);
  for (const auto& a : e.args) collect_heads(a, out);
}

void collect_nested_heads(const Expr& e, std::set<std::string>& out) {
  if (e.kind == Expr::Kind::path && e.path.size() > 1) out.insert(e.path[0].name);
  for (const auto& a : e.args) collect_nested_heads(a, out);
}

}  // namespace ddb

namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS tables(
  id INTEGER PRIMARY KEY,
  name TEXT UNIQUE NOT NULL,
  description TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items(
  tid INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,
  item TEXT NOT NULL, size INTEGER NOT NULL,
  PRIMARY KEY(tid, pk, sk)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS index_items(
  tid INTEGER NOT NULL, idx TEXT NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,
  tpk BLOB NOT NULL, tsk BLOB NOT NULL,
  PRIMARY KEY(tid, idx, pk, sk, tpk, tsk)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS index_items_by_item ON index_items(tid, tpk, tsk);
)sql";

ServiceResponse json_response(int status, std::string body) {
  ServiceResponse res;
  res.status = status;
  res.headers.set("Content-Type", "application/x-amz-json-1.0");
  res.headers.set("x-amzn-RequestId", random_token(52));
  res.headers.set("x-amz-crc32", std::to_string(crc32(body)));
  res.body = std::move(body);
  return res;
}

ServiceResponse error_response(const AwsError& e) {
  std::string body = "{\"__type\":" + json::serialize(json::value(e.type));
  if (!e.message.empty()) {
    // Coral's serialization errors spell the member "Message".
    const bool capital = e.type == ddb::kSerialization;
    body += capital ? ",\"Message\":" : ",\"message\":";
    body += json::serialize(json::value(e.message));
  }
  body += e.extra + "}";
  return json_response(e.status, std::move(body));
}

const std::set<std::string_view>& operations() {
  static const std::set<std::string_view> kOps = {
      "BatchGetItem", "BatchWriteItem", "CreateTable", "DeleteItem", "DeleteTable", "DescribeTable", "DescribeTimeToLive",
      "GetItem", "ListTables", "PutItem", "Query", "Scan", "TransactGetItems", "TransactWriteItems", "UpdateItem",
      "UpdateTable", "UpdateTimeToLive", "DescribeEndpoints", "ListTagsOfResource", "TagResource", "UntagResource",
      "DescribeContinuousBackups", "DescribeLimits"};
  return kOps;
}

}  // namespace

Result<std::unique_ptr<DynamoDbService>> DynamoDbService::open(const ServiceOptions& options) {
  auto db = open_state_db(options.state_dir, "dynamodb.sqlite", kSchema);
  if (!db) return unexpected(db.error());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->db = std::move(*db);
  try {
    impl->load_tables();
  } catch (const std::exception& e) {
    return unexpected(ErrorCode::internal, std::string("cannot read the DynamoDB state: ") + e.what(), options.state_dir.string());
  }
  return std::unique_ptr<DynamoDbService>(new DynamoDbService(std::move(impl)));
}

DynamoDbService::DynamoDbService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DynamoDbService::~DynamoDbService() = default;

namespace {
ServiceResponse execute(DynamoDbService::Impl& impl, std::string_view operation, json::object& req) {
  try {
    std::lock_guard lock(impl.mu);
    json::object result = impl.dispatch(operation, req);
    return json_response(200, json::serialize(result));
  } catch (const AwsError& e) {
    return error_response(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "local dynamodb: internal error in %.*s: %s\n", static_cast<int>(operation.size()), operation.data(), e.what());
    return error_response(AwsError(500, std::string(ddb::kPrefix) + "InternalServerError", "Internal server error"));
  }
}
}  // namespace

ServiceResponse DynamoDbService::call_operation(std::string_view operation, std::string_view body) {
  if (!operations().count(operation)) return error_response(AwsError(400, ddb::kUnknownOperation, ""));
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) return error_response(AwsError(400, ddb::kSerialization, ""));
  return execute(*impl_, operation, parsed.get_object());
}

void DynamoDbService::handle(ServiceRequest request, Reply reply) {
  if (request.method == "GET") {
    ServiceResponse res;
    res.headers.set("Content-Type", "text/plain");
    res.body = "healthy: dynamodb." + impl_->options.region + ".amazonaws.com ";
    return reply(std::move(res));
  }
  auto content_type = std::string(request.headers.get("Content-Type").value_or(""));
  content_type = content_type.substr(0, content_type.find(';'));
  while (!content_type.empty() && content_type.back() == ' ') content_type.pop_back();
  if (request.method != "POST" ||
      (!request.body.empty() && content_type != "application/json" && content_type != "application/x-amz-json-1.0")) {
    ServiceResponse res;
    res.status = 404;
    res.body = "<UnknownOperationException/>\n";
    return reply(std::move(res));
  }
  // The order of checks is AWS's: JSON, target, then the signature.
  boost::system::error_code ec;
  json::value parsed;
  if (!request.body.empty()) {
    parsed = json::parse(request.body, ec);
    if (ec) return reply(error_response(AwsError(400, ddb::kSerialization, "")));
  }
  const std::string_view target = request.headers.get("X-Amz-Target").value_or("");
  constexpr std::string_view kPrefix = "DynamoDB_20120810.";
  if (target.substr(0, kPrefix.size()) != kPrefix || !operations().count(target.substr(kPrefix.size()))) {
    return reply(error_response(AwsError(400, ddb::kUnknownOperation, "")));
  }
  const auto auth = check_sigv4(request, parse_query(request.query), "dynamodb", now_ms() / 1000);
  if (!auth.ok()) {
    std::string type;
    switch (auth.problem) {
      case AuthProblem::missing: type = "MissingAuthenticationTokenException"; break;
      case AuthProblem::incomplete: type = "IncompleteSignatureException"; break;
      case AuthProblem::unknown_key: type = "UnrecognizedClientException"; break;
      default: type = "InvalidSignatureException"; break;
    }
    return reply(error_response(AwsError(400, "com.amazon.coral.service#" + type, auth.message)));
  }
  if (request.body.empty() || !parsed.is_object()) return reply(error_response(AwsError(400, ddb::kSerialization, "")));
  reply(execute(*impl_, target.substr(kPrefix.size()), parsed.get_object()));
}

// ------------------------------------------------------------------ Impl

json::object DynamoDbService::Impl::dispatch(std::string_view op, json::object& req) {
  if (op == "GetItem") return get_item(req);
  if (op == "PutItem") return put_item(req);
  if (op == "UpdateItem") return update_item(req);
  if (op == "DeleteItem") return delete_item(req);
  if (op == "Query") return query(req);
  if (op == "Scan") return scan(req);
  if (op == "BatchGetItem") return batch_get_item(req);
  if (op == "BatchWriteItem") return batch_write_item(req);
  if (op == "TransactWriteItems") return transact_write_items(req);
  if (op == "TransactGetItems") return transact_get_items(req);
  if (op == "CreateTable") return create_table(req);
  if (op == "DescribeTable") return describe_table(req);
  if (op == "DeleteTable") return delete_table(req);
  if (op == "ListTables") return list_tables(req);
  if (op == "UpdateTable") return update_table(req);
  if (op == "DescribeTimeToLive") return describe_ttl(req);
  if (op == "UpdateTimeToLive") return update_ttl(req);
  if (op == "DescribeEndpoints") {
    return json::object{{"Endpoints", json::array{json::object{{"Address", "dynamodb." + options.region + ".amazonaws.com"},
                                                               {"CachePeriodInMinutes", 1440}}}}};
  }
  if (op == "ListTagsOfResource") return json::object{{"Tags", json::array{}}};
  if (op == "TagResource" || op == "UntagResource") return json::object{};
  if (op == "DescribeLimits") {
    return json::object{{"AccountMaxReadCapacityUnits", 80000}, {"AccountMaxWriteCapacityUnits", 80000},
                        {"TableMaxReadCapacityUnits", 40000}, {"TableMaxWriteCapacityUnits", 40000}};
  }
  if (op == "DescribeContinuousBackups") {
    table_for(req);
    return json::object{{"ContinuousBackupsDescription",
                         json::object{{"ContinuousBackupsStatus", "DISABLED"},
                                      {"PointInTimeRecoveryDescription", json::object{{"PointInTimeRecoveryStatus", "DISABLED"}}}}}};
  }
  throw AwsError(400, ddb::kUnknownOperation, "");
}

ddb::TableDef& DynamoDbService::Impl::table_for(const json::object& req, std::string_view member_name, bool describe_style) {
  const std::string name = ddb::require_string(req, member_name);
  auto it = tables.find(name);
  if (it == tables.end()) {
    if (describe_style) throw ddb::table_not_found(name);
    throw ddb::resource_not_found();
  }
  return it->second;
}

namespace {
void check_key_size(const std::string& bytes, const ddb::KeyDef& k, bool is_hash) {
  if (k.type == "N") return;
  if (is_hash && bytes.size() > 2048) {
    throw ddb::validation_error("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
  }
  if (!is_hash && bytes.size() > 1024) {
    throw ddb::validation_error("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
  }
}
}  // namespace

ddb::StoredKey DynamoDbService::Impl::key_from_key(const ddb::TableDef& t, const json::value* key) {
  const std::size_t want = t.range ? 2 : 1;
  if (!key || !key->is_object() || key->get_object().size() != want) throw ddb::validation_error("The provided key element does not match the schema");
  const auto& obj = key->get_object();
  ddb::StoredKey out;
  for (int i = 0; i < static_cast<int>(want); ++i) {
    const ddb::KeyDef& k = i == 0 ? t.hash : *t.range;
    const json::value* v = obj.if_contains(k.name);
    if (!v || ddb::type_of(*v) != k.type) throw ddb::validation_error("The provided key element does not match the schema");
    const auto& raw = v->get_object().begin()->value();
    if ((k.type == "S" || k.type == "B") && raw.get_string().empty()) {
      throw ddb::validation_error("One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty " +
                                  std::string(k.type == "S" ? "string" : "binary") + " value. Key: " + k.name);
    }
    std::string bytes = ddb::key_bytes(*v);
    check_key_size(bytes, k, i == 0);
    (i == 0 ? out.pk : out.sk) = std::move(bytes);
  }
  return out;
}

ddb::StoredKey DynamoDbService::Impl::key_from_item(const ddb::TableDef& t, const json::object& item) {
  ddb::StoredKey out;
  for (int i = 0; i < (t.range ? 2 : 1); ++i) {
    const ddb::KeyDef& k = i == 0 ? t.hash : *t.range;
    const json::value* v = item.if_contains(k.name);
    if (!v) throw ddb::validation_error("One or more parameter values were invalid: Missing the key " + k.name + " in the item");
    const auto type = ddb::type_of(*v);
    if (type != k.type) {
      throw ddb::validation_error("One or more parameter values were invalid: Type mismatch for key " + k.name + " expected: " + k.type +
                                  " actual: " + std::string(type));
    }
    const auto& raw = v->get_object().begin()->value();
    if ((k.type == "S" || k.type == "B") && raw.get_string().empty()) {
      throw ddb::validation_error("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty " +
                                  std::string(k.type == "S" ? "string" : "binary") + " value. Key: " + k.name);
    }
    std::string bytes = ddb::key_bytes(*v);
    check_key_size(bytes, k, i == 0);
    (i == 0 ? out.pk : out.sk) = std::move(bytes);
  }
  for (const auto& idx : t.indexes) {
    for (const ddb::KeyDef* k : {&idx.hash, idx.range ? &*idx.range : nullptr}) {
      if (!k) continue;
      const json::value* v = item.if_contains(k->name);
      if (!v) continue;
      const auto type = ddb::type_of(*v);
      if (type != k->type) {
        throw ddb::validation_error("One or more parameter values were invalid: Type mismatch for Index Key " + k->name + " Expected: " + k->type +
                                    " Actual: " + std::string(type) + " IndexName: " + idx.name);
      }
      if ((k->type == "S" || k->type == "B") && v->get_object().begin()->value().get_string().empty()) {
        throw ddb::validation_error(
            "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a "
            "key attribute cannot contain an empty " +
            std::string(k->type == "S" ? "string" : "binary") + " value. IndexName: " + idx.name + ", IndexKey: " + k->name);
      }
    }
  }
  if (ddb::item_size(item) > 400 * 1024) throw ddb::validation_error("Item size has exceeded the maximum allowed size");
  return out;
}

std::optional<json::object> DynamoDbService::Impl::load(const ddb::TableDef& t, const ddb::StoredKey& k) {
  auto& st = db->stmt("SELECT item FROM items WHERE tid=?1 AND pk=?2 AND sk=?3");
  st.bind(1, t.id).bind_blob(2, k.pk).bind_blob(3, k.sk);
  if (!st.step()) return std::nullopt;
  json::value v = json::parse(st.column_text(0));
  st.reset();
  if (t.ttl_attribute && expired(t, v.get_object())) {
    erase(t, k);
    return std::nullopt;
  }
  return std::move(v.get_object());
}

void DynamoDbService::Impl::save(const ddb::TableDef& t, const ddb::StoredKey& k, const json::object& item) {
  const std::string text = json::serialize(item);
  db->stmt("INSERT OR REPLACE INTO items(tid, pk, sk, item, size) VALUES(?1, ?2, ?3, ?4, ?5)")
      .bind(1, t.id)
      .bind_blob(2, k.pk)
      .bind_blob(3, k.sk)
      .bind_text(4, text)
      .bind(5, static_cast<std::int64_t>(ddb::item_size(item)))
      .run();
  if (t.indexes.empty()) return;
  db->stmt("DELETE FROM index_items WHERE tid=?1 AND tpk=?2 AND tsk=?3").bind(1, t.id).bind_blob(2, k.pk).bind_blob(3, k.sk).run();
  for (const auto& idx : t.indexes) add_to_index(t, idx, k, item);
}

void DynamoDbService::Impl::add_to_index(const ddb::TableDef& t, const ddb::IndexDef& idx, const ddb::StoredKey& k, const json::object& item) {
  const json::value* h = item.if_contains(idx.hash.name);
  if (!h || ddb::type_of(*h) != idx.hash.type) return;  // sparse index: the item is not in it
  std::string isk;
  if (idx.range) {
    const json::value* r = item.if_contains(idx.range->name);
    if (!r || ddb::type_of(*r) != idx.range->type) return;
    isk = ddb::key_bytes(*r);
  }
  db->stmt("INSERT OR REPLACE INTO index_items(tid, idx, pk, sk, tpk, tsk) VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(1, t.id)
      .bind_text(2, idx.name)
      .bind_blob(3, ddb::key_bytes(*h))
      .bind_blob(4, isk)
      .bind_blob(5, k.pk)
      .bind_blob(6, k.sk)
      .run();
}

void DynamoDbService::Impl::backfill(const ddb::TableDef& t, const ddb::IndexDef& idx) {
  // Read first, then write: the insert statement must not run while this one steps.
  std::vector<std::pair<ddb::StoredKey, json::object>> rows;
  auto& st = db->stmt("SELECT pk, sk, item FROM items WHERE tid=?1");
  st.bind(1, t.id);
  while (st.step()) rows.emplace_back(ddb::StoredKey{st.column_text(0), st.column_text(1)}, json::parse(st.column_text(2)).get_object());
  st.reset();
  for (const auto& [k, item] : rows) add_to_index(t, idx, k, item);
}

bool DynamoDbService::Impl::expired(const ddb::TableDef& t, const json::object& item) const {
  if (!t.ttl_attribute) return false;
  const json::value* v = item.if_contains(*t.ttl_attribute);
  if (!v || ddb::type_of(*v) != "N") return false;  // only numbers expire, as in DynamoDB
  const double at = std::strtod(std::string(v->get_object().begin()->value().get_string()).c_str(), nullptr);
  const double now = static_cast<double>(now_ms()) / 1000.0;
  // DynamoDB ignores times more than five years in the past (they are not epoch seconds).
  constexpr double kFiveYears = 5 * 365 * 24 * 3600.0;
  return at < now && at > now - kFiveYears;
}

void DynamoDbService::Impl::expire(const ddb::TableDef& t, const std::vector<json::object>& items) {
  if (items.empty()) return;
  std::optional<Transaction> tx;
  if (!db->in_transaction()) tx.emplace(*db);
  for (const auto& item : items) {
    ddb::StoredKey k{ddb::key_bytes(item.at(t.hash.name)), t.range ? ddb::key_bytes(item.at(t.range->name)) : std::string()};
    erase(t, k);
  }
  if (tx) tx->commit();
}

void DynamoDbService::Impl::erase(const ddb::TableDef& t, const ddb::StoredKey& k) {
  db->stmt("DELETE FROM items WHERE tid=?1 AND pk=?2 AND sk=?3").bind(1, t.id).bind_blob(2, k.pk).bind_blob(3, k.sk).run();
  if (!t.indexes.empty()) {
    db->stmt("DELETE FROM index_items WHERE tid=?1 AND tpk=?2 AND tsk=?3").bind(1, t.id).bind_blob(2, k.pk).bind_blob(3, k.sk).run();
  }
}

json::object DynamoDbService::Impl::key_attributes(const ddb::TableDef& t, const json::object& item) const {
  json::object key;
  if (const auto* v = item.if_contains(t.hash.name)) key[t.hash.name] = *v;
  if (t.range) {
    if (const auto* v = item.if_contains(t.range->name)) key[t.range->name] = *v;
  }
  return key;
}

json::object DynamoDbService::Impl::capacity(const ddb::TableDef& t, double units, const json::object& req) const {
  auto mode = ddb::get_string(req, "ReturnConsumedCapacity");
  if (!mode || *mode == "NONE") return {};
  json::object c{{"TableName", t.name}, {"CapacityUnits", units}};
  if (*mode == "INDEXES") c["Table"] = json::object{{"CapacityUnits", units}};
  return json::object{{"ConsumedCapacity", std::move(c)}};
}

}  // namespace gust::localaws
