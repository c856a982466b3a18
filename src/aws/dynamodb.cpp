#include "aws/dynamodb.hpp"

#include "aws/default_config.hpp"
#include "aws/dynamodb_marshal.hpp"
#include "aws/retry.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <set>
#include <thread>

namespace gust::aws {

namespace json = boost::json;
using gust::detail::ItemKey;
using gust::detail::ResourceBinding;

namespace {

constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";
constexpr std::size_t kBatchGetLimit = 100;
constexpr std::size_t kBatchWriteLimit = 25;
constexpr std::size_t kTransactLimit = 100;
constexpr int kBatchRounds = 10;

std::string context_of(const ResourceBinding& table, std::string_view operation) {
  return fmt::format("table {} {}", table.id, operation);
}

// ExpressionAttributeNames/Values collected from the user's expressions and our own placeholders.
class ExpressionArgs {
 public:
  Result<void> add_names(const std::vector<std::pair<std::string, std::string>>& names) {
    for (const auto& [placeholder, attribute] : names) {
      if (placeholder.empty() || placeholder.front() != '#')
        return unexpected(ErrorCode::invalid_argument,
                          fmt::format("attribute name placeholder '{}' must start with '#'", placeholder));
      if (auto* existing = names_.if_contains(placeholder)) {
        if (existing->as_string() != attribute)
          return unexpected(ErrorCode::invalid_argument,
                            fmt::format("placeholder {} stands for two names ('{}' and '{}')", placeholder,
                                        std::string_view(existing->as_string()), attribute));
        continue;
      }
      names_[placeholder] = attribute;
    }
    return {};
  }
  Result<void> add_values(const std::vector<std::pair<std::string, Value>>& values) {
    for (const auto& [placeholder, value] : values) {
      if (placeholder.empty() || placeholder.front() != ':')
        return unexpected(ErrorCode::invalid_argument,
                          fmt::format("value placeholder '{}' must start with ':'", placeholder));
      auto attribute = ddb::to_attribute(value, placeholder);
      if (!attribute) return Unexpected{std::move(attribute).error()};
      if (auto* existing = values_.if_contains(placeholder)) {
        if (*existing != *attribute)
          return unexpected(ErrorCode::invalid_argument,
                            fmt::format("placeholder {} is given two different values", placeholder));
        continue;
      }
      values_[placeholder] = std::move(*attribute);
    }
    return {};
  }
  template <class P>
  Result<void> add(const P& placeholders) {
    if (auto r = add_names(placeholders.names()); !r) return r;
    return add_values(placeholders.values());
  }
  std::string name(std::string placeholder, std::string_view attribute) {
    names_[placeholder] = attribute;
    return placeholder;
  }
  Result<std::string> value(std::string placeholder, const Value& v) {
    auto attribute = ddb::to_attribute(v, placeholder);
    if (!attribute) return Unexpected{std::move(attribute).error()};
    values_[placeholder] = std::move(*attribute);
    return placeholder;
  }
  // Projection "#gp0, #gp1" for these attribute names.
  std::string projection(const std::vector<std::string>& attributes) {
    std::string out;
    for (std::size_t i = 0; i < attributes.size(); ++i) {
      if (i > 0) out += ", ";
      out += name(fmt::format("#gp{}", i), attributes[i]);
    }
    return out;
  }
  void store(json::object& request) const {
    if (!names_.empty()) request["ExpressionAttributeNames"] = names_;
    if (!values_.empty()) request["ExpressionAttributeValues"] = values_;
  }

