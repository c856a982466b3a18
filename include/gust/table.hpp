#pragma once
// Table capabilities: what a handler may do with a table it was granted.
//
//   app.get("/todos/{id}", gust::reads(todos),
//           [](const gust::Request& req, gust::TableReader<Todo> todos) {
//             if (auto t = todos.get(req.param("id"))) return gust::Response::json(*t);
//             return gust::Response::not_found();
//           });

#include <gust/detail/services.hpp>
#include <gust/record.hpp>
#include <gust/resources.hpp>

#include <optional>
#include <vector>

namespace gust {

// One page of a query or scan; pass `next` back as the start of the next page.
template <class T>
struct Page {
  std::vector<T> items;
  std::optional<Value> next;
};

// Conditions on the sort key for TableReader::query.
struct SortKey {
  static detail::SortCondition eq(Value v) { return {detail::SortOp::eq, std::move(v), {}}; }
  static detail::SortCondition lt(Value v) { return {detail::SortOp::lt, std::move(v), {}}; }
  static detail::SortCondition le(Value v) { return {detail::SortOp::le, std::move(v), {}}; }
  static detail::SortCondition gt(Value v) { return {detail::SortOp::gt, std::move(v), {}}; }
  static detail::SortCondition ge(Value v) { return {detail::SortOp::ge, std::move(v), {}}; }
  static detail::SortCondition between(Value lo, Value hi) { return {detail::SortOp::between, std::move(lo), std::move(hi)}; }
  static detail::SortCondition begins_with(std::string prefix) {
    return {detail::SortOp::begins_with, Value(std::move(prefix)), {}};
  }
};

using Key = detail::ItemKey;  // {partition} or {partition, sort}

struct GetOptions {
  bool consistent = false;               // strongly consistent read
  std::vector<std::string> attributes;   // only these attributes (others keep their defaults); empty = all
};

struct QueryOptions {
  std::optional<detail::SortCondition> sort;  // e.g. gust::SortKey::begins_with("2026-")
  std::optional<int> limit;                   // items read per page (before the filter)
  bool newest_first = false;                  // ScanIndexForward = false
  bool consistent = false;                    // strongly consistent read (tables only)
  std::optional<Value> start;                 // a previous Page::next
  Expression filter;                          // e.g. gust::Expression{"done = :d"}.value(":d", false)
  std::vector<std::string> attributes;        // projection; empty = all
};

struct ScanOptions {
  std::optional<int> limit;
  bool consistent = false;
  std::optional<Value> start;
  Expression filter;
  std::vector<std::string> attributes;
  std::optional<int> segment;         // parallel scan: this worker's segment...
  std::optional<int> total_segments;  // ...of this many
};

namespace detail {
template <class T>
Result<Page<T>> decode_page(Result<ItemPage>&& raw) {
  if (!raw) return Unexpected{std::move(raw).error()};
  Page<T> page;
  page.items.reserve(raw->items.size());
  for (const auto& item : raw->items) {
    auto decoded = from_value<T>(item);
    if (!decoded) return Unexpected{std::move(decoded).error()};
    page.items.push_back(*std::move(decoded));
  }
  page.next = std::move(raw->next);
  return page;
}

template <class T>
Result<std::vector<T>> decode_items(Result<std::vector<Value>>&& raw) {
  if (!raw) return Unexpected{std::move(raw).error()};
  std::vector<T> out;
  out.reserve(raw->size());
  for (const auto& item : *raw) {
    auto decoded = from_value<T>(item);
    if (!decoded) return Unexpected{std::move(decoded).error()};
    out.push_back(*std::move(decoded));
  }
  return out;
}
}  // namespace detail

class Transaction;

// TableClient<T, P>: the operations permission P allows on a table of T.
// Use the aliases TableReader<T>, TableWriter<T> and TableReadWriter<T>.
template <class T, TablePermission P>
class TableClient {
 public:
  using record_type = T;
  static constexpr TablePermission permission = P;

  explicit TableClient(const detail::ResourceBinding& binding) : binding_(&binding) {}

