// `setpay wallet` end to end with real processes (tests/services/wallet_scene.hpp): gateway, wallet,
// terminal, card in pcscd's vpcd slot, and the merchant test fixture. Run under
// scripts/with-virtual-pcsc.sh.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

#include "protocol/redirect/base64.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "tests/services/wallet_scene.hpp"

namespace setpay::services_test {
namespace {

using namespace std::chrono_literals;

class WalletE2E : public ::testing::TestWithParam<protocol::ProfileId> {};

std::string profileParamName(const ::testing::TestParamInfo<protocol::ProfileId>& i) { return profileName(i.param); }

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// c → PInitReq/PInitRes → d → terminal (PIN, card through pcscd) → e → PReq → gateway → PRes → f.
TEST_P(WalletE2E, ApprovedPurchaseUpdatesHistoryAndLoyalty) {
  WalletScene s(GetParam());
  s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n", 1);
  s.waitTerminalConnected();
  const std::string id = s.startPurchase(4250);
  const auto ended = s.waitEnded(id);
  EXPECT_EQ(ended.at("outcome").as_string(), "approved") << ended.at("reason").as_string();
  EXPECT_EQ(s.merchant().received("PInitReq"), 1);
  EXPECT_EQ(s.merchant().received("PReq"), 1);
  const auto history = s.walletCli("history --msisdn " + std::string(WalletScene::kMsisdn));
  ASSERT_EQ(history.status, 0) << history.output;
  EXPECT_TRUE(contains(history.output, "42.50 EUR  approved")) << history.output;
  const auto show = s.walletCli("show --msisdn " + std::string(WalletScene::kMsisdn));
  EXPECT_TRUE(contains(show.output, "loyalty points 42")) << show.output;
  // The terminal showed d and f, and exits after its one confirmation.
  std::this_thread::sleep_for(300ms);
  const std::string out = s.terminalOutput();
  EXPECT_TRUE(contains(out, "d: ")) << out;
  EXPECT_TRUE(contains(out, "42.50 EUR")) << out;
  EXPECT_TRUE(contains(out, "\"2 x espresso; table 4\"")) << out;
  EXPECT_TRUE(contains(out, "f: approved")) << out;
  EXPECT_FALSE(contains(out, s.pan)) << "the terminal printed the PAN";
  // Default mode: neither the wallet's log nor its database (with its WAL) holds the PAN or the PAN secret.
  for (const fs::path& f : {s.walletLog, s.home.dir / "wallet" / "wallet.db", s.home.dir / "wallet" / "wallet.db-wal"}) {
    const std::string bytes = fs::exists(f) ? test_support::readFile(f) : std::string();
    EXPECT_FALSE(contains(bytes, s.pan)) << f << " holds the PAN";
    EXPECT_FALSE(contains(bytes, protocol::toString(s.panSecret))) << f << " holds the PAN secret";
    EXPECT_FALSE(contains(bytes, protocol::hex(s.panSecret))) << f << " holds the PAN secret (hex)";
  }
}

// FT11: above the per-purchase ceiling the terminal is never asked; f says why; the merchant gets no PReq.
TEST_P(WalletE2E, CeilingRefusalIsShownInFAndTheCardIsNeverAsked) {
  WalletScene s(GetParam(), WalletOptions{{}, "--ceiling-purchase 1000 --ceiling-day 5000", false, {}});
  s.startTerminalWithPins("", 1);  // no PIN at all: the card must not be needed
  s.waitTerminalConnected();
  const std::string id = s.startPurchase(1001);
  const auto ended = s.waitEnded(id);
  EXPECT_EQ(ended.at("outcome").as_string(), "refused");
  EXPECT_TRUE(contains(std::string(ended.at("reason").as_string()), "perPurchaseCeiling")) << ended.at("reason").as_string();
  EXPECT_EQ(s.merchant().received("PInitReq"), 1);
  EXPECT_EQ(s.merchant().received("PReq"), 0);
  std::this_thread::sleep_for(300ms);
  const std::string out = s.terminalOutput();
  EXPECT_FALSE(contains(out, "d: ")) << out;
  EXPECT_TRUE(contains(out, "f: refused")) << out;
  EXPECT_TRUE(contains(out, "wallet perPurchaseCeiling")) << out;
  EXPECT_FALSE(contains(out, "PIN (")) << out;
  const auto show = s.walletCli("show --msisdn " + std::string(WalletScene::kMsisdn));
  EXPECT_TRUE(contains(show.output, "loyalty points 0")) << show.output;
}

// The terminal shows d and waits for a PIN that never comes: after e_timeout_s the purchase is abandoned,
// f says terminalTimeout, and the merchant never receives a PReq (not even when the terminal answers late).
TEST_P(WalletE2E, NoEInTimeAbandonsAndTheMerchantReceivesNothing) {
  WalletOptions o;
  o.config.eTimeoutS = 2;
  WalletScene s(GetParam(), o);
  int pipeFds[2];
  ASSERT_EQ(::pipe2(pipeFds, O_CLOEXEC), 0);
  s.startTerminal(pipeFds[0]);
  ::close(pipeFds[0]);
  s.waitTerminalConnected();
  const auto started = std::chrono::steady_clock::now();
  const std::string id = s.startPurchase(1500);
  const auto ended = s.waitEnded(id, 20s);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(ended.at("outcome").as_string(), "timeout");
  EXPECT_GE(took, 2s);
  EXPECT_LT(took, 10s);
  // The shopper types the PIN now, too late: the late e is ignored.
  const std::string pin = std::string(WalletScene::kPin) + "\n";
  ASSERT_EQ(::write(pipeFds[1], pin.data(), pin.size()), static_cast<ssize_t>(pin.size()));
  std::this_thread::sleep_for(1500ms);
  ::close(pipeFds[1]);
  EXPECT_EQ(s.merchant().received("PInitReq"), 1);
  EXPECT_EQ(s.merchant().received("PReq"), 0);
  EXPECT_TRUE(contains(s.terminalOutput(), "wallet terminalTimeout")) << s.terminalOutput();
  const auto history = s.walletCli("history --msisdn " + std::string(WalletScene::kMsisdn));
  EXPECT_TRUE(contains(history.output, "15.00 EUR  timeout")) << history.output;
  EXPECT_EQ(s.status().at("pending").as_int64(), 0);
}

// A wrong PIN first (tries left shown on the terminal), then the right one: approved.
TEST_P(WalletE2E, WrongPinThenRightPinApproves) {
  WalletScene s(GetParam());
  s.startTerminalWithPins("0000\n" + std::string(WalletScene::kPin) + "\n", 1);
  s.waitTerminalConnected();
  const auto ended = s.waitEnded(s.startPurchase(990));
  EXPECT_EQ(ended.at("outcome").as_string(), "approved") << ended.at("reason").as_string();
  std::this_thread::sleep_for(300ms);
  const std::string out = s.terminalOutput();
  EXPECT_TRUE(contains(out, "PIN (3 tries left)")) << out;
  EXPECT_TRUE(contains(out, "PIN (2 tries left, wrong PIN)")) << out;
  EXPECT_TRUE(contains(out, "f: approved")) << out;
}

// Seed-literal mode: the card data goes to the wallet, which seals the PI itself.
TEST_P(WalletE2E, CardDataModeApproves) {
  WalletOptions o;
  o.config.cardMode = "card-data";
  WalletScene s(GetParam(), o);
  s.allowCardDataOnTerminal();
  s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n", 1);
  s.waitTerminalConnected();
  const auto ended = s.waitEnded(s.startPurchase(2000));
  EXPECT_EQ(ended.at("outcome").as_string(), "approved") << ended.at("reason").as_string();
  EXPECT_EQ(s.merchant().received("PReq"), 1);
}

// The terminal goes away after d was pushed; a new connection of the same terminal gets the pending d
// again and the purchase completes.
TEST_P(WalletE2E, TerminalReconnectsAndGetsThePendingD) {
  WalletScene s(GetParam());
  int pipeFds[2];
  ASSERT_EQ(::pipe2(pipeFds, O_CLOEXEC), 0);
  s.startTerminal(pipeFds[0]);
  ::close(pipeFds[0]);
  s.waitTerminalConnected();
  const std::string id = s.startPurchase(3100);
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!contains(s.terminalOutput(), "PIN (") && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(contains(s.terminalOutput(), "PIN (")) << s.terminalOutput();
  s.stopTerminal();
  ::close(pipeFds[1]);
  EXPECT_EQ(s.status(id).at("state").as_string(), "awaiting-e");
  s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n", 1);
  const auto ended = s.waitEnded(id);
  EXPECT_EQ(ended.at("outcome").as_string(), "approved") << ended.at("reason").as_string();
  EXPECT_EQ(s.merchant().received("PReq"), 1);
}

// The issuer declines (over the balance): f says declined, history records it, no points.
TEST_P(WalletE2E, IssuerDeclineIsRecordedWithoutPoints) {
  WalletScene s(GetParam());
  s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n", 1);
  s.waitTerminalConnected();
  const auto ended = s.waitEnded(s.startPurchase(20'000'000));  // balance: 10 000 000 cents
  EXPECT_EQ(ended.at("outcome").as_string(), "declined") << ended.at("reason").as_string();
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(contains(s.terminalOutput(), "f: declined")) << s.terminalOutput();
  const auto show = s.walletCli("show --msisdn " + std::string(WalletScene::kMsisdn));
  EXPECT_TRUE(contains(show.output, "loyalty points 0")) << show.output;
  const auto history = s.walletCli("history --msisdn " + std::string(WalletScene::kMsisdn));
  EXPECT_TRUE(contains(history.output, "200000.00 EUR  declined")) << history.output;
}

// Three wrong PINs block the card: e is a typed refusal, the wallet ends the purchase (refused), the
// merchant gets no PReq.
TEST_P(WalletE2E, BlockedCardIsATypedRefusal) {
  WalletScene s(GetParam());
  s.startTerminalWithPins("0000\n1111\n2222\n" + std::string(WalletScene::kPin) + "\n", 1);
  s.waitTerminalConnected();
  const auto ended = s.waitEnded(s.startPurchase(1200));
  EXPECT_EQ(ended.at("outcome").as_string(), "refused");
  EXPECT_TRUE(contains(std::string(ended.at("reason").as_string()), "terminal: ")) << ended.at("reason").as_string();
  EXPECT_EQ(s.merchant().received("PReq"), 0);
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(contains(s.terminalOutput(), "wallet terminalRefused")) << s.terminalOutput();
}

// The card leaves the reader mid-purchase (after a few APDUs): e is a typed refusal, the wallet ends the
// purchase, the merchant gets no PReq.
TEST_P(WalletE2E, CardRemovedMidPurchaseIsATypedRefusal) {
  WalletOptions o;
  o.cardArgs = {"--remove-after", "3"};
  WalletScene s(GetParam(), o);
  s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n", 1);
  s.waitTerminalConnected();
  const auto ended = s.waitEnded(s.startPurchase(1300));
  EXPECT_EQ(ended.at("outcome").as_string(), "refused");
  const std::string reason(ended.at("reason").as_string());
  EXPECT_TRUE(contains(reason, "terminal: cardRemoved") || contains(reason, "terminal: noCard")) << reason;
  EXPECT_EQ(s.merchant().received("PReq"), 0);
}

INSTANTIATE_TEST_SUITE_P(Profiles, WalletE2E, ::testing::Values(protocol::ProfileId::modern, protocol::ProfileId::set1),
                         profileParamName);

// The operator's read API: only the operator's TLS client certificate; the account, ceilings, points
// and history as the CLI shows them.
TEST(WalletApi, AccountsOnlyForTheOperatorsCertificate) {
  WalletScene s(protocol::ProfileId::modern, WalletOptions{{}, "--ceiling-purchase 1000", false, {}});
  s.startTerminalWithPins("", 1);
  s.waitTerminalConnected();
  EXPECT_EQ(s.waitEnded(s.startPurchase(5000)).at("outcome").as_string(), "refused");
  EXPECT_EQ(s.getAccount("").status, 401u);
  EXPECT_EQ(s.getAccount("stranger").status, 403u);
  EXPECT_EQ(s.getAccount("operator", "+33699999999").status, 404u);
  EXPECT_EQ(s.getAccount("operator", "0612").status, 400u);
  const auto r = s.getAccount("operator");
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto a = boost::json::parse(r.body).as_object();
  EXPECT_EQ(a.at("msisdn").as_string(), WalletScene::kMsisdn);
  EXPECT_EQ(a.at("ceiling_purchase").as_int64(), 1000);
  EXPECT_TRUE(a.at("ceiling_day").is_null());
  EXPECT_EQ(a.at("loyalty_points").as_int64(), 0);
  const auto& history = a.at("history").as_array();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].as_object().at("outcome").as_string(), "refused");
  EXPECT_EQ(history[0].as_object().at("minor_units").as_int64(), 5000);
}