 private:
  json::object names_;
  json::object values_;
};

Result<json::object> key_of(const ResourceBinding& table, const ItemKey& key) {
  const auto check = [&](const Value& v, const std::string& name) -> Result<void> {
    const auto k = v.kind();
    if (k == Value::Kind::string || k == Value::Kind::binary || v.is_number()) return {};
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("key attribute '{}' must be a string, number or binary, not {}", name,
                                  kind_name(k)),
                      table.id);
  };
  if (table.partition_key.empty())
    return unexpected(ErrorCode::invalid_argument, "the table binding has no partition key name", table.id);
  json::object out;
  if (auto r = check(key.partition, table.partition_key); !r) return Unexpected{std::move(r).error()};
  auto pk = ddb::to_attribute(key.partition, table.partition_key);
  if (!pk) return Unexpected{std::move(pk).error()};
  out[table.partition_key] = std::move(*pk);
  if (!table.sort_key.empty()) {
    if (!key.sort)
      return unexpected(ErrorCode::invalid_argument,
                        fmt::format("the table has a sort key '{}': pass it too (get(partition, sort))", table.sort_key),
                        table.id);
    if (auto r = check(*key.sort, table.sort_key); !r) return Unexpected{std::move(r).error()};
    auto sk = ddb::to_attribute(*key.sort, table.sort_key);
    if (!sk) return Unexpected{std::move(sk).error()};
    out[table.sort_key] = std::move(*sk);
  } else if (key.sort) {
    return unexpected(ErrorCode::invalid_argument, "the table has no sort key, but a sort key value was given",
                      table.id);
  }
  return out;
}

Result<std::optional<Value>> page_next(const json::object& answer) {
  const auto* last = answer.if_contains("LastEvaluatedKey");
  if (last == nullptr || !last->is_object() || last->get_object().empty()) return std::optional<Value>{};
  auto v = ddb::from_item(last->get_object());
  if (!v) return Unexpected{std::move(v).error()};
  return std::optional<Value>(std::move(*v));
}

Result<gust::detail::ItemPage> read_page(const json::object& answer) {
  gust::detail::ItemPage page;
  if (const auto* items = answer.if_contains("Items"); items != nullptr && items->is_array()) {
    page.items.reserve(items->get_array().size());
    for (const auto& item : items->get_array()) {
      if (!item.is_object()) return unexpected(ErrorCode::internal, "DynamoDB answered a malformed item");
      auto v = ddb::from_item(item.get_object());
      if (!v) return Unexpected{std::move(v).error()};
      page.items.push_back(std::move(*v));
    }
  }
  auto next = page_next(answer);
  if (!next) return Unexpected{std::move(next).error()};
  page.next = std::move(*next);
  return page;
}

Result<void> store_start_key(json::object& request, const std::optional<Value>& start) {
  if (!start) return {};
  auto key = ddb::to_item(*start, "start");
  if (!key) return Unexpected{std::move(key).error()};
  request["ExclusiveStartKey"] = std::move(*key);
  return {};
}

void sleep_backoff(std::chrono::milliseconds base, int round) {
  RetryPolicy p;
  p.base_delay = base;
  std::this_thread::sleep_for(backoff_delay(p, round, false));
}

}  // namespace

Result<json::object> DynamoDbClient::call(std::string_view operation, const json::object& request,
                                          std::string_view context) const {
  auto res = client_.call_json(std::string(kTargetPrefix) + std::string(operation), json::serialize(request),
                               context.empty() ? operation : context);
  if (!res) return Unexpected{std::move(res).error()};
  boost::system::error_code ec;
  json::value answer = json::parse(res->body, ec);
  if (ec || !answer.is_object())
    return unexpected(ErrorCode::internal, fmt::format("DynamoDB answered {} with malformed JSON", operation),
                      std::string(context));
  return std::move(answer.get_object());
}

DynamoTableService::DynamoTableService(Result<std::shared_ptr<ClientConfig>> config) {
  if (config) client_.emplace(std::move(*config));
  else config_error_ = std::move(config).error();
}

Result<const DynamoDbClient*> DynamoTableService::client() const {
  if (!client_) return Unexpected{config_error_};
  return &*client_;
}