  // The item with this key; ErrorCode::not_found when there is none.
  Result<T> get(Value partition) const { return get(Key{std::move(partition), std::nullopt}, GetOptions{}); }
  Result<T> get(Value partition, Value sort) const { return get(Key{std::move(partition), std::move(sort)}, GetOptions{}); }
  Result<T> get(const Key& key, const GetOptions& options) const {
    require_read();
    auto item = detail::table_service().get_item(*binding_, key, {options.consistent, options.attributes});
    if (!item) return Unexpected{std::move(item).error()};
    if (!*item) return unexpected(ErrorCode::not_found, "no item with this key", binding_->id);
    return from_value<T>(**item);
  }

  // The items with these keys (BatchGetItem, any number of keys); missing
  // keys are left out and the order is not the keys' order.
  Result<std::vector<T>> get_many(const std::vector<Key>& keys, const GetOptions& options = {}) const {
    require_read();
    return detail::decode_items<T>(
        detail::table_service().batch_get(*binding_, keys, {options.consistent, options.attributes}));
  }

  // Items with this partition key, in sort key order, one page at a time.
  Result<Page<T>> query(Value partition, const QueryOptions& options = {}) const {
    require_read();
    detail::QuerySpec spec{"", binding_->partition_key, binding_->sort_key, std::move(partition), options.sort,
                           options.limit, !options.newest_first, options.consistent, options.start,
                           options.filter, options.attributes};
    return detail::decode_page<T>(detail::table_service().query(*binding_, spec));
  }

  // Every item, one page at a time.
  Result<Page<T>> scan(const ScanOptions& options = {}) const {
    require_read();
    detail::ScanSpec spec{options.limit, options.consistent, options.start, options.filter, options.attributes,
                          options.segment, options.total_segments};
    return detail::decode_page<T>(detail::table_service().scan(*binding_, spec));
  }

  // Writes the item, replacing any with the same key.
  Result<void> put(const T& item) const { return put_mode(item, detail::PutMode::overwrite, {}); }
  // Writes the item only if `condition` holds for the item it replaces; ErrorCode::failed_precondition otherwise.
  Result<void> put(const T& item, const Expression& condition) const {
    return put_mode(item, detail::PutMode::overwrite, condition);
  }
  // Writes the item only if no item has its key; ErrorCode::already_exists otherwise.
  Result<void> create(const T& item) const { return put_mode(item, detail::PutMode::if_absent, {}); }

  // Writes many items (BatchWriteItem, any number; not atomic).
  Result<void> put_many(const std::vector<T>& items) const {
    require_write();
    std::vector<Value> values;
    values.reserve(items.size());
    for (const auto& item : items) values.push_back(encode(item));
    return detail::table_service().batch_write(*binding_, values, {});
  }

  // Changes attributes in place and returns the item as it is afterwards;
  // creates the item when the key is new (unless the update's condition forbids it).
  Result<T> update(const Key& key, const Update& update) const {
    require_write();
    auto item = detail::table_service().update_item(*binding_, key, update);
    if (!item) return Unexpected{std::move(item).error()};
    return from_value<T>(*item);
  }

  // Deletes the item with this key (no error when there is none).
  Result<void> remove(Value partition) const { return remove(Key{std::move(partition), std::nullopt}, Expression{}); }
  Result<void> remove(Value partition, Value sort) const {
    return remove(Key{std::move(partition), std::move(sort)}, Expression{});
  }
  // Deletes only if `condition` holds; ErrorCode::failed_precondition otherwise.
  Result<void> remove(const Key& key, const Expression& condition) const {
    require_write();
    return detail::table_service().delete_item(*binding_, key, condition);
  }
  // Deletes many items (BatchWriteItem; not atomic).
  Result<void> remove_many(const std::vector<Key>& keys) const {
    require_write();
    return detail::table_service().batch_write(*binding_, {}, keys);
  }

  const detail::ResourceBinding& binding() const { return *binding_; }

