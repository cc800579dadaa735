// The SQLite wrapper: migrations once and in order, BEGIN IMMEDIATE with rollback unless committed,
// a busy database waited for then refused, WAL and synchronous=FULL on every connection.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <thread>

#include "runtime/sqlite.hpp"
#include "tests/support/scratch.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::runtime {
namespace {

using namespace std::chrono_literals;

constexpr Migration kSchema[] = {{1, "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)"},
                                 {2, "ALTER TABLE t ADD COLUMN w BLOB"}};

std::int64_t count(Database& db) {
  auto s = db.statement("SELECT COUNT(*) FROM t");
  s.step();
  return s.integer(0);
}

TEST(Sqlite, MigrationsApplyOnceInOrderAndANewerSchemaIsRefused) {
  test_support::TempDir dir("setpay-sqlite");
  {
    Database db({dir.path() / "a.db"});
    db.migrate(std::span(kSchema).first(1));
    EXPECT_EQ(db.schemaVersion(), 1);
    db.migrate(kSchema);
    db.migrate(kSchema);  // nothing left to do
    EXPECT_EQ(db.schemaVersion(), 2);
    db.statement("INSERT INTO t (k, v, w) VALUES (1, 'one', ?)").bind(1, protocol::ByteView()).run();
  }
  Database db({dir.path() / "a.db"});
  const auto newer = test_support::thrown<StorageError>([&] { db.migrate(std::span(kSchema).first(1)); });
  ASSERT_TRUE(newer.has_value());  // written by a newer program
  EXPECT_EQ(newer->code(), SQLITE_ERROR);
  EXPECT_EQ(std::string(newer->what()), (dir.path() / "a.db").string() + ": schema version 2 is newer than this program's 1");
  auto s = db.statement("SELECT v, typeof(w) FROM t WHERE k = 1");
  ASSERT_TRUE(s.step());
  EXPECT_EQ(s.text(0), "one");
  EXPECT_EQ(s.text(1), "blob");  // an empty blob stays a blob
}

TEST(Sqlite, EveryConnectionIsWalWithTheDurabilityAsked) {
  test_support::TempDir dir("setpay-sqlite");
  Database full({dir.path() / "a.db", Durability::full});
  Database normal({dir.path() / "a.db", Durability::normal});
  auto pragma = [](Database& db, const char* sql) {
    auto s = db.statement(sql);
    s.step();
    return s.text(0);
  };
  EXPECT_EQ(pragma(full, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(pragma(full, "PRAGMA synchronous"), "2");
  EXPECT_EQ(pragma(normal, "PRAGMA synchronous"), "1");
  EXPECT_EQ(full.integrityCheck(), "ok");
}

TEST(Sqlite, AWriteTransactionRollsBackUnlessCommitted) {
  test_support::TempDir dir("setpay-sqlite");
  Database db({dir.path() / "a.db"});
  db.migrate(kSchema);
  {
    WriteTransaction tx(db);
    db.statement("INSERT INTO t (k, v) VALUES (1, 'kept')").run();
    tx.commit();
  }
  {
    WriteTransaction tx(db);
    db.statement("INSERT INTO t (k, v) VALUES (2, 'dropped')").run();
  }  // no commit: an exception path
  EXPECT_EQ(count(db), 1);
  const auto duplicate =  // constraints hold
      test_support::thrown<StorageError>([&] { db.statement("INSERT INTO t (k, v) VALUES (1, 'again')").run(); });
  ASSERT_TRUE(duplicate.has_value());
  EXPECT_EQ(duplicate->code(), SQLITE_CONSTRAINT_PRIMARYKEY);
  EXPECT_FALSE(duplicate->busy());
  EXPECT_EQ(std::string(duplicate->what()),
            "SQLite: step: INSERT INTO t (k, v) VALUES (1, 'again'): UNIQUE constraint failed: t.k");
}

TEST(Sqlite, ABusyDatabaseIsWaitedForThenRefusedAsBusy) {
  test_support::TempDir dir("setpay-sqlite");
  Database holder({dir.path() / "a.db"});
  holder.migrate(kSchema);
  Database waiter({dir.path() / "a.db", Durability::full, 50ms});
  auto tx = std::make_unique<WriteTransaction>(holder);
  const auto start = std::chrono::steady_clock::now();
  try {
    WriteTransaction second(waiter);
    FAIL() << "two write transactions at once";
  } catch (const StorageError& e) {
    EXPECT_TRUE(e.busy()) << e.what();
    EXPECT_EQ(e.code(), SQLITE_BUSY);  // another writer, not a recovery or a stale snapshot
    EXPECT_EQ(std::string(e.what()), "SQLite: database is locked (in: BEGIN IMMEDIATE)");
  }
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 200ms);  // several attempts of 50 ms each, with back-off
  EXPECT_LT(waited, 3s);
  // Released meanwhile: the waiter gets through.
  std::thread release([&] {
    std::this_thread::sleep_for(30ms);
    tx->commit();
  });
  Database patient({dir.path() / "a.db", Durability::full, 2000ms});
  WriteTransaction third(patient);
  patient.statement("INSERT INTO t (k, v) VALUES (5, 'after the wait')").run();
  third.commit();
  release.join();
  EXPECT_EQ(count(holder), 1);
}

}  // namespace
}  // namespace setpay::runtime