// Rolling ceilings count purchases still under way: two at once cannot together pass the day's ceiling.
TEST(WalletCeilings, PendingPurchasesCountAgainstTheRollingDay) {
  WalletScene s(protocol::ProfileId::modern, WalletOptions{{}, "--ceiling-day 5000", false, {}});
  int pipeFds[2];
  ASSERT_EQ(::pipe2(pipeFds, O_CLOEXEC), 0);
  s.startTerminal(pipeFds[0]);  // shows d, never gets a PIN
  ::close(pipeFds[0]);
  s.waitTerminalConnected();
  const std::string first = s.startPurchase(3000);
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (s.status(first).at("state").as_string() != "awaiting-e" && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  ASSERT_EQ(s.status(first).at("state").as_string(), "awaiting-e");
  const auto second = s.waitEnded(s.startPurchase(3000));
  EXPECT_EQ(second.at("outcome").as_string(), "refused");
  EXPECT_TRUE(contains(std::string(second.at("reason").as_string()), "dailyCeiling")) << second.at("reason").as_string();
  const auto third = s.startPurchase(2000);  // 3000 + 2000 = 5000: within the ceiling
  while (s.status(third).at("state").as_string() != "awaiting-e" && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  EXPECT_EQ(s.status(third).at("state").as_string(), "awaiting-e");
  ::close(pipeFds[1]);
}

// Message c refused with a clear 4xx, and nothing else happens: no purchase, no merchant message.
TEST(WalletC, RefusedVariantsStartNothing) {
  WalletScene s(protocol::ProfileId::modern);
  const auto wake = s.merchant().offer(700, "1 x croissant");
  const std::string good = s.signedC(wake, WalletScene::kMsisdn);

  const auto unknown = s.postC(s.signedC(wake, "+33699999999"));
  EXPECT_EQ(unknown.status, 404u) << unknown.body;
  EXPECT_TRUE(contains(unknown.body, "unknownMsisdn")) << unknown.body;

  const auto badXml = s.postC("<Redirect");
  EXPECT_EQ(badXml.status, 400u) << badXml.body;
  EXPECT_TRUE(contains(badXml.body, "badXml")) << badXml.body;

  // A wake-up that does not parse: SET-PurchAmt broken inside the signed envelope's base64.
  std::string brokenWake = protocol::format(wake);
  const auto at = brokenWake.find("SET-PurchAmt:");
  ASSERT_NE(at, std::string::npos);
  brokenWake.replace(at, 13, "SET-PurchAmx:");
  std::string broken = good;
  const std::string oldB64 = protocol::base64Encode(protocol::toBytes(protocol::format(wake)));
  const auto b = broken.find(oldB64);
  ASSERT_NE(b, std::string::npos);
  broken.replace(b, oldB64.size(), protocol::base64Encode(protocol::toBytes(brokenWake)));
  const auto badWake = s.postC(broken);
  EXPECT_EQ(badWake.status, 422u) << badWake.body;
  EXPECT_TRUE(contains(badWake.body, "wakeUpInvalid")) << badWake.body;

  const auto otherSender = s.postC(s.signedC(wake, WalletScene::kMsisdn, "someone-else"));
  EXPECT_EQ(otherSender.status, 403u) << otherSender.body;

  const auto wrongType = s.postC(good);  // the good one, once: accepted
  EXPECT_EQ(wrongType.status, 202u) << wrongType.body;
  const auto replay = s.postC(good);
  EXPECT_EQ(replay.status, 409u) << replay.body;
  EXPECT_TRUE(contains(replay.body, "replayed")) << replay.body;

  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(s.merchant().received("PInitReq"), 1);  // only the accepted c reached the merchant
}

}  // namespace
}  // namespace setpay::services_test

