#include "devcloud/target/stack_store.hpp"

#include "devcloud/services/sqlite_db.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace gust::devcloud::target {
namespace json = boost::json;
namespace {

constexpr std::string_view kSchema = R"(
CREATE TABLE IF NOT EXISTS stacks (id TEXT PRIMARY KEY, name TEXT NOT NULL, live INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS stacks_by_name ON stacks (name, live);
CREATE TABLE IF NOT EXISTS change_sets (id TEXT PRIMARY KEY, stack_id TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, stack_id TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_stack ON events (stack_id, seq);
)";

// Every row's `doc` column (the statement's first), as records.
template <class Record>
std::vector<Record> read_docs(localaws::Stmt& st, Record (*from_json)(const json::value&)) {
  std::vector<Record> out;
  while (st.step()) out.push_back(from_json(json::parse(st.column_text(0))));
  st.reset();
  return out;
}

}  // namespace

StackStore::StackStore(std::unique_ptr<localaws::Db> db) : db_(std::move(db)) {}
StackStore::~StackStore() = default;

Result<std::unique_ptr<StackStore>> StackStore::open(const std::filesystem::path& state_dir) {
  auto db = localaws::open_state_db(state_dir, "cloudformation.sqlite", kSchema);
  if (!db) return Unexpected{std::move(db).error()};
  return std::unique_ptr<StackStore>(new StackStore(std::move(*db)));
}

void StackStore::put(const StackRecord& stack) {
  std::lock_guard lock(mutex_);
  auto& st = db_->stmt("INSERT OR REPLACE INTO stacks (id, name, live, doc) VALUES (?1, ?2, ?3, ?4)");
  st.bind_text(1, stack.id).bind_text(2, stack.name).bind(3, std::int64_t{stack.status != "DELETE_COMPLETE"}).bind_text(4, json::serialize(to_json(stack)));
  st.run();
}

std::optional<StackRecord> StackStore::find_stack(std::string_view name_or_id) const {
  std::lock_guard lock(mutex_);
  auto& st = db_->stmt("SELECT doc FROM stacks WHERE id = ?1 OR (name = ?1 AND live = 1) ORDER BY live DESC LIMIT 1");
  st.bind_text(1, name_or_id);
  std::optional<StackRecord> out;
  if (st.step()) out = stack_from_json(json::parse(st.column_text(0)));
  st.reset();
  return out;
}

std::vector<StackRecord> StackStore::live_stacks() const {
  std::lock_guard lock(mutex_);
  return read_docs(db_->stmt("SELECT doc FROM stacks WHERE live = 1 ORDER BY rowid"), &stack_from_json);
}

std::vector<StackRecord> StackStore::all_stacks() const {
  std::lock_guard lock(mutex_);
  return read_docs(db_->stmt("SELECT doc FROM stacks ORDER BY rowid"), &stack_from_json);
}

void StackStore::put(const ChangeSetRecord& c) {
  std::lock_guard lock(mutex_);
  auto& st = db_->stmt("INSERT OR REPLACE INTO change_sets (id, stack_id, name, doc) VALUES (?1, ?2, ?3, ?4)");
  st.bind_text(1, c.id).bind_text(2, c.stack_id).bind_text(3, c.name).bind_text(4, json::serialize(to_json(c)));
  st.run();
}

std::optional<ChangeSetRecord> StackStore::find_change_set(std::string_view name_or_id, std::string_view stack) const {
  std::optional<std::string> stack_id;
  if (!name_or_id.starts_with("arn:")) {
    auto s = find_stack(stack);
    if (!s) return std::nullopt;
    stack_id = s->id;
  }
  std::lock_guard lock(mutex_);
  auto& st = db_->stmt("SELECT doc FROM change_sets WHERE id = ?1 OR (name = ?1 AND stack_id = ?2) LIMIT 1");
  st.bind_text(1, name_or_id).bind_text(2, stack_id.value_or(""));
  std::optional<ChangeSetRecord> out;
  if (st.step()) out = change_set_from_json(json::parse(st.column_text(0)));
  st.reset();
  return out;
}

std::vector<ChangeSetRecord> StackStore::change_sets(std::string_view stack_id) const {
  std::lock_guard lock(mutex_);
  return read_docs(db_->stmt("SELECT doc FROM change_sets WHERE stack_id = ?1 ORDER BY rowid").bind_text(1, stack_id), &change_set_from_json);
}

void StackStore::remove_change_set(std::string_view id) {
  std::lock_guard lock(mutex_);
  auto& st = db_->stmt("DELETE FROM change_sets WHERE id = ?1");
  st.bind_text(1, id);
  st.run();
}

void StackStore::add(const StackEvent& event) {
  std::lock_guard lock(mutex_);
  auto& st = db_->stmt("INSERT INTO events (stack_id, doc) VALUES (?1, ?2)");
  st.bind_text(1, event.stack_id).bind_text(2, json::serialize(to_json(event)));
  st.run();
}

std::vector<StackEvent> StackStore::events(std::string_view stack_id) const {
  std::lock_guard lock(mutex_);
  return read_docs(db_->stmt("SELECT doc FROM events WHERE stack_id = ?1 ORDER BY seq DESC").bind_text(1, stack_id), &event_from_json);
}

}  // namespace gust::devcloud::target
