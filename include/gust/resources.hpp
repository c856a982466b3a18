#pragma once
// Handles to the resources an app declares. A handle is a small value that
// names a resource; grants (gust::reads(todos)) turn it into a capability
// that a handler receives. Declare them with App::table, App::bucket,
// App::queue and App::topic.

#include <chrono>
#include <cstddef>
#include <string_view>

namespace gust {

class App;

namespace detail {
struct ResourceId {
  App* app = nullptr;
  std::size_t index = 0;
};
std::string_view resource_name(const ResourceId& id);
}  // namespace detail

// Permission enums, one per resource kind. Bit flags: grants combine them.
enum class TablePermission : unsigned { read = 1, write = 2, read_write = 3 };
enum class BucketPermission : unsigned { read = 1, write = 2, read_write = 3 };
enum class QueuePermission : unsigned { send = 1, receive = 2 };
enum class TopicPermission : unsigned { publish = 1 };

template <class E>
constexpr bool allows(E granted, E needed) {
  return (static_cast<unsigned>(granted) & static_cast<unsigned>(needed)) == static_cast<unsigned>(needed);
}

template <class T>
class Index;

// A DynamoDB table of records T.
template <class T>
class Table {
 public:
  using record_type = T;
  std::string_view name() const { return detail::resource_name(id_); }
  const detail::ResourceId& id() const { return id_; }

  // Declares a global secondary index keyed on other fields of T:
  //   auto by_list = todos.index("by-list", &Todo::list, &Todo::created_at);
  // Query it with a gust::reads(by_list) grant.
  template <class PK>
  Index<T> index(std::string_view name, PK T::*partition) const;
  template <class PK, class SK>
  Index<T> index(std::string_view name, PK T::*partition, SK T::*sort) const;

  // Keep (default) or delete the table's data when the stack is removed.
  Table& retain_on_remove(bool retain);

 private:
  friend class App;
  explicit Table(detail::ResourceId id) : id_(id) {}
  detail::ResourceId id_;
};

// A global secondary index of a Table<T>.
template <class T>
class Index {
 public:
  using record_type = T;
  std::string_view table_name() const { return detail::resource_name(table_); }
  std::string_view name() const;
  const detail::ResourceId& table() const { return table_; }
  std::size_t number() const { return number_; }

 private:
  friend class Table<T>;
  friend class App;
  Index(detail::ResourceId table, std::size_t number) : table_(table), number_(number) {}
  detail::ResourceId table_;
  std::size_t number_;
};

// An S3 bucket.
class Bucket {
 public:
  std::string_view name() const { return detail::resource_name(id_); }
  const detail::ResourceId& id() const { return id_; }
  Bucket& retain_on_remove(bool retain);

 private:
  friend class App;
  explicit Bucket(detail::ResourceId id) : id_(id) {}
  detail::ResourceId id_;
};

// An SQS queue carrying messages of type T (JSON bodies).
template <class T>
class Queue {
 public:
  using message_type = T;
  std::string_view name() const { return detail::resource_name(id_); }
  const detail::ResourceId& id() const { return id_; }
  // Messages received this many times go to the dead-letter queue (default 5).
  Queue& max_receives(int count);
  // No dead-letter queue: failing messages are retried until retention ends.
  Queue& without_dead_letter_queue();
  // How long unconsumed messages are kept (default 4 days, at most 14).
  Queue& retention(std::chrono::seconds period);

 private:
  friend class App;
  explicit Queue(detail::ResourceId id) : id_(id) {}
  detail::ResourceId id_;
};

// An SNS topic carrying messages of type T (JSON bodies).
template <class T>
class Topic {
 public:
  using message_type = T;
  std::string_view name() const { return detail::resource_name(id_); }
  const detail::ResourceId& id() const { return id_; }

 private:
  friend class App;
  explicit Topic(detail::ResourceId id) : id_(id) {}
  detail::ResourceId id_;
};

}  // namespace gust
