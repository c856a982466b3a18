// DynamoDB item operations: GetItem, PutItem, UpdateItem, DeleteItem,
// BatchGetItem, BatchWriteItem, TransactWriteItems, TransactGetItems.
#include "devcloud/services/dynamodb_impl.hpp"

#include <boost/json/serialize.hpp>

#include <cmath>

namespace gust::localaws {

using namespace ddb;

namespace {

json::object* require_map(json::object& req, std::string_view name, std::string_view path) {
  json::object* v = get_object(req, name);
  if (!v) throw validation_error("1 validation error detected: Value null at '" + std::string(path) + "' failed to satisfy constraint: Member must not be null");
  return v;
}

void check_enum(const json::object& req, std::string_view name, std::string_view path, std::initializer_list<std::string_view> allowed) {
  auto v = get_string(req, name);
  if (!v) return;
  for (auto a : allowed) {
    if (*v == a) return;
  }
  std::string set;
  for (auto a : allowed) set += (set.empty() ? "" : ", ") + std::string(a);
  throw validation_error("1 validation error detected: Value '" + *v + "' at '" + std::string(path) +
                         "' failed to satisfy constraint: Member must satisfy enum value set: [" + set + "]");
}

double write_units(std::size_t bytes) { return std::max(1.0, std::ceil(static_cast<double>(bytes) / 1024.0)); }
double read_units(std::size_t bytes, bool consistent) {
  const double units = std::max(1.0, std::ceil(static_cast<double>(bytes) / 4096.0));
  return consistent ? units : units / 2;
}

void merge(json::object& into, json::object extra) {
  for (auto& [k, v] : extra) into[k] = std::move(v);
}

// A parsed projection: ProjectionExpression, or the older AttributesToGet.
std::optional<std::vector<Path>> read_projection(json::object& req, ExpressionInputs& inputs) {
  auto text = get_string(req, "ProjectionExpression");
  json::array* attrs = get_array(req, "AttributesToGet");
  if (text && attrs) {
    throw validation_error("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
  }
  if (text) return parse_projection(*text, inputs);
  if (attrs) {
    std::vector<Path> paths;
    for (const auto& a : *attrs) {
      if (!a.is_string()) throw serialization_error("Unexpected field type");
      paths.push_back(Path{PathStep{std::string(a.get_string()), -1}});
    }
    return paths;
  }
  return std::nullopt;
}

// One write, validated and ready to run: the shape PutItem, UpdateItem,
// DeleteItem, batches and transactions share.
struct WriteOp {
  enum class Kind { put, update, del, check };
  Kind kind = Kind::put;
  TableDef* table = nullptr;
  StoredKey key;
  json::object item;      // put: the new item; others: the key attributes
  std::optional<Expr> condition;
  std::vector<UpdateAction> updates;
  bool old_on_failure = false;  // ReturnValuesOnConditionCheckFailure=ALL_OLD
};

}  // namespace

namespace {

WriteOp prepare(DynamoDbService::Impl& impl, WriteOp::Kind kind, json::object& req) {
  WriteOp op;
  op.kind = kind;
  check_table_name(req);
  reject_legacy(req, {"Expected", "ConditionalOperator", "AttributeUpdates"});
  check_enum(req, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure", {"ALL_OLD", "NONE"});
  op.old_on_failure = get_string(req, "ReturnValuesOnConditionCheckFailure").value_or("NONE") == "ALL_OLD";
  json::value* target = nullptr;
  if (kind == WriteOp::Kind::put) {
    require_map(req, "Item", "item");
    target = req.if_contains("Item");
    validate_item(*target, "Item");
  } else {
    require_map(req, "Key", "key");
    target = req.if_contains("Key");
    validate_item(*target, "Key");
  }
  const auto cond = get_string(req, "ConditionExpression");
  const auto update = kind == WriteOp::Kind::update ? get_string(req, "UpdateExpression") : std::nullopt;
  const char* null_list = kind == WriteOp::Kind::update ? "UpdateExpression and ConditionExpression are null" : "ConditionExpression is null";
  auto params = expression_params(req, cond || update, cond || update, null_list);
  ExpressionInputs inputs(params.names, params.values);
  if (update) op.updates = parse_update(*update, inputs);
  if (cond) op.condition = parse_condition(*cond, "ConditionExpression", inputs);
  if (kind == WriteOp::Kind::check && !cond) {
    throw validation_error("The parameter 'ConditionExpression' is required but was not present in the request");
  }
  inputs.check_all_used();

  op.table = &impl.table_for(req);
  if (kind == WriteOp::Kind::put) {
    op.item = std::move(target->get_object());  // the request's last use of it
    op.key = impl.key_from_item(*op.table, op.item);
  } else {
    op.key = impl.key_from_key(*op.table, target);
    op.item = target->get_object();
  }
  if (kind == WriteOp::Kind::update) {
    const TableDef& t = *op.table;
    for (const auto& a : op.updates) {
      for (const KeyDef* k : {&t.hash, t.range ? &*t.range : nullptr}) {
        if (!k || a.path[0].name != k->name) continue;
        if (a.path.size() > 1) {
          throw validation_error("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: " + k->name);
        }
        throw validation_error("One or more parameter values were invalid: Cannot update attribute " + k->name + ". This attribute is part of the key");
      }
      for (const auto& idx : t.indexes) {
        for (const KeyDef* k : {&idx.hash, idx.range ? &*idx.range : nullptr}) {
          if (k && a.path[0].name == k->name && a.path.size() > 1) {
            throw validation_error("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: " + k->name);
          }
        }
      }
    }
  }
  return op;
}

// Runs one prepared write inside the caller's transaction. Returns the old
// item (if any) and sets `failed` instead of writing when the condition fails.
struct WriteResult {
  std::optional<json::object> old_item;
  std::optional<json::object> new_item;
  bool failed = false;
};

// `need_old`: the caller wants the old item even without a condition (ReturnValues, updates).
WriteResult check_condition(DynamoDbService::Impl& impl, const WriteOp& op, bool need_old = true) {
  WriteResult r;
  if (!need_old && !op.condition) return r;  // a blind put or delete need not read the item first
  r.old_item = impl.load(*op.table, op.key);
  if (op.condition) {
    static const json::object kEmpty;
    r.failed = !evaluate(*op.condition, r.old_item ? *r.old_item : kEmpty);
  }
  return r;
}

// Computes the item an update or put leaves, validating it as AWS does.
void compute_new(DynamoDbService::Impl& impl, const WriteOp& op, WriteResult& r) {
  if (op.kind == WriteOp::Kind::put) {
    r.new_item = op.item;
  } else if (op.kind == WriteOp::Kind::update) {
    json::object next = r.old_item ? *r.old_item : op.item;
    apply_updates(op.updates, next);
    for (const auto& idx : op.table->indexes) {
      for (const KeyDef* k : {&idx.hash, idx.range ? &*idx.range : nullptr}) {
        const json::value* v = k ? next.if_contains(k->name) : nullptr;
        if (v && type_of(*v) != k->type) {
          // Only a SET of the index key itself reports it this way.
          throw validation_error("One or more parameter values were invalid: Type mismatch for Index Key " + k->name + " Expected: " + k->type +
                                 " Actual: " + std::string(type_of(*v)) + " IndexName: " + idx.name);
        }
      }
    }
    impl.key_from_item(*op.table, next);
    if (item_size(next) > 400 * 1024) throw validation_error("Item size to update has exceeded the maximum allowed size");
    r.new_item = std::move(next);
  }
}

void commit_write(DynamoDbService::Impl& impl, const WriteOp& op, const WriteResult& r) {
  if (op.kind == WriteOp::Kind::del) {
    impl.erase(*op.table, op.key);
  } else if (op.kind != WriteOp::Kind::check) {
    impl.save(*op.table, op.key, *r.new_item);
  }
}

[[noreturn]] void conditional_failure(const WriteOp& op, const WriteResult& r) {
  std::string extra;
  if (op.old_on_failure && r.old_item) extra = ",\"Item\":" + json::serialize(*r.old_item);
  throw dynamodb_error("ConditionalCheckFailedException", "The conditional request failed", extra);
}

std::vector<Path> update_paths(const WriteOp& op) {
  std::vector<Path> paths;
  for (const auto& a : op.updates) paths.push_back(a.path);
  return paths;
}

}  // namespace

json::object DynamoDbService::Impl::put_item(json::object& req) {
  check_enum(req, "ReturnValues", "returnValues", {"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"});
  const std::string rv = get_string(req, "ReturnValues").value_or("NONE");
  if (rv != "NONE" && rv != "ALL_OLD") throw validation_error("ReturnValues can only be ALL_OLD or NONE");
  WriteOp op = prepare(*this, WriteOp::Kind::put, req);
  Transaction tx(*db);
  WriteResult r = check_condition(*this, op, rv == "ALL_OLD" || op.old_on_failure);
  if (r.failed) conditional_failure(op, r);
  compute_new(*this, op, r);
  commit_write(*this, op, r);
  tx.commit();
  json::object out;
  if (rv == "ALL_OLD" && r.old_item) out["Attributes"] = *r.old_item;
  merge(out, capacity(*op.table, write_units(item_size(op.item)), req));
  return out;
}

json::object DynamoDbService::Impl::update_item(json::object& req) {
  check_enum(req, "ReturnValues", "returnValues", {"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"});
  const std::string rv = get_string(req, "ReturnValues").value_or("NONE");
  WriteOp op = prepare(*this, WriteOp::Kind::update, req);
  Transaction tx(*db);
  WriteResult r = check_condition(*this, op);
  if (r.failed) conditional_failure(op, r);
  compute_new(*this, op, r);
  commit_write(*this, op, r);
  tx.commit();
  json::object out;
  if (rv == "ALL_OLD" && r.old_item) out["Attributes"] = *r.old_item;
  if (rv == "ALL_NEW") out["Attributes"] = *r.new_item;
  if (rv == "UPDATED_OLD" && r.old_item) {
    auto attrs = project(*r.old_item, update_paths(op));
    if (!attrs.empty()) out["Attributes"] = std::move(attrs);
  }
  if (rv == "UPDATED_NEW") {
    auto attrs = project(*r.new_item, update_paths(op));
    if (!attrs.empty()) out["Attributes"] = std::move(attrs);
  }
  merge(out, capacity(*op.table, write_units(item_size(*r.new_item)), req));
  return out;
}

json::object DynamoDbService::Impl::delete_item(json::object& req) {
  check_enum(req, "ReturnValues", "returnValues", {"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"});
  const std::string rv = get_string(req, "ReturnValues").value_or("NONE");
  if (rv != "NONE" && rv != "ALL_OLD") throw validation_error("ReturnValues can only be ALL_OLD or NONE");
  WriteOp op = prepare(*this, WriteOp::Kind::del, req);
  Transaction tx(*db);
  WriteResult r = check_condition(*this, op, rv == "ALL_OLD" || op.old_on_failure || get_string(req, "ReturnConsumedCapacity"));
  if (r.failed) conditional_failure(op, r);
  commit_write(*this, op, r);
  tx.commit();
  json::object out;
  if (rv == "ALL_OLD" && r.old_item) out["Attributes"] = *r.old_item;
  merge(out, capacity(*op.table, write_units(r.old_item ? item_size(*r.old_item) : 0), req));
  return out;
}

json::object DynamoDbService::Impl::get_item(json::object& req) {
  check_table_name(req);
  require_map(req, "Key", "key");
  validate_item(req["Key"], "Key");
  auto params = expression_params(req, member(req, "ProjectionExpression") != nullptr, false, "");
  ExpressionInputs inputs(params.names, params.values);
  auto projection = read_projection(req, inputs);
  inputs.check_all_used();
  TableDef& t = table_for(req);
  StoredKey key = key_from_key(t, req.if_contains("Key"));
  auto item = load(t, key);
  json::object out;
  const bool consistent = get_bool(req, "ConsistentRead").value_or(false);
  const double units = read_units(item ? item_size(*item) : 0, consistent);
  if (item) {
    if (projection) {
      out["Item"] = project(*item, *projection);
    } else {
      out["Item"] = std::move(*item);
    }
  }
  merge(out, capacity(t, units, req));
  return out;
}

json::object DynamoDbService::Impl::batch_get_item(json::object& req) {
  json::object* items = require_map(req, "RequestItems", "requestItems");
  std::size_t total = 0;
  for (auto& [name, spec] : *items) {
    if (!spec.is_object()) throw serialization_error("Unexpected field type");
    json::array* keys = get_array(spec.get_object(), "Keys");
    if (!keys || keys->empty()) {
      throw validation_error("1 validation error detected: Value null at 'requestItems." + std::string(name) +
                             ".member.keys' failed to satisfy constraint: Member must not be null");
    }
    total += keys->size();
  }
  if (items->empty()) {
    throw validation_error("1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
  }
  if (total > 100) throw validation_error("Too many items requested for the BatchGetItem call");
  json::object responses;
  json::array capacities;
  for (auto& [name, spec_value] : *items) {
    auto& spec = spec_value.get_object();
    json::object named{{"TableName", json::value(name)}};
    check_table_name(named);
    auto params = expression_params(spec, member(spec, "ProjectionExpression") != nullptr, false, "");
    ExpressionInputs inputs(params.names, params.values);
    auto projection = read_projection(spec, inputs);
    inputs.check_all_used();
    TableDef& t = table_for(named);
    std::set<StoredKey> seen;
    json::array found;
    double units = 0;
    for (auto& k : *get_array(spec, "Keys")) {
      validate_item(k, "Key");
      StoredKey key = key_from_key(t, &k);
      if (!seen.insert(key).second) throw validation_error("Provided list of item keys contains duplicates");
      if (auto item = load(t, key)) {
        units += read_units(item_size(*item), get_bool(spec, "ConsistentRead").value_or(false));
        found.push_back(projection ? json::value(project(*item, *projection)) : json::value(std::move(*item)));
      }
    }
    responses[name] = std::move(found);
    auto c = capacity(t, units, req);
    if (!c.empty()) capacities.push_back(c["ConsumedCapacity"]);
  }
  json::object out{{"Responses", std::move(responses)}, {"UnprocessedKeys", json::object{}}};
  if (!capacities.empty()) out["ConsumedCapacity"] = std::move(capacities);
  return out;
}

json::object DynamoDbService::Impl::batch_write_item(json::object& req) {
  json::object* items = require_map(req, "RequestItems", "requestItems");
  if (items->empty()) {
    throw validation_error("1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
  }
  std::size_t total = 0;
  for (auto& [name, list] : *items) {
    if (!list.is_array()) throw serialization_error("Unexpected field type");
    total += list.get_array().size();
  }
  if (total > 25) throw validation_error("Too many items requested for the BatchWriteItem call");
  std::vector<WriteOp> ops;
  std::set<std::pair<std::int64_t, StoredKey>> seen;
  for (auto& [name, list] : *items) {
    for (auto& entry : list.get_array()) {
      if (!entry.is_object()) throw serialization_error("Unexpected field type");
      auto& e = entry.get_object();
      json::object* put = get_object(e, "PutRequest");
      json::object* del = get_object(e, "DeleteRequest");
      if ((put != nullptr) == (del != nullptr)) {
        throw validation_error("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
      }
      json::object single{{"TableName", json::value(name)}};
      if (put) {
        single["Item"] = put->contains("Item") ? (*put)["Item"] : json::value();
        ops.push_back(prepare(*this, WriteOp::Kind::put, single));
      } else {
        single["Key"] = del->contains("Key") ? (*del)["Key"] : json::value();
        ops.push_back(prepare(*this, WriteOp::Kind::del, single));
      }
      if (!seen.insert({ops.back().table->id, ops.back().key}).second) {
        throw validation_error("Provided list of item keys contains duplicates");
      }
    }
  }
  Transaction tx(*db);
  for (const auto& op : ops) {
    WriteResult r;
    r.old_item = op.kind == WriteOp::Kind::del ? load(*op.table, op.key) : std::nullopt;
    compute_new(*this, op, r);
    commit_write(*this, op, r);
  }
  tx.commit();
  return json::object{{"UnprocessedItems", json::object{}}};
}

json::object DynamoDbService::Impl::transact_write_items(json::object& req) {
  json::array* list = get_array(req, "TransactItems");
  if (!list) {
    throw validation_error("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
  }
  if (list->empty() || list->size() > 100) {
    throw validation_error("1 validation error detected: Value '" + json::serialize(*list) +
                           "' at 'transactItems' failed to satisfy constraint: Member must have length " +
                           (list->empty() ? "greater than or equal to 1" : "less than or equal to 100"));
  }
  std::vector<WriteOp> ops;
  std::set<std::pair<std::int64_t, StoredKey>> seen;
  for (auto& entry : *list) {
    if (!entry.is_object()) throw serialization_error("Unexpected field type");
    auto& e = entry.get_object();
    int kinds = 0;
    for (const auto& [k, v] : e) kinds += !v.is_null();
    if (kinds != 1) {
      throw validation_error("TransactItems can only contain one of Check, Put, Update or Delete");
    }
    const auto& [kind_name, body] = *e.begin();
    WriteOp::Kind kind;
    if (kind_name == "Put") {
      kind = WriteOp::Kind::put;
    } else if (kind_name == "Update") {
      kind = WriteOp::Kind::update;
    } else if (kind_name == "Delete") {
      kind = WriteOp::Kind::del;
    } else if (kind_name == "ConditionCheck") {
      kind = WriteOp::Kind::check;
    } else {
      throw validation_error("TransactItems can only contain one of Check, Put, Update or Delete");
    }
    if (!e.begin()->value().is_object()) throw serialization_error("Unexpected field type");
    (void)body;
    ops.push_back(prepare(*this, kind, e.begin()->value().get_object()));
    if (!seen.insert({ops.back().table->id, ops.back().key}).second) {
      throw validation_error("Transaction request cannot include multiple operations on one item");
    }
  }
  Transaction tx(*db);
  std::vector<WriteResult> results(ops.size());
  bool cancelled = false;
  json::array reasons;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    results[i] = check_condition(*this, ops[i]);
    json::object reason{{"Code", "None"}};
    if (results[i].failed) {
      cancelled = true;
      reason = json::object{{"Code", "ConditionalCheckFailed"}, {"Message", "The conditional request failed"}};
      if (ops[i].old_on_failure && results[i].old_item) reason["Item"] = *results[i].old_item;
    } else {
      try {
        compute_new(*this, ops[i], results[i]);
      } catch (const AwsError& err) {
        cancelled = true;
        reason = json::object{{"Code", "ValidationError"}, {"Message", err.message}};
      }
    }
    reasons.push_back(std::move(reason));
  }
  if (cancelled) {
    std::string codes;
    for (const auto& r : reasons) codes += (codes.empty() ? "" : ", ") + std::string(r.at("Code").get_string());
    throw dynamodb_error("TransactionCanceledException", "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]",
                         ",\"CancellationReasons\":" + json::serialize(reasons));
  }
  for (std::size_t i = 0; i < ops.size(); ++i) commit_write(*this, ops[i], results[i]);
  tx.commit();
  return json::object{};
}

json::object DynamoDbService::Impl::transact_get_items(json::object& req) {
  json::array* list = get_array(req, "TransactItems");
  if (!list || list->empty() || list->size() > 100) {
    throw validation_error("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
  }
  json::array responses;
  for (auto& entry : *list) {
    if (!entry.is_object()) throw serialization_error("Unexpected field type");
    json::object* get = get_object(entry.get_object(), "Get");
    if (!get) throw validation_error("1 validation error detected: Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not be null");
    check_table_name(*get);
    require_map(*get, "Key", "key");
    validate_item((*get)["Key"], "Key");
    auto params = expression_params(*get, member(*get, "ProjectionExpression") != nullptr, false, "");
    ExpressionInputs inputs(params.names, params.values);
    auto projection = read_projection(*get, inputs);
    inputs.check_all_used();
    TableDef& t = table_for(*get);
    auto item = load(t, key_from_key(t, get->if_contains("Key")));
    json::object r;
    if (item) r["Item"] = projection ? project(*item, *projection) : std::move(*item);
    responses.push_back(std::move(r));
  }
  return json::object{{"Responses", std::move(responses)}};
}

}  // namespace gust::localaws
