// Crash safety of the services. GatewayCrash: `setpay gateway` alone.
// MerchantCrash: `setpay gateway` and `setpay merchant` both as processes, ≥ 200 purchases from
// wallets posting to the merchant over HTTPS while the gateway, then the merchant, then the gateway …
// is SIGKILLed at random moments (≥ 20 kills of each) and restarted on its port. The wallets resend
// the same bytes until answered (the merchant resends the kept AuthReq for a retried PReq, and the
// PRes again for a PReq it already answered). Afterwards: every wallet learned its approval, no XID authorized twice at the gateway, the gateway's authorizations are exactly the
// merchant's paid transactions, each account's holds equal the sum of its paid purchases, no
// purchase is left authorizing, and PRAGMA integrity_check is ok on both databases.
// GatewayCrash: 200 purchases from two merchants while the gateway is killed with
// SIGKILL at random moments (at least 20 times) and restarted on the same port. The merchants' transport
// resends the same AuthReq bytes until an answer comes. Afterwards: every purchase was authorized
// exactly once (one authorization and one issuer hold per XID, no orphan hold), each account's
// balance less its available amount is the sum of its approved purchases, replaying every AuthReq
// returns the byte-identical AuthRes without a new hold, and PRAGMA integrity_check says ok.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <random>
#include <thread>

#include <set>

#include "gateway/issuer.hpp"
#include "merchant/service/merchant_schema.hpp"
#include "merchant/service/sqlite_merchant_store.hpp"
#include "runtime/sqlite.hpp"
#include "tests/services/service_fixture.hpp"

namespace setpay::services_test {
namespace {

using namespace std::chrono_literals;

std::uint16_t freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

constexpr int kMerchants = 2;
constexpr int kPurchasesEach = 100;
constexpr int kCardsEach = 2;
constexpr int kMinKills = 20;
constexpr std::int64_t kOpening = 10'000'000;

std::int64_t amountOf(int merchant, int i) { return 100 + (merchant * 7 + i * 13) % 900; }

TEST(GatewayCrash, PurchasesSurviveRepeatedSigkillsExactlyOnce) {
  cli::GatewayConfigOptions options;
  options.port = freePort();  // fixed across restarts: the merchants keep their URL
  GatewayHome home(protocol::ProfileId::set1, options);
  for (int c = 0; c < kMerchants * kCardsEach; ++c) home.addAccount(pan(8 + c), kOpening);
  GatewayProcess gateway(home);
  gateway.start();
  const std::string url = gateway.url();

  std::random_device seedSource;
  const unsigned seed = seedSource();
  RecordProperty("seed", static_cast<int>(seed));
  std::atomic<bool> purchasesDone{false};
  std::atomic<int> kills{0};
  std::string restartFailure;
  std::thread killer([&] {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> pause(100, 700);  // ms between kills; a restart takes ~0.2-0.4 s
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(pause(rng)));
      gateway.kill9();
      ++kills;
      // The last restart is the main thread's: a child lives only as long as the thread that started it
      // (test_support::spawnTied).
      if (purchasesDone.load() && kills.load() >= kMinKills) return;
      try {
        gateway.start();
      } catch (const std::exception& e) {  // reported below; the merchants' retries then time out
        restartFailure = e.what();
        return;
      }
    }
  });