Result<std::optional<Value>> DynamoTableService::get_item(const ResourceBinding& table, const ItemKey& key,
                                                          const gust::detail::GetSpec& spec) {
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  auto k = key_of(table, key);
  if (!k) return Unexpected{std::move(k).error()};
  json::object req;
  req["TableName"] = table.physical;
  req["Key"] = std::move(*k);
  if (spec.consistent) req["ConsistentRead"] = true;
  ExpressionArgs args;
  if (!spec.attributes.empty()) req["ProjectionExpression"] = args.projection(spec.attributes);
  args.store(req);
  auto answer = (*c)->call("GetItem", req, context_of(table, "GetItem"));
  if (!answer) return Unexpected{std::move(answer).error()};
  const auto* item = answer->if_contains("Item");
  if (item == nullptr || !item->is_object()) return std::optional<Value>{};
  auto v = ddb::from_item(item->get_object());
  if (!v) return Unexpected{std::move(v).error()};
  return std::optional<Value>(std::move(*v));
}

Result<void> DynamoTableService::put_item(const ResourceBinding& table, const Value& item,
                                          gust::detail::PutMode mode, const Expression& condition) {
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  auto attributes = ddb::to_item(item);
  if (!attributes) {
    auto e = std::move(attributes).error();
    e.context = table.id + ": " + e.context;
    return Unexpected{std::move(e)};
  }
  json::object req;
  req["TableName"] = table.physical;
  req["Item"] = std::move(*attributes);
  ExpressionArgs args;
  std::string cond = condition.text();
  if (auto r = args.add(condition); !r) return r;
  if (mode == gust::detail::PutMode::if_absent) {
    const std::string absent = fmt::format("attribute_not_exists({})", args.name("#gpk", table.partition_key));
    cond = cond.empty() ? absent : fmt::format("({}) AND ({})", absent, cond);
  }
  if (!cond.empty()) req["ConditionExpression"] = cond;
  args.store(req);
  auto answer = (*c)->call("PutItem", req, context_of(table, "PutItem"));
  if (!answer) {
    auto e = std::move(answer).error();
    if (mode == gust::detail::PutMode::if_absent && e.aws.code == "ConditionalCheckFailedException" &&
        condition.empty()) {
      e.code = ErrorCode::already_exists;
      e.message = "an item with this key already exists (ConditionalCheckFailedException)";
    }
    return Unexpected{std::move(e)};
  }
  return {};
}

Result<void> DynamoTableService::delete_item(const ResourceBinding& table, const ItemKey& key,
                                             const Expression& condition) {
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  auto k = key_of(table, key);
  if (!k) return Unexpected{std::move(k).error()};
  json::object req;
  req["TableName"] = table.physical;
  req["Key"] = std::move(*k);
  ExpressionArgs args;
  if (!condition.empty()) {
    if (auto r = args.add(condition); !r) return r;
    req["ConditionExpression"] = condition.text();
  }
  args.store(req);
  auto answer = (*c)->call("DeleteItem", req, context_of(table, "DeleteItem"));
  if (!answer) return Unexpected{std::move(answer).error()};
  return {};
}

Result<Value> DynamoTableService::update_item(const ResourceBinding& table, const ItemKey& key,
                                              const gust::Update& update) {
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  if (update.text().empty())
    return unexpected(ErrorCode::invalid_argument, "empty update expression; write e.g. \"SET done = :d\"", table.id);
  auto k = key_of(table, key);
  if (!k) return Unexpected{std::move(k).error()};
  json::object req;
  req["TableName"] = table.physical;
  req["Key"] = std::move(*k);
  req["UpdateExpression"] = update.text();
  if (!update.condition().empty()) req["ConditionExpression"] = update.condition();
  req["ReturnValues"] = "ALL_NEW";
  ExpressionArgs args;
  if (auto r = args.add(update); !r) return Unexpected{std::move(r).error()};
  args.store(req);
  auto answer = (*c)->call("UpdateItem", req, context_of(table, "UpdateItem"));
  if (!answer) return Unexpected{std::move(answer).error()};
  const auto* attributes = answer->if_contains("Attributes");
  if (attributes == nullptr || !attributes->is_object()) return Value(Object{});
  return ddb::from_item(attributes->get_object());
}

