// gateway/service/group_commit.hpp on a real SQLite file, several threads at once: copies of one AuthReq
// in one group are one authorization with one AuthRes (the copies decided while the first is signed wait
// for its bytes), and distinct AuthReqs are each approved, recorded, and replayed byte for byte.
#include <gtest/gtest.h>

#include <barrier>
#include <chrono>
#include <optional>
#include <thread>

#include "gateway/service/gateway_schema.hpp"
#include "gateway/service/group_commit.hpp"
#include "gateway/service/sqlite_gateway_store.hpp"
#include "gateway/service/sqlite_issuer.hpp"
#include "tests/gateway/gateway_fixture.hpp"
#include "tests/support/scratch.hpp"

namespace setpay::gateway::test {
namespace {

constexpr std::int64_t kPrice = 1250;

// The service's gateway over SQLite (the bench's world, clock and requests; the system CSPRNG, as the
// service has, since build() runs on several threads at once).
struct SqliteGateway {
  explicit SqliteGateway(Bench& b)
      : db(openGatewayDatabase({dir.path() / "gateway.db", runtime::Durability::normal})), store(*db),
        issuer(*db, toBytes("issuer PAN hash key, test only!")) {
    {
      runtime::WriteTransaction tx(*db);
      issuer.openAccount(b.w.card.pan, Bench::eur(1000000), Bench::eur(50000), b.w.card.expiry);
      tx.commit();
    }
    gateway = std::make_unique<PaymentGateway>(b.config({}), store, issuer, b.clock, random);
    commits = std::make_unique<GroupCommit>(*gateway, *db, store);
  }
  std::int64_t holds(const std::string& pan) { return issuer.find(pan)->holds; }

  test_support::TempDir dir{"setpay-group-commit"};
  std::unique_ptr<runtime::Database> db;
  SqliteGatewayStore store;
  SqliteIssuer issuer;
  SystemRandom random;
  std::unique_ptr<PaymentGateway> gateway;
  std::unique_ptr<GroupCommit> commits;
};

// Runs `work(i)` for i in [0, n) on `threads` threads released together.
template <class Work>
void together(int threads, int n, Work work) {
  std::barrier start(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = t; i < n; i += threads) work(i);
    });
  for (auto& th : pool) th.join();
}

class GroupCommitTest : public ::testing::TestWithParam<ProfileId> {};

TEST_P(GroupCommitTest, CopiesOfOneAuthReqInOneGroupAreOneAuthorizationWithOneAuthRes) {
  Bench b(GetParam());
  SqliteGateway g(b);
  const Bytes other = b.authReq(b.purchase(b.w.card, Bench::eur(kPrice + 1)));
  const Bytes request = b.authReq(b.purchase(b.w.card, Bench::eur(kPrice)));
  // Another connection holds the write lock: the first caller leads a group of `other` alone and waits
  // in BEGIN IMMEDIATE, while the copies queue up behind it; they then make the next group together.
  auto blocker = openGatewayDatabase({g.dir.path() / "gateway.db", runtime::Durability::normal});
  std::optional<runtime::WriteTransaction> lock(std::in_place, *blocker);
  std::thread first([&] { EXPECT_EQ(g.commits->handle(other).notes.authorized, 1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  constexpr int kCopies = 3;
  std::vector<GroupCommit::Outcome> outcomes(kCopies);
  std::vector<std::thread> copies;
  for (std::size_t i = 0; i < kCopies; ++i) copies.emplace_back([&, i] { outcomes[i] = g.commits->handle(request); });
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // the copies are prepared and queued
  lock.reset();
  first.join();
  for (auto& t : copies) t.join();
  int authorized = 0;
  for (const auto& o : outcomes) {
    authorized += o.notes.authorized;
    EXPECT_TRUE(o.reply == outcomes[0].reply) << "every copy gets the AuthRes of the one authorized, byte for byte";
  }
  EXPECT_EQ(authorized, 1);
  EXPECT_EQ(b.authRes(outcomes[0].reply).data.authResPayload.authHeader.authCode, AuthCode::approved);
  EXPECT_EQ(g.holds(b.w.card.pan), 2) << "one hold for `other`, one for the copies";
}

TEST_P(GroupCommitTest, DistinctAuthReqsOnSeveralThreadsAreEachApprovedRecordedAndReplayed) {
  Bench b(GetParam());
  SqliteGateway g(b);
  constexpr int kRequests = 12;
  std::vector<Bytes> requests;
  for (int i = 0; i < kRequests; ++i) requests.push_back(b.authReq(b.purchase(b.w.card, Bench::eur(kPrice + i))));
  std::vector<GroupCommit::Outcome> outcomes(kRequests);
  together(3, kRequests, [&](int i) {
    outcomes[static_cast<std::size_t>(i)] = g.commits->handle(requests[static_cast<std::size_t>(i)]);
  });
  for (int i = 0; i < kRequests; ++i) {
    const auto& o = outcomes[static_cast<std::size_t>(i)];
    EXPECT_EQ(o.notes.authorized, 1) << "request " << i;
    EXPECT_EQ(b.authRes(o.reply).data.authResPayload.authHeader.authCode, AuthCode::approved);
    const auto replay = g.commits->handle(requests[static_cast<std::size_t>(i)]);
    EXPECT_TRUE(replay.notes.replayed);
    EXPECT_TRUE(replay.reply == o.reply) << "the recorded AuthRes is the one sent";
  }
  EXPECT_EQ(g.holds(b.w.card.pan), kRequests);
}

INSTANTIATE_TEST_SUITE_P(Profiles, GroupCommitTest, ::testing::Values(ProfileId::set1, ProfileId::modern), profileName);

}  // namespace
}  // namespace setpay::gateway::test
