// DynamoDB table operations: CreateTable, DescribeTable, DeleteTable,
// ListTables, UpdateTable (billing, throughput, global secondary indexes
// added and removed), time to live.
#include "devcloud/services/dynamodb_impl.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace gust::localaws {

using namespace ddb;

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out;
}

struct SchemaElement {
  std::string name;
  std::string key_type;
};

std::vector<SchemaElement> read_key_schema(json::object& owner, std::string_view path) {
  json::array* arr = get_array(owner, "KeySchema");
  if (!arr) throw validation_error("The parameter 'KeySchema' is required but was not present in the request");
  if (arr->empty() || arr->size() > 2) {
    throw validation_error("1 validation error detected: Value '" + json::serialize(*arr) + "' at '" + std::string(path) +
                           "' failed to satisfy constraint: Member must have length " +
                           (arr->empty() ? "greater than or equal to 1" : "less than or equal to 2"));
  }
  std::vector<SchemaElement> out;
  for (auto& e : *arr) {
    if (!e.is_object()) throw serialization_error("Unexpected field type");
    auto& o = e.get_object();
    SchemaElement s{require_string(o, "AttributeName"), require_string(o, "KeyType")};
    if (s.key_type != "HASH" && s.key_type != "RANGE") {
      throw validation_error("1 validation error detected: Value '" + s.key_type + "' at '" + std::string(path) +
                             ".1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]");
    }
    out.push_back(std::move(s));
  }
  return out;
}