Result<gust::detail::ItemPage> DynamoTableService::query(const ResourceBinding& table,
                                                         const gust::detail::QuerySpec& spec) {
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  json::object req;
  req["TableName"] = table.physical;
  if (!spec.index.empty()) req["IndexName"] = spec.index;
  ExpressionArgs args;
  if (auto r = args.add(spec.filter); !r) return Unexpected{std::move(r).error()};
  const std::string& pk_name = spec.partition_key.empty() ? table.partition_key : spec.partition_key;
  auto pk = args.value(":gpk", spec.partition);
  if (!pk) return Unexpected{std::move(pk).error()};
  std::string key_condition = fmt::format("{} = {}", args.name("#gpk", pk_name), *pk);
  if (spec.sort) {
    const std::string& sk_name = spec.sort_key.empty() ? table.sort_key : spec.sort_key;
    if (sk_name.empty())
      return unexpected(ErrorCode::invalid_argument, "a sort key condition was given but the table has no sort key",
                        table.id);
    const std::string n = args.name("#gsk", sk_name);
    auto v = args.value(":gsk", spec.sort->value);
    if (!v) return Unexpected{std::move(v).error()};
    using gust::detail::SortOp;
    switch (spec.sort->op) {
      case SortOp::eq: key_condition += fmt::format(" AND {} = {}", n, *v); break;
      case SortOp::lt: key_condition += fmt::format(" AND {} < {}", n, *v); break;
      case SortOp::le: key_condition += fmt::format(" AND {} <= {}", n, *v); break;
      case SortOp::gt: key_condition += fmt::format(" AND {} > {}", n, *v); break;
      case SortOp::ge: key_condition += fmt::format(" AND {} >= {}", n, *v); break;
      case SortOp::begins_with: key_condition += fmt::format(" AND begins_with({}, {})", n, *v); break;
      case SortOp::between: {
        auto upper = args.value(":gsk2", spec.sort->upper);
        if (!upper) return Unexpected{std::move(upper).error()};
        key_condition += fmt::format(" AND {} BETWEEN {} AND {}", n, *v, *upper);
        break;
      }
    }
  }
  req["KeyConditionExpression"] = key_condition;
  if (!spec.filter.empty()) req["FilterExpression"] = spec.filter.text();
  if (!spec.attributes.empty()) req["ProjectionExpression"] = args.projection(spec.attributes);
  if (spec.limit) req["Limit"] = *spec.limit;
  if (!spec.forward) req["ScanIndexForward"] = false;
  if (spec.consistent) req["ConsistentRead"] = true;
  if (auto r = store_start_key(req, spec.start_key); !r) return Unexpected{std::move(r).error()};
  args.store(req);
  auto answer = (*c)->call("Query", req, context_of(table, spec.index.empty() ? "Query" : "Query " + spec.index));
  if (!answer) return Unexpected{std::move(answer).error()};
  return read_page(*answer);
}

Result<gust::detail::ItemPage> DynamoTableService::scan(const ResourceBinding& table,
                                                        const gust::detail::ScanSpec& spec) {
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  json::object req;
  req["TableName"] = table.physical;
  ExpressionArgs args;
  if (auto r = args.add(spec.filter); !r) return Unexpected{std::move(r).error()};
  if (!spec.filter.empty()) req["FilterExpression"] = spec.filter.text();
  if (!spec.attributes.empty()) req["ProjectionExpression"] = args.projection(spec.attributes);
  if (spec.limit) req["Limit"] = *spec.limit;
  if (spec.consistent) req["ConsistentRead"] = true;
  if (spec.segment || spec.total_segments) {
    if (!spec.segment || !spec.total_segments || *spec.segment < 0 || *spec.segment >= *spec.total_segments)
      return unexpected(ErrorCode::invalid_argument,
                        "a parallel scan needs segment and total_segments with 0 <= segment < total_segments",
                        table.id);
    req["Segment"] = *spec.segment;
    req["TotalSegments"] = *spec.total_segments;
  }
  if (auto r = store_start_key(req, spec.start_key); !r) return Unexpected{std::move(r).error()};
  args.store(req);
  auto answer = (*c)->call("Scan", req, context_of(table, "Scan"));
  if (!answer) return Unexpected{std::move(answer).error()};
  return read_page(*answer);
}

