#include "devcloud/services/sqlite_db.hpp"

#include <sqlite3.h>

namespace gust::localaws {

namespace {
[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw SqliteError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}
}  // namespace

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
    fail(db, "sqlite prepare");
  }
}

Stmt::~Stmt() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Stmt& Stmt::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "sqlite bind");
  return *this;
}
Stmt& Stmt::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) fail(db_, "sqlite bind");
  return *this;
}
Stmt& Stmt::bind_text(int index, std::string_view value) {
  if (sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK) fail(db_, "sqlite bind");
  return *this;
}
Stmt& Stmt::bind_blob(int index, std::string_view value) {
  // A zero-length blob must still be a blob, not NULL: data() may be null.
  static const char kEmpty = 0;
  const void* data = value.empty() ? &kEmpty : value.data();
  if (sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT) != SQLITE_OK) fail(db_, "sqlite bind");
  return *this;
}
Stmt& Stmt::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_, "sqlite bind");
  return *this;
}

bool Stmt::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "sqlite step");
}

void Stmt::run() {
  while (step()) {
  }
}

void Stmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Stmt::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }
double Stmt::column_double(int index) const { return sqlite3_column_double(stmt_, index); }
std::string Stmt::column_text(int index) const {
  const void* data = sqlite3_column_blob(stmt_, index);
  const int size = sqlite3_column_bytes(stmt_, index);
  if (!data || size <= 0) return {};
  return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}
bool Stmt::column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

Result<std::unique_ptr<Db>> Db::open(const std::string& path, std::string_view schema) {
  std::unique_ptr<Db> db(new Db());
  db->path_ = path;
  const int rc = sqlite3_open_v2(path.c_str(), &db->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db->db_ ? sqlite3_errmsg(db->db_) : "out of memory";
    return unexpected(ErrorCode::unavailable, "cannot open database: " + msg, path);
  }
  try {
    sqlite3_busy_timeout(db->db_, 5000);
    // One process owns a state folder: holding the lock for good saves two
    // fcntl calls per transaction and makes a second `gust dev` on the same
    // folder fail at start instead of interleaving writes.
    db->exec("PRAGMA locking_mode=EXCLUSIVE");
    db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA synchronous=NORMAL");
    db->exec("PRAGMA foreign_keys=ON");
    db->exec(schema);
  } catch (const SqliteError& e) {
    const std::string what = e.what();
    if (what.find("locked") != std::string::npos || what.find("busy") != std::string::npos) {
      return unexpected(ErrorCode::unavailable, "another process holds this state (is a gust dev already running on this folder?)", path);
    }
    return unexpected(ErrorCode::unavailable, what, path);
  }
  return db;
}

Db::~Db() {
  cache_.clear();
  if (db_) sqlite3_close_v2(db_);
}

void Db::exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw SqliteError("sqlite exec: " + msg);
  }
}

Stmt& Db::stmt(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) it = cache_.emplace(std::string(sql), std::make_unique<Stmt>(db_, sql)).first;
  it->second->reset();
  return *it->second;
}

std::int64_t Db::changes() const { return sqlite3_changes64(db_); }

Transaction::Transaction(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (const SqliteError&) {
      // Nothing to roll back (the statement already ended the transaction).
    }
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace gust::localaws
