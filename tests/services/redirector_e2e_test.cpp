// The redirector's direct and on-terminal modes end to end with real processes (tests/services/
// wallet_scene.hpp): `setpay gateway`, `setpay merchant`, `setpay wallet`, `setpay terminal` (PIN, card
// in pcscd's vpcd slot through `setpay card`), and the sender of message c as its own process:
// `setpay redirector open FILE` (direct, the redirector's key enrolled with `wallet enroll-sender`) or
// `setpay terminal open FILE` (on-terminal, the terminal's own key). FILE is the body of the
// merchant's POST /orders, as a browser would save it. Also the wallet's refusals of c (HTTP status and
// log line) for c built by the redirector's own code. Run under scripts/with-virtual-pcsc.sh.
#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "protocol/pki/pem.hpp"
#include "protocol/redirect/envelope.hpp"
#include "redirector/service/wallet_client.hpp"
#include "runtime/http_client.hpp"
#include "tests/services/wallet_scene.hpp"

namespace setpay::services_test {
namespace {

using namespace std::chrono_literals;

class RedirectorE2E : public ::testing::TestWithParam<protocol::ProfileId> {};

std::string profileParamName(const ::testing::TestParamInfo<protocol::ProfileId>& i) { return profileName(i.param); }

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// The redirector's config and key in the scene's home, its key enrolled at the wallet for kMsisdn.
fs::path setUpRedirector(WalletScene& s, const std::string& senderId = "desktop", bool enroll = true) {
  cli::RedirectorConfigOptions o;
  o.msisdn = WalletScene::kMsisdn;
  o.senderId = senderId;
  o.walletPortFile = s.walletPortFile();
  o.waitS = 60;
  o.name = "redirector-" + senderId;
  cli::writeRedirectorConfig(s.home.dir, o);
  if (enroll) {
    const auto r = s.walletCli("enroll-sender --msisdn " + std::string(WalletScene::kMsisdn) + " --sender-id " + senderId +
                               " --key " + test_support::shellQuote((s.home.dir / o.name / "pub.pem").string()));
    if (r.status != 0) throw std::runtime_error("enroll-sender: " + r.output);
  }
  return s.home.dir / (o.name + ".toml");
}

fs::path wakeUpFile(WalletScene& s, std::int64_t cents, const std::string& name = "wake.setpay") {
  const fs::path f = s.home.dir / name;
  test_support::writeFile(f, s.merchant().offerBody(cents, "1 x SET Book 2"));
  return f;
}

test_support::CommandResult run(const std::string& args) {
  return test_support::captureCommand(test_support::shellQuote(test_support::setpayBinary()) + " " + args + " 2>&1");
}

std::string purchaseIdIn(const std::string& output) {
  std::smatch m;
  if (!std::regex_search(output, m, std::regex("purchase ([0-9a-f]{32})\n"))) return "";
  return m[1];
}

redirector::SenderIdentity redirectorIdentity(const WalletScene& s, const std::string& senderId = "desktop") {
  return {protocol::Sender{protocol::SenderKind::direct, senderId},
          protocol::pki::privateKeyFromPem(test_support::readFile(s.home.dir / ("redirector-" + senderId) / "key.pem")), std::nullopt};
}

// Direct mode (claims 2–3): the shopper's computer runs `setpay redirector open wake.setpay`.
TEST_P(RedirectorE2E, DirectOpenRunsThePurchaseToApproved) {
  WalletScene s(GetParam());
  const fs::path config = setUpRedirector(s);
  s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n", 1);
  s.waitTerminalConnected();
  const fs::path wake = wakeUpFile(s, 4250);
  const auto started = std::chrono::steady_clock::now();
  const auto r = run("redirector open " + test_support::shellQuote(wake.string()) + " --config " + test_support::shellQuote(config.string()));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string id = purchaseIdIn(r.output);
  ASSERT_FALSE(id.empty()) << r.output;
  EXPECT_TRUE(contains(r.output, "outcome approved")) << r.output;
  EXPECT_TRUE(contains(r.output, "42.50 EUR")) << r.output;
  const auto ended = s.status(id);
  EXPECT_EQ(ended.at("outcome").as_string(), "approved");
  EXPECT_EQ(s.merchant().received("PInitReq"), 1);
  EXPECT_EQ(s.merchant().received("PReq"), 1);
  const std::string walletLog = test_support::readFile(s.walletLog);
  EXPECT_TRUE(contains(walletLog, "sender=direct:desktop")) << walletLog;
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(contains(s.terminalOutput(), "f: approved")) << s.terminalOutput();
  RecordProperty("open_to_outcome_ms", static_cast<int>(took.count()));
}

// --no-wait: the purchase id at once, exit 0; the purchase still runs to its end.
TEST_P(RedirectorE2E, DirectOpenNoWaitReturnsThePurchaseId) {
  WalletScene s(GetParam());
  const fs::path config = setUpRedirector(s);
  s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n", 1);
  s.waitTerminalConnected();
  const auto r = run("redirector open --no-wait " + test_support::shellQuote(wakeUpFile(s, 990).string()) + " --config " +
                     test_support::shellQuote(config.string()));
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string id = purchaseIdIn(r.output);
  ASSERT_FALSE(id.empty()) << r.output;
  EXPECT_FALSE(contains(r.output, "outcome")) << r.output;
  EXPECT_EQ(s.waitEnded(id).at("outcome").as_string(), "approved");
}

// On-terminal mode (claim 6): the handset sends c itself with its own MSISDN and its own key.
TEST_P(RedirectorE2E, TerminalOpenRunsThePurchaseToApproved) {
  WalletScene s(GetParam());
  // terminal.toml (the scene's) carries msisdn and [wallet_c] for `setpay terminal open`.
  ASSERT_TRUE(contains(test_support::readFile(s.home.dir / "terminal.toml"), "[wallet_c]"));
  s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n", 1);
  s.waitTerminalConnected();
  const auto r = run("terminal open " + test_support::shellQuote(wakeUpFile(s, 1234).string()) + " --config " +
                     test_support::shellQuote((s.home.dir / "terminal.toml").string()));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "outcome approved")) << r.output;
  EXPECT_TRUE(contains(r.output, "12.34 EUR")) << r.output;
  EXPECT_EQ(s.merchant().received("PReq"), 1);
  EXPECT_TRUE(contains(test_support::readFile(s.walletLog), "sender=on-terminal:handset"));
}