Result<std::vector<Value>> DynamoTableService::batch_get(const ResourceBinding& table,
                                                         const std::vector<ItemKey>& keys,
                                                         const gust::detail::GetSpec& spec) {
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  // DynamoDB rejects a request that names one key twice.
  std::vector<json::value> unique;
  std::set<std::string> seen;
  for (const auto& key : keys) {
    auto k = key_of(table, key);
    if (!k) return Unexpected{std::move(k).error()};
    if (seen.insert(json::serialize(*k)).second) unique.emplace_back(std::move(*k));
  }
  std::vector<Value> out;
  for (std::size_t start = 0; start < unique.size(); start += kBatchGetLimit) {
    json::array pending;
    for (std::size_t i = start; i < std::min(unique.size(), start + kBatchGetLimit); ++i) pending.push_back(unique[i]);
    for (int round = 0; !pending.empty(); ++round) {
      if (round >= kBatchRounds)
        return unexpected(ErrorCode::resource_exhausted,
                          fmt::format("{} keys were still unprocessed after {} rounds (throttled)", pending.size(),
                                      kBatchRounds),
                          context_of(table, "BatchGetItem"));
      if (round > 0) sleep_backoff(batch_backoff_, round - 1);
      json::object request_items;
      json::object entry;
      entry["Keys"] = std::move(pending);
      if (spec.consistent) entry["ConsistentRead"] = true;
      ExpressionArgs args;
      if (!spec.attributes.empty()) {
        entry["ProjectionExpression"] = args.projection(spec.attributes);
        args.store(entry);
      }
      request_items[table.physical] = std::move(entry);
      json::object req;
      req["RequestItems"] = std::move(request_items);
      auto answer = (*c)->call("BatchGetItem", req, context_of(table, "BatchGetItem"));
      if (!answer) return Unexpected{std::move(answer).error()};
      pending = json::array{};
      if (const auto* responses = answer->if_contains("Responses"); responses != nullptr && responses->is_object()) {
        if (const auto* items = responses->get_object().if_contains(table.physical); items && items->is_array()) {
          for (const auto& item : items->get_array()) {
            if (!item.is_object()) continue;
            auto v = ddb::from_item(item.get_object());
            if (!v) return Unexpected{std::move(v).error()};
            out.push_back(std::move(*v));
          }
        }
      }
      if (const auto* un = answer->if_contains("UnprocessedKeys"); un != nullptr && un->is_object()) {
        if (const auto* t = un->get_object().if_contains(table.physical); t != nullptr && t->is_object()) {
          if (const auto* k = t->get_object().if_contains("Keys"); k != nullptr && k->is_array()) pending = k->get_array();
        }
      }
    }
  }
  return out;
}

