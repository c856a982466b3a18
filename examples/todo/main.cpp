// A todo API: a table with a sort key and an index, a queue with a consumer,
// a bucket with an upload handler, a topic with a subscriber and a schedule.
// Each handler holds only the grants it needs; the IAM policy follows.
#include <gust/gust.hpp>

#include <chrono>
#include <random>

struct Todo {
  std::string list = "inbox";  // partition key
  std::string id;              // sort key
  std::string title;
  bool done = false;
  std::int64_t created_at = 0;  // epoch milliseconds
};
GUST_RECORD(Todo, list, id, title, done, created_at);

struct TodoEvent {
  std::string kind;  // "created", "updated", "deleted"
  Todo todo;
};
GUST_RECORD(TodoEvent, kind, todo);

struct Digest {
  int open = 0;
  int done = 0;
};
GUST_RECORD(Digest, open, done);

namespace {

std::string new_id() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  return fmt::format("{:016x}", random());
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  gust::App app{"todo"};

  auto todos = app.table<Todo>("todos", &Todo::list, &Todo::id);
  auto recent = todos.index("recent", &Todo::list, &Todo::created_at);
  auto events = app.queue<TodoEvent>("todo-events");
  auto attachments = app.bucket("attachments");
  auto digests = app.topic<Digest>("digests");

  app.get("/lists/{list}/todos", gust::reads(todos),
          [](const gust::Request& req, gust::TableReader<Todo> todos) -> gust::Result<gust::Response> {
            auto page = todos.query(req.param("list"));
            if (!page) return gust::unexpected(page.error());
            return gust::Response::json(page->items);
          });

  app.get("/lists/{list}/todos/{id}", gust::reads(todos),
          [](const gust::Request& req, gust::TableReader<Todo> todos) -> gust::Result<gust::Response> {
            auto todo = todos.get(req.param("list"), req.param("id"));
            if (!todo) return gust::unexpected(todo.error());  // 404 when absent, 503 when unreachable
            return gust::Response::json(*todo);
          });

  app.get("/lists/{list}/recent", gust::reads(recent),
          [](const gust::Request& req, gust::IndexReader<Todo> recent) {
            auto page = recent.query(req.param("list"), {.limit = 10, .newest_first = true}).value();
            return gust::Response::json(page.items);
          });

  app.post("/lists/{list}/todos", gust::writes(todos), gust::sends(events),
           [](const gust::Request& req, gust::TableWriter<Todo> todos, gust::QueueSender<TodoEvent> events) {
             auto todo = req.json<Todo>();
             if (todo.title.empty()) return gust::Response::bad_request("title: must not be empty");
             todo.list = std::string(req.param("list"));
             todo.id = new_id();
             todo.created_at = now_ms();
             todos.create(todo).value();
             events.send({"created", todo}).value();
             return gust::Response::json(todo, 201);
           });

  app.put("/lists/{list}/todos/{id}", gust::reads_writes(todos), gust::sends(events),
          [](const gust::Request& req, gust::TableReadWriter<Todo> todos, gust::QueueSender<TodoEvent> events) {
            auto existing = todos.get(req.param("list"), req.param("id")).value();  // throws: 404 or 503
            auto update = req.json<Todo>();
            existing.title = update.title.empty() ? existing.title : update.title;
            existing.done = update.done;
            todos.put(existing).value();
            events.send({"updated", existing}).value();
            return gust::Response::json(existing);
          });

  app.del("/lists/{list}/todos/{id}", gust::writes(todos), gust::sends(events),
          [](const gust::Request& req, gust::TableWriter<Todo> todos, gust::QueueSender<TodoEvent> events) {
            todos.remove(req.param("list"), req.param("id")).value();
            events.send({"deleted", Todo{std::string(req.param("list")), std::string(req.param("id"))}}).value();
            return gust::Response::no_content();
          });

  app.put("/attachments/{name}", gust::writes(attachments),
          [](const gust::Request& req, gust::BucketWriter files) {
            auto type = req.header("content-type").value_or("application/octet-stream");
            files.put(req.param("name"), req.body(), {.content_type = std::string(type)}).value();
            return gust::Response::no_content();
          });

  app.get("/attachments/{name}", gust::reads(attachments),
          [](const gust::Request& req, gust::BucketReader files) {
            auto object = files.get(req.param("name")).value();
            return gust::Response::binary(object.body, object.content_type);
          });

  app.consume(events, [](const TodoEvent& event) {
    gust::log::info("todo {} {}: {}", event.todo.id, event.kind, event.todo.title);
  });

  app.on_object_created(attachments, gust::reads(attachments),
                        [](const gust::ObjectCreated& created, gust::BucketReader files) {
                          auto head = files.head(created.key).value();
                          gust::log::info("attachment {} stored: {} bytes of {}", created.key, head.size, head.content_type);
                        });

  app.schedule("nightly-digest", "cron(0 3 * * ? *)", gust::reads(todos), gust::publishes(digests),
               [](const gust::ScheduleEvent&, gust::TableReader<Todo> todos, gust::TopicPublisher<Digest> digests) {
                 Digest digest;
                 gust::ScanOptions options;
                 do {
                   auto page = todos.scan(options).value();
                   for (const auto& t : page.items) (t.done ? digest.done : digest.open)++;
                   options.start = page.next;
                 } while (options.start);
                 digests.publish(digest).value();
               })
      .timeout(std::chrono::seconds(120));

  app.subscribe(digests, [](const Digest& digest) {
    gust::log::info("digest: {} open, {} done", digest.open, digest.done);
  });

  return app.run(argc, argv);
}
