// `setpay wallet` end to end with real processes (tests/services/wallet_scene.hpp): gateway, wallet,
// terminal, card in pcscd's vpcd slot, and the merchant test fixture. Run under
// scripts/with-virtual-pcsc.sh.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <map>
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
// Issue 9 must-show 2: the wallet runs with [trace] messages_dir, so every message it sent or received
// (d, e, f and the SET messages) is on disk; neither those files, nor its database (with -wal and -shm),
// nor its log hold the PAN (ASCII digits) or the PAN secret (raw, hex either case).
TEST_P(WalletE2E, ApprovedPurchaseUpdatesHistoryAndLoyalty) {
  test_support::TempDir traceDir("setpay-wallet-trace");
  WalletOptions o;
  o.config.traceDir = traceDir.path().string();
  WalletScene s(GetParam(), o);
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
  // Default mode: what the wallet captured, stored and logged holds neither the PAN nor the PAN secret.
  std::map<std::string, int> kinds;  // "d", "e", "f", "PReq", … → files
  std::vector<fs::path> scanned;
  for (const auto& entry : fs::directory_iterator(traceDir.path())) {
    const std::string name = entry.path().filename().string();  // <purchase id>.<kind>.der
    EXPECT_EQ(name.rfind(id + ".", 0), 0u) << name;
    ++kinds[entry.path().stem().extension().string().substr(1)];
    EXPECT_GT(fs::file_size(entry.path()), 0u) << name;
    scanned.push_back(entry.path());
  }
  for (const char* kind : {"d", "e", "f", "PInitReq", "PInitRes", "PReq", "PRes"})
    EXPECT_EQ(kinds[kind], 1) << "trace file of " << kind << " (the scan must not pass on an empty trace)";
  for (const char* file : {"wallet.db", "wallet.db-wal", "wallet.db-shm"}) {
    EXPECT_TRUE(fs::exists(s.home.dir / "wallet" / file)) << file;
    scanned.push_back(s.home.dir / "wallet" / file);
  }
  scanned.push_back(s.walletLog);
  std::string upperHex = protocol::hex(s.panSecret);
  for (char& c : upperHex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_EQ(s.pan.size(), 16u);
  ASSERT_FALSE(s.panSecret.empty());
  std::size_t bytesScanned = 0;
  for (const fs::path& f : scanned) {
    const std::string bytes = test_support::readFile(f);
    bytesScanned += bytes.size();
    EXPECT_FALSE(contains(bytes, s.pan)) << f << " holds the PAN";
    EXPECT_FALSE(contains(bytes, protocol::toString(s.panSecret))) << f << " holds the PAN secret";
    EXPECT_FALSE(contains(bytes, protocol::hex(s.panSecret))) << f << " holds the PAN secret (hex)";
    EXPECT_FALSE(contains(bytes, upperHex)) << f << " holds the PAN secret (HEX)";
  }
  EXPECT_GT(bytesScanned, 0u);
  RecordProperty("files_scanned", static_cast<int>(scanned.size()));
  RecordProperty("bytes_scanned", static_cast<int>(bytesScanned));
}

// FT11: above the per-purchase ceiling the terminal is never asked; f says why; the merchant gets no PReq.
TEST_P(WalletE2E, CeilingRefusalIsShownInFAndTheCardIsNeverAsked) {
  WalletScene s(GetParam(), WalletOptions{{}, "--ceiling-purchase 1000 --ceiling-day 5000", false, {}, true});
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
  WalletScene s(protocol::ProfileId::modern, WalletOptions{{}, "--ceiling-purchase 1000", false, {}, true});
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

namespace json = boost::json;

std::string encoded(const std::string& msisdn) { return "%2B" + msisdn.substr(1); }
std::string accountsOf(const std::string& msisdn) { return "/accounts?msisdn=" + encoded(msisdn); }
int count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// Issue 9 must-show 5: POST /accounts enrolls over the operator's API — refusals pinned (status and
// message), nothing enrolled by any of them — then a purchase for that MSISDN runs end to end, and the
// CLI and GET /accounts show the same account.
TEST(WalletApi, EnrollOverHttpThenAPurchaseApproves) {
  WalletOptions o;
  o.enroll = false;
  WalletScene s(protocol::ProfileId::modern, o);
  const std::string pem = test_support::readFile(s.home.dir / "tls" / "terminal-client.pem");
  const json::object good{{"msisdn", WalletScene::kMsisdn}, {"terminal_cert", pem}, {"brands", json::array{"SETPAY"}},
                          {"bin", s.pan.substr(0, 6)}, {"ceiling_month", 100000}};
  const auto with = [&](const char* key, json::value v) {
    json::object b = good;
    b[key] = std::move(v);
    return json::serialize(b);
  };
  const auto without = [&](const char* key) {
    json::object b = good;
    b.erase(key);
    return json::serialize(b);
  };
  const auto enroll = [&](const std::string& body, const std::string& client = "operator",
                          const std::string& type = "application/json") { return s.api(client, "POST", "/accounts", type, body); };

  EXPECT_EQ(enroll(json::serialize(good), "").status, 401u);
  EXPECT_EQ(enroll(json::serialize(good), "stranger").status, 403u);
  EXPECT_EQ(enroll(json::serialize(good), "operator", "text/plain").status, 415u);
  EXPECT_EQ(enroll(with("sender_id", json::string(std::string(70 * 1024, 'x')))).status, 413u);  // [server] max_body_bytes: 64 KiB
  const std::vector<std::pair<std::string, std::string>> refused{
      {"{\"msisdn\":", "the body is not JSON: "},
      {"[1,2]", "the body is not a JSON object\n"},
      {with("pan", "4970100000000001"), "unknown field \"pan\"\n"},
      {without("terminal_cert"), "\"terminal_cert\" is required\n"},
      {with("bin", 497010), "\"bin\" must be a string\n"},
      {with("brands", "SETPAY"), "\"brands\" must be an array of strings\n"},
      {with("currency", "978"), "\"currency\" must be an integer\n"},
      {with("ceiling_day", "5000"), "\"ceiling_day\" must be an integer (minor units) or null\n"},
      {with("ceiling_purchase", -1), "the per-purchase ceiling must be 0 or more (minor units)\n"},
      {with("msisdn", "0612345678"), "\"msisdn\" is not an E.164 number (+ then 7..15 digits)\n"},
      {with("terminal_cert", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
       "the terminal certificate is not a PEM certificate: "},
      {with("bin", "4970"), "the BIN must be 6 digits\n"},
      {with("brands", json::array{}), "an account holds 1 to 16 brands\n"},
      {with("brands", json::array{"SET,PAY"}), "a brand is 1 to 40 printable characters without a comma or a space\n"},
      {with("exp10", 13), "the exponent is -12 to 12\n"},
  };
  for (const auto& [body, message] : refused) {
    const auto r = enroll(body);
    EXPECT_EQ(r.status, 400u) << body.substr(0, 200) << " → " << r.body;
    EXPECT_EQ(r.body.substr(0, message.size()), message) << body.substr(0, 200);
  }
  EXPECT_EQ(s.getAccount("operator").status, 404u) << "a refused enrollment enrolled something";

  const auto created = enroll(json::serialize(good));
  ASSERT_EQ(created.status, 201u) << created.body;
  const auto a = json::parse(created.body).as_object();
  EXPECT_EQ(a.at("msisdn").as_string(), WalletScene::kMsisdn);
  EXPECT_EQ(a.at("brands").as_array(), (json::array{"SETPAY"}));
  EXPECT_EQ(a.at("bin").as_string(), s.pan.substr(0, 6));
  EXPECT_EQ(a.at("currency").as_int64(), 978);
  EXPECT_TRUE(a.at("ceiling_purchase").is_null());
  EXPECT_EQ(a.at("ceiling_month").as_int64(), 100000);
  EXPECT_FALSE(a.contains("terminal_cert"));
  EXPECT_TRUE(a.at("history").as_array().empty());

  const auto again = enroll(json::serialize(good));
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(again.body, "+33612345678 is already enrolled\n");
  const auto sameTerminal = enroll(with("msisdn", "+33699999999"));
  EXPECT_EQ(sameTerminal.status, 409u);
  EXPECT_EQ(sameTerminal.body, "this terminal is already enrolled for +33612345678\n");

  const auto show = s.walletCli("show --msisdn " + std::string(WalletScene::kMsisdn));
  ASSERT_EQ(show.status, 0) << show.output;
  EXPECT_TRUE(contains(show.output, "sender handset")) << show.output;
  EXPECT_TRUE(contains(show.output, "brands SETPAY  bin " + s.pan.substr(0, 6))) << show.output;
  EXPECT_TRUE(contains(show.output, "ceilings: purchase none  day none  month 978 100000 -2 = 1000.00 EUR")) << show.output;

  // The account enrolled over HTTP buys: its terminal is admitted, c verified against its key, approved.
  s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n", 1);
  s.waitTerminalConnected();
  const auto ended = s.waitEnded(s.startPurchase(4250));
  EXPECT_EQ(ended.at("outcome").as_string(), "approved") << ended.at("reason").as_string();
  EXPECT_EQ(s.merchant().received("PReq"), 1);
  const auto read = s.getAccount("operator");
  ASSERT_EQ(read.status, 200u) << read.body;
  const auto after = json::parse(read.body).as_object();
  EXPECT_EQ(after.at("loyalty_points").as_int64(), 42);
  ASSERT_EQ(after.at("history").as_array().size(), 1u);
  EXPECT_EQ(after.at("history").as_array()[0].as_object().at("outcome").as_string(), "approved");

  // One log line per call, the operator and the action named, never the certificate.
  const std::string log = test_support::readFile(s.walletLog);
  EXPECT_EQ(count(log, "api-refused"), 2) << log;  // 401, 403 (415 and 413 never reach the API)
  EXPECT_EQ(count(log, "action=enroll"), 2 + static_cast<int>(refused.size()) + 3) << log;
  EXPECT_TRUE(contains(log, "status=201")) << log;
  EXPECT_TRUE(contains(log, "CN=operator")) << log;
  EXPECT_FALSE(contains(log, pem.substr(pem.find('\n') + 1, 40))) << "the certificate is in the log";
}

// Issue 9 must-show 5: PATCH /accounts sets and clears ceilings; the next purchase above them is refused
// before the terminal is asked, and once cleared it goes through. The CLI sees HTTP's changes and
// HTTP sees the CLI's (`setpay wallet ceilings`).
TEST(WalletApi, CeilingsOverHttpRefuseThenClearing) {
  WalletScene s(protocol::ProfileId::modern);  // enrolled by the CLI, no ceilings
  s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n");
  s.waitTerminalConnected();
  const std::string target = accountsOf(WalletScene::kMsisdn);
  const auto patch = [&](const std::string& body, const std::string& client = "operator", const std::string& t = "",
                         const std::string& type = "application/json") {
    return s.api(client, "PATCH", t.empty() ? target : t, type, body);
  };
  const std::string set = R"({"ceiling_purchase":1000,"ceiling_day":5000})";
  EXPECT_EQ(patch(set, "").status, 401u);
  EXPECT_EQ(patch(set, "stranger").status, 403u);
  EXPECT_EQ(patch(set, "operator", "", "text/plain").status, 415u);
  EXPECT_EQ(patch(set, "operator", "/accounts").body, "msisdn is required\n");
  EXPECT_EQ(patch(set, "operator", "/accounts?msisdn=0612").body, "msisdn is not E.164\n");
  const auto unknown = patch(set, "operator", accountsOf("+33699999999"));
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(unknown.body, "no account for this MSISDN\n");
  const std::vector<std::pair<std::string, std::string>> refused{
      {"{}", "the body names none of \"ceiling_purchase\", \"ceiling_day\", \"ceiling_month\"\n"},
      {R"({"ceiling_week":1})", "unknown field \"ceiling_week\"\n"},
      {R"({"ceiling_purchase":"1000"})", "\"ceiling_purchase\" must be an integer (minor units) or null\n"},
      {R"({"ceiling_purchase":10.5})", "\"ceiling_purchase\" must be an integer (minor units) or null\n"},
      {R"({"ceiling_month":-5})", "the month ceiling must be 0 or more (minor units)\n"},
      {"ceiling_purchase=1000", "the body is not JSON: "},
  };
  for (const auto& [body, message] : refused) {
    const auto r = patch(body);
    EXPECT_EQ(r.status, 400u) << body << " → " << r.body;
    EXPECT_EQ(r.body.substr(0, message.size()), message) << body;
  }
  const auto show = [&] { return s.walletCli("show --msisdn " + std::string(WalletScene::kMsisdn)).output; };
  EXPECT_TRUE(contains(show(), "ceilings: purchase none  day none  month none")) << show();

  const auto changed = patch(set);
  ASSERT_EQ(changed.status, 200u) << changed.body;
  const auto a = json::parse(changed.body).as_object();
  EXPECT_EQ(a.at("ceiling_purchase").as_int64(), 1000);
  EXPECT_EQ(a.at("ceiling_day").as_int64(), 5000);
  EXPECT_TRUE(a.at("ceiling_month").is_null());
  EXPECT_TRUE(contains(show(), "ceilings: purchase 978 1000 -2 = 10.00 EUR  day 978 5000 -2 = 50.00 EUR  month none")) << show();

  // Above the per-purchase ceiling: refused before the terminal is asked (no d), the merchant gets no PReq.
  const auto over = s.waitEnded(s.startPurchase(1500));
  EXPECT_EQ(over.at("outcome").as_string(), "refused");
  EXPECT_TRUE(contains(std::string(over.at("reason").as_string()), "perPurchaseCeiling")) << over.at("reason").as_string();
  EXPECT_EQ(s.merchant().received("PReq"), 0);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(count(s.terminalOutput(), "d: "), 0) << s.terminalOutput();

  // Cleared (merge-patch: the day ceiling is kept): the same amount goes through.
  const auto cleared = patch(R"({"ceiling_purchase":null})", "operator", "", "application/merge-patch+json");
  ASSERT_EQ(cleared.status, 200u) << cleared.body;
  EXPECT_TRUE(json::parse(cleared.body).as_object().at("ceiling_purchase").is_null());
  EXPECT_TRUE(contains(show(), "ceilings: purchase none  day 978 5000 -2 = 50.00 EUR  month none")) << show();
  const auto through = s.waitEnded(s.startPurchase(1500));
  EXPECT_EQ(through.at("outcome").as_string(), "approved") << through.at("reason").as_string();
  EXPECT_EQ(s.merchant().received("PReq"), 1);

  // A rolling-day ceiling lowered over HTTP counts the approved purchase: 1500 + 1000 > 2000.
  ASSERT_EQ(patch(R"({"ceiling_day":2000})").status, 200u);
  const auto day = s.waitEnded(s.startPurchase(1000));
  EXPECT_EQ(day.at("outcome").as_string(), "refused");
  EXPECT_TRUE(contains(std::string(day.at("reason").as_string()), "dailyCeiling")) << day.at("reason").as_string();
  EXPECT_EQ(s.merchant().received("PReq"), 1);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(count(s.terminalOutput(), "d: "), 1) << s.terminalOutput();

  // The CLI's `ceilings` and HTTP see the same account.
  const auto cli = s.walletCli("ceilings --msisdn " + std::string(WalletScene::kMsisdn) + " --day none --month 30000");
  ASSERT_EQ(cli.status, 0) << cli.output;
  EXPECT_TRUE(contains(cli.output, "ceilings: purchase none  day none  month 978 30000 -2 = 300.00 EUR")) << cli.output;
  const auto read = json::parse(s.getAccount("operator").body).as_object();
  EXPECT_TRUE(read.at("ceiling_day").is_null());
  EXPECT_EQ(read.at("ceiling_month").as_int64(), 30000);
  EXPECT_EQ(read.at("history").as_array().size(), 3u);
  const auto bad = s.walletCli("ceilings --msisdn " + std::string(WalletScene::kMsisdn) + " --day -3");
  EXPECT_EQ(bad.status, 1) << bad.output;
  EXPECT_TRUE(contains(bad.output, "the day ceiling must be 0 or more (minor units)")) << bad.output;
}

// Rolling ceilings count purchases still under way: two at once cannot together pass the day's ceiling.
TEST(WalletCeilings, PendingPurchasesCountAgainstTheRollingDay) {
  WalletScene s(protocol::ProfileId::modern, WalletOptions{{}, "--ceiling-day 5000", false, {}, true});
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