// The wallet's refusals of c built by the redirector's code: each its HTTP status and a c-refused log
// line with the reason; nothing reaches the merchant.
TEST_P(RedirectorE2E, WalletRefusesUnsignedMisSignedStaleReplayedAndUnenrolledC) {
  WalletScene s(GetParam());
  setUpRedirector(s);
  setUpRedirector(s, "stranger", false);  // a key the wallet never enrolled
  const std::string wake = s.merchant().offerBody(500, "1 x SET Book 2");
  const auto msisdn = *protocol::Msisdn::parse(WalletScene::kMsisdn);
  protocol::SystemRandom random;
  protocol::SystemClock clock;

  // Unsigned: the same content with its nonce and time but no Signature → 401 unsigned.
  const auto parsed = protocol::parseWakeUp(wake);
  protocol::RedirectEnvelope bare{protocol::Sender{protocol::SenderKind::direct, "desktop"}, msisdn, parsed.paymentUrl,
                                  protocol::toBytes(wake), protocol::ClientAuth{random.bytes(16), std::chrono::floor<std::chrono::seconds>(clock.now()),
                                                                                 std::nullopt, std::nullopt}};
  auto r = s.postC(protocol::formatEnvelope(bare));
  EXPECT_EQ(r.status, 401u) << r.body;
  EXPECT_TRUE(contains(r.body, "unsigned")) << r.body;

  // Signed by a key not enrolled for the MSISDN → 403; for an MSISDN without an account → 404.
  r = s.postC(redirector::signedC(protocol::view(wake), msisdn, redirectorIdentity(s, "stranger"), random, clock));
  EXPECT_EQ(r.status, 403u) << r.body;
  r = s.postC(redirector::signedC(protocol::view(wake), *protocol::Msisdn::parse("+33699999999"), redirectorIdentity(s), random, clock));
  EXPECT_EQ(r.status, 404u) << r.body;

  // Mis-signed: another key signs in the enrolled sender's name → 401 badSignature.
  auto impostor = redirectorIdentity(s, "stranger");
  impostor.sender.id = "desktop";
  r = s.postC(redirector::signedC(protocol::view(wake), msisdn, impostor, random, clock));
  EXPECT_EQ(r.status, 401u) << r.body;
  EXPECT_TRUE(contains(r.body, "badSignature")) << r.body;

  // Stale: signed ten minutes ago (window 300 s) → 401 stale.
  protocol::FixedClock past(clock.now() - 600s);
  r = s.postC(redirector::signedC(protocol::view(wake), msisdn, redirectorIdentity(s), random, past));
  EXPECT_EQ(r.status, 401u) << r.body;
  EXPECT_TRUE(contains(r.body, "stale")) << r.body;

  // Replayed: the one good c is accepted once (202), the same bytes again → 409 replayed.
  const std::string good = redirector::signedC(protocol::view(wake), msisdn, redirectorIdentity(s), random, clock);
  r = s.postC(good);
  EXPECT_EQ(r.status, 202u) << r.body;
  r = s.postC(good);
  EXPECT_EQ(r.status, 409u) << r.body;
  EXPECT_TRUE(contains(r.body, "replayed")) << r.body;

  const std::string log = test_support::readFile(s.walletLog);
  for (const char* reason :
       {"reason=unsigned", "reason=keyNotEnrolled", "reason=unknownMsisdn", "reason=badSignature", "reason=stale", "reason=replayed"})
    EXPECT_TRUE(contains(log, reason)) << reason << "\n" << log;
  // Only the accepted c reaches the merchant (its PInitReq is sent after the 202: wait for it).
  for (const auto deadline = std::chrono::steady_clock::now() + 10s;
       s.merchant().received("PInitReq") == 0 && std::chrono::steady_clock::now() < deadline;)
    std::this_thread::sleep_for(20ms);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(s.merchant().received("PInitReq"), 1);
}

