#pragma once
// CloudWatch Logs for deployed functions: log groups, streams and events in
// SQLite (`logs.sqlite`), and FilterLogEvents' search (time range, plain
// text terms, pages).

#include <gust/result.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gust::localaws {
class Db;
}

namespace gust::devcloud::target {

struct LogEvent {
  std::int64_t id = 0;
  std::string group;
  std::string stream;
  std::int64_t timestamp_ms = 0;
  std::int64_t ingestion_ms = 0;
  std::string message;
};

struct LogFilter {
  std::string group;
  std::vector<std::string> streams;  // empty: all
  std::optional<std::int64_t> start_ms, end_ms;
  std::string pattern;  // terms that must all appear; "quoted phrases" kept whole
  std::int64_t after_id = 0;  // the page token
  int limit = 10000;
};

struct LogPage {
  std::vector<LogEvent> events;
  std::vector<std::string> streams;  // searched
  std::optional<std::int64_t> next_after_id;
};

class LogStore {
 public:
  static Result<std::unique_ptr<LogStore>> open(const std::filesystem::path& state_dir);
  ~LogStore();

  void create_group(const std::string& group, int retention_days = 0);
  void delete_group(const std::string& group);
  bool has_group(const std::string& group) const;
  void append(const std::string& group, const std::string& stream, std::int64_t timestamp_ms, std::string_view message);
  Result<LogPage> filter(const LogFilter& filter) const;

 private:
  explicit LogStore(std::unique_ptr<localaws::Db> db);
  std::unique_ptr<localaws::Db> db_;
  mutable std::mutex mutex_;
};

// Whether `message` matches a plain-text filter pattern: every term appears
// (case-sensitive, as CloudWatch matches); an empty pattern matches all.
bool matches_filter_pattern(std::string_view pattern, std::string_view message);

}  // namespace gust::devcloud::target
