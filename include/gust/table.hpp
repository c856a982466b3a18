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

struct QueryOptions {
  std::optional<detail::SortCondition> sort;  // e.g. gust::SortKey::begins_with("2026-")
  std::optional<int> limit;                   // items per page
  bool newest_first = false;                  // ScanIndexForward = false
  bool consistent = false;                    // strongly consistent read (tables only)
  std::optional<Value> start;                 // a previous Page::next
};

struct ScanOptions {
  std::optional<int> limit;
  bool consistent = false;
  std::optional<Value> start;
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
}  // namespace detail

// TableClient<T, P>: the operations permission P allows on a table of T.
// Use the aliases TableReader<T>, TableWriter<T> and TableReadWriter<T>.
template <class T, TablePermission P>
class TableClient {
 public:
  explicit TableClient(const detail::ResourceBinding& binding) : binding_(&binding) {}

  // The item with this key; ErrorCode::not_found when there is none.
  Result<T> get(Value partition) const { return get_key({std::move(partition), std::nullopt}); }
  Result<T> get(Value partition, Value sort) const { return get_key({std::move(partition), std::move(sort)}); }

  // Items with this partition key, in sort key order, one page at a time.
  Result<Page<T>> query(Value partition, const QueryOptions& options = {}) const {
    static_assert(allows(P, TablePermission::read),
                  "gust: this table capability cannot read. Declare gust::reads(table) on the handler "
                  "and take a gust::TableReader<T> parameter.");
    detail::QuerySpec spec{"", binding_->partition_key, binding_->sort_key, std::move(partition), options.sort,
                           options.limit, !options.newest_first, options.consistent, options.start};
    return detail::decode_page<T>(detail::table_service().query(*binding_, spec));
  }

  // Every item, one page at a time.
  Result<Page<T>> scan(const ScanOptions& options = {}) const {
    static_assert(allows(P, TablePermission::read),
                  "gust: this table capability cannot read. Declare gust::reads(table) on the handler "
                  "and take a gust::TableReader<T> parameter.");
    return detail::decode_page<T>(
        detail::table_service().scan(*binding_, {options.limit, options.consistent, options.start}));
  }

  // Writes the item, replacing any with the same key.
  Result<void> put(const T& item) const { return put_mode(item, detail::PutMode::overwrite); }
  // Writes the item only if no item has its key; ErrorCode::already_exists otherwise.
  Result<void> create(const T& item) const { return put_mode(item, detail::PutMode::if_absent); }

  // Deletes the item with this key (no error when there is none).
  Result<void> remove(Value partition) const { return remove_key({std::move(partition), std::nullopt}); }
  Result<void> remove(Value partition, Value sort) const { return remove_key({std::move(partition), std::move(sort)}); }

  const detail::ResourceBinding& binding() const { return *binding_; }

 private:
  Result<T> get_key(detail::ItemKey key) const {
    static_assert(allows(P, TablePermission::read),
                  "gust: this table capability cannot read. Declare gust::reads(table) on the handler "
                  "and take a gust::TableReader<T> parameter.");
    auto item = detail::table_service().get_item(*binding_, key, false);
    if (!item) return Unexpected{std::move(item).error()};
    if (!*item) return unexpected(ErrorCode::not_found, "no item with this key", binding_->id);
    return from_value<T>(**item);
  }
  Result<void> put_mode(const T& item, detail::PutMode mode) const {
    static_assert(allows(P, TablePermission::write),
                  "gust: TableReader cannot write. Declare gust::writes(table) on the handler and take a "
                  "gust::TableWriter<T> parameter (or gust::reads_writes(table) and gust::TableReadWriter<T>).");
    return detail::table_service().put_item(*binding_, encode(item), mode);
  }
  Result<void> remove_key(detail::ItemKey key) const {
    static_assert(allows(P, TablePermission::write),
                  "gust: TableReader cannot write. Declare gust::writes(table) on the handler and take a "
                  "gust::TableWriter<T> parameter (or gust::reads_writes(table) and gust::TableReadWriter<T>).");
    return detail::table_service().delete_item(*binding_, key);
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
                           options.sort, options.limit, !options.newest_first, false, options.start};
    return detail::decode_page<T>(detail::table_service().query(*binding_, spec));
  }

 private:
  const detail::ResourceBinding* binding_;
};

}  // namespace gust