// `setpay redirector open` with a key the wallet does not know: exit 1 and the wallet's reason.
TEST_P(RedirectorE2E, DirectOpenWithAnUnenrolledKeyFailsWithTheWalletsReason) {
  WalletScene s(GetParam());
  const fs::path config = setUpRedirector(s, "stranger", false);
  const auto r = run("redirector open " + test_support::shellQuote(wakeUpFile(s, 700).string()) + " --config " +
                     test_support::shellQuote(config.string()));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "the wallet refused message c: HTTP 403")) << r.output;
  EXPECT_TRUE(contains(r.output, "keyNotEnrolled")) << r.output;
  EXPECT_EQ(s.merchant().received("PInitReq"), 0);
}

// Relay mode (claim 4): here the wallet cannot reach the merchant at all (its [merchant] ca_file trusts
// nothing the merchant presents): the direct purchase fails at PInitReq, the relayed one is approved,
// every SET message having passed through `setpay redirector --mode relay open`.
TEST_P(RedirectorE2E, RelayCarriesEverySetMessageAndTheWalletNeverReachesTheMerchant) {
  WalletOptions o;
  o.config.merchantCaFile = "tls/wallet.pem";  // a server certificate, not the merchant's CA
  WalletScene s(GetParam(), o);
  const fs::path config = setUpRedirector(s);
  s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n", 1);
  s.waitTerminalConnected();
  auto r = run("redirector open " + test_support::shellQuote(wakeUpFile(s, 1000, "direct.setpay").string()) + " --config " +
               test_support::shellQuote(config.string()));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "outcome failed")) << r.output;
  EXPECT_TRUE(contains(r.output, "(merchant: ")) << r.output;
  EXPECT_EQ(s.merchant().received("PInitReq"), 0);

  const auto started = std::chrono::steady_clock::now();
  r = run("redirector --mode relay open " + test_support::shellQuote(wakeUpFile(s, 4250, "relay.setpay").string()) + " --config " +
          test_support::shellQuote(config.string()));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "outcome approved")) << r.output;
  std::size_t relayed = 0;
  for (auto at = r.output.find("relayed "); at != std::string::npos; at = r.output.find("relayed ", at + 1)) ++relayed;
  EXPECT_EQ(relayed, 2u) << r.output;  // PInitReq and PReq, each with the merchant's answer
  EXPECT_EQ(s.merchant().received("PInitReq"), 1);
  EXPECT_EQ(s.merchant().received("PReq"), 1);
  const std::string walletLog = test_support::readFile(s.walletLog);
  EXPECT_TRUE(contains(walletLog, "sender=relay:desktop")) << walletLog;
  EXPECT_TRUE(contains(walletLog, "relay-answer")) << walletLog;
  RecordProperty("relay_open_to_outcome_ms", static_cast<int>(took.count()));
}

