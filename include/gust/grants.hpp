#pragma once
// Grants: what a handler may do with a resource. Each grant records exact
// IAM actions on that resource in the manifest, and hands the handler a
// capability object that offers only those operations:
//
//   gust::reads(todos)        -> gust::TableReader<Todo>     GetItem, Query, Scan, ...
//   gust::writes(todos)       -> gust::TableWriter<Todo>     PutItem, UpdateItem, DeleteItem, ...
//   gust::reads_writes(todos) -> gust::TableReadWriter<Todo>
//   gust::reads(by_list)      -> gust::IndexReader<Todo>     Query on the index only
//   gust::reads(files)        -> gust::BucketReader          GetObject, ListBucket
//   gust::writes(files)       -> gust::BucketWriter          PutObject, DeleteObject
//   gust::sends(events)       -> gust::QueueSender<Event>    SendMessage
//   gust::receives(events)    -> gust::QueueReceiver<Event>  ReceiveMessage, DeleteMessage, ...
//   gust::publishes(alerts)   -> gust::TopicPublisher<Alert> Publish
//
// A handler takes its capabilities after the trigger's event, in the order
// the grants are written.

#include <gust/bucket.hpp>
#include <gust/queue.hpp>
#include <gust/resources.hpp>
#include <gust/table.hpp>
#include <gust/topic.hpp>

#include <type_traits>

namespace gust {

namespace detail {
template <class>
inline constexpr bool dependent_false = false;

enum class GrantTarget : unsigned { table, index, bucket, queue, topic };

// What App records for a grant; src/app/permissions.cpp maps it to IAM actions.
struct GrantRecord {
  ResourceId resource;
  GrantTarget target;
  unsigned permission;
  std::size_t index = 0;  // GrantTarget::index only
};
}  // namespace detail

template <class Handle, auto Permission>
struct Grant {
  Handle handle;
};

// ---- the verbs
template <class T> Grant<Table<T>, TablePermission::read> reads(const Table<T>& t) { return {t}; }
template <class T> Grant<Table<T>, TablePermission::write> writes(const Table<T>& t) { return {t}; }
template <class T> Grant<Table<T>, TablePermission::read_write> reads_writes(const Table<T>& t) { return {t}; }
template <class T> Grant<Index<T>, TablePermission::read> reads(const Index<T>& i) { return {i}; }
inline Grant<Bucket, BucketPermission::read> reads(const Bucket& b) { return {b}; }
inline Grant<Bucket, BucketPermission::write> writes(const Bucket& b) { return {b}; }
inline Grant<Bucket, BucketPermission::read_write> reads_writes(const Bucket& b) { return {b}; }
template <class T> Grant<Queue<T>, QueuePermission::send> sends(const Queue<T>& q) { return {q}; }
template <class T> Grant<Queue<T>, QueuePermission::receive> receives(const Queue<T>& q) { return {q}; }
template <class T> Grant<Topic<T>, TopicPermission::publish> publishes(const Topic<T>& t) { return {t}; }

// Readable errors for a verb applied to the wrong kind of resource.
template <class H> void reads(const H&) { static_assert(detail::dependent_false<H>, "gust::reads takes a table, an index or a bucket"); }
template <class H> void writes(const H&) { static_assert(detail::dependent_false<H>, "gust::writes takes a table or a bucket"); }
template <class H> void reads_writes(const H&) { static_assert(detail::dependent_false<H>, "gust::reads_writes takes a table or a bucket"); }
template <class H> void sends(const H&) { static_assert(detail::dependent_false<H>, "gust::sends takes a queue (app.queue<T>(name)); to publish to a topic use gust::publishes"); }
template <class H> void receives(const H&) { static_assert(detail::dependent_false<H>, "gust::receives takes a queue (app.queue<T>(name))"); }
template <class H> void publishes(const H&) { static_assert(detail::dependent_false<H>, "gust::publishes takes a topic (app.topic<T>(name)); to send to a queue use gust::sends"); }

namespace detail {
template <class T, TablePermission P>
GrantRecord grant_record(const Grant<Table<T>, P>& g) { return {g.handle.id(), GrantTarget::table, static_cast<unsigned>(P)}; }
template <class T, TablePermission P>
GrantRecord grant_record(const Grant<Index<T>, P>& g) { return {g.handle.table(), GrantTarget::index, static_cast<unsigned>(P), g.handle.number()}; }
template <BucketPermission P>
GrantRecord grant_record(const Grant<Bucket, P>& g) { return {g.handle.id(), GrantTarget::bucket, static_cast<unsigned>(P)}; }
template <class T, QueuePermission P>
GrantRecord grant_record(const Grant<Queue<T>, P>& g) { return {g.handle.id(), GrantTarget::queue, static_cast<unsigned>(P)}; }
template <class T, TopicPermission P>
GrantRecord grant_record(const Grant<Topic<T>, P>& g) { return {g.handle.id(), GrantTarget::topic, static_cast<unsigned>(P)}; }

// The capability type a grant hands to the handler.
template <class G> struct capability_of;
template <class T, TablePermission P> struct capability_of<Grant<Table<T>, P>> { using type = TableClient<T, P>; };
template <class T, TablePermission P> struct capability_of<Grant<Index<T>, P>> { using type = IndexReader<T>; };
template <BucketPermission P> struct capability_of<Grant<Bucket, P>> { using type = BucketClient<P>; };
template <class T, QueuePermission P> struct capability_of<Grant<Queue<T>, P>> { using type = QueueClient<T, P>; };
template <class T, TopicPermission P> struct capability_of<Grant<Topic<T>, P>> { using type = TopicPublisher<T>; };
template <class G>
using capability_of_t = typename capability_of<std::remove_cvref_t<G>>::type;
}  // namespace detail

// True for the values gust::reads, gust::writes, ... return.
template <class T>
concept GrantType = requires { typename detail::capability_of<std::remove_cvref_t<T>>::type; };

}  // namespace gust
