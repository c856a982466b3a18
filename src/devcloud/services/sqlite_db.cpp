#include "devcloud/services/sqlite_db.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace gust::localaws {

namespace {
[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw SqliteError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// SQLite's "unix-excl" VFS: the process takes the file lock once and keeps
// it, and the WAL index lives in this process's memory instead of a -shm
// file, so a transaction costs no fcntl lock calls (six per write with the
// default VFS, a fifth of a small PutItem's time in SQLite). Connections in
// this process (the checkpointer) still share the database; other processes
// cannot open it while we run, which the lock file already refuses them.
const char* exclusive_vfs() { return sqlite3_vfs_find("unix-excl") ? "unix-excl" : nullptr; }
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
  const std::string lock_path = path + ".lock";
  db->lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (db->lock_fd_ < 0) return unexpected(ErrorCode::unavailable, std::string("cannot open the lock file: ") + std::strerror(errno), lock_path);
  if (::flock(db->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return unexpected(ErrorCode::unavailable, "another process holds this state (is a gust dev already running on this folder?)", path);
  }
  const char* vfs = exclusive_vfs();
  const int rc = sqlite3_open_v2(path.c_str(), &db->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, vfs);
  if (rc != SQLITE_OK) {
    std::string msg = db->db_ ? sqlite3_errmsg(db->db_) : "out of memory";
    return unexpected(ErrorCode::unavailable, "cannot open database: " + msg, path);
  }
  try {
    sqlite3_busy_timeout(db->db_, 5000);
    db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA synchronous=NORMAL");
    // The checkpointer thread copies the WAL back (see the header), but under
    // writes without a pause its PASSIVE checkpoint never catches the last
    // frame, so the WAL is never started over. Past 8192 frames (32 MB) the
    // writer finishes the job itself: the few frames the thread left and two
    // fsyncs, once per 4,000-8,000 sustained PutItems.
    db->exec("PRAGMA wal_autocheckpoint=8192");
    db->exec("PRAGMA foreign_keys=ON");
    db->exec(schema);
  } catch (const SqliteError& e) {
    return unexpected(ErrorCode::unavailable, e.what(), path);
  }
  if (sqlite3_open_v2(path.c_str(), &db->checkpointer_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, vfs) != SQLITE_OK) {
    return unexpected(ErrorCode::unavailable, "cannot open the checkpoint connection", path);
  }
  sqlite3_busy_timeout(db->checkpointer_, 5000);
  // A connection learns the database is in WAL mode on its first read; until
  // then sqlite3_wal_checkpoint_v2 returns SQLITE_OK having done nothing, and
  // the WAL grew without bound (600 MB after 60,000 PutItems).
  if (sqlite3_exec(db->checkpointer_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return unexpected(ErrorCode::unavailable, std::string("cannot read through the checkpoint connection: ") + sqlite3_errmsg(db->checkpointer_), path);
  }
  Db* raw = db.get();
  db->checkpoint_thread_ = std::thread([raw] { raw->checkpoint_loop(); });
  return db;
}

// Copies new WAL frames back into the database five times a second, beside
// the requests: a PASSIVE checkpoint never waits for the writer, and the
// writer never waits for it (a fully copied WAL is started over by the next
// write, so it stays small).
void Db::checkpoint_loop() {
  std::unique_lock lock(checkpoint_mu_);
  while (!stopping_) {
    checkpoint_cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    sqlite3_wal_checkpoint_v2(checkpointer_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
  }
}

Result<std::unique_ptr<Db>> open_state_db(const std::filesystem::path& state_dir, std::string_view file, std::string_view schema) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) return unexpected(ErrorCode::unavailable, "cannot create the state folder: " + ec.message(), state_dir.string());
  return Db::open((state_dir / file).string(), schema);
}

Db::~Db() {
  {
    std::lock_guard lock(checkpoint_mu_);
    stopping_ = true;
  }
  checkpoint_cv_.notify_all();
  if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
  if (checkpointer_) sqlite3_close_v2(checkpointer_);
  cache_.clear();
  if (db_) sqlite3_close_v2(db_);  // the last connection checkpoints what is left
  if (lock_fd_ >= 0) ::close(lock_fd_);
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

bool Db::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

// BEGIN/COMMIT as cached statements: sqlite3_exec would parse them on every
// request, a measurable part of a small PutItem.
Transaction::Transaction(Db& db) : db_(db) { db_.stmt("BEGIN IMMEDIATE").run(); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.stmt("ROLLBACK").run();
    } catch (const SqliteError&) {
      // Nothing to roll back (the statement already ended the transaction).
    }
  }
}

void Transaction::commit() {
  db_.stmt("COMMIT").run();
  done_ = true;
}

}  // namespace gust::localaws