// The wallet password (claims 9, 15): once set for the account (kept as a scrypt record), c without it
// is 401 passwordRequired, with a wrong one 401 passwordWrong; with the right one the purchase runs.
TEST_P(RedirectorE2E, WalletPasswordIsRequiredOnceSet) {
  WalletScene s(GetParam());
  const fs::path config = setUpRedirector(s);
  const std::string password = "correct horse battery staple";
  test_support::writeFile(s.home.dir / "pw.txt", password + "\n");
  test_support::writeFile(s.home.dir / "wrong.txt", std::string("Tr0ub4dor&3\n"));
  const auto set = s.walletCli("password --msisdn " + std::string(WalletScene::kMsisdn) + " --password-file " +
                               test_support::shellQuote((s.home.dir / "pw.txt").string()));
  ASSERT_EQ(set.status, 0) << set.output;
  EXPECT_TRUE(contains(s.walletCli("show --msisdn " + std::string(WalletScene::kMsisdn)).output, "wallet password set"));
  s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n", 1);
  s.waitTerminalConnected();
  const std::string base = test_support::readFile(config);
  auto withPassword = [&](const std::string& file) {
    std::string t = base;
    const std::string key = "private_key = \"redirector-desktop/key.pem\"\n";
    t.replace(t.find(key), key.size(), key + "wallet_password_file = \"" + file + "\"\n");
    const fs::path out = s.home.dir / ("redirector-" + file + ".toml");
    test_support::writeFile(out, t);
    return out;
  };
  auto open = [&](const fs::path& c, const std::string& wake) {
    return run("redirector open " + test_support::shellQuote(wakeUpFile(s, 700, wake).string()) + " --config " +
               test_support::shellQuote(c.string()));
  };
  auto r = open(config, "a.setpay");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "HTTP 401")) << r.output;
  EXPECT_TRUE(contains(r.output, "passwordRequired")) << r.output;
  r = open(withPassword("wrong.txt"), "b.setpay");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "passwordWrong")) << r.output;
  r = open(withPassword("pw.txt"), "c.setpay");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "outcome approved")) << r.output;
  // Neither the wallet's database nor its log holds the password itself.
  for (const fs::path& f : {s.walletLog, s.home.dir / "wallet" / "wallet.db", s.home.dir / "wallet" / "wallet.db-wal"})
    EXPECT_FALSE(contains(fs::exists(f) ? test_support::readFile(f) : std::string(), password)) << f;
}

// A relay request without the token the 202 gave the sender: 403; for an unknown purchase: 404.
TEST_P(RedirectorE2E, RelayEndpointNeedsTheToken) {
  WalletScene s(GetParam());
  setUpRedirector(s);
  const std::string wake = s.merchant().offerBody(500, "1 x SET Book 2");
  auto identity = redirectorIdentity(s);
  identity.sender.kind = protocol::SenderKind::relay;
  protocol::SystemRandom random;
  protocol::SystemClock clock;
  const auto r = s.postC(redirector::signedC(protocol::view(wake), *protocol::Msisdn::parse(WalletScene::kMsisdn), identity, random, clock));
  ASSERT_EQ(r.status, 202u) << r.body;
  const auto accepted = boost::json::parse(r.body).as_object();
  const std::string id(accepted.at("purchase").as_string());
  const std::string path(accepted.at("relay").as_string());
  EXPECT_EQ(path.substr(0, path.find("&token=")), "/relay?purchase=" + id);
  runtime::HttpClient client(s.home.clientOptions(false));
  const std::string base = "https://127.0.0.1:" + std::to_string(std::stoi(test_support::readFile(s.walletPortFile())));
  EXPECT_EQ(client.getSync(base + "/relay?purchase=" + id + "&token=00").status, 403u);
  EXPECT_EQ(client.getSync(base + "/relay?purchase=00&token=00").status, 404u);
  const auto taken = client.getSync(base + path);  // the PInitReq, for the holder of the token
  EXPECT_EQ(taken.status, 200u);
  EXPECT_EQ(taken.contentType, "application/set-payment");
  EXPECT_EQ(s.merchant().received("PInitReq"), 0) << "the wallet sent nothing to the merchant itself";
}

INSTANTIATE_TEST_SUITE_P(Profiles, RedirectorE2E, ::testing::Values(protocol::ProfileId::set1, protocol::ProfileId::modern),
                         profileParamName);

}  // namespace
}  // namespace setpay::services_test
