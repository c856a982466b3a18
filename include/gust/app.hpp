#pragma once
// gust::App: the one object a gust program builds. It declares resources
// (tables, buckets, queues, topics) and triggers (routes, consumers,
// schedules, subscriptions, object notifications) with the grants each
// handler holds, then `run` either describes the app (manifest), invokes a
// handler locally, or serves Lambda's Runtime API.
//
//   int main(int argc, char** argv) {
//     gust::App app{"hello"};
//     app.get("/hello/{name}", [](const gust::Request& req) {
//       return gust::Response::text(fmt::format("hello, {}", req.param("name")));
//     });
//     return app.run(argc, argv);
//   }

#include <gust/detail/handler.hpp>
#include <gust/grants.hpp>
#include <gust/resources.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <tuple>

namespace gust {

// A declared string (name, path, expression) with the place it was written,
// so declaration errors can point at the user's line.
struct Declared {
  std::string_view text;
  std::source_location where;
  Declared(const char* s, std::source_location w = std::source_location::current()) : text(s), where(w) {}  // NOLINT
  Declared(std::string_view s, std::source_location w = std::source_location::current()) : text(s), where(w) {}  // NOLINT
  Declared(const std::string& s, std::source_location w = std::source_location::current()) : text(s), where(w) {}  // NOLINT
};

enum class Method { get, post, put, patch, del, head, options, any };
enum class Architecture { arm64, x86_64 };

// Per-function settings. Defaults suit compiled code: arm64 (cheaper per
// GB-second), 128 MB, and short timeouts that depend on the trigger.
struct FunctionOptions {
  int memory_mb = 128;                          // 128 .. 10240
  std::chrono::seconds timeout{0};              // 0 = trigger default: http 10 s, others 30 s; 1 .. 900
  Architecture architecture = Architecture::arm64;
  std::optional<int> reserved_concurrency;      // none: the account's unreserved pool
  int batch_size = 10;                          // queue consumers: 1 .. 10000 (over 10 needs a window)
  std::chrono::seconds batch_window{0};         // queue consumers: 0 .. 300
  int retries = 2;                              // async triggers (schedule, topic, object): 0 .. 2
};

// Returned by every trigger declaration, to adjust the function's options:
//   app.post("/todos", ...).memory(256).timeout(std::chrono::seconds(5));
class FunctionRef {
 public:
  FunctionRef& memory(int mb);
  FunctionRef& timeout(std::chrono::seconds t);
  FunctionRef& architecture(Architecture a);
  FunctionRef& reserved_concurrency(int n);
  FunctionRef& batch_size(int n);
  FunctionRef& batch_window(std::chrono::seconds w);
  FunctionRef& retries(int n);
  // Overrides the derived function id (letters, digits and '-'); it names the
  // Lambda function, its logical ids and the _HANDLER value.
  FunctionRef& id(Declared id);
  // Object notifications: only keys with this prefix / suffix.
  FunctionRef& key_prefix(std::string_view prefix);
  FunctionRef& key_suffix(std::string_view suffix);

  std::string_view function_id() const;

 private:
  friend class App;
  FunctionRef(App* app, std::size_t index) : app_(app), index_(index) {}
  App* app_;
  std::size_t index_;
};

namespace detail {
struct AppState;
struct FunctionDecl;
enum class KeyType { string, number, binary };

template <class F>
constexpr KeyType key_type_of() {
  if constexpr (std::is_same_v<F, std::string>) return KeyType::string;
  else if constexpr (std::is_same_v<F, Bytes>) return KeyType::binary;
  else if constexpr (std::is_arithmetic_v<F> && !std::is_same_v<F, bool>) return KeyType::number;
  else {
    static_assert(dependent_false<F>, "gust: a table or index key must be a std::string, a number or gust::Bytes field");
    return KeyType::string;
  }
}

struct KeyField {
  std::string_view name;  // "" when the member is not in GUST_RECORD
  KeyType type;
};

template <class T, class F>
KeyField key_field(F T::*member) {
  static_assert(Record<T>, "gust: a table's record type needs GUST_RECORD(Type, fields...) so its keys can be named");
  return {field_name<T>(member), key_type_of<F>()};
}
}  // namespace detail

class App {
 public:
  explicit App(Declared name);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // ---- resources
  // A DynamoDB table of T keyed by `partition` (and `sort`): app.table<Todo>("todos", &Todo::id).
  template <class T, class PK>
  Table<T> table(Declared name, PK T::*partition) {
    return Table<T>(add_table(name, detail::key_field(partition), std::nullopt));
  }
  template <class T, class PK, class SK>
  Table<T> table(Declared name, PK T::*partition, SK T::*sort) {
    return Table<T>(add_table(name, detail::key_field(partition), detail::key_field(sort)));
  }
  // An S3 bucket (encrypted, private, TLS only).
  Bucket bucket(Declared name) { return Bucket(add_bucket(name)); }
  // An SQS queue of T messages, with a dead-letter queue after 5 receives.
  template <class T>
  Queue<T> queue(Declared name) {
    static_assert(Record<T> || std::is_same_v<T, std::string> || std::is_same_v<T, Value>,
                  "gust: a queue's message type needs GUST_RECORD(Type, fields...) (or use std::string)");
    return Queue<T>(add_queue(name));
  }
  // An SNS topic of T messages.
  template <class T>
  Topic<T> topic(Declared name) {
    static_assert(Record<T> || std::is_same_v<T, std::string> || std::is_same_v<T, Value>,
                  "gust: a topic's message type needs GUST_RECORD(Type, fields...) (or use std::string)");
    return Topic<T>(add_topic(name));
  }