namespace setpay::services_test {
namespace {

// The wallet under test is the build's own `setpay`: with AddressSanitizer its allocator keeps freed
// memory in quarantine (up to 256 MB by default) and shadows every byte, so RSS says nothing about the
// shipped binary, and each purchase costs several times the CPU. The sanitized build therefore runs fewer
// purchases and checks only that none is lost and no thread is added; the memory goal is asserted by the
// unsanitized build, which the test command runs too (scripts/run-tests.sh).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
constexpr int kPurchases = 200;
#else
constexpr bool kSanitized = false;
constexpr int kPurchases = 1000;
#endif

// Issue 9 "must show" 4: 1000 purchases waiting on a terminal at once in one wallet process (d pushed,
// the terminal shows the first and waits for a PIN that never comes). Reports RSS per pending purchase
// and the thread count (fixed: io threads + work pool, whatever the number of purchases).
TEST(WalletLoad, ThousandPendingPurchasesMemoryAndThreads) {
  WalletOptions o;
  o.config.eTimeoutS = 600;
  o.config.maxConnections = 2048;
  o.merchantFixture = true;  // the in-process merchant keeps 1000 PInitRes within the test's time
  WalletScene s(protocol::ProfileId::modern, o);
  int pipeFds[2];
  ASSERT_EQ(::pipe2(pipeFds, O_CLOEXEC), 0);
  s.startTerminal(pipeFds[0]);
  ::close(pipeFds[0]);
  s.waitTerminalConnected();
  // Warm up (TLS sessions, first allocations), then the baseline.
  const std::string warm = s.startPurchase(100);
  const auto warmDeadline = std::chrono::steady_clock::now() + 20s;
  while (s.status().at("awaiting_e").as_int64() < 1 && std::chrono::steady_clock::now() < warmDeadline) std::this_thread::sleep_for(20ms);
  const long rssBefore = s.walletRssKb();
  const long threadsBefore = s.walletThreads();
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < kPurchases; ++i) s.startPurchase(100 + i);
  const auto deadline = std::chrono::steady_clock::now() + 50s;
  std::int64_t waiting = 0;
  while ((waiting = s.status().at("awaiting_e").as_int64()) < kPurchases + 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(waiting, kPurchases + 1) << "not every purchase reached d within the time";
  const long rssAfter = s.walletRssKb();
  const long threadsAfter = s.walletThreads();
  const double perPurchaseKb = static_cast<double>(rssAfter - rssBefore) / kPurchases;
  std::printf("wallet: %d purchases awaiting e in %.1f s; RSS %ld kB → %ld kB (%.1f kB per pending purchase); threads %ld → %ld\n",
              kPurchases, seconds, rssBefore, rssAfter, perPurchaseKb, threadsBefore, threadsAfter);
  RecordProperty("rss_kb_before", static_cast<int>(rssBefore));
  RecordProperty("rss_kb_after", static_cast<int>(rssAfter));
  RecordProperty("threads", static_cast<int>(threadsAfter));
  if (!kSanitized) {
    EXPECT_LT(rssAfter, 256 * 1024) << "issue 9 goal: under 256 MB";
  }
  EXPECT_EQ(threadsAfter, threadsBefore) << "no thread per purchase";
  EXPECT_EQ(s.merchant().received("PReq"), 0);
  ::close(pipeFds[1]);
}

}  // namespace
}  // namespace setpay::services_test