  const auto began = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<GatewayLink>> links;
  std::map<std::string, std::int64_t> expectedByPan;  // sum of approved purchases
  std::vector<int> approved(kMerchants, 0);
  std::vector<std::thread> merchants;
  std::vector<std::vector<std::pair<std::string, std::int64_t>>> bought(kMerchants);
  for (int m = 0; m < kMerchants; ++m) links.push_back(std::make_unique<GatewayLink>(home, [url] { return url; }, true));
  for (int m = 0; m < kMerchants; ++m)
    merchants.emplace_back([&, m] {
      GatewayLink& link = *links[static_cast<std::size_t>(m)];
      Shop shop(home.w, [&link](ByteView b) { return link(b); });
      std::vector<Card> cards;
      for (int c = 0; c < kCardsEach; ++c) cards.push_back(shop.issueCard(pan(8 + m * kCardsEach + c)));
      for (int i = 0; i < kPurchasesEach; ++i) {
        Card& card = cards[static_cast<std::size_t>(i % kCardsEach)];
        if (shop.buy(card, amountOf(m, i)).approved()) {
          ++approved[static_cast<std::size_t>(m)];
          bought[static_cast<std::size_t>(m)].emplace_back(card.pan, amountOf(m, i));
        }
      }
    });
  for (auto& t : merchants) t.join();
  purchasesDone.store(true);
  killer.join();
  if (restartFailure.empty()) gateway.start();
  const auto elapsed = std::chrono::steady_clock::now() - began;
  std::printf("crash test: %d purchases, %d SIGKILLs, %.1f s (seed %u)\n", kMerchants * kPurchasesEach, kills.load(),
              std::chrono::duration<double>(elapsed).count(), seed);
  ASSERT_EQ(restartFailure, "");
  EXPECT_GE(kills.load(), kMinKills);
  for (int m = 0; m < kMerchants; ++m) EXPECT_EQ(approved[static_cast<std::size_t>(m)], kPurchasesEach);
  for (const auto& list : bought)
    for (const auto& [p, amount] : list) expectedByPan[p] += amount;

  // Every AuthReq again, after the last restart: the same bytes back.
  int resent = 0, retried = 0;
  for (auto& link : links)
    for (const auto& ex : link->exchanges()) {
      retried += ex.attempts > 1;
      ++resent;
      EXPECT_EQ((*link)(ex.request), ex.response) << "replay " << resent << " differs";
    }
  EXPECT_EQ(resent, kMerchants * kPurchasesEach);
  std::printf("crash test: %d AuthReqs needed more than one attempt\n", retried);
  ASSERT_EQ(gateway.terminate(), 0);

  runtime::Database db({home.dir / "gateway" / "gateway.db", runtime::Durability::full, 5000ms});
  EXPECT_EQ(db.integrityCheck(), "ok");
  auto count = [&](const std::string& sql) {
    auto s = db.statement(sql);
    s.step();
    return s.integer(0);
  };
  const std::int64_t purchases = kMerchants * kPurchasesEach;
  EXPECT_EQ(count("SELECT COUNT(*) FROM authorizations"), purchases);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT xid) FROM authorizations"), purchases);
  EXPECT_EQ(count("SELECT COUNT(*) FROM issuer_hold"), purchases) << "a replay or a crash made a second hold";
  EXPECT_EQ(count("SELECT COUNT(*) FROM issuer_hold h LEFT JOIN authorizations a USING (approval_code) "
                  "WHERE a.token IS NULL"),
            0)
      << "a hold without its authorization record";
  EXPECT_EQ(count("SELECT COUNT(*) FROM pi_used_xid"), purchases);

  const protocol::Bytes panKey = protocol::unhex(test_support::readFile(home.dir / "gateway" / "pan-hash.key"));
  for (const auto& [p, expected] : expectedByPan) {
    const std::string key = gateway::panAccountKey(panKey, p);
    auto a = db.statement("SELECT balance, held FROM issuer_account WHERE account_key = ?");
    a.bind(1, key);
    ASSERT_TRUE(a.step());
    const std::int64_t balance = a.integer(0), held = a.integer(1);
    EXPECT_EQ(balance, kOpening);  // nothing captured
    EXPECT_EQ(held, expected) << protocol::maskPan(p) << ": holds are not the sum of its approved purchases";
    auto h = db.statement("SELECT COALESCE(SUM(amount), 0) FROM issuer_hold WHERE account_key = ?");
    h.bind(1, key);
    h.step();
    EXPECT_EQ(h.integer(0), expected);
  }
}