  // ---- HTTP routes: (path, grants..., handler(const Request&, capabilities...))
  // Paths: "/todos", "/todos/{id}", "/files/{proxy+}" (greedy, last segment only).
  template <class... A> FunctionRef get(Declared path, A&&... a) { return route(Method::get, path, std::forward<A>(a)...); }
  template <class... A> FunctionRef post(Declared path, A&&... a) { return route(Method::post, path, std::forward<A>(a)...); }
  template <class... A> FunctionRef put(Declared path, A&&... a) { return route(Method::put, path, std::forward<A>(a)...); }
  template <class... A> FunctionRef patch(Declared path, A&&... a) { return route(Method::patch, path, std::forward<A>(a)...); }
  template <class... A> FunctionRef del(Declared path, A&&... a) { return route(Method::del, path, std::forward<A>(a)...); }
  template <class... A> FunctionRef head(Declared path, A&&... a) { return route(Method::head, path, std::forward<A>(a)...); }
  template <class... A> FunctionRef options(Declared path, A&&... a) { return route(Method::options, path, std::forward<A>(a)...); }
  template <class... A> FunctionRef any(Declared path, A&&... a) { return route(Method::any, path, std::forward<A>(a)...); }

  template <class... A>
  FunctionRef route(Method method, Declared path, A&&... a) {
    static_assert(sizeof...(A) >= 1, "gust: a route needs a handler: app.get(\"/path\", [](const gust::Request& req) { ... })");
    return split_grants(std::forward_as_tuple(std::forward<A>(a)...), [&](auto& handler, auto... grants) {
      using H = std::decay_t<decltype(handler)>;
      detail::check_handler<detail::HandlerKind::http, Request, H, detail::capability_of_t<decltype(grants)>...>();
      return add_route(method, path, {detail::grant_record(grants)...},
                       detail::erase_http<detail::capability_of_t<decltype(grants)>...>(H(handler)));
    });
  }

  // ---- other triggers
  // Consumes a queue: handler(const T&, capabilities...). A message whose
  // handler throws (or returns an error) is retried, then dead-lettered;
  // the others in its batch are not.
  template <class T, class... A>
  FunctionRef consume(const Queue<T>& queue, A&&... a) {
    static_assert(sizeof...(A) >= 1, "gust: app.consume(queue, handler) needs a handler taking (const T&)");
    return split_grants(std::forward_as_tuple(std::forward<A>(a)...), [&](auto& handler, auto... grants) {
      using H = std::decay_t<decltype(handler)>;
      detail::check_handler<detail::HandlerKind::queue, T, H, detail::capability_of_t<decltype(grants)>...>();
      return add_consumer(queue.id(), {detail::grant_record(grants)...},
                          detail::erase_message<T, detail::capability_of_t<decltype(grants)>...>(H(handler)));
    });
  }
  // Subscribes to a topic: handler(const T&, capabilities...).
  template <class T, class... A>
  FunctionRef subscribe(const Topic<T>& topic, A&&... a) {
    static_assert(sizeof...(A) >= 1, "gust: app.subscribe(topic, handler) needs a handler taking (const T&)");
    return split_grants(std::forward_as_tuple(std::forward<A>(a)...), [&](auto& handler, auto... grants) {
      using H = std::decay_t<decltype(handler)>;
      detail::check_handler<detail::HandlerKind::topic, T, H, detail::capability_of_t<decltype(grants)>...>();
      return add_subscriber(topic.id(), {detail::grant_record(grants)...},
                            detail::erase_message<T, detail::capability_of_t<decltype(grants)>...>(H(handler)));
    });
  }
  // Runs on a schedule: "rate(5 minutes)" or "cron(0 3 * * ? *)" (UTC).
  template <class... A>
  FunctionRef schedule(Declared name, Declared expression, A&&... a) {
    static_assert(sizeof...(A) >= 1, "gust: app.schedule(name, expression, handler) needs a handler taking (const gust::ScheduleEvent&)");
    return split_grants(std::forward_as_tuple(std::forward<A>(a)...), [&](auto& handler, auto... grants) {
      using H = std::decay_t<decltype(handler)>;
      detail::check_handler<detail::HandlerKind::schedule, ScheduleEvent, H, detail::capability_of_t<decltype(grants)>...>();
      return add_schedule(name, expression, {detail::grant_record(grants)...},
                          detail::erase_void<ScheduleEvent, detail::capability_of_t<decltype(grants)>...>(H(handler)));
    });
  }
  // Runs when an object is created in the bucket: handler(const gust::ObjectCreated&, capabilities...).
  template <class... A>
  FunctionRef on_object_created(const Bucket& bucket, A&&... a) {
    static_assert(sizeof...(A) >= 1, "gust: app.on_object_created(bucket, handler) needs a handler taking (const gust::ObjectCreated&)");
    return split_grants(std::forward_as_tuple(std::forward<A>(a)...), [&](auto& handler, auto... grants) {
      using H = std::decay_t<decltype(handler)>;
      detail::check_handler<detail::HandlerKind::object, ObjectCreated, H, detail::capability_of_t<decltype(grants)>...>();
      return add_object_handler(bucket.id(), {detail::grant_record(grants)...},
                                detail::erase_void<ObjectCreated, detail::capability_of_t<decltype(grants)>...>(H(handler)));
    });
  }