 private:
  static constexpr void require_read() {
    static_assert(allows(P, TablePermission::read),
                  "gust: this table capability cannot read. Declare gust::reads(table) on the handler "
                  "and take a gust::TableReader<T> parameter.");
  }
  static constexpr void require_write() {
    static_assert(allows(P, TablePermission::write),
                  "gust: TableReader cannot write. Declare gust::writes(table) on the handler and take a "
                  "gust::TableWriter<T> parameter (or gust::reads_writes(table) and gust::TableReadWriter<T>).");
  }
  Result<void> put_mode(const T& item, detail::PutMode mode, const Expression& condition) const {
    require_write();
    return detail::table_service().put_item(*binding_, encode(item), mode, condition);
  }

  const detail::ResourceBinding* binding_;
};

template <class T>
using TableReader = TableClient<T, TablePermission::read>;
template <class T>
using TableWriter = TableClient<T, TablePermission::write>;
template <class T>
using TableReadWriter = TableClient<T, TablePermission::read_write>;

// Queries a global secondary index (granted with gust::reads(index)).
template <class T>
class IndexReader {
 public:
  explicit IndexReader(const detail::ResourceBinding& binding) : binding_(&binding) {}

  // `binding.physical` is the table name; `binding.id` the index name.
  Result<Page<T>> query(Value partition, const QueryOptions& options = {}) const {
    detail::QuerySpec spec{binding_->id, binding_->partition_key, binding_->sort_key, std::move(partition),
                           options.sort, options.limit, !options.newest_first, false, options.start,
                           options.filter, options.attributes};
    return detail::decode_page<T>(detail::table_service().query(*binding_, spec));
  }

 private:
  const detail::ResourceBinding* binding_;
};

// Writes to one or more tables that all happen or none do
// (TransactWriteItems, at most 100 actions). A failed condition cancels the
// whole transaction with ErrorCode::failed_precondition.
//
//   gust::Transaction tx;
//   tx.put(orders, order, "attribute_not_exists(id)").update(stock, {sku}, gust::Update{"ADD qty :m"}.value(":m", -1));
//   tx.commit().value();
class Transaction {
 public:
  template <class T, TablePermission P>
  Transaction& put(const TableClient<T, P>& table, const T& item, Expression condition = {}) {
    require_write<P>();
    detail::TransactItem a;
    a.kind = detail::TransactItem::Kind::put;
    a.table = &table.binding();
    a.item = encode(item);
    a.condition = std::move(condition);
    items_.push_back(std::move(a));
    return *this;
  }
  template <class T, TablePermission P>
  Transaction& update(const TableClient<T, P>& table, Key key, Update update) {
    require_write<P>();
    detail::TransactItem a;
    a.kind = detail::TransactItem::Kind::update;
    a.table = &table.binding();
    a.key = std::move(key);
    a.update = std::move(update);
    items_.push_back(std::move(a));
    return *this;
  }
  template <class T, TablePermission P>
  Transaction& remove(const TableClient<T, P>& table, Key key, Expression condition = {}) {
    require_write<P>();
    detail::TransactItem a;
    a.kind = detail::TransactItem::Kind::remove;
    a.table = &table.binding();
    a.key = std::move(key);
    a.condition = std::move(condition);
    items_.push_back(std::move(a));
    return *this;
  }
  // Requires `condition` to hold for an item the transaction does not write.
  template <class T, TablePermission P>
  Transaction& check(const TableClient<T, P>& table, Key key, Expression condition) {
    static_assert(allows(P, TablePermission::read),
                  "gust: Transaction::check reads the table. Declare gust::reads(table) on the handler.");
    detail::TransactItem a;
    a.kind = detail::TransactItem::Kind::check;
    a.table = &table.binding();
    a.key = std::move(key);
    a.condition = std::move(condition);
    items_.push_back(std::move(a));
    return *this;
  }

  Result<void> commit() const { return detail::table_service().transact_write(items_); }
  std::size_t size() const { return items_.size(); }

 private:
  template <TablePermission P>
  static constexpr void require_write() {
    static_assert(allows(P, TablePermission::write),
                  "gust: TableReader cannot write. Declare gust::writes(table) on the handler and take a "
                  "gust::TableWriter<T> parameter (or gust::reads_writes(table) and gust::TableReadWriter<T>).");
  }
  std::vector<detail::TransactItem> items_;
};

}  // namespace gust
