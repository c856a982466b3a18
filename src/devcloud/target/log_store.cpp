#include "devcloud/target/log_store.hpp"

#include "devcloud/services/aws_common.hpp"
#include "devcloud/services/sqlite_db.hpp"

#include <fmt/format.h>

#include <set>

namespace gust::devcloud::target {
namespace {

constexpr std::string_view kSchema = R"(
CREATE TABLE IF NOT EXISTS log_groups (name TEXT PRIMARY KEY, created_ms INTEGER NOT NULL, retention_days INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS log_events (id INTEGER PRIMARY KEY AUTOINCREMENT, grp TEXT NOT NULL, stream TEXT NOT NULL,
  timestamp_ms INTEGER NOT NULL, ingestion_ms INTEGER NOT NULL, message TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS log_events_by_group ON log_events (grp, id);
)";

std::vector<std::string> pattern_terms(std::string_view pattern) {
  std::vector<std::string> terms;
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == ' ' || pattern[i] == '\t') {
      ++i;
    } else if (pattern[i] == '"') {
      const auto close = pattern.find('"', i + 1);
      terms.emplace_back(pattern.substr(i + 1, close == std::string_view::npos ? std::string_view::npos : close - i - 1));
      i = close == std::string_view::npos ? pattern.size() : close + 1;
    } else {
      const auto end = pattern.find_first_of(" \t", i);
      terms.emplace_back(pattern.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
      i = end == std::string_view::npos ? pattern.size() : end;
    }
  }
  return terms;
}

}  // namespace

bool matches_filter_pattern(std::string_view pattern, std::string_view message) {
  for (const auto& term : pattern_terms(pattern)) {
    if (!term.empty() && message.find(term) == std::string_view::npos) return false;
  }
  return true;
}

LogStore::LogStore(std::unique_ptr<localaws::Db> db) : db_(std::move(db)) {}
LogStore::~LogStore() = default;

Result<std::unique_ptr<LogStore>> LogStore::open(const std::filesystem::path& state_dir) {
  auto db = localaws::open_state_db(state_dir, "logs.sqlite", kSchema);
  if (!db) return Unexpected{std::move(db).error()};
  return std::unique_ptr<LogStore>(new LogStore(std::move(*db)));
}

void LogStore::create_group(const std::string& group, int retention_days) {
  std::lock_guard lock(mutex_);
  auto& st = db_->stmt("INSERT OR IGNORE INTO log_groups (name, created_ms, retention_days) VALUES (?1, ?2, ?3)");
  st.bind_text(1, group).bind(2, localaws::now_ms()).bind(3, std::int64_t{retention_days});
  st.run();
}

void LogStore::delete_group(const std::string& group) {
  std::lock_guard lock(mutex_);
  localaws::Transaction tx(*db_);
  db_->stmt("DELETE FROM log_groups WHERE name = ?1").bind_text(1, group).run();
  db_->stmt("DELETE FROM log_events WHERE grp = ?1").bind_text(1, group).run();
  tx.commit();
}

bool LogStore::has_group(const std::string& group) const {
  std::lock_guard lock(mutex_);
  auto& st = db_->stmt("SELECT 1 FROM log_groups WHERE name = ?1");
  st.bind_text(1, group);
  const bool found = st.step();
  st.reset();
  return found;
}

void LogStore::append(const std::string& group, const std::string& stream, std::int64_t timestamp_ms, std::string_view message) {
  std::lock_guard lock(mutex_);
  // A function logging to a group nobody created gets it, as Lambda's role with logs:CreateLogGroup would.
  db_->stmt("INSERT OR IGNORE INTO log_groups (name, created_ms, retention_days) VALUES (?1, ?2, 0)").bind_text(1, group).bind(2, timestamp_ms).run();
  auto& st = db_->stmt("INSERT INTO log_events (grp, stream, timestamp_ms, ingestion_ms, message) VALUES (?1, ?2, ?3, ?4, ?5)");
  st.bind_text(1, group).bind_text(2, stream).bind(3, timestamp_ms).bind(4, localaws::now_ms()).bind_text(5, message);
  st.run();
}

Result<LogPage> LogStore::filter(const LogFilter& f) const {
  std::lock_guard lock(mutex_);
  {
    auto& st = db_->stmt("SELECT 1 FROM log_groups WHERE name = ?1");
    st.bind_text(1, f.group);
    const bool found = st.step();
    st.reset();
    if (!found) return unexpected(ErrorCode::not_found, "The specified log group does not exist.");
  }
  const std::set<std::string> wanted(f.streams.begin(), f.streams.end());
  LogPage page;
  std::set<std::string> searched;
  auto& st = db_->stmt(
      "SELECT id, stream, timestamp_ms, ingestion_ms, message FROM log_events WHERE grp = ?1 AND id > ?2 AND timestamp_ms >= ?3 "
      "AND timestamp_ms <= ?4 ORDER BY timestamp_ms, id");
  st.bind_text(1, f.group).bind(2, f.after_id).bind(3, f.start_ms.value_or(0)).bind(4, f.end_ms.value_or(INT64_MAX));
  while (st.step()) {
    LogEvent e{st.column_int(0), f.group, st.column_text(1), st.column_int(2), st.column_int(3), st.column_text(4)};
    if (!wanted.empty() && !wanted.contains(e.stream)) continue;
    searched.insert(e.stream);
    if (!matches_filter_pattern(f.pattern, e.message)) continue;
    if (static_cast<int>(page.events.size()) == f.limit) {
      page.next_after_id = page.events.back().id;
      break;
    }
    page.events.push_back(std::move(e));
  }
  st.reset();
  page.streams.assign(searched.begin(), searched.end());
  return page;
}

}  // namespace gust::devcloud::target