void check_key_schema(const std::vector<SchemaElement>& keys, const std::vector<std::string>& defns) {
  std::vector<std::string> names;
  for (const auto& k : keys) names.push_back(k.name);
  for (const auto& k : keys) {
    if (std::find(defns.begin(), defns.end(), k.name) == defns.end()) {
      throw validation_error("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [" +
                             join(names) + "], AttributeDefinitions: [" + join(defns) + "]");
    }
  }
  if (keys.size() == 2 && keys[0].name == keys[1].name) {
    throw validation_error("Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
  if (keys[0].key_type != "HASH") throw validation_error("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (keys.size() == 2 && keys[1].key_type != "RANGE") throw validation_error("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
}

json::array key_schema_json(const std::vector<SchemaElement>& keys) {
  json::array out;
  for (const auto& k : keys) out.push_back(json::object{{"AttributeName", k.name}, {"KeyType", k.key_type}});
  return out;
}

json::object throughput_json(const json::object* given) {
  std::int64_t r = 0;
  std::int64_t w = 0;
  if (given) {
    if (auto v = get_int(*given, "ReadCapacityUnits")) r = *v;
    if (auto v = get_int(*given, "WriteCapacityUnits")) w = *v;
  }
  return json::object{{"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", r}, {"WriteCapacityUnits", w}};
}

// What an index definition is checked against: the table's key schema,
// attribute definitions and billing mode.
struct IndexContext {
  const std::vector<SchemaElement>& table_keys;
  const std::vector<std::string>& defns;
  const std::string& billing;
  const std::string& arn;
};

// One GlobalSecondaryIndexes/LocalSecondaryIndexes entry (CreateTable) or
// GlobalSecondaryIndexUpdates Create (UpdateTable), checked as AWS checks it,
// as its IndexDescription. Adds its key attributes to `used`.
json::object read_index(json::value& i, bool global, const IndexContext& c, std::set<std::string>& used) {
  if (!i.is_object()) throw serialization_error("Unexpected field type");
  auto& o = i.get_object();
  const std::string index_name = require_string(o, "IndexName");
  auto ikeys = read_key_schema(o, global ? "globalSecondaryIndexes.1.member.keySchema" : "localSecondaryIndexes.1.member.keySchema");
  check_key_schema(ikeys, c.defns);
  if (!global) {
    if (ikeys.size() != 2) {
      throw validation_error("One or more parameter values were invalid: Index KeySchema does not have a range key for index: " + index_name);
    }
    if (ikeys[0].name != c.table_keys[0].name) {
      throw validation_error("One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: " +
                             index_name + ". index hash key: " + ikeys[0].name + ", table hash key: " + c.table_keys[0].name);
    }
  }
  json::object* projection = get_object(o, "Projection");
  if (!projection) throw validation_error("The parameter 'Projection' is required but was not present in the request");
  auto ptype = get_string(*projection, "ProjectionType");
  if (!ptype) throw validation_error("One or more parameter values were invalid: Unknown ProjectionType: null");
  if (*ptype != "ALL" && *ptype != "KEYS_ONLY" && *ptype != "INCLUDE") {
    throw validation_error("One or more parameter values were invalid: Unknown ProjectionType: " + *ptype);
  }
  json::array* non_key = get_array(*projection, "NonKeyAttributes");
  if (non_key && *ptype != "INCLUDE") {
    throw validation_error("One or more parameter values were invalid: ProjectionType is " + *ptype + ", but NonKeyAttributes is specified");
  }
  json::object* ithroughput = get_object(o, "ProvisionedThroughput");
  if (global && c.billing == "PAY_PER_REQUEST" && ithroughput) {
    throw validation_error("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: " + index_name +
                           " when BillingMode is PAY_PER_REQUEST");
  }
  if (global && c.billing == "PROVISIONED" && !ithroughput) {
    throw validation_error("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: " + index_name);
  }
  for (const auto& k : ikeys) used.insert(k.name);
  json::object proj_out{{"ProjectionType", *ptype}};
  if (non_key) proj_out["NonKeyAttributes"] = *non_key;
  json::object d{{"IndexName", index_name},
                 {"KeySchema", key_schema_json(ikeys)},
                 {"Projection", std::move(proj_out)},
                 {"IndexSizeBytes", 0},
                 {"ItemCount", 0},
                 {"IndexArn", c.arn + "/index/" + index_name}};
  if (global) {
    d["IndexStatus"] = "ACTIVE";
    d["ProvisionedThroughput"] = throughput_json(ithroughput);
  }
  return d;
}

// Rebuilds the key and index definitions from a stored TableDescription.
TableDef definition_from(const json::object& d) {
  TableDef t;
  t.name = std::string(d.at("TableName").get_string());
  std::map<std::string, std::string> types;
  for (const auto& a : d.at("AttributeDefinitions").get_array()) {
    types[std::string(a.at("AttributeName").get_string())] = std::string(a.at("AttributeType").get_string());
  }
  auto keys = [&](const json::array& schema, KeyDef& hash, std::optional<KeyDef>& range) {
    for (const auto& k : schema) {
      KeyDef def{std::string(k.at("AttributeName").get_string()), types[std::string(k.at("AttributeName").get_string())]};
      if (k.at("KeyType").get_string() == "HASH") {
        hash = def;
      } else {
        range = def;
      }
    }
  };
  keys(d.at("KeySchema").get_array(), t.hash, t.range);
  for (const char* kind : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
    const auto* list = d.if_contains(kind);
    if (!list) continue;
    for (const auto& i : list->get_array()) {
      IndexDef idx;
      idx.global = std::string_view(kind) == "GlobalSecondaryIndexes";
      idx.name = std::string(i.at("IndexName").get_string());
      keys(i.at("KeySchema").get_array(), idx.hash, idx.range);
      const auto& proj = i.at("Projection").get_object();
      idx.projection_type = std::string(proj.at("ProjectionType").get_string());
      if (const auto* nk = proj.if_contains("NonKeyAttributes")) {
        for (const auto& n : nk->get_array()) idx.non_key.emplace_back(n.get_string());
      }
      t.indexes.push_back(std::move(idx));
    }
  }
  if (const auto* ttl = d.if_contains("x-gust-ttl"); ttl && ttl->is_string()) t.ttl_attribute = std::string(ttl->get_string());
  t.description = d;
  return t;
}

}  // namespace

void DynamoDbService::Impl::load_tables() {
  auto& st = db->stmt("SELECT id, description FROM tables ORDER BY id");
  while (st.step()) {
    json::value d = json::parse(st.column_text(1));
    TableDef t = definition_from(d.get_object());
    t.id = st.column_int(0);
    next_table_id = std::max(next_table_id, t.id + 1);
    tables[t.name] = std::move(t);
  }
  st.reset();
}

json::object DynamoDbService::Impl::create_table(json::object& req) {
  check_table_name(req);
  const std::string name = require_string(req, "TableName");
  json::array* defs_json = get_array(req, "AttributeDefinitions");
  if (!defs_json) throw validation_error("The parameter 'AttributeDefinitions' is required but was not present in the request");
  auto keys = read_key_schema(req, "keySchema");
  std::vector<std::string> defns;
  json::array defs_out;
  for (auto& d : *defs_json) {
    if (!d.is_object()) throw serialization_error("Unexpected field type");
    auto& o = d.get_object();
    const std::string n = require_string(o, "AttributeName");
    const std::string type = require_string(o, "AttributeType");
    if (type != "S" && type != "N" && type != "B") {
      throw validation_error("1 validation error detected: Value '" + type +
                             "' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
    }
    if (std::find(defns.begin(), defns.end(), n) != defns.end()) {
      throw validation_error("One or more parameter values were invalid: Duplicate AttributeName in AttributeDefinitions: " + n);
    }
    defns.push_back(n);
    defs_out.push_back(json::object{{"AttributeName", n}, {"AttributeType", type}});
  }

  const std::string billing = get_string(req, "BillingMode").value_or("PROVISIONED");
  if (billing != "PROVISIONED" && billing != "PAY_PER_REQUEST") {
    throw validation_error("1 validation error detected: Value '" + billing +
                           "' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
  }
  json::object* throughput = get_object(req, "ProvisionedThroughput");
  if (billing == "PAY_PER_REQUEST" && throughput) {
    throw validation_error("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  }
  if (billing == "PROVISIONED" && (!throughput || !get_int(*throughput, "ReadCapacityUnits") || !get_int(*throughput, "WriteCapacityUnits"))) {
    throw validation_error("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
  }
  if (keys.size() > defns.size()) throw validation_error("Invalid KeySchema: Some index key attribute have no definition");
  check_key_schema(keys, defns);

  std::set<std::string> used;
  for (const auto& k : keys) used.insert(k.name);
  std::set<std::string> index_names;
  const std::string arn = "arn:aws:dynamodb:" + options.region + ":" + options.account_id + ":table/" + name;

  auto read_indexes = [&](const char* member_name, bool global) {
    json::array* list = get_array(req, member_name);
    if (!list) return json::array{};
    if (list->empty()) {
      throw validation_error(std::string("One or more parameter values were invalid: List of ") + member_name + " is empty");
    }
    if (!global && keys.size() != 2) {
      throw validation_error("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
    }
    json::array out;
    const IndexContext context{keys, defns, billing, arn};
    for (auto& i : *list) {
      json::object d = read_index(i, global, context, used);
      if (!index_names.insert(std::string(d.at("IndexName").get_string())).second) {
        throw validation_error("One or more parameter values were invalid: Duplicate index name: " + std::string(d.at("IndexName").get_string()));
      }
      out.push_back(std::move(d));
    }
    if (!global && out.size() > 5) {
      throw validation_error("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5");
    }
    if (global && out.size() > 20) {
      throw validation_error("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20");
    }
    return out;
  };
  json::array lsis = read_indexes("LocalSecondaryIndexes", false);
  json::array gsis = read_indexes("GlobalSecondaryIndexes", true);
  if (used.size() != defns.size()) {
    throw validation_error("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
  }
  if (tables.count(name)) throw dynamodb_error("ResourceInUseException", "Table already exists: " + name);

  const double created = static_cast<double>(now_ms()) / 1000.0;
  json::object d{{"AttributeDefinitions", std::move(defs_out)},
                 {"TableName", name},
                 {"KeySchema", key_schema_json(keys)},
                 {"TableStatus", "ACTIVE"},
                 {"CreationDateTime", created},
                 {"ProvisionedThroughput", throughput_json(throughput)},
                 {"TableSizeBytes", 0},
                 {"ItemCount", 0},
                 {"TableArn", arn},
                 {"TableId", uuid_v4()},
                 {"DeletionProtectionEnabled", get_bool(req, "DeletionProtectionEnabled").value_or(false)}};
  if (billing == "PAY_PER_REQUEST") {
    d["BillingModeSummary"] = json::object{{"BillingMode", "PAY_PER_REQUEST"}, {"LastUpdateToPayPerRequestDateTime", created}};
  }
  if (!lsis.empty()) d["LocalSecondaryIndexes"] = std::move(lsis);
  if (!gsis.empty()) d["GlobalSecondaryIndexes"] = std::move(gsis);
  if (json::object* stream = get_object(req, "StreamSpecification")) {
    if (get_bool(*stream, "StreamEnabled").value_or(false)) d["StreamSpecification"] = *stream;
  }

  TableDef t = definition_from(d);
  t.id = next_table_id++;
  {
    Transaction tx(*db);
    db->stmt("INSERT INTO tables(id, name, description) VALUES(?1, ?2, ?3)").bind(1, t.id).bind_text(2, name).bind_text(3, json::serialize(d)).run();
    tx.commit();
  }
  tables[name] = t;
  // AWS answers CreateTable while the table is still being created.
  d["TableStatus"] = "CREATING";
  if (auto* g = d.if_contains("GlobalSecondaryIndexes")) {
    for (auto& i : g->get_array()) i.get_object()["IndexStatus"] = "CREATING";
  }
  return json::object{{"TableDescription", std::move(d)}};
}

json::object DynamoDbService::Impl::table_description(const TableDef& t) {
  json::object d = t.description;
  d.erase("x-gust-ttl");
  auto& st = db->stmt("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM items WHERE tid=?1");
  st.bind(1, t.id);
  st.step();
  d["ItemCount"] = st.column_int(0);
  d["TableSizeBytes"] = st.column_int(1);
  st.reset();
  if (auto* g = d.if_contains("GlobalSecondaryIndexes")) {
    for (auto& i : g->get_array()) {
      auto& io = i.get_object();
      auto& ci = db->stmt("SELECT COUNT(*) FROM index_items WHERE tid=?1 AND idx=?2");
      ci.bind(1, t.id).bind_text(2, std::string(io.at("IndexName").get_string()));
      ci.step();
      io["ItemCount"] = ci.column_int(0);
      ci.reset();
    }
  }
  return d;
}

json::object DynamoDbService::Impl::describe_table(json::object& req) {
  check_table_name(req);
  TableDef& t = table_for(req, "TableName", true);
  return json::object{{"Table", table_description(t)}};
}

json::object DynamoDbService::Impl::delete_table(json::object& req) {
  check_table_name(req);
  TableDef& t = table_for(req, "TableName", true);
  if (const auto* p = t.description.if_contains("DeletionProtectionEnabled"); p && p->is_bool() && p->get_bool()) {
    throw validation_error("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
  }
  json::object d = table_description(t);
  d["TableStatus"] = "DELETING";
  {
    Transaction tx(*db);
    db->stmt("DELETE FROM items WHERE tid=?1").bind(1, t.id).run();
    db->stmt("DELETE FROM index_items WHERE tid=?1").bind(1, t.id).run();
    db->stmt("DELETE FROM tables WHERE id=?1").bind(1, t.id).run();
    tx.commit();
  }
  tables.erase(t.name);
  return json::object{{"TableDescription", std::move(d)}};
}

json::object DynamoDbService::Impl::list_tables(json::object& req) {
  const auto limit = get_int(req, "Limit");
  if (limit && (*limit < 1 || *limit > 100)) {
    throw validation_error("1 validation error detected: Value '" + std::to_string(*limit) + "' at 'limit' failed to satisfy constraint: Member must have " +
                           (*limit < 1 ? "value greater than or equal to 1" : "value less than or equal to 100"));
  }
  const auto start = get_string(req, "ExclusiveStartTableName");
  json::array names;
  std::string last;
  bool more = false;
  for (const auto& [name, t] : tables) {
    if (start && name <= *start) continue;
    if (names.size() >= static_cast<std::size_t>(limit.value_or(100))) {
      more = true;
      break;
    }
    names.push_back(json::value(name));
    last = name;
  }
  json::object out{{"TableNames", std::move(names)}};
  if (more) out["LastEvaluatedTableName"] = last;
  return out;
}

namespace {

// Applies GlobalSecondaryIndexUpdates to the description `d` of `t`: Create
// (with AttributeDefinitions for new key attributes), Delete, Update
// (throughput). Returns the names created and deleted, for the storage.
struct IndexChanges {
  std::vector<std::string> created;
  std::vector<std::string> deleted;
};

IndexChanges apply_index_updates(const TableDef& t, json::object& d, json::object& req, json::array& updates) {
  json::array defs = d.at("AttributeDefinitions").get_array();
  auto find_def = [&](std::string_view name) -> json::object* {
    for (auto& a : defs) {
      if (a.get_object().at("AttributeName").get_string() == name) return &a.get_object();
    }
    return nullptr;
  };
  if (json::array* given = get_array(req, "AttributeDefinitions")) {
    for (auto& g : *given) {
      if (!g.is_object()) throw serialization_error("Unexpected field type");
      const std::string n = require_string(g.get_object(), "AttributeName");
      const std::string type = require_string(g.get_object(), "AttributeType");
      if (type != "S" && type != "N" && type != "B") {
        throw validation_error("1 validation error detected: Value '" + type +
                               "' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
      }
      if (json::object* existing = find_def(n)) {
        if (existing->at("AttributeType").get_string() != type) {
          throw validation_error("One or more parameter values were invalid: Cannot change the type of key attribute " + n + " from " +
                                 std::string(existing->at("AttributeType").get_string()) + " to " + type);
        }
      } else {
        defs.push_back(json::object{{"AttributeName", n}, {"AttributeType", type}});
      }
    }
  }
  std::vector<std::string> defns;
  for (const auto& a : defs) defns.emplace_back(a.get_object().at("AttributeName").get_string());
  std::vector<SchemaElement> table_keys{{t.hash.name, "HASH"}};
  if (t.range) table_keys.push_back({t.range->name, "RANGE"});
  const std::string billing = d.contains("BillingModeSummary") ? "PAY_PER_REQUEST" : "PROVISIONED";
  const std::string arn(d.at("TableArn").get_string());
  const IndexContext context{table_keys, defns, billing, arn};

  json::array gsis = d.contains("GlobalSecondaryIndexes") ? d.at("GlobalSecondaryIndexes").get_array() : json::array{};
  auto find_gsi = [&](std::string_view name) {
    return std::find_if(gsis.begin(), gsis.end(), [&](const json::value& i) { return i.get_object().at("IndexName").get_string() == name; });
  };
  IndexChanges changes;
  for (auto& u : updates) {
    if (!u.is_object()) throw serialization_error("Unexpected field type");
    auto& uo = u.get_object();
    if (json::object* create = get_object(uo, "Create")) {
      std::set<std::string> used;
      json::value spec = *create;
      json::object index = read_index(spec, true, context, used);
      const std::string name(index.at("IndexName").get_string());
      if (find_gsi(name) != gsis.end() || t.index(name)) {
        throw validation_error("One or more parameter values were invalid: Index with name " + name + " already exists");
      }
      gsis.push_back(std::move(index));
      changes.created.push_back(name);
    } else if (json::object* del = get_object(uo, "Delete")) {
      const std::string name = require_string(*del, "IndexName");
      auto it = find_gsi(name);
      if (it == gsis.end()) throw dynamodb_error("ResourceNotFoundException", "Requested resource not found: Index: " + name + " not found");
      gsis.erase(it);
      changes.deleted.push_back(name);
    } else if (json::object* update = get_object(uo, "Update")) {
      const std::string name = require_string(*update, "IndexName");
      auto it = find_gsi(name);
      if (it == gsis.end()) throw dynamodb_error("ResourceNotFoundException", "Requested resource not found: Index: " + name + " not found");
      if (json::object* throughput = get_object(*update, "ProvisionedThroughput")) it->get_object()["ProvisionedThroughput"] = throughput_json(throughput);
    } else {
      throw validation_error("One or more parameter values were invalid: a GlobalSecondaryIndexUpdate needs one of Create, Update or Delete");
    }
  }
  if (changes.created.size() + changes.deleted.size() > 1) {
    throw dynamodb_error("LimitExceededException", "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");
  }
  if (gsis.size() > 20) throw validation_error("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20");
  // Definitions no key uses any more go, as AWS drops them with their index.
  std::set<std::string> keys{t.hash.name};
  if (t.range) keys.insert(t.range->name);
  for (const auto* list : {&gsis, d.contains("LocalSecondaryIndexes") ? &d.at("LocalSecondaryIndexes").get_array() : nullptr}) {
    if (!list) continue;
    for (const auto& i : *list) {
      for (const auto& k : i.get_object().at("KeySchema").get_array()) keys.insert(std::string(k.get_object().at("AttributeName").get_string()));
    }
  }
  json::array kept;
  for (auto& a : defs) {
    if (keys.count(std::string(a.get_object().at("AttributeName").get_string()))) kept.push_back(std::move(a));
  }
  d["AttributeDefinitions"] = std::move(kept);
  if (gsis.empty()) {
    d.erase("GlobalSecondaryIndexes");
  } else {
    d["GlobalSecondaryIndexes"] = std::move(gsis);
  }
  return changes;
}

}  // namespace

json::object DynamoDbService::Impl::update_table(json::object& req) {
  check_table_name(req);
  TableDef& t = table_for(req, "TableName", true);
  json::object d = t.description;  // the stored one changes only when everything checked out
  if (auto billing = get_string(req, "BillingMode")) {
    if (*billing == "PAY_PER_REQUEST") {
      d["BillingModeSummary"] = json::object{{"BillingMode", "PAY_PER_REQUEST"}, {"LastUpdateToPayPerRequestDateTime", static_cast<double>(now_ms()) / 1000.0}};
      d["ProvisionedThroughput"] = throughput_json(nullptr);
    } else if (*billing == "PROVISIONED") {
      d.erase("BillingModeSummary");
    } else {
      throw validation_error("1 validation error detected: Value '" + *billing +
                             "' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
    }
  }
  if (json::object* throughput = get_object(req, "ProvisionedThroughput")) d["ProvisionedThroughput"] = throughput_json(throughput);
  if (auto protect = get_bool(req, "DeletionProtectionEnabled")) d["DeletionProtectionEnabled"] = *protect;
  IndexChanges changes;
  if (json::array* updates = get_array(req, "GlobalSecondaryIndexUpdates")) changes = apply_index_updates(t, d, req, *updates);

  TableDef updated = definition_from(d);
  updated.id = t.id;
  Transaction tx(*db);
  for (const auto& name : changes.deleted) db->stmt("DELETE FROM index_items WHERE tid=?1 AND idx=?2").bind(1, t.id).bind_text(2, name).run();
  for (const auto& name : changes.created) backfill(updated, *updated.index(name));
  db->stmt("UPDATE tables SET description=?2 WHERE id=?1").bind(1, t.id).bind_text(2, json::serialize(d)).run();
  tx.commit();
  t = std::move(updated);
  // AWS answers while a new index is still being built.
  json::object out = table_description(t);
  if (auto* g = out.if_contains("GlobalSecondaryIndexes")) {
    for (auto& i : g->get_array()) {
      auto& io = i.get_object();
      if (std::find(changes.created.begin(), changes.created.end(), io.at("IndexName").get_string()) != changes.created.end()) {
        io["IndexStatus"] = "CREATING";
        io["Backfilling"] = true;
      }
    }
  }
  return json::object{{"TableDescription", std::move(out)}};
}

json::object DynamoDbService::Impl::describe_ttl(json::object& req) {
  check_table_name(req);
  TableDef& t = table_for(req, "TableName", true);
  json::object ttl{{"TimeToLiveStatus", "DISABLED"}};
  if (const auto* spec = t.description.if_contains("x-gust-ttl"); spec && spec->is_string()) {
    ttl = json::object{{"TimeToLiveStatus", "ENABLED"}, {"AttributeName", spec->get_string()}};
  }
  return json::object{{"TimeToLiveDescription", std::move(ttl)}};
}

json::object DynamoDbService::Impl::update_ttl(json::object& req) {
  check_table_name(req);
  TableDef& t = table_for(req, "TableName", true);
  json::object* spec = get_object(req, "TimeToLiveSpecification");
  if (!spec) throw validation_error("The parameter 'TimeToLiveSpecification' is required but was not present in the request");
  const bool enabled = get_bool(*spec, "Enabled").value_or(false);
  const std::string attr = require_string(*spec, "AttributeName");
  if (enabled && t.ttl_attribute) throw validation_error("TimeToLive is already enabled");
  if (!enabled && !t.ttl_attribute) throw validation_error("TimeToLive is already disabled");
  // Expired items are deleted when a read meets them (docs/local-cloud.md).
  if (enabled) {
    t.description["x-gust-ttl"] = attr;
    t.ttl_attribute = attr;
  } else {
    t.description.erase("x-gust-ttl");
    t.ttl_attribute.reset();
  }
  Transaction tx(*db);
  db->stmt("UPDATE tables SET description=?2 WHERE id=?1").bind(1, t.id).bind_text(2, json::serialize(t.description)).run();
  tx.commit();
  return json::object{{"TimeToLiveSpecification", json::object{{"Enabled", enabled}, {"AttributeName", attr}}}};
}

}  // namespace gust::localaws
