#pragma once
// Internals of DynamoDbService shared by its .cpp files (tables, items,
// query/scan). Not a public header.

#include "devcloud/services/ddb_errors.hpp"
#include "devcloud/services/ddb_expression.hpp"
#include "devcloud/services/ddb_value.hpp"
#include "devcloud/services/dynamodb_service.hpp"
#include "devcloud/services/sqlite_db.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gust::localaws {

namespace json = boost::json;

namespace ddb {

struct KeyDef {
  std::string name;
  std::string type;  // S, N or B
};

struct IndexDef {
  std::string name;
  bool global = true;
  KeyDef hash;
  std::optional<KeyDef> range;
  std::string projection_type = "ALL";  // ALL, KEYS_ONLY, INCLUDE
  std::vector<std::string> non_key;
};

struct TableDef {
  std::int64_t id = 0;
  std::string name;
  KeyDef hash;
  std::optional<KeyDef> range;
  std::vector<IndexDef> indexes;
  std::optional<std::string> ttl_attribute;  // UpdateTimeToLive's attribute, when enabled
  json::object description;  // the TableDescription as created (counts filled on describe)

  const IndexDef* index(std::string_view index_name) const {
    for (const auto& i : indexes) {
      if (i.name == index_name) return &i;
    }
    return nullptr;
  }
};

// Where an item lives: encoded partition and sort key bytes.
struct StoredKey {
  std::string pk;
  std::string sk;
  bool operator<(const StoredKey& o) const { return pk != o.pk ? pk < o.pk : sk < o.sk; }
  bool operator==(const StoredKey& o) const = default;
};

// ---- request member access: wrong JSON types are SerializationExceptions, as Coral reports them.
const json::value* member(const json::object& req, std::string_view name);
std::optional<std::string> get_string(const json::object& req, std::string_view name);
std::string require_string(const json::object& req, std::string_view name);
json::object* get_object(json::object& req, std::string_view name);
std::optional<std::int64_t> get_int(const json::object& req, std::string_view name);
std::optional<bool> get_bool(const json::object& req, std::string_view name);
json::array* get_array(json::object& req, std::string_view name);
// "1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: ..."
void check_table_name(const json::object& req, std::string_view member_name = "TableName", std::string_view path = "tableName");

// Validates ExpressionAttributeNames/Values (non-empty, key syntax, values) and
// that they are only given along with an expression.
struct ExpressionParams {
  json::object* names = nullptr;
  json::object* values = nullptr;
};
ExpressionParams expression_params(json::object& req, bool any_expression, bool any_value_expression, std::string_view null_list);

// Rejects the pre-expression parameters we do not implement, with a clear message.
void reject_legacy(const json::object& req, std::initializer_list<std::string_view> names);

// Top-level attribute names an expression refers to.
void collect_heads(const Expr& e, std::set<std::string>& out);
void collect_nested_heads(const Expr& e, std::set<std::string>& out);

}  // namespace ddb

struct DynamoDbService::Impl {
  ServiceOptions options;
  std::unique_ptr<Db> db;
  std::mutex mu;
  std::map<std::string, ddb::TableDef, std::less<>> tables;
  std::int64_t next_table_id = 1;

  void load_tables();
  json::object dispatch(std::string_view operation, json::object& req);

  // tables (dynamodb_tables.cpp)
  json::object create_table(json::object& req);
  json::object describe_table(json::object& req);
  json::object delete_table(json::object& req);
  json::object list_tables(json::object& req);
  json::object update_table(json::object& req);
  json::object describe_ttl(json::object& req);
  json::object update_ttl(json::object& req);
  json::object table_description(const ddb::TableDef& t);

  // items (dynamodb_items.cpp)
  json::object get_item(json::object& req);
  json::object put_item(json::object& req);
  json::object update_item(json::object& req);
  json::object delete_item(json::object& req);
  json::object batch_get_item(json::object& req);
  json::object batch_write_item(json::object& req);
  json::object transact_write_items(json::object& req);
  json::object transact_get_items(json::object& req);

  // query and scan (dynamodb_query.cpp)
  json::object query(json::object& req);
  json::object scan(json::object& req);

  // storage helpers
  ddb::TableDef& table_for(const json::object& req, std::string_view member_name = "TableName", bool describe_style = false);
  ddb::StoredKey key_from_key(const ddb::TableDef& t, const json::value* key);
  ddb::StoredKey key_from_item(const ddb::TableDef& t, const json::object& item);
  std::optional<json::object> load(const ddb::TableDef& t, const ddb::StoredKey& k);
  void save(const ddb::TableDef& t, const ddb::StoredKey& k, const json::object& item);
  void erase(const ddb::TableDef& t, const ddb::StoredKey& k);
  // Adds the item to one index (nothing when it lacks the index's keys: sparse).
  void add_to_index(const ddb::TableDef& t, const ddb::IndexDef& idx, const ddb::StoredKey& k, const json::object& item);
  // Puts every item of `t` into the new index `idx` (UpdateTable Create).
  void backfill(const ddb::TableDef& t, const ddb::IndexDef& idx);
  // Time to live: whether the item's TTL attribute (epoch seconds) has
  // passed, and deleting such items once a read met them.
  bool expired(const ddb::TableDef& t, const json::object& item) const;
  void expire(const ddb::TableDef& t, const std::vector<json::object>& items);
  json::object key_attributes(const ddb::TableDef& t, const json::object& item) const;
  json::object capacity(const ddb::TableDef& t, double units, const json::object& req) const;
};

}  // namespace gust::localaws
