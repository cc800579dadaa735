#include "runtime/sqlite.hpp"

#include <sqlite3.h>

#include <thread>

namespace setpay::runtime {

namespace {
[[noreturn]] void fail(sqlite3* db, int rc, const std::string& what) {
  throw StorageError(rc, "SQLite: " + what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}
constexpr int kBeginAttempts = 5;  // each waits up to busyTimeout inside SQLite first
}  // namespace

bool StorageError::busy() const {
  const int primary = code_ & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// ---- Statement

Statement::~Statement() {
  if (!s_) return;
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}
Statement::Statement(Statement&& other) noexcept : db_(other.db_), s_(other.s_) { other.s_ = nullptr; }

void Statement::check(int rc, const char* what) const {
  if (rc != SQLITE_OK) fail(db_, rc, what);
}
Statement& Statement::bind(int i, std::int64_t v) {
  check(sqlite3_bind_int64(s_, i, v), "bind");
  return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
  check(sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8), "bind");
  return *this;
}
Statement& Statement::bind(int i, protocol::ByteView v) {
  // A zero-length blob must still be a blob, not NULL: give SQLite a valid pointer.
  static constexpr std::uint8_t empty = 0;
  check(sqlite3_bind_blob64(s_, i, v.empty() ? &empty : v.data(), v.size(), SQLITE_TRANSIENT), "bind");
  return *this;
}
Statement& Statement::bindNull(int i) {
  check(sqlite3_bind_null(s_, i), "bind");
  return *this;
}
bool Statement::step() {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, rc, std::string("step: ") + sqlite3_sql(s_));
}
void Statement::run() {
  while (step()) {
  }
}
std::int64_t Statement::integer(int c) const { return sqlite3_column_int64(s_, c); }
std::string Statement::text(int c) const {
  const auto* p = sqlite3_column_text(s_, c);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, c))) : "";
}
protocol::Bytes Statement::blob(int c) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_, c));
  const auto n = static_cast<std::size_t>(sqlite3_column_bytes(s_, c));
  return p ? protocol::Bytes(p, p + n) : protocol::Bytes{};
}
bool Statement::isNull(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }

// ---- Database

struct Database::Cached {
  explicit Cached(sqlite3_stmt* s) : stmt(s) {}
  ~Cached() { sqlite3_finalize(stmt); }
  Cached(const Cached&) = delete;
  Cached& operator=(const Cached&) = delete;
  sqlite3_stmt* stmt;
};

Database::Database(DatabaseOptions o) : options_(std::move(o)) {
  const int rc = sqlite3_open_v2(options_.file.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    throw StorageError(rc, "SQLite: cannot open " + options_.file.string() + ": " + why);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, static_cast<int>(options_.busyTimeout.count()));
  // journal_mode persists in the file; synchronous and foreign_keys are per connection.
  exec("PRAGMA journal_mode=WAL");
  exec(options_.durability == Durability::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  exec("PRAGMA foreign_keys=ON");
}

Database::~Database() {
  cache_.clear();
  sqlite3_close(db_);
}

void Database::exec(std::string_view sql) {
  const std::string s(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string why = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw StorageError(rc, "SQLite: " + why + " (in: " + s.substr(0, 60) + ")");
  }
}

Statement Database::statement(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* s = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc, "prepare " + sql);
    it = cache_.emplace(sql, std::make_unique<Cached>(s)).first;
  }
  return Statement(db_, it->second->stmt);
}

std::int64_t Database::changes() const { return sqlite3_changes64(db_); }

int Database::schemaVersion() {
  exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  Statement s = statement("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  s.step();
  return static_cast<int>(s.integer(0));
}

void Database::migrate(std::span<const Migration> migrations) {
  WriteTransaction tx(*this);
  const int current = schemaVersion();
  const int known = migrations.empty() ? 0 : migrations.back().version;
  if (current > known)
    throw StorageError(SQLITE_ERROR, options_.file.string() + ": schema version " + std::to_string(current) +
                                         " is newer than this program's " + std::to_string(known));
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    exec(m.sql);
    statement("INSERT INTO schema_version (version) VALUES (?)").bind(1, m.version).run();
  }
  tx.commit();
}

std::string Database::integrityCheck() {
  Statement s = statement("PRAGMA integrity_check");
  std::string out;
  while (s.step()) out += (out.empty() ? "" : "; ") + s.text(0);
  return out;
}

// ---- WriteTransaction

WriteTransaction::WriteTransaction(Database& db) : db_(db) {
  for (int attempt = 1;; ++attempt) {
    try {
      db_.exec("BEGIN IMMEDIATE");
      return;
    } catch (const StorageError& e) {
      // WAL can still answer BUSY past the timeout (recovery after a crash, a checkpoint): back off.
      if (!e.busy() || attempt == kBeginAttempts) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * attempt));
    }
  }
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  try {
    db_.exec("ROLLBACK");
  } catch (const StorageError&) {  // nothing left to undo (SQLite already rolled back)
  }
}

void WriteTransaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

void WriteTransaction::rollback() {
  open_ = false;
  db_.exec("ROLLBACK");
}

}  // namespace setpay::runtime
