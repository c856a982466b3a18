#pragma once
// A thin SQLite 3 wrapper for the local services: one connection per service
// database, WAL journal, cached prepared statements, RAII transactions.
//
// Durability: WAL with synchronous=NORMAL. A committed transaction is in the
// WAL file (written with write(2), so in the OS's page cache) before the call
// returns, so it survives kill -9 of the process: what the local cloud
// promises (docs/local-cloud.md). Only a power cut may lose the last commits,
// and the database stays consistent even then, at a fraction of
// synchronous=FULL's fsync per write.
//
// Checkpoints (copying the WAL back into the database, with its two fsyncs)
// run on a thread of their own through a second connection, not inside a
// request's COMMIT as SQLite's automatic checkpoint would: on a busy disk a
// checkpoint takes milliseconds, which showed as the tail of PutItem. Only
// when writes come without a pause, so that the thread never catches the
// last frame and the WAL is never started over, does the writer finish the
// job itself, past 8,192 frames (Db::open).
//
// One process per state folder: a lock file (`PATH.lock`, flock) makes a
// second `gust dev` on the same folder fail at start instead of
// interleaving writes. The database itself opens through SQLite's
// "unix-excl" VFS (see sqlite_db.cpp): no lock calls per transaction.
//
// Not thread-safe by itself: each service guards its Db with a mutex.
// Failures throw SqliteError; services turn it into a 500 InternalFailure.

#include <gust/result.hpp>

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

struct sqlite3;
struct sqlite3_stmt;

namespace gust::localaws {

class SqliteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One prepared statement. Bind indices start at 1, columns at 0.
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(Stmt&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;

  Stmt& bind(int index, std::int64_t value);
  Stmt& bind(int index, double value);
  Stmt& bind_text(int index, std::string_view value);
  Stmt& bind_blob(int index, std::string_view value);
  Stmt& bind_null(int index);

  // Steps once: true when a row is ready, false when done.
  bool step();
  // Runs to completion (INSERT/UPDATE/DELETE).
  void run();
  void reset();

  std::int64_t column_int(int index) const;
  double column_double(int index) const;
  std::string column_text(int index) const;  // text or blob bytes
  bool column_is_null(int index) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  // Opens (creating) `path` in WAL mode and runs `schema` (CREATE ... IF NOT EXISTS).
  static Result<std::unique_ptr<Db>> open(const std::string& path, std::string_view schema);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);
  // A statement prepared once and kept (keyed by its text): reset, with
  // bindings cleared, on each use. Finish with one before asking for it again.
  Stmt& stmt(std::string_view sql);
  std::int64_t changes() const;
  // Inside BEGIN ... COMMIT (not autocommit).
  bool in_transaction() const;
  const std::string& path() const { return path_; }

 private:
  Db() = default;
  void checkpoint_loop();
  sqlite3* db_ = nullptr;
  std::string path_;
  int lock_fd_ = -1;
  std::map<std::string, std::unique_ptr<Stmt>, std::less<>> cache_;
  // The checkpointer: its own connection and thread.
  sqlite3* checkpointer_ = nullptr;
  std::thread checkpoint_thread_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool stopping_ = false;
  friend class Transaction;
};

// A service's database: `file` in `state_dir`, the folder created if missing.
Result<std::unique_ptr<Db>> open_state_db(const std::filesystem::path& state_dir, std::string_view file, std::string_view schema);

// BEGIN IMMEDIATE on construction; ROLLBACK unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace gust::localaws