  // Describes, invokes or serves the app, by its arguments and environment:
  //   APP manifest                       print the manifest (JSON)
  //   APP invoke HANDLER [EVENT.json|-]  one local invocation; prints the response
  //   AWS_LAMBDA_RUNTIME_API=host:port   serve the Runtime API (the handler from _HANDLER)
  int run(int argc, char** argv);

  std::string_view name() const;
  detail::AppState& state() { return *state_; }
  const detail::AppState& state() const { return *state_; }

 private:
  template <class Tuple, class F>
  static FunctionRef split_grants(Tuple&& args, F&& f) {
    constexpr std::size_t n = std::tuple_size_v<std::remove_cvref_t<Tuple>>;
    auto& handler = std::get<n - 1>(args);
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      static_assert((GrantType<std::tuple_element_t<I, std::remove_cvref_t<Tuple>>> && ...),
                    "gust: between the trigger and the handler come only grants: gust::reads(table), "
                    "gust::writes(table), gust::sends(queue), gust::publishes(topic), ... "
                    "(the handler goes last).");
      return f(handler, std::get<I>(args)...);
    }(std::make_index_sequence<n - 1>{});
  }

  detail::ResourceId add_table(Declared name, detail::KeyField partition, std::optional<detail::KeyField> sort);
  detail::ResourceId add_bucket(Declared name);
  detail::ResourceId add_queue(Declared name);
  detail::ResourceId add_topic(Declared name);
  FunctionRef add_route(Method method, Declared path, std::vector<detail::GrantRecord> grants, detail::HttpHandler h);
  FunctionRef add_consumer(detail::ResourceId queue, std::vector<detail::GrantRecord> grants, detail::MessageHandler h);
  FunctionRef add_subscriber(detail::ResourceId topic, std::vector<detail::GrantRecord> grants, detail::MessageHandler h);
  FunctionRef add_schedule(Declared name, Declared expression, std::vector<detail::GrantRecord> grants,
                           detail::ScheduleHandler h);
  FunctionRef add_object_handler(detail::ResourceId bucket, std::vector<detail::GrantRecord> grants,
                                 detail::ObjectHandler h);

  FunctionRef add_function(detail::FunctionDecl&& f);

  template <class T>
  friend class Table;
  std::size_t add_index(detail::ResourceId table, Declared name, detail::KeyField partition,
                        std::optional<detail::KeyField> sort);

  std::unique_ptr<detail::AppState> state_;
};

// ---- Table<T>::index (needs App)
template <class T>
template <class PK>
Index<T> Table<T>::index(std::string_view name, PK T::*partition) const {
  return Index<T>(id_, id_.app->add_index(id_, Declared(name), detail::key_field(partition), std::nullopt));
}
template <class T>
template <class PK, class SK>
Index<T> Table<T>::index(std::string_view name, PK T::*partition, SK T::*sort) const {
  return Index<T>(id_, id_.app->add_index(id_, Declared(name), detail::key_field(partition), detail::key_field(sort)));
}

namespace detail {
void set_table_retain(const ResourceId& id, bool retain);
void set_bucket_retain(const ResourceId& id, bool retain);
void set_queue_max_receives(const ResourceId& id, int count);
void set_queue_retention(const ResourceId& id, std::chrono::seconds period);
std::string_view index_name(const ResourceId& table, std::size_t number);
}  // namespace detail

template <class T>
Table<T>& Table<T>::retain_on_remove(bool retain) { detail::set_table_retain(id_, retain); return *this; }
inline Bucket& Bucket::retain_on_remove(bool retain) { detail::set_bucket_retain(id_, retain); return *this; }
template <class T>
Queue<T>& Queue<T>::max_receives(int count) { detail::set_queue_max_receives(id_, count); return *this; }
template <class T>
Queue<T>& Queue<T>::without_dead_letter_queue() { detail::set_queue_max_receives(id_, 0); return *this; }
template <class T>
Queue<T>& Queue<T>::retention(std::chrono::seconds period) { detail::set_queue_retention(id_, period); return *this; }
template <class T>
std::string_view Index<T>::name() const { return detail::index_name(table_, number_); }

}  // namespace gust
