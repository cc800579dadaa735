// SQLite, RAII: a Database owns one connection (not shared between threads without the caller's own
// lock), Statements are prepared once and cached per connection, WriteTransaction is BEGIN IMMEDIATE
// (takes the write lock up front, so a transaction never fails half-way with SQLITE_BUSY) and rolls
// back unless committed. Every open sets WAL, the busy timeout and the durability asked for:
// `full` (synchronous=FULL, WAL synced at each commit: authorization and capture records survive a
// power loss) or `normal` (survives a process crash). Schema changes are migrations in code, applied
// in order once, recorded in schema_version.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "protocol/bytes.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace setpay::runtime {

class StorageError : public std::runtime_error {
 public:
  StorageError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }  // SQLite's extended result code
  bool busy() const;                  // SQLITE_BUSY / SQLITE_LOCKED: retry later

 private:
  int code_;
};

enum class Durability { full, normal };

struct DatabaseOptions {
  std::filesystem::path file;
  Durability durability = Durability::full;
  std::chrono::milliseconds busyTimeout{5000};
};

// A prepared statement in use: reset (and unbound) when this handle goes, so that no half-read query
// keeps a read snapshot open on the connection. Two handles of the same SQL must not be alive at once.
class Statement {
 public:
  ~Statement();
  Statement(Statement&&) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  Statement& bind(int index, std::int64_t);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, protocol::ByteView blob);
  Statement& bindNull(int index);
  bool step();  // true: a row is ready; false: done
  void run();   // step() to the end, for statements without rows

  std::int64_t integer(int column) const;
  std::string text(int column) const;
  protocol::Bytes blob(int column) const;
  bool isNull(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  void check(int rc, const char* what) const;
  sqlite3* db_;
  sqlite3_stmt* s_;
};

struct Migration {
  int version;      // 1, 2, 3 … in order
  const char* sql;  // one or more statements
};

class Database {
 public:
  explicit Database(DatabaseOptions);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);
  // A cached prepared statement, ready to bind and step.
  Statement statement(const std::string& sql);
  std::int64_t changes() const;

  // Applies the migrations newer than schema_version in one write transaction. Refuses a database
  // written by a newer schema than this program knows.
  void migrate(std::span<const Migration>);
  int schemaVersion();
  std::string integrityCheck();  // "ok" when healthy

  const DatabaseOptions& options() const { return options_; }

 private:
  struct Cached;
  DatabaseOptions options_;
  sqlite3* db_ = nullptr;
  std::map<std::string, std::unique_ptr<Cached>> cache_;
};

class WriteTransaction {
 public:
  explicit WriteTransaction(Database&);  // BEGIN IMMEDIATE, retried while the database is busy
  ~WriteTransaction();                   // rolls back unless committed
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();
  void rollback();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace setpay::runtime
