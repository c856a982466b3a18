// DynamoDB Query and Scan, on tables and secondary indexes: key conditions
// become ranges over the order-preserving key bytes SQLite stores, so a
// query reads only its partition, in sort key order, either direction.
#include "devcloud/services/dynamodb_impl.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>

namespace gust::localaws {

using namespace ddb;

namespace {

constexpr std::size_t kPageBytes = 1024 * 1024;  // AWS stops a page after 1 MB read

struct Bound {
  std::string bytes;
  bool inclusive = true;
};

// The least byte string greater than every string with this prefix, if any.
std::optional<std::string> prefix_successor(std::string prefix) {
  while (!prefix.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(prefix.back());
    if (last != 0xFF) {
      ++last;
      return prefix;
    }
    prefix.pop_back();
  }
  return std::nullopt;
}

json::object index_view(const TableDef& t, const IndexDef& idx, const json::object& item) {
  if (idx.projection_type == "ALL") return item;
  json::object out;
  auto copy = [&](const std::string& name) {
    if (const auto* v = item.if_contains(name)) out[name] = *v;
  };
  copy(t.hash.name);
  if (t.range) copy(t.range->name);
  copy(idx.hash.name);
  if (idx.range) copy(idx.range->name);
  for (const auto& n : idx.non_key) copy(n);
  return out;
}

struct ReadPlan {
  const TableDef* table = nullptr;
  const IndexDef* index = nullptr;
  std::optional<Expr> filter;
  std::optional<std::vector<Path>> projection;
  std::string select = "ALL_ATTRIBUTES";
  std::optional<std::int64_t> limit;
  bool consistent = false;
  int segment = 0;
  int total_segments = 1;
};

struct Page {
  json::array items;
  std::int64_t count = 0;
  std::int64_t scanned = 0;
  std::size_t bytes = 0;
  std::optional<json::object> last_key;
  std::vector<json::object> expired;  // past their time to live: hidden, then deleted
};

// Walks rows (item JSON in column `item_col`) until the limit or 1 MB.
void read_rows(Stmt& st, int item_col, int pk_col, const ReadPlan& plan, const DynamoDbService::Impl& impl, Page& page) {
  bool more = false;
  json::object last_item;
  while (st.step()) {
    if (plan.total_segments > 1) {
      const std::string pk = st.column_text(pk_col);
      if (static_cast<int>(crc32(pk) % static_cast<std::uint32_t>(plan.total_segments)) != plan.segment) continue;
    }
    if ((plan.limit && page.scanned >= *plan.limit) || page.bytes >= kPageBytes) {
      more = true;
      break;
    }
    json::value parsed = json::parse(st.column_text(item_col));
    json::object& item = parsed.get_object();
    if (plan.table->ttl_attribute && impl.expired(*plan.table, item)) {
      page.expired.push_back(std::move(item));
      continue;
    }
    page.scanned++;
    page.bytes += item_size(item);
    last_item = item;
    if (plan.filter && !evaluate(*plan.filter, item)) continue;
    page.count++;
    if (plan.select == "COUNT") continue;
    json::object view = plan.index && plan.select != "ALL_ATTRIBUTES" ? index_view(*plan.table, *plan.index, item) : std::move(item);
    page.items.push_back(plan.projection ? json::value(project(view, *plan.projection)) : json::value(std::move(view)));
  }
  st.reset();
  // AWS reports where it stopped whenever it stopped on the limit or the size.
  if (more || (plan.limit && page.scanned >= *plan.limit && page.scanned > 0)) {
    json::object key = impl.key_attributes(*plan.table, last_item);
    if (plan.index) {
      if (const auto* v = last_item.if_contains(plan.index->hash.name)) key[plan.index->hash.name] = *v;
      if (plan.index->range) {
        if (const auto* v = last_item.if_contains(plan.index->range->name)) key[plan.index->range->name] = *v;
      }
    }
    page.last_key = std::move(key);
  }
}

json::object page_result(DynamoDbService::Impl& impl, const ReadPlan& plan, Page& page, const json::object& req) {
  impl.expire(*plan.table, page.expired);
  json::object out;
  if (plan.select != "COUNT") out["Items"] = std::move(page.items);
  out["Count"] = page.count;
  out["ScannedCount"] = page.scanned;
  if (page.last_key) out["LastEvaluatedKey"] = std::move(*page.last_key);
  const double units = std::max(1.0, std::ceil(static_cast<double>(page.bytes) / 4096.0)) * (plan.consistent ? 1.0 : 0.5);
  for (auto& [k, v] : impl.capacity(*plan.table, units, req)) out[k] = std::move(v);
  return out;
}

// Shared by Query and Scan: index, Select, Limit, projection, filter, consistency.
ReadPlan read_plan(DynamoDbService::Impl& impl, json::object& req, ExpressionInputs& inputs, bool is_query) {
  ReadPlan plan;
  plan.table = &impl.table_for(req);
  if (auto name = get_string(req, "IndexName")) {
    plan.index = plan.table->index(*name);
    if (!plan.index) throw validation_error("The table does not have the specified index: " + *name);
  }
  plan.consistent = get_bool(req, "ConsistentRead").value_or(false);
  if (plan.index && plan.index->global && plan.consistent) throw validation_error("Consistent reads are not supported on global secondary indexes");
  if (auto limit = get_int(req, "Limit")) {
    if (*limit < 1) {
      throw validation_error("1 validation error detected: Value '" + std::to_string(*limit) +
                             "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    }
    plan.limit = limit;
  }
  if (auto select = get_string(req, "Select")) {
    if (*select != "ALL_ATTRIBUTES" && *select != "ALL_PROJECTED_ATTRIBUTES" && *select != "SPECIFIC_ATTRIBUTES" && *select != "COUNT") {
      throw validation_error("1 validation error detected: Value '" + *select +
                             "' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
    }
    plan.select = *select;
  } else if (plan.index) {
    plan.select = "ALL_PROJECTED_ATTRIBUTES";
  }
  if (plan.select == "ALL_PROJECTED_ATTRIBUTES" && !plan.index) {
    throw validation_error("One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is not supported when no index is specified");
  }
  if (plan.index && plan.index->global && plan.select == "ALL_ATTRIBUTES" && plan.index->projection_type != "ALL") {
    throw validation_error("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index " +
                           plan.index->name + " because its projection type is not ALL");
  }
  if (auto filter = get_string(req, "FilterExpression")) plan.filter = parse_condition(*filter, "FilterExpression", inputs);
  if (auto text = get_string(req, "ProjectionExpression")) {
    if (plan.select != "SPECIFIC_ATTRIBUTES" && get_string(req, "Select")) {
      throw validation_error("One or more parameter values were invalid: Select type " + plan.select + " cannot be combined with ProjectionExpression");
    }
    plan.projection = parse_projection(*text, inputs);
    plan.select = "SPECIFIC_ATTRIBUTES";
  } else if (json::array* attrs = get_array(req, "AttributesToGet")) {
    std::vector<Path> paths;
    for (const auto& a : *attrs) {
      if (!a.is_string()) throw serialization_error("Unexpected field type");
      paths.push_back(Path{PathStep{std::string(a.get_string()), -1}});
    }
    plan.projection = std::move(paths);
    plan.select = "SPECIFIC_ATTRIBUTES";
  } else if (plan.select == "SPECIFIC_ATTRIBUTES") {
    throw validation_error("One or more parameter values were invalid: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
  }
  if (plan.filter) {
    std::set<std::string> nested;
    collect_nested_heads(*plan.filter, nested);
    if (is_query) {
      std::set<std::string> heads;
      collect_heads(*plan.filter, heads);
      const KeyDef* hash = plan.index ? &plan.index->hash : &plan.table->hash;
      const KeyDef* range = plan.index ? (plan.index->range ? &*plan.index->range : nullptr) : (plan.table->range ? &*plan.table->range : nullptr);
      for (const KeyDef* k : {hash, range}) {
        if (k && heads.count(k->name)) {
          throw validation_error("Filter Expression can only contain non-primary key attributes: Primary key attribute: " + k->name);
        }
      }
    }
  }
  return plan;
}

// The exclusive start key as stored bytes: the table key, and for an index its key too.
struct StartKey {
  StoredKey table;
  std::string index_pk;
  std::string index_sk;
};

StartKey start_key(DynamoDbService::Impl& impl, const ReadPlan& plan, json::object* esk) {
  StartKey out;
  const TableDef& t = *plan.table;
  std::set<std::string> expected{t.hash.name};
  if (t.range) expected.insert(t.range->name);
  if (plan.index) {
    expected.insert(plan.index->hash.name);
    if (plan.index->range) expected.insert(plan.index->range->name);
  }
  if (esk->size() != expected.size()) throw validation_error("The provided starting key is invalid");
  for (auto& [k, v] : *esk) {
    if (!expected.count(std::string(k))) throw validation_error("The provided starting key is invalid");
    validate_value(v);
  }
  json::object table_key;
  table_key[t.hash.name] = esk->at(t.hash.name);
  if (t.range) table_key[t.range->name] = esk->at(t.range->name);
  json::value tk = table_key;
  try {
    out.table = impl.key_from_key(t, &tk);
  } catch (const AwsError& e) {
    throw validation_error("The provided starting key is invalid: " + e.message);
  }
  if (plan.index) {
    auto bytes = [&](const KeyDef& k) {
      const json::value& v = esk->at(k.name);
      if (type_of(v) != k.type) throw validation_error("The provided starting key is invalid");
      return key_bytes(v);
    };
    out.index_pk = bytes(plan.index->hash);
    if (plan.index->range) out.index_sk = bytes(*plan.index->range);
  }
  return out;
}

// Syntax and undefined names/values are reported before the table is looked
// up, as DynamoDB validates a request before it reads any table.
void precheck_expressions(json::object& req, const ExpressionParams& params, bool is_query) {
  ExpressionInputs scratch(params.names, params.values);
  if (is_query) {
    if (auto kce = get_string(req, "KeyConditionExpression")) parse_condition(*kce, "KeyConditionExpression", scratch);
  }
  if (auto filter = get_string(req, "FilterExpression")) parse_condition(*filter, "FilterExpression", scratch);
  if (auto projection = get_string(req, "ProjectionExpression")) parse_projection(*projection, scratch);
}

std::string range_clause(const std::string& column, const std::optional<Bound>& lo, const std::optional<Bound>& hi) {
  std::string sql;
  if (lo) sql += " AND " + column + (lo->inclusive ? " >= ?4" : " > ?4");
  if (hi) sql += " AND " + column + (hi->inclusive ? " <= ?5" : " < ?5");
  return sql;
}

}  // namespace

json::object DynamoDbService::Impl::query(json::object& req) {
  check_table_name(req);
  reject_legacy(req, {"KeyConditions", "QueryFilter", "ConditionalOperator"});
  const auto kce = get_string(req, "KeyConditionExpression");
  if (!kce) throw validation_error("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  auto params = expression_params(req, true, true, "");
  ExpressionInputs inputs(params.names, params.values);
  precheck_expressions(req, params, true);
  TableDef& t = table_for(req);
  // Resolve the schema queried (table or index) before parsing the key condition.
  const IndexDef* index = nullptr;
  if (auto name = get_string(req, "IndexName")) {
    index = t.index(*name);
    if (!index) throw validation_error("The table does not have the specified index: " + *name);
  }
  const KeyDef& hash = index ? index->hash : t.hash;
  const std::optional<KeyDef>& range = index ? index->range : t.range;
  KeyCondition kc = parse_key_condition(*kce, inputs, hash.name, range ? range->name : std::string());
  ReadPlan plan = read_plan(*this, req, inputs, true);
  inputs.check_all_used();

  auto check_type = [](const json::value& v, const KeyDef& k) {
    if (type_of(v) != k.type) throw validation_error("One or more parameter values were invalid: Condition parameter type does not match schema type");
  };
  check_type(kc.hash_value, hash);
  std::optional<Bound> lo;
  std::optional<Bound> hi;
  if (!kc.range_name.empty()) {
    check_type(kc.range_value, *range);
    const std::string v = key_bytes(kc.range_value);
    const std::string& op = kc.range_op;
    if (op == "=") {
      lo = Bound{v, true};
      hi = Bound{v, true};
    } else if (op == "<") {
      hi = Bound{v, false};
    } else if (op == "<=") {
      hi = Bound{v, true};
    } else if (op == ">") {
      lo = Bound{v, false};
    } else if (op == ">=") {
      lo = Bound{v, true};
    } else if (op == "between") {
      check_type(kc.range_value2, *range);
      lo = Bound{v, true};
      hi = Bound{key_bytes(kc.range_value2), true};
    } else {  // begins_with
      if (range->type == "N") {
        throw validation_error("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
      }
      lo = Bound{v, true};
      if (auto next = prefix_successor(v)) hi = Bound{*next, false};
    }
  }
  const std::string hash_bytes = key_bytes(kc.hash_value);
  const bool forward = get_bool(req, "ScanIndexForward").value_or(true);
  const char* dir = forward ? " ASC" : " DESC";
  const char* after = forward ? " > " : " < ";

  std::optional<StartKey> start;
  if (json::object* esk = get_object(req, "ExclusiveStartKey")) {
    start = start_key(*this, plan, esk);
    const std::string& start_hash = index ? start->index_pk : start->table.pk;
    if (start_hash != hash_bytes) throw validation_error("The provided starting key is outside query boundaries based on provided conditions");
  }

  Page page;
  if (!index) {
    std::string sql = "SELECT pk, sk, item FROM items WHERE tid=?1 AND pk=?2" + range_clause("sk", lo, hi);
    if (start) sql += std::string(" AND sk") + after + "?6";
    sql += std::string(" ORDER BY sk") + dir;
    Stmt& st = db->stmt(sql);
    st.bind(1, t.id).bind_blob(2, hash_bytes);
    if (lo) st.bind_blob(4, lo->bytes);
    if (hi) st.bind_blob(5, hi->bytes);
    if (start) st.bind_blob(6, start->table.sk);
    read_rows(st, 2, 0, plan, *this, page);
  } else {
    std::string sql =
        "SELECT ii.tpk, ii.tsk, i.item FROM index_items ii JOIN items i ON i.tid=ii.tid AND i.pk=ii.tpk AND i.sk=ii.tsk "
        "WHERE ii.tid=?1 AND ii.idx=?3 AND ii.pk=?2" +
        range_clause("ii.sk", lo, hi);
    if (start) sql += std::string(" AND (ii.sk, ii.tpk, ii.tsk)") + after + "(?6, ?7, ?8)";
    sql += std::string(" ORDER BY ii.sk") + dir + ", ii.tpk" + dir + ", ii.tsk" + dir;
    Stmt& st = db->stmt(sql);
    st.bind(1, t.id).bind_blob(2, hash_bytes).bind_text(3, index->name);
    if (lo) st.bind_blob(4, lo->bytes);
    if (hi) st.bind_blob(5, hi->bytes);
    if (start) st.bind_blob(6, start->index_sk).bind_blob(7, start->table.pk).bind_blob(8, start->table.sk);
    read_rows(st, 2, 0, plan, *this, page);
  }
  return page_result(*this, plan, page, req);
}

json::object DynamoDbService::Impl::scan(json::object& req) {
  check_table_name(req);
  reject_legacy(req, {"ScanFilter", "ConditionalOperator"});
  const bool any = member(req, "FilterExpression") || member(req, "ProjectionExpression");
  auto params = expression_params(req, any, member(req, "FilterExpression") != nullptr, "FilterExpression is null");
  ExpressionInputs inputs(params.names, params.values);
  precheck_expressions(req, params, false);
  ReadPlan plan = read_plan(*this, req, inputs, false);
  inputs.check_all_used();
  const auto segment = get_int(req, "Segment");
  const auto total = get_int(req, "TotalSegments");
  if (segment && !total) {
    throw validation_error("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
  }
  if (total && !segment) {
    throw validation_error("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
  }
  if (total) {
    if (*total < 1 || *total > 1000000) {
      throw validation_error("1 validation error detected: Value '" + std::to_string(*total) +
                             "' at 'totalSegments' failed to satisfy constraint: Member must have value " +
                             (*total < 1 ? "greater than or equal to 1" : "less than or equal to 1000000"));
    }
    if (*segment < 0 || *segment >= *total) {
      throw validation_error("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " + std::to_string(*segment) +
                             " is not less than TotalSegments: " + std::to_string(*total));
    }
    plan.segment = static_cast<int>(*segment);
    plan.total_segments = static_cast<int>(*total);
  }
  std::optional<StartKey> start;
  if (json::object* esk = get_object(req, "ExclusiveStartKey")) start = start_key(*this, plan, esk);
  const TableDef& t = *plan.table;
  Page page;
  if (!plan.index) {
    std::string sql = "SELECT pk, sk, item FROM items WHERE tid=?1";
    if (start) sql += " AND (pk, sk) > (?6, ?7)";
    sql += " ORDER BY pk, sk";
    Stmt& st = db->stmt(sql);
    st.bind(1, t.id);
    if (start) st.bind_blob(6, start->table.pk).bind_blob(7, start->table.sk);
    read_rows(st, 2, 0, plan, *this, page);
  } else {
    std::string sql =
        "SELECT ii.pk, ii.tpk, i.item FROM index_items ii JOIN items i ON i.tid=ii.tid AND i.pk=ii.tpk AND i.sk=ii.tsk "
        "WHERE ii.tid=?1 AND ii.idx=?3";
    if (start) sql += " AND (ii.pk, ii.sk, ii.tpk, ii.tsk) > (?6, ?7, ?8, ?9)";
    sql += " ORDER BY ii.pk, ii.sk, ii.tpk, ii.tsk";
    Stmt& st = db->stmt(sql);
    st.bind(1, t.id).bind_text(3, plan.index->name);
    if (start) st.bind_blob(6, start->index_pk).bind_blob(7, start->index_sk).bind_blob(8, start->table.pk).bind_blob(9, start->table.sk);
    read_rows(st, 2, 0, plan, *this, page);
  }
  return page_result(*this, plan, page, req);
}

}  // namespace gust::localaws