constexpr int kWallets = 2;
constexpr int kMinKillsEach = 20;

TEST(MerchantCrash, PurchasesThroughBothServicesSurviveSigkillsOfEachExactlyOnce) {
  cli::GatewayConfigOptions gatewayOptions;
  gatewayOptions.port = freePort();
  GatewayHome home(protocol::ProfileId::set1, gatewayOptions);
  for (int c = 0; c < kWallets * kCardsEach; ++c) home.addAccount(pan(12 + c), kOpening);
  GatewayProcess gateway(home);
  gateway.start();
  cli::MerchantConfigOptions merchantOptions;
  merchantOptions.port = freePort();
  merchantOptions.gatewayTimeoutMs = 5000;
  MerchantHome merchantHome(home, gateway.url(), merchantOptions);
  MerchantProcess merchant(merchantHome);
  merchant.start();
  const std::string merchantBase = merchant.url("");

  std::random_device seedSource;
  const unsigned seed = seedSource();
  RecordProperty("seed", static_cast<int>(seed));
  std::atomic<bool> purchasesDone{false};
  std::atomic<int> gatewayKills{0}, merchantKills{0};
  std::string restartFailure;
  ServiceProcess* lastVictim = nullptr;  // killed last, restarted by this thread
  std::thread killer([&] {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> pause(100, 500);
    bool gatewayNext = true;
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(pause(rng)));
      ServiceProcess& victim = gatewayNext ? static_cast<ServiceProcess&>(gateway) : merchant;
      victim.kill9();
      ++(gatewayNext ? gatewayKills : merchantKills);
      gatewayNext = !gatewayNext;
      // The last restart is the main thread's (a child lives only as long as the thread that started it).
      if (purchasesDone.load() && gatewayKills.load() >= kMinKillsEach && merchantKills.load() >= kMinKillsEach) {
        lastVictim = &victim;
        return;
      }
      try {
        victim.start();
      } catch (const std::exception& e) {
        restartFailure = e.what();
        return;
      }
    }
  });

  struct Bought {
    std::string pan;
    std::int64_t amount;
    Bytes xid;
    bool approved;
  };
  const auto began = std::chrono::steady_clock::now();
  std::vector<std::vector<Bought>> bought(kWallets);
  std::vector<int> retries(kWallets, 0);
  std::vector<std::thread> wallets;
  for (int m = 0; m < kWallets; ++m)
    wallets.emplace_back([&, m] {
      Wallet wallet(home.w, merchantHome.clientOptions(), [&](const std::string& path) { return merchantBase + path; }, true);
      std::vector<Card> cards;
      for (int c = 0; c < kCardsEach; ++c) cards.push_back(wallet.issueCard(pan(12 + m * kCardsEach + c)));
      for (int i = 0; i < kPurchasesEach; ++i) {
        Card& card = cards[static_cast<std::size_t>(i % kCardsEach)];
        try {
          const auto p = wallet.buy(card, amountOf(m, i));
          bought[static_cast<std::size_t>(m)].push_back({card.pan, amountOf(m, i), p.xid, p.outcome.approved()});
          retries[static_cast<std::size_t>(m)] += p.retries;
        } catch (const std::exception& e) {  // the order itself never got through (90 s)
          ADD_FAILURE() << "purchase " << i << ": " << e.what();
        }
      }
    });
  for (auto& t : wallets) t.join();
  purchasesDone.store(true);
  killer.join();
  if (lastVictim) lastVictim->start();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  ASSERT_EQ(restartFailure, "");
  EXPECT_EQ(merchant.terminate(), 0);
  EXPECT_EQ(gateway.terminate(), 0);

  int purchases = 0, approvedByWallet = 0, resent = 0;
  for (const auto& list : bought)
    for (const auto& b : list) {
      ++purchases;
      approvedByWallet += b.approved;
    }
  for (const int r : retries) resent += r;
  std::printf("merchant crash test: %d purchases (%d approved as the wallet saw it), %d gateway + %d merchant SIGKILLs, "
              "%d resent exchanges, %.1f s (seed %u)\n",
              purchases, approvedByWallet, gatewayKills.load(), merchantKills.load(), resent, seconds, seed);
  EXPECT_EQ(purchases, kWallets * kPurchasesEach);
  EXPECT_EQ(approvedByWallet, purchases) << "a wallet ended without its PRes";
  EXPECT_GE(gatewayKills.load(), kMinKillsEach);
  EXPECT_GE(merchantKills.load(), kMinKillsEach);

  // The merchant's records.
  auto mdb = merchant::openMerchantDatabase({merchantHome.database, runtime::Durability::full, 5000ms});
  EXPECT_EQ(mdb->integrityCheck(), "ok");
  merchant::SqliteMerchantStore store(*mdb);
  const auto counts = store.countByState();
  EXPECT_EQ(counts[static_cast<std::size_t>(merchant::TransactionState::authorizing)], 0) << "a purchase left authorizing";
  std::set<Bytes> paid;
  {
    auto s = mdb->statement("SELECT xid FROM transactions WHERE state = 3 AND auth_code = 0");
    while (s.step()) paid.insert(s.blob(0));
  }
  std::map<std::string, std::int64_t> expectedByPan;
  int paidPurchases = 0;
  for (const auto& list : bought)
    for (const auto& b : list) {
      if (!paid.contains(b.xid)) continue;
      ++paidPurchases;
      expectedByPan[b.pan] += b.amount;
      EXPECT_TRUE(b.approved) << "paid, but the wallet did not learn it (a lost PRes is answered again)";
    }
  EXPECT_EQ(static_cast<std::size_t>(paidPurchases), paid.size()) << "a paid transaction that no wallet purchase made";
  EXPECT_EQ(paidPurchases, purchases) << "every purchase paid once the services came back";

  // The gateway's records agree: exactly the merchant's paid XIDs, each once, one hold each.
  runtime::Database gdb({home.dir / "gateway" / "gateway.db", runtime::Durability::full, 5000ms});
  EXPECT_EQ(gdb.integrityCheck(), "ok");
  auto count = [&](const std::string& sql) {
    auto s = gdb.statement(sql);
    s.step();
    return s.integer(0);
  };
  std::set<Bytes> authorized;
  {
    auto s = gdb.statement("SELECT xid FROM authorizations");
    while (s.step()) authorized.insert(s.blob(0));
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM authorizations"), static_cast<std::int64_t>(authorized.size())) << "an XID authorized twice";
  EXPECT_TRUE(authorized == paid) << authorized.size() << " authorized at the gateway, " << paid.size() << " paid at the merchant";
  EXPECT_EQ(count("SELECT COUNT(*) FROM issuer_hold"), static_cast<std::int64_t>(authorized.size())) << "a second hold";
  EXPECT_EQ(count("SELECT COUNT(*) FROM issuer_hold h LEFT JOIN authorizations a USING (approval_code) WHERE a.token IS NULL"), 0);
  const protocol::Bytes panKey = protocol::unhex(test_support::readFile(home.dir / "gateway" / "pan-hash.key"));
  for (int c = 0; c < kWallets * kCardsEach; ++c) {
    const std::string p = pan(12 + c);
    auto a = gdb.statement("SELECT balance, held FROM issuer_account WHERE account_key = ?");
    a.bind(1, gateway::panAccountKey(panKey, p));
    ASSERT_TRUE(a.step());
    EXPECT_EQ(a.integer(0), kOpening);
    EXPECT_EQ(a.integer(1), expectedByPan[p]) << protocol::maskPan(p) << ": holds are not the sum of its paid purchases";
  }
}

}  // namespace
}  // namespace setpay::services_test
