// `setpay merchant` and `setpay gateway` as real processes over HTTPS (loopback, free ports, TLS with
// the merchant's client certificate towards the gateway): a wallet in this process buys through the
// merchant's /orders and /set in both profiles (approve, decline, capture by command and by schedule),
// a gateway that is away leaves the purchase authorizing and the retried PReq settles it with the
// kept AuthReq, and bad input at the merchant's HTTP layer is refused while it keeps serving.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <regex>
#include <thread>

#include "merchant/service/merchant_schema.hpp"
#include "merchant/service/sqlite_merchant_store.hpp"
#include "protocol/messages/codec.hpp"
#include "tests/services/service_fixture.hpp"

namespace setpay::services_test {
namespace {

using namespace std::chrono_literals;
using protocol::ProfileId;

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

// The merchant's database, opened beside the running service (WAL: readers do not block it).
struct MerchantDb {
  explicit MerchantDb(const MerchantHome& h)
      : db(merchant::openMerchantDatabase({h.database, runtime::Durability::normal, 5000ms})), store(*db) {}
  std::unique_ptr<runtime::Database> db;
  merchant::SqliteMerchantStore store;
};

// Both services running; the wallet buys from the merchant.
struct Services {
  explicit Services(ProfileId id, cli::MerchantConfigOptions mo = {})
      : home(id), gateway(home), merchantHome(home, (gateway.start(), gateway.url()), mo), merchant(merchantHome),
        wallet(home.w, merchantHome.clientOptions(), [this](const std::string& path) { return merchant.url(path); }, false) {
    merchant.start();
  }
  GatewayHome home;
  GatewayProcess gateway;
  MerchantHome merchantHome;
  MerchantProcess merchant;
  Wallet wallet;
};

class MerchantPurchaseTest : public ::testing::TestWithParam<ProfileId> {};

TEST_P(MerchantPurchaseTest, ApproveDeclineAndCaptureThroughBothServicesOverHttps) {
  Services s(GetParam());
  s.home.addAccount(pan(0), 100000);
  s.home.addAccount(pan(1), 1000);
  Card rich = s.wallet.issueCard(pan(0)), poor = s.wallet.issueCard(pan(1));

  const auto approved = s.wallet.buy(rich, 4250);
  EXPECT_TRUE(approved.outcome.approved()) << approved.outcome.detail;
  const auto declined = s.wallet.buy(poor, 4250);
  ASSERT_TRUE(declined.outcome.authStatus) << declined.outcome.detail;
  EXPECT_EQ(declined.outcome.authStatus->authCode, protocol::AuthCode::declined);
  {
    MerchantDb db(s.merchantHome);
    EXPECT_TRUE(db.store.findTransaction(approved.xid)->paid());
    const auto d = db.store.findTransaction(declined.xid);
    ASSERT_EQ(d->stateKind(), merchant::TransactionState::answered);
    EXPECT_FALSE(d->paid());
  }

  // Capture: the approved authorization only, once.
  const auto first = s.merchantHome.capture();
  EXPECT_EQ(first.status, 0) << first.output;
  EXPECT_NE(first.output.find("captured 1, refused 0, unanswered 0"), std::string::npos) << first.output;
  const auto second = s.merchantHome.capture();
  EXPECT_EQ(second.status, 0);
  EXPECT_NE(second.output.find("captured 0, refused 0, unanswered 0"), std::string::npos) << second.output;
  const auto show = s.home.accounts("show --pan " + pan(0));
  EXPECT_NE(show.output.find("balance 978 95750 -2"), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("holds 0 captured 1"), std::string::npos) << show.output;
  {
    MerchantDb db(s.merchantHome);
    const auto c = db.store.findCapture(approved.xid);
    ASSERT_TRUE(c && c->capRes);
    EXPECT_EQ(c->capCode, protocol::CapCode::success);
    EXPECT_EQ(c->capAmt, eur(4250));
    EXPECT_FALSE(db.store.findCapture(declined.xid));
  }

  EXPECT_EQ(s.merchant.terminate(), 0);
  EXPECT_EQ(s.gateway.terminate(), 0);
  // One structured line per SET message, each direction; no PAN.
  const std::string log = test_support::readFile(s.merchantHome.logFile);
  for (const char* type : {"type=PInitReq", "type=PReq", "type=AuthReq", "type=CapReq"})
    EXPECT_NE(log.find(type), std::string::npos) << type << "\n" << log;
  EXPECT_NE(log.find("type=PReq xid=" + protocol::hex(approved.xid)), std::string::npos) << log;
  EXPECT_NE(log.find("result=declined"), std::string::npos);
  for (const auto& p : {pan(0), pan(1)}) EXPECT_EQ(log.find(p), std::string::npos);
  MerchantDb db(s.merchantHome);
  EXPECT_EQ(db.db->integrityCheck(), "ok");
}

TEST_P(MerchantPurchaseTest, TheCaptureScheduleCapturesWithoutTheCommand) {
  cli::MerchantConfigOptions o;
  o.captureIntervalS = 1;
  Services s(GetParam(), o);
  s.home.addAccount(pan(2), 100000);
  Card card = s.wallet.issueCard(pan(2));
  const auto bought = s.wallet.buy(card, 1999);
  ASSERT_TRUE(bought.outcome.approved()) << bought.outcome.detail;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  std::string output;
  while (std::chrono::steady_clock::now() < deadline) {
    output = s.home.accounts("show --pan " + pan(2)).output;
    if (output.find("holds 0 captured 1") != std::string::npos) break;
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_NE(output.find("balance 978 98001 -2"), std::string::npos) << output;
  EXPECT_NE(output.find("holds 0 captured 1"), std::string::npos) << output;
  EXPECT_EQ(s.merchant.terminate(), 0);
}

INSTANTIATE_TEST_SUITE_P(Profiles, MerchantPurchaseTest, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& p) { return profileName(p.param); });

TEST(MerchantGateway, AnAbsentGatewayLeavesThePurchaseAuthorizingAndTheRetriedPReqSettlesIt) {
  cli::GatewayConfigOptions go;
  go.port = freePort();
  GatewayHome home(ProfileId::set1, go);
  home.addAccount(pan(3), 100000);
  GatewayProcess gateway(home);  // not started yet
  MerchantHome merchantHome(home, "https://127.0.0.1:" + std::to_string(go.port) + "/set");
  MerchantProcess merchant(merchantHome);
  merchant.start();
  Wallet wallet(home.w, merchantHome.clientOptions(), [&](const std::string& path) { return merchant.url(path); }, false);
  Card card = wallet.issueCard(pan(3));
  auto holder = wallet.cardholder(card);
  const Bytes pReq = holder.processPInitRes(wallet.toMerchant(holder.pInitReq(wallet.order(4250))));
  const Bytes xid = holder.transIDs()->xid;

  // No gateway: a signed Error, unspecifiedFailure; the purchase stays authorizing with its AuthReq.
  try {
    (void)holder.processPRes(wallet.toMerchant(pReq));
    ADD_FAILURE() << "the merchant did not answer with an Error";
  } catch (const wallet::MerchantError& e) {
    EXPECT_EQ(e.code(), protocol::ErrorCode::unspecifiedFailure);
  }
  {
    MerchantDb db(merchantHome);
    const auto tx = db.store.findTransaction(xid);
    ASSERT_EQ(tx->stateKind(), merchant::TransactionState::authorizing);
  }

  // The gateway is back: the same PReq again sends the kept AuthReq; a PRes, approved, one hold.
  // (The wallet ended its purchase on the Error; what the merchant answers is read here directly.)
  gateway.start();
  const auto kind = [](const Bytes& der) { return std::string(protocol::messageName(protocol::decode<protocol::MessageWrapper>(der).message)); };
  EXPECT_EQ(kind(wallet.toMerchant(pReq)), "PRes");
  {
    MerchantDb db(merchantHome);
    EXPECT_TRUE(db.store.findTransaction(xid)->paid());
  }
  // Once settled, the same PReq again gets the same PRes again (its answer may have been lost), and
  // the gateway is not asked again: one hold.
  EXPECT_EQ(kind(wallet.toMerchant(pReq)), "PRes");
  const auto show = home.accounts("show --pan " + pan(3));
  EXPECT_NE(show.output.find("available 978 95750 -2"), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("holds 1 captured 0"), std::string::npos) << show.output;
  EXPECT_EQ(merchant.terminate(), 0);
  EXPECT_EQ(gateway.terminate(), 0);
  const std::string log = test_support::readFile(merchantHome.logFile);
  EXPECT_NE(log.find("type=AuthReq xid=" + protocol::hex(xid)), std::string::npos);
  EXPECT_NE(log.find("approved (resent)"), std::string::npos) << log;
}

// No thread waits for the gateway: with a gateway that accepts connections and never answers, more
// PReqs than the merchant has threads are in flight at once, and meanwhile the merchant still makes
// wake-ups and answers PInitReqs at once. When the gateway timeout passes, each PReq gets the Error.
TEST(MerchantGateway, PReqsAwaitingASilentGatewayBlockNoThread) {
  const int silent = ::socket(AF_INET, SOCK_STREAM, 0);  // listens (the kernel completes the TCP
  sockaddr_in a{};                                       // handshake), never accepts, never answers
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(silent, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(silent, 64), 0);
  socklen_t len = sizeof a;
  ::getsockname(silent, reinterpret_cast<sockaddr*>(&a), &len);
  GatewayHome home(ProfileId::modern);
  cli::MerchantConfigOptions o;
  o.gatewayTimeoutMs = 4000;
  MerchantHome merchantHome(home, "https://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/set", o);
  MerchantProcess merchant(merchantHome);
  merchant.start();
  Wallet wallet(home.w, merchantHome.clientOptions(), [&](const std::string& path) { return merchant.url(path); }, false);

  constexpr int kInFlight = 6;  // the merchant has 2 work threads and 2 io threads
  std::vector<Card> cards;
  std::vector<wallet::Cardholder> holders;
  std::vector<Bytes> pReqs;
  for (int i = 0; i < kInFlight; ++i) cards.push_back(wallet.issueCard(pan(6 + i)));
  for (int i = 0; i < kInFlight; ++i) {
    holders.push_back(wallet.cardholder(cards[static_cast<std::size_t>(i)]));
    auto& h = holders.back();
    pReqs.push_back(h.processPInitRes(wallet.toMerchant(h.pInitReq(wallet.order(100 + i)))));
  }
  std::vector<std::thread> buyers;
  std::vector<Bytes> replies(kInFlight);
  const auto sent = std::chrono::steady_clock::now();
  for (int i = 0; i < kInFlight; ++i)
    buyers.emplace_back([&, i] { replies[static_cast<std::size_t>(i)] = wallet.toMerchant(pReqs[static_cast<std::size_t>(i)]); });
  std::this_thread::sleep_for(500ms);  // every PReq is now waiting for the gateway
  const auto t0 = std::chrono::steady_clock::now();
  Card extra = wallet.issueCard(pan(13));
  auto holder = wallet.cardholder(extra);
  const Bytes pInitRes = wallet.toMerchant(holder.pInitReq(wallet.order(777)));
  const auto served = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(served, 2s) << "a wake-up and a PInitReq waited behind the PReqs";
  EXPECT_EQ(std::string(protocol::messageName(protocol::decode<protocol::MessageWrapper>(pInitRes).message)), "PInitRes");
  for (auto& t : buyers) t.join();
  EXPECT_GE(std::chrono::steady_clock::now() - sent, 3500ms) << "the PReqs did not wait for the gateway's timeout";
  for (int i = 0; i < kInFlight; ++i) {
    try {
      (void)holders[static_cast<std::size_t>(i)].processPRes(replies[static_cast<std::size_t>(i)]);
      ADD_FAILURE() << "PReq " << i << " was not answered with an Error";
    } catch (const wallet::MerchantError& e) {
      EXPECT_EQ(e.code(), protocol::ErrorCode::unspecifiedFailure);
    }
  }
  std::printf("silent gateway: %d PReqs in flight; a wake-up + PInitReq took %.0f ms meanwhile\n", kInFlight,
              std::chrono::duration<double, std::milli>(served).count());
  EXPECT_EQ(merchant.terminate(), 0);
  ::close(silent);
}

TEST(MerchantHttp, BadInputIsRefusedAndTheMerchantKeepsServing) {
  Services s(ProfileId::modern);
  s.home.addAccount(pan(4), 100000);
  runtime::HttpClient client(s.merchantHome.clientOptions());
  const std::string set = s.merchant.url("/set");

  EXPECT_EQ(client.postSync(set, "application/set-payment", std::string(70 * 1024, 'x')).status, 413u);
  EXPECT_EQ(client.postSync(set, "text/plain", "hello").status, 415u);
  EXPECT_EQ(client.postSync(s.merchant.url("/orders"), "text/plain", "{}").status, 415u);
  const auto badJson = client.postSync(s.merchant.url("/orders"), "application/json", R"({"amount": "lots"})");
  EXPECT_EQ(badJson.status, 400u);
  EXPECT_NE(badJson.body.find("amount: expected an integer"), std::string::npos) << badJson.body;
  EXPECT_EQ(client.postSync(s.merchant.url("/orders"), "application/json", "not json").status, 400u);

  // Malformed DER: a SET Error (decodingFailure), and the service goes on.
  const auto response = client.postSync(set, "application/set-payment", "\x30\x82\x01 not DER, card " + pan(5));
  ASSERT_EQ(response.status, 200u);
  const auto wrapper = protocol::decode<protocol::MessageWrapper>(protocol::view(response.body));
  const auto* error = std::get_if<protocol::Error>(&wrapper.message);
  ASSERT_TRUE(error);
  EXPECT_EQ(protocol::open(s.home.w.profile, *error).data.errorCode, static_cast<int>(protocol::ErrorCode::decodingFailure));

  Card card = s.wallet.issueCard(pan(4));
  EXPECT_TRUE(s.wallet.buy(card, 500).outcome.approved());

  // The shop page (escaped, a form), health, readiness and metrics.
  const auto page = client.getSync(s.merchant.url("/"));
  EXPECT_EQ(page.status, 200u);
  EXPECT_NE(page.contentType.find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("<form id=\"order\">"), std::string::npos);
  EXPECT_EQ(client.getSync(s.merchant.url("/healthz")).status, 200u);
  EXPECT_EQ(client.getSync(s.merchant.url("/readyz")).status, 200u);
  const auto m = client.getSync(s.merchant.url("/metrics"));
  EXPECT_TRUE(std::regex_search(m.body, std::regex(R"(setpay_set_messages_total\{[^}]*result="approved"[^}]*type="PReq"[^}]*\} 1)")))
      << m.body;
  EXPECT_TRUE(std::regex_search(m.body, std::regex(R"(setpay_set_messages_total\{[^}]*result="approved"[^}]*type="AuthReq"[^}]*\} 1)")));
  EXPECT_TRUE(std::regex_search(m.body, std::regex(R"(setpay_set_messages_total\{[^}]*result="error"[^}]*type="undecodable"[^}]*\} 1)")));
  EXPECT_TRUE(std::regex_search(m.body, std::regex(R"(setpay_http_responses_total\{[^}]*code="413"[^}]*\} 1)")));
  EXPECT_TRUE(std::regex_search(m.body, std::regex(R"(setpay_http_responses_total\{[^}]*code="415"[^}]*\} 2)")));
  EXPECT_EQ(s.merchant.terminate(), 0);
  const std::string log = test_support::readFile(s.merchantHome.logFile);
  EXPECT_EQ(log.find(pan(5)), std::string::npos);
  // The operator reads why it was refused: the SET ErrorCode and our reason, on the message's line.
  EXPECT_TRUE(std::regex_search(log, std::regex(R"(type=undecodable .*result=error .*why="decodingFailure: )"))) << log;
  EXPECT_EQ(log.find("decodingFailure: decodingFailure"), std::string::npos) << log;  // the code said once
}

// The sweep ([set] sweep_interval_s): an order offered longer ago than offer_lifetime_s and never paid is
// deleted by the running service; a fresh one stays. The old order is made old by moving its offer time back
// two days in the database (the lifetimes cannot be shorter than a minute).
TEST(MerchantSweep, AnOrderPastItsLifetimeIsDeletedAndAFreshOneKept) {
  cli::MerchantConfigOptions mo;
  mo.sweepIntervalS = 1;
  Services s(ProfileId::modern, mo);
  const protocol::WakeUp abandoned = s.wallet.order(1200), fresh = s.wallet.order(1300);
  ASSERT_TRUE(abandoned.lidM && fresh.lidM);
  MerchantDb db(s.merchantHome);
  ASSERT_TRUE(db.store.findOrder(*abandoned.lidM));
  const auto twoDaysAgo = std::chrono::duration_cast<std::chrono::milliseconds>(
      (std::chrono::system_clock::now() - std::chrono::hours(48)).time_since_epoch());
  db.db->statement("UPDATE orders SET offered_ms = ? WHERE lid_m = ?")
      .bind(1, static_cast<std::int64_t>(twoDaysAgo.count()))
      .bind(2, protocol::ByteView(*abandoned.lidM))
      .run();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (db.store.findOrder(*abandoned.lidM) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(db.store.findOrder(*abandoned.lidM)) << "not swept within 10 s";
  EXPECT_TRUE(db.store.findOrder(*fresh.lidM));
  EXPECT_EQ(s.merchant.terminate(), 0);
  EXPECT_NE(test_support::readFile(s.merchantHome.logFile).find("abandoned-removed rows=1"), std::string::npos);
}

// A measurement, not a check (run with --gtest_also_run_disabled_tests): whole purchases per second
// through both services over HTTPS — wake-up, PInitReq/PInitRes, PReq/AuthReq/AuthRes/PRes — with
// kWallets concurrent wallets, and the p50/p99 time of one purchase.
TEST(MerchantThroughput, DISABLED_PurchasesPerSecondThroughBothServices) {
  for (const ProfileId id : {ProfileId::set1, ProfileId::modern}) {
    constexpr int kWallets = 4, kEach = 25;
    Services s(id);
    for (int c = 0; c < kWallets; ++c) s.home.addAccount(pan(c), 100'000'000);
    std::vector<std::vector<double>> latencies(kWallets);
    std::vector<std::thread> threads;
    std::atomic<int> approved{0};
    const auto began = std::chrono::steady_clock::now();
    for (int m = 0; m < kWallets; ++m)
      threads.emplace_back([&, m] {
        Wallet wallet(s.home.w, s.merchantHome.clientOptions(), [&](const std::string& path) { return s.merchant.url(path); }, false);
        Card card = wallet.issueCard(pan(m));
        for (int i = 0; i < kEach; ++i) {
          const auto t0 = std::chrono::steady_clock::now();
          approved += wallet.buy(card, 100 + i).outcome.approved();
          latencies[static_cast<std::size_t>(m)].push_back(
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
      });
    for (auto& t : threads) t.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    std::vector<double> all;
    for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    std::printf("merchant+gateway over HTTPS (%s): %d purchases, %d wallets, %.1f purchases/s, p50 %.0f ms, p99 %.0f ms\n",
                profileName(id).c_str(), kWallets * kEach, kWallets, kWallets * kEach / seconds, all[all.size() / 2],
                all[all.size() * 99 / 100]);
    EXPECT_EQ(approved.load(), kWallets * kEach);
  }
}

TEST(MerchantConfig, PkiInitWritesAConfigTheMerchantStartsFrom) {
  test_support::TempDir temp("setpay-pki-init");
  const fs::path dir = temp.path() / "pki";
  const std::string setpay = test_support::shellQuote(test_support::setpayBinary());
  const auto init = test_support::captureCommand(setpay + " pki init " + test_support::shellQuote(dir.string()) + " 2>&1");
  ASSERT_EQ(init.status, 0) << init.output;
  EXPECT_NE(init.output.find("setpay merchant --config"), std::string::npos) << init.output;
  for (const char* f : {"merchant.toml", "tls/merchant.pem", "tls/merchant-key.pem", "tls/merchant-client.pem"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  EXPECT_EQ(fs::status(dir / "tls/merchant-key.pem").permissions() & fs::perms::others_read, fs::perms::none);
  // The one change a test needs: any free port instead of 8444, reported in a file; logs to the suite's.
  std::string config = test_support::readFile(dir / "merchant.toml");
  config.replace(config.find("port = 8444"), 11, "port = 0\nport_file = \"merchant/port\"");
  const auto logFile = logDir() / ("pki-init-merchant." + std::to_string(::getpid()) + ".log");
  config.replace(config.find("level = \"info\""), 14, "level = \"info\"\nfile = \"" + logFile.string() + "\"");
  test_support::writeFile(dir / "merchant.toml", config);
  runtime::ClientOptions wallet;
  wallet.caFile = dir / "tls" / "ca.pem";
  ServiceProcess merchant("merchant", dir / "merchant.toml", dir / "merchant" / "port", logFile, wallet);
  merchant.start();
  runtime::HttpClient client(wallet);
  EXPECT_EQ(client.getSync(merchant.url("/healthz")).status, 200u);
  const auto order = client.postSync(merchant.url("/orders"), "application/json", R"({"amount": 1, "currency": 978, "description": "x"})");
  EXPECT_EQ(order.status, 200u);
  EXPECT_NE(order.body.find("SET-Payment-URL: " + merchant.url("/set")), std::string::npos) << order.body;
  EXPECT_EQ(merchant.terminate(), 0);
}

TEST(MerchantConfig, AWrongKeyTypeOrPathIsRefusedWithFileLineAndKey) {
  GatewayHome home(ProfileId::set1);
  MerchantHome merchantHome(home, "https://127.0.0.1:1/set");
  const std::string original = test_support::readFile(merchantHome.config);
  const std::string setpay = test_support::shellQuote(test_support::setpayBinary());
  auto run = [&](const std::string& from, const std::string& to) {
    std::string config = original;
    const auto at = config.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    config.replace(at, from.size(), to);
    test_support::writeFile(merchantHome.config, config);
    return test_support::captureCommand(setpay + " merchant --config " + test_support::shellQuote(merchantHome.config.string()) +
                                        " 2>&1");
  };
  const auto unknown = run("[capture]\n", "[capture]\nintervall_s = 5\n");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_TRUE(std::regex_search(unknown.output, std::regex(R"(merchant\.toml:\d+: capture\.intervall_s)"))) << unknown.output;
  const auto type = run("timeout_ms = 30000", "timeout_ms = \"soon\"");
  EXPECT_EQ(type.status, 2);
  EXPECT_TRUE(std::regex_search(type.output, std::regex(R"(merchant\.toml:\d+: gateway\.timeout_ms)"))) << type.output;
  const auto path = run("signature_key = \"merchant-sign/key.pem\"", "signature_key = \"merchant-sign/nope.pem\"");
  EXPECT_EQ(path.status, 2);
  EXPECT_TRUE(std::regex_search(path.output, std::regex(R"(merchant\.toml:\d+: set\.signature_key)"))) << path.output;
  const auto url = run("url = \"https://127.0.0.1:1/set\"", "url = \"http://127.0.0.1:1/set\"");
  EXPECT_EQ(url.status, 2);
  EXPECT_TRUE(std::regex_search(url.output, std::regex(R"(merchant\.toml:\d+: gateway\.url: expected an https:// URL)"))) << url.output;
}

}  // namespace
}  // namespace setpay::services_test
