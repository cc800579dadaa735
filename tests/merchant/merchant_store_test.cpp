// The MerchantStore contract (merchant/merchant_store.hpp), one suite run against every backend: the
// in-memory store and SqliteMerchantStore. Values read back equal (every PurchaseState alternative),
// replaceTransaction is a compare-and-set (also across two connections to one database file, as two
// merchant processes would share it), removeAbandoned removes exactly what the contract names.
// SQLite only: the records survive closing and reopening the database, and the capture records.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "merchant/payment_response.hpp"
#include "merchant/service/merchant_schema.hpp"
#include "merchant/service/sqlite_merchant_store.hpp"
#include "protocol/random.hpp"
#include "tests/support/scratch.hpp"

namespace setpay::merchant {
namespace {

using namespace std::chrono_literals;
using protocol::Bytes;

// Fresh random bytes (one generator per thread: the racing tests build states in several threads).
struct Rng {
  Bytes bytes(std::size_t n) {
    thread_local protocol::SystemRandom r;
    return r.bytes(n);
  }
} rng;
const protocol::TimePoint kT0 = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

protocol::CurrencyAmount eur(std::int64_t cents) { return {978, cents, -2}; }

Transaction transaction(protocol::TimePoint opened = kT0) {
  Transaction t;
  t.transIDs.lidC = rng.bytes(16);
  t.transIDs.lidM = rng.bytes(16);
  t.transIDs.xid = rng.bytes(protocol::limits::nonce);
  t.transIDs.pReqDate = opened;
  t.transIDs.language = "en";
  t.order = Order{"1 x SET Book 2", eur(4250), std::string("fr")};
  t.brandID = "SETPAY";
  t.challM = rng.bytes(protocol::limits::nonce);
  t.opened = opened;
  return t;
}

Authorizing authorizing() {
  protocol::MessageHeader h;
  h.date = kT0;
  h.rrpid = rng.bytes(protocol::limits::nonce);
  h.messageIDs = protocol::MessageIDs{rng.bytes(16), rng.bytes(16), rng.bytes(protocol::limits::nonce)};
  h.swIdent = "setpay-wallet/test";
  return Authorizing{h, rng.bytes(20), rng.bytes(20), rng.bytes(20), rng.bytes(900)};
}

Answered answered(protocol::AuthCode code, bool withCapture) {
  Authorization a;
  a.authRRPID = rng.bytes(20);
  a.authCode = code;
  a.approvalCode = "A1B2C3";
  a.respReason = 7;
  a.authAmt = eur(4250);
  a.capToken = protocol::CapToken{protocol::CapToken::Kind::enc, rng.bytes(300)};
  if (withCapture) a.capture = protocol::CapResPayload{protocol::CapCode::success, eur(4250), 12, 3, {}};
  return Answered{a, paymentResponse(a, a.capture, eur(4250), kT0)};
}

std::vector<PurchaseState> everyState() {
  return {AwaitingPReq{},
          Superseded{},
          authorizing(),
          answered(protocol::AuthCode::approved, false),
          answered(protocol::AuthCode::declined, true),
          Rejected{rejection(protocol::AuthCode::signatureRequired, kT0)},
          Failed{protocol::ErrorCode::messageTooOld}};
}

// A backend for the typed suite.
struct InMemory {
  InMemoryMerchantStore store;
};
struct Sqlite {
  test_support::TempDir dir{"merchant-store"};
  std::unique_ptr<runtime::Database> db =
      openMerchantDatabase({dir.path() / "merchant.db", runtime::Durability::normal, 5000ms});
  SqliteMerchantStore store{*db};
};

template <class B>
class MerchantStoreContract : public ::testing::Test {
 protected:
  B backend;
  MerchantStore& store() { return backend.store; }
};
using Backends = ::testing::Types<InMemory, Sqlite>;
class BackendNames {
 public:
  template <class T>
  static std::string GetName(int) {
    return std::is_same_v<T, InMemory> ? "InMemory" : "Sqlite";
  }
};
TYPED_TEST_SUITE(MerchantStoreContract, Backends, BackendNames);

TYPED_TEST(MerchantStoreContract, OrdersReadBackEqualAndAreReplacedByLidM) {
  OfferedOrder o{rng.bytes(16), Order{"a book", eur(100), std::nullopt}, kT0, std::nullopt};
  EXPECT_FALSE(this->store().findOrder(o.lidM));
  this->store().saveOrder(o);
  EXPECT_EQ(this->store().findOrder(o.lidM), o);
  o.xid = rng.bytes(20);
  o.order.language = "de";
  this->store().saveOrder(o);
  EXPECT_EQ(this->store().findOrder(o.lidM), o);
}

TYPED_TEST(MerchantStoreContract, EveryPurchaseStateReadsBackEqual) {
  for (const auto& state : everyState()) {
    Transaction t = transaction();
    t.cardholderThumb = state.index() % 2 ? std::optional<Bytes>(rng.bytes(32)) : std::nullopt;
    t.state = state;
    this->store().saveTransaction(t);
    const auto back = this->store().findTransaction(t.transIDs.xid);
    ASSERT_TRUE(back) << "state " << state.index();
    EXPECT_EQ(*back, t) << "state " << state.index();
    EXPECT_EQ(back->stateKind(), stateOf(state));
  }
  EXPECT_FALSE(this->store().findTransaction(rng.bytes(20)));
}

TYPED_TEST(MerchantStoreContract, ReplaceTransactionIsACompareAndSetOnTheState) {
  Transaction t = transaction();
  this->store().saveTransaction(t);
  Transaction next = t;
  next.state = authorizing();
  EXPECT_FALSE(this->store().replaceTransaction(next, TransactionState::superseded));
  EXPECT_EQ(this->store().findTransaction(t.transIDs.xid), t) << "a failed compare-and-set changed the record";
  EXPECT_TRUE(this->store().replaceTransaction(next, TransactionState::awaitingPReq));
  EXPECT_EQ(this->store().findTransaction(t.transIDs.xid), next);
  // Chall-M is consumed once: the same replace again fails.
  EXPECT_FALSE(this->store().replaceTransaction(next, TransactionState::awaitingPReq));
  Transaction settled = next;
  settled.state = answered(protocol::AuthCode::approved, false);
  EXPECT_TRUE(this->store().replaceTransaction(settled, TransactionState::authorizing));
  EXPECT_TRUE(this->store().findTransaction(t.transIDs.xid)->paid());
  // None stored: false, and nothing inserted.
  const Transaction absent = transaction();
  EXPECT_FALSE(this->store().replaceTransaction(absent, TransactionState::awaitingPReq));
  EXPECT_FALSE(this->store().findTransaction(absent.transIDs.xid));
}

TYPED_TEST(MerchantStoreContract, RacingReplacesOfOneTransactionSucceedOnce) {
  for (int round = 0; round < 20; ++round) {
    Transaction t = transaction();
    this->store().saveTransaction(t);
    std::atomic<int> won{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
      threads.emplace_back([&] {
        Transaction next = t;
        next.state = authorizing();
        if (this->store().replaceTransaction(next, TransactionState::awaitingPReq)) ++won;
      });
    for (auto& th : threads) th.join();
    EXPECT_EQ(won.load(), 1);
  }
}

TYPED_TEST(MerchantStoreContract, RemoveAbandonedRemovesOnlyUnpaidOldRecords) {
  const auto old = kT0 - 2h, recent = kT0;
  auto put = [&](PurchaseState s, protocol::TimePoint opened) {
    Transaction t = transaction(opened);
    t.state = std::move(s);
    this->store().saveTransaction(t);
    return t.transIDs.xid;
  };
  const Bytes oldAwaiting = put(AwaitingPReq{}, old), oldSuperseded = put(Superseded{}, old);
  const Bytes recentAwaiting = put(AwaitingPReq{}, recent), oldAuthorizing = put(authorizing(), old),
              oldAnswered = put(answered(protocol::AuthCode::approved, false), old), oldFailed = put(Failed{}, old);
  auto order = [&](protocol::TimePoint offered, std::optional<Bytes> xid) {
    OfferedOrder o{rng.bytes(16), Order{"x", eur(1), std::nullopt}, offered, std::move(xid)};
    this->store().saveOrder(o);
    return o.lidM;
  };
  const Bytes oldNoXid = order(old, std::nullopt), oldGoneXid = order(old, oldAwaiting),
              oldPaid = order(old, oldAnswered), recentNoXid = order(recent, std::nullopt),
              oldUnknownXid = order(old, rng.bytes(20));

  EXPECT_EQ(this->store().removeAbandoned(kT0 - 1h, kT0 - 1h), 2u + 3u);
  EXPECT_FALSE(this->store().findTransaction(oldAwaiting));
  EXPECT_FALSE(this->store().findTransaction(oldSuperseded));
  for (const auto& kept : {recentAwaiting, oldAuthorizing, oldAnswered, oldFailed})
    EXPECT_TRUE(this->store().findTransaction(kept));
  EXPECT_FALSE(this->store().findOrder(oldNoXid));
  EXPECT_FALSE(this->store().findOrder(oldGoneXid)) << "its transaction went in the same call";
  EXPECT_FALSE(this->store().findOrder(oldUnknownXid));
  EXPECT_TRUE(this->store().findOrder(oldPaid));
  EXPECT_TRUE(this->store().findOrder(recentNoXid));
  EXPECT_EQ(this->store().removeAbandoned(kT0 - 1h, kT0 - 1h), 0u);
}

// ---- SQLite only

TEST(SqliteMerchantStore, RecordsSurviveReopeningAndTheSchemaIsVersioned) {
  test_support::TempDir dir("merchant-store");
  const runtime::DatabaseOptions options{dir.path() / "merchant.db", runtime::Durability::full, 5000ms};
  std::vector<Transaction> saved;
  {
    auto db = openMerchantDatabase(options);
    SqliteMerchantStore store(*db);
    for (const auto& s : everyState()) {
      saved.push_back(transaction());
      saved.back().state = s;
      store.saveTransaction(saved.back());
    }
  }
  auto db = openMerchantDatabase(options);
  EXPECT_EQ(db->schemaVersion(), static_cast<int>(merchantSchema().size()));
  EXPECT_EQ(db->integrityCheck(), "ok");
  SqliteMerchantStore store(*db);
  for (const auto& t : saved) EXPECT_EQ(store.findTransaction(t.transIDs.xid), t);
  const auto counts = store.countByState();
  for (std::size_t k = 0; k < counts.size(); ++k) EXPECT_EQ(counts[k], k == 3 ? 2 : 1) << "state " << k;
}

TEST(SqliteMerchantStore, CompareAndSetHoldsAcrossTwoConnections) {
  test_support::TempDir dir("merchant-store");
  const runtime::DatabaseOptions options{dir.path() / "merchant.db", runtime::Durability::normal, 5000ms};
  auto dbA = openMerchantDatabase(options), dbB = openMerchantDatabase(options);
  SqliteMerchantStore a(*dbA), b(*dbB);
  for (int round = 0; round < 20; ++round) {
    Transaction t = transaction();
    a.saveTransaction(t);
    std::atomic<int> won{0};
    Transaction nextA = t, nextB = t;
    nextA.state = authorizing();
    nextB.state = Rejected{rejection(protocol::AuthCode::signatureRequired, kT0)};
    std::thread ta([&] { won += a.replaceTransaction(nextA, TransactionState::awaitingPReq); });
    std::thread tb([&] { won += b.replaceTransaction(nextB, TransactionState::awaitingPReq); });
    ta.join();
    tb.join();
    EXPECT_EQ(won.load(), 1);
    const auto stored = b.findTransaction(t.transIDs.xid);
    EXPECT_TRUE(stored == nextA || stored == nextB);
  }
}

TEST(SqliteMerchantStore, UncapturedListsApprovedAuthorizationsUntilACapResIsRecorded) {
  test_support::TempDir dir("merchant-store");
  auto db = openMerchantDatabase({dir.path() / "merchant.db", runtime::Durability::normal, 5000ms});
  SqliteMerchantStore store(*db);
  Transaction approved = transaction(), declined = transaction(), capturedNow = transaction();
  approved.state = answered(protocol::AuthCode::approved, false);
  declined.state = answered(protocol::AuthCode::declined, false);
  capturedNow.state = answered(protocol::AuthCode::approved, true);
  for (const auto* t : {&approved, &declined, &capturedNow}) store.saveTransaction(*t);
  auto list = store.uncaptured(10);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0], approved);

  const CaptureRecord sent{approved.transIDs.xid, rng.bytes(20), rng.bytes(700), std::nullopt, std::nullopt, std::nullopt};
  store.captureSent(sent);
  store.captureSent(CaptureRecord{approved.transIDs.xid, rng.bytes(20), rng.bytes(10), {}, {}, {}});  // first one kept
  EXPECT_EQ(store.findCapture(approved.transIDs.xid), sent);
  EXPECT_EQ(store.uncaptured(10).size(), 1u) << "sent but unanswered: still to capture (same CapReq again)";
  const Bytes capRes = rng.bytes(500);
  store.captureAnswered(approved.transIDs.xid, capRes, protocol::CapCode::success, eur(4250));
  EXPECT_TRUE(store.uncaptured(10).empty());
  const auto rec = store.findCapture(approved.transIDs.xid);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->capRes, capRes);
  EXPECT_EQ(rec->capCode, protocol::CapCode::success);
  EXPECT_EQ(rec->capAmt, eur(4250));
}

}  // namespace
}  // namespace setpay::merchant
