// Registration: the compiled side of App's templates.
#include "app/app_state.hpp"
#include "app/naming.hpp"

#include <gust/log.hpp>

#include <fmt/format.h>

namespace gust {

namespace detail {

std::string source_text(const std::source_location& where) {
  std::string_view file = where.file_name();
  if (auto slash = file.find_last_of('/'); slash != std::string_view::npos) file.remove_prefix(slash + 1);
  return fmt::format("{}:{}", file, where.line());
}

std::string_view resource_name(const ResourceId& id) { return id.app->state().resources.at(id.index).id; }

std::string_view index_name(const ResourceId& table, std::size_t number) {
  return table.app->state().resources.at(table.index).indexes.at(number).name;
}

void set_table_retain(const ResourceId& id, bool retain) { id.app->state().resources.at(id.index).retain = retain; }
void set_bucket_retain(const ResourceId& id, bool retain) { id.app->state().resources.at(id.index).retain = retain; }
void set_queue_max_receives(const ResourceId& id, int count) { id.app->state().resources.at(id.index).max_receives = count; }
void set_queue_retention(const ResourceId& id, std::chrono::seconds period) {
  id.app->state().resources.at(id.index).retention_seconds = static_cast<int>(period.count());
}

Response response_for_error(const Error& error) {
  const int status = http_status(error.code);
  // Server-side failures keep their details in the log, not in the answer.
  if (status >= 500) {
    log::error("handler error: {} ({})", error.describe(), to_string(error.code));
    return Response::error(status, status == 503 ? "Service Unavailable" : "Internal Server Error");
  }
  return Response::error(status, error.describe());
}

void throw_handler_error(const Error& error) { throw BadResultAccess(error); }

namespace {

manifest::KeyAttribute key_attribute(const KeyField& field) {
  return {std::string(field.name), field.type == KeyType::string ? "S" : field.type == KeyType::number ? "N" : "B"};
}

void check_key_field(AppState& state, const KeyField& field, const std::source_location& where, std::string_view what) {
  if (field.name.empty())
    state.error(where, fmt::format("{} is a field that GUST_RECORD does not list", what),
                "add the field to the record's GUST_RECORD(Type, ...) list");
}

}  // namespace
}  // namespace detail

App::App(Declared name) : state_(std::make_unique<detail::AppState>()) {
  state_->name = std::string(name.text);
  state_->where = name.where;
}

App::~App() = default;

std::string_view App::name() const { return state_->name; }

detail::ResourceId App::add_table(Declared name, detail::KeyField partition, std::optional<detail::KeyField> sort) {
  detail::ResourceDecl r;
  r.id = std::string(name.text);
  r.kind = manifest::ResourceKind::table;
  r.where = name.where;
  detail::check_key_field(*state_, partition, name.where, fmt::format("the partition key of table \"{}\"", r.id));
  r.partition_key = detail::key_attribute(partition);
  if (sort) {
    detail::check_key_field(*state_, *sort, name.where, fmt::format("the sort key of table \"{}\"", r.id));
    r.sort_key = detail::key_attribute(*sort);
  }
  state_->resources.push_back(std::move(r));
  return {this, state_->resources.size() - 1};
}

std::size_t App::add_index(detail::ResourceId table, Declared name, detail::KeyField partition,
                           std::optional<detail::KeyField> sort) {
  auto& r = state_->resources.at(table.index);
  detail::IndexDecl index{std::string(name.text), detail::key_attribute(partition), std::nullopt, name.where};
  detail::check_key_field(*state_, partition, name.where, fmt::format("the partition key of index \"{}\"", index.name));
  if (sort) {
    detail::check_key_field(*state_, *sort, name.where, fmt::format("the sort key of index \"{}\"", index.name));
    index.sort_key = detail::key_attribute(*sort);
  }
  r.indexes.push_back(std::move(index));
  return r.indexes.size() - 1;
}

namespace {
detail::ResourceId add_plain(App* app, detail::AppState& state, Declared name, manifest::ResourceKind kind) {
  detail::ResourceDecl r;
  r.id = std::string(name.text);
  r.kind = kind;
  r.where = name.where;
  state.resources.push_back(std::move(r));
  return {app, state.resources.size() - 1};
}
}  // namespace

detail::ResourceId App::add_bucket(Declared name) { return add_plain(this, *state_, name, manifest::ResourceKind::bucket); }
detail::ResourceId App::add_queue(Declared name) { return add_plain(this, *state_, name, manifest::ResourceKind::queue); }
detail::ResourceId App::add_topic(Declared name) { return add_plain(this, *state_, name, manifest::ResourceKind::topic); }

namespace {
std::string_view method_text(Method m) {
  switch (m) {
    case Method::get: return "GET";
    case Method::post: return "POST";
    case Method::put: return "PUT";
    case Method::patch: return "PATCH";
    case Method::del: return "DELETE";
    case Method::head: return "HEAD";
    case Method::options: return "OPTIONS";
    case Method::any: return "ANY";
  }
  return "ANY";
}
}  // namespace

FunctionRef App::add_route(Method method, Declared path, std::vector<detail::GrantRecord> grants, detail::HttpHandler h) {
  detail::FunctionDecl f;
  f.where = path.where;
  f.trigger.kind = manifest::TriggerKind::http;
  f.trigger.method = std::string(method_text(method));
  f.trigger.path = std::string(path.text);
  f.id = detail::route_function_id(f.trigger.method, f.trigger.path);
  f.grants = std::move(grants);
  f.handler = std::move(h);
  return add_function(std::move(f));
}

FunctionRef App::add_function(detail::FunctionDecl&& f) {
  state_->functions.push_back(std::move(f));
  return FunctionRef(this, state_->functions.size() - 1);
}

FunctionRef App::add_consumer(detail::ResourceId queue, std::vector<detail::GrantRecord> grants, detail::MessageHandler h) {
  detail::FunctionDecl f;
  f.where = state_->resources.at(queue.index).where;
  f.trigger.kind = manifest::TriggerKind::queue;
  f.trigger.resource = state_->resources.at(queue.index).id;
  f.id = "consume-" + detail::id_slug(f.trigger.resource);
  f.grants = std::move(grants);
  f.handler = std::move(h);
  return add_function(std::move(f));
}

FunctionRef App::add_subscriber(detail::ResourceId topic, std::vector<detail::GrantRecord> grants, detail::MessageHandler h) {
  detail::FunctionDecl f;
  f.where = state_->resources.at(topic.index).where;
  f.trigger.kind = manifest::TriggerKind::topic;
  f.trigger.resource = state_->resources.at(topic.index).id;
  f.id = "on-" + detail::id_slug(f.trigger.resource);
  f.grants = std::move(grants);
  f.handler = std::move(h);
  return add_function(std::move(f));
}

FunctionRef App::add_schedule(Declared name, Declared expression, std::vector<detail::GrantRecord> grants,
                              detail::ScheduleHandler h) {
  detail::FunctionDecl f;
  f.where = name.where;
  f.trigger.kind = manifest::TriggerKind::schedule;
  f.trigger.name = std::string(name.text);
  f.trigger.expression = std::string(expression.text);
  f.id = detail::id_slug(f.trigger.name);
  f.grants = std::move(grants);
  f.handler = std::move(h);
  return add_function(std::move(f));
}

FunctionRef App::add_object_handler(detail::ResourceId bucket, std::vector<detail::GrantRecord> grants,
                                    detail::ObjectHandler h) {
  detail::FunctionDecl f;
  f.where = state_->resources.at(bucket.index).where;
  f.trigger.kind = manifest::TriggerKind::object_created;
  f.trigger.resource = state_->resources.at(bucket.index).id;
  f.id = "on-" + detail::id_slug(f.trigger.resource) + "-created";
  f.grants = std::move(grants);
  f.handler = std::move(h);
  return add_function(std::move(f));
}

// ---- FunctionRef
namespace {
detail::FunctionDecl& decl(App* app, std::size_t index) { return app->state().functions.at(index); }
}  // namespace

FunctionRef& FunctionRef::memory(int mb) { decl(app_, index_).options.memory_mb = mb; return *this; }
FunctionRef& FunctionRef::timeout(std::chrono::seconds t) { decl(app_, index_).options.timeout = t; return *this; }
FunctionRef& FunctionRef::architecture(Architecture a) { decl(app_, index_).options.architecture = a; return *this; }
FunctionRef& FunctionRef::reserved_concurrency(int n) { decl(app_, index_).options.reserved_concurrency = n; return *this; }
FunctionRef& FunctionRef::batch_size(int n) { decl(app_, index_).options.batch_size = n; return *this; }
FunctionRef& FunctionRef::batch_window(std::chrono::seconds w) { decl(app_, index_).options.batch_window = w; return *this; }
FunctionRef& FunctionRef::retries(int n) { decl(app_, index_).options.retries = n; return *this; }
FunctionRef& FunctionRef::id(Declared id) {
  auto& f = decl(app_, index_);
  f.id = std::string(id.text);
  f.where = id.where;
  return *this;
}
FunctionRef& FunctionRef::key_prefix(std::string_view prefix) { decl(app_, index_).trigger.prefix = std::string(prefix); return *this; }
FunctionRef& FunctionRef::key_suffix(std::string_view suffix) { decl(app_, index_).trigger.suffix = std::string(suffix); return *this; }
std::string_view FunctionRef::function_id() const { return decl(app_, index_).id; }

}  // namespace gust