Result<void> DynamoTableService::batch_write(const ResourceBinding& table, const std::vector<Value>& puts,
                                             const std::vector<ItemKey>& deletes) {
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  // Requests in order; a chunk never names one key twice (DynamoDB rejects
  // that), so a later write of the same key goes in a later chunk.
  struct Write {
    json::value request;
    std::string key;
  };
  std::vector<Write> writes;
  writes.reserve(puts.size() + deletes.size());
  for (const auto& item : puts) {
    auto attributes = ddb::to_item(item);
    if (!attributes) return Unexpected{std::move(attributes).error()};
    json::object key;
    for (const auto* name : {&table.partition_key, &table.sort_key}) {
      if (!name->empty()) {
        if (const auto* v = attributes->if_contains(*name)) key[*name] = *v;
      }
    }
    if (!key.contains(table.partition_key))
      return unexpected(ErrorCode::invalid_argument,
                        fmt::format("an item has no partition key '{}'", table.partition_key),
                        context_of(table, "BatchWriteItem"));
    json::object put;
    put["Item"] = std::move(*attributes);
    json::object request;
    request["PutRequest"] = std::move(put);
    writes.push_back({std::move(request), json::serialize(key)});
  }
  for (const auto& k : deletes) {
    auto key = key_of(table, k);
    if (!key) return Unexpected{std::move(key).error()};
    std::string text = json::serialize(*key);
    json::object del;
    del["Key"] = std::move(*key);
    json::object request;
    request["DeleteRequest"] = std::move(del);
    writes.push_back({std::move(request), std::move(text)});
  }
  std::size_t next = 0;
  while (next < writes.size()) {
    json::array pending;
    std::set<std::string> keys;
    while (next < writes.size() && pending.size() < kBatchWriteLimit && keys.insert(writes[next].key).second)
      pending.push_back(writes[next++].request);
    for (int round = 0; !pending.empty(); ++round) {
      if (round >= kBatchRounds)
        return unexpected(ErrorCode::resource_exhausted,
                          fmt::format("{} writes were still unprocessed after {} rounds (throttled)", pending.size(),
                                      kBatchRounds),
                          context_of(table, "BatchWriteItem"));
      if (round > 0) sleep_backoff(batch_backoff_, round - 1);
      json::object request_items;
      request_items[table.physical] = std::move(pending);
      json::object req;
      req["RequestItems"] = std::move(request_items);
      auto answer = (*c)->call("BatchWriteItem", req, context_of(table, "BatchWriteItem"));
      if (!answer) return Unexpected{std::move(answer).error()};
      pending = json::array{};
      if (const auto* un = answer->if_contains("UnprocessedItems"); un != nullptr && un->is_object()) {
        if (const auto* t = un->get_object().if_contains(table.physical); t != nullptr && t->is_array())
          pending = t->get_array();
      }
    }
  }
  return {};
}

Result<void> DynamoTableService::transact_write(const std::vector<gust::detail::TransactItem>& items) {
  auto c = client();
  if (!c) return Unexpected{std::move(c).error()};
  if (items.empty()) return {};
  if (items.size() > kTransactLimit)
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("a transaction holds at most {} actions, this one {}", kTransactLimit, items.size()),
                      "TransactWriteItems");
  json::array actions;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& item = items[i];
    const ResourceBinding& table = *item.table;
    ExpressionArgs action_args;
    json::object body;
    body["TableName"] = table.physical;
    std::string kind;
    using Kind = gust::detail::TransactItem::Kind;
    if (item.kind == Kind::put) {
      auto attributes = ddb::to_item(item.item);
      if (!attributes) return Unexpected{std::move(attributes).error()};
      body["Item"] = std::move(*attributes);
      kind = "Put";
    } else {
      auto key = key_of(table, item.key);
      if (!key) return Unexpected{std::move(key).error()};
      body["Key"] = std::move(*key);
      kind = item.kind == Kind::update ? "Update" : item.kind == Kind::remove ? "Delete" : "ConditionCheck";
    }
    if (item.kind == Kind::update) {
      if (!item.update || item.update->text().empty())
        return unexpected(ErrorCode::invalid_argument, "a transaction update needs an update expression", table.id);
      body["UpdateExpression"] = item.update->text();
      if (!item.update->condition().empty()) body["ConditionExpression"] = item.update->condition();
      if (auto r = action_args.add(*item.update); !r) return r;
    } else if (!item.condition.empty()) {
      body["ConditionExpression"] = item.condition.text();
      if (auto r = action_args.add(item.condition); !r) return r;
    } else if (item.kind == Kind::check) {
      return unexpected(ErrorCode::invalid_argument, "a transaction check needs a condition", table.id);
    }
    action_args.store(body);
    json::object action;
    action[kind] = std::move(body);
    actions.push_back(std::move(action));
  }
  json::object req;
  req["TransactItems"] = std::move(actions);
  auto answer = (*c)->call("TransactWriteItems", req, "TransactWriteItems");
  if (!answer) return Unexpected{std::move(answer).error()};
  return {};
}

}  // namespace gust::aws

namespace gust::detail {

TableService& table_service() {
  static aws::DynamoTableService service(aws::default_client_config());
  return service;
}

}  // namespace gust::detail
