// `setpay demo --mobile [--redirector MODE]` as a user runs it (cli/demo_mobile.cpp): every role a
// process, the card in the vpcd reader of the private pcscd that scripts/with-virtual-pcsc.sh starts
// around ctest. Exit status, the three scene outcomes, every leg, the process that sent c (each mode's
// own: `setpay redirector open`, `--mode relay open`, `setpay terminal open`, the gateway-proxy), each
// process stopped with exit 0 and gone, no PAN. Without a pcscd (or radclient for gateway-proxy): exit 1
// and a message that says what is missing.
#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <regex>
#include <string>

#include "tests/support/scratch.hpp"

namespace {

using setpay::test_support::CommandResult;
using setpay::test_support::shellQuote;

CommandResult demo(const std::string& env, const std::string& args) {
  return setpay::test_support::captureCommand(env + " " + shellQuote(setpay::test_support::setpayBinary()) + " demo --mobile " +
                                              args + " 2>&1");
}

bool has(const CommandResult& r, const std::string& s) { return r.output.find(s) != std::string::npos; }

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

void expectGone(const std::string& pid) {
  errno = 0;
  EXPECT_EQ(::kill(std::stoi(pid), 0), -1) << "pid " << pid << " still runs";
  EXPECT_EQ(errno, ESRCH);
}

// What only the mode shows: who sent c (the wallet's log names the enrolled sender), what it printed.
void expectSenderOfC(const CommandResult& r, const std::string& mode) {
  const std::string sender = mode == "on-terminal" ? "  terminal  -> wallet    c " : "  redirector -> wallet    c ";
  EXPECT_EQ(count(r.output, sender), 3u) << sender << "\n" << r.output;
  if (mode == "gateway-proxy") {
    EXPECT_EQ(count(r.output, "signed by the key enrolled for sender gateway-proxy:operator-gw-1 (the wallet's log); sent by "
                              "`setpay redirector --mode gateway-proxy` (pid "),
              3u)
        << r.output;
    EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(\$ radclient -f accounting-start\.txt -S redirector-gw/radius-secret .* acct   # )"
                                                       R"(Accounting-Start: Framed-IP-Address 127\.0\.0\.2 <-> Calling-Station-Id \+33600000001; exit 0)")))
        << r.output;
    EXPECT_EQ(count(r.output, "  merchant  -> proxy     wake-up "), 3u) << r.output;
    EXPECT_EQ(count(r.output, "  redirector -> handset   page "), 3u) << r.output;
    EXPECT_EQ(count(r.output, "\"Confirm on your card reader\" (the wake-up never reached the browser)"), 3u) << r.output;
    EXPECT_TRUE(has(r, "(through the proxy) -> HTTP 200, \"Payment approved\", outcome approved")) << r.output;
    EXPECT_TRUE(has(r, "(through the proxy) -> HTTP 200, \"Payment not approved\", outcome declined")) << r.output;
    EXPECT_TRUE(has(r, "(through the proxy) -> HTTP 200, \"Payment not approved\", outcome refused")) << r.output;
    return;
  }
  const std::string command = mode == "direct"        ? "setpay redirector open wake-"
                              : mode == "relay"       ? "setpay redirector --mode relay open wake-"
                                                      : "setpay terminal open wake-";
  const std::string senderId = mode == "direct" ? "direct:desktop" : mode == "relay" ? "relay:desktop" : "on-terminal:handset";
  EXPECT_EQ(count(r.output, "  merchant  -> browser   wake-up "), 3u) << r.output;
  for (const char* n : {"1", "2", "3"}) {
    const std::string config = mode == "on-terminal" ? "terminal.toml" : "redirector.toml";
    EXPECT_TRUE(has(r, "signed by the key enrolled for sender " + senderId + " (the wallet's log); sent by `" + command + n +
                           ".setpay --config " + config + "` (pid "))
        << n << "\n" << r.output;
  }
  // Its own output: the purchase's outcome, exit 0 only for the approved one.
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(\| outcome approved  setpay demo shop  978 4250 -2 = 42\.50 EUR  \(approved\)\n    exit 0\n)")))
      << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(\| outcome declined  [^\n]*\n    exit 1\n)"))) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(\| outcome refused  [^\n]*perPurchaseCeiling[^\n]*\n    exit 1\n)"))) << r.output;
  if (mode == "relay") {  // PInitReq and PReq twice, PInitReq once (the ceiling), each through the redirector
    EXPECT_EQ(count(r.output, "    | relayed "), 5u) << r.output;
    EXPECT_EQ(count(r.output, "(carried by the redirector, pid "), 5u) << r.output;
  } else {
    EXPECT_EQ(count(r.output, "relayed "), 0u) << r.output;
  }
  // Every sender process has ended.
  const std::regex printed(R"(\(pid (\d+)\) printed:)");
  std::size_t senders = 0;
  for (auto it = std::sregex_iterator(r.output.begin(), r.output.end(), printed); it != std::sregex_iterator(); ++it, ++senders)
    expectGone((*it)[1].str());
  EXPECT_EQ(senders, 3u) << r.output;
}

void expectWholeSystem(const std::string& profile, const std::string& mode) {
  ASSERT_NE(std::getenv("PCSCLITE_CSOCK_NAME"), nullptr) << "run ctest under scripts/with-virtual-pcsc.sh";
  const auto started = std::chrono::steady_clock::now();
  const CommandResult r = demo("", "--profile " + profile + (mode.empty() ? std::string() : " --redirector " + mode));
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took, std::chrono::seconds(30)) << "the mobile demo is meant to stay under half a minute";
  ::testing::Test::RecordProperty("demo_ms", static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(has(r, "profile " + profile)) << r.output;
  EXPECT_TRUE(has(r, "message c: --redirector " + (mode.empty() ? std::string("direct") : mode) + ": ")) << r.output;
  // The three outcomes, as the wallet reported them.
  EXPECT_TRUE(has(r, "[as expected] the wallet says: approved (approved)")) << r.output;
  EXPECT_TRUE(has(r, "[as expected] the wallet says: declined (declined)")) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(\[as expected\] the wallet says: refused \(perPurchaseCeiling: above the per-purchase ceiling of [^)]*\); \d+ ms from c to f; the merchant got no PReq)")))
      << r.output;
  EXPECT_TRUE(has(r, "3 of 3 scenes behaved as expected")) << r.output;
  EXPECT_FALSE(has(r, "UNEXPECTED")) << r.output;
  EXPECT_FALSE(has(r, "DOES NOT VERIFY")) << r.output;
  expectSenderOfC(r, mode.empty() ? "direct" : mode);
  // Every other leg, each from the process that sent it.
  for (const char* leg : {"  wallet    -> merchant  PInitReq ", "  merchant  -> wallet    PInitRes ",
                          "  wallet    -> terminal  d ", "  terminal  -> card      APDUs ", "  terminal  -> wallet    e ",
                          "  wallet    -> merchant  PReq ", "  merchant  -> gateway   AuthReq ", "  gateway   -> merchant  AuthRes ",
                          "  merchant  -> wallet    PRes ", "  wallet    -> terminal  f "})
    EXPECT_TRUE(has(r, leg)) << leg << "\n" << r.output;
  EXPECT_TRUE(has(r, "signed by the terminal's enrolled key")) << r.output;
  EXPECT_TRUE(has(r, "dual-signed by cardholder ")) << r.output;
  EXPECT_TRUE(has(r, "VERIFY (PIN)")) << r.output;
  EXPECT_TRUE(has(r, "result approved (the merchant's log line)")) << r.output;
  EXPECT_TRUE(has(r, "result declined (the merchant's log line)")) << r.output;
  EXPECT_TRUE(has(r, "(no d: the terminal is not asked)")) << r.output;
  EXPECT_TRUE(has(r, "| f: refused")) << r.output;
  // No PAN anywhere, only masked; printable ASCII only.
  EXPECT_FALSE(has(r, "4111111111111111")) << "the PAN must only appear masked";
  EXPECT_TRUE(has(r, "************1111"));
  for (const char c : r.output)
    ASSERT_TRUE(c == '\n' || (c >= 0x20 && c <= 0x7e)) << "byte 0x" << std::hex << (c & 0xff) << " in the trace";
  // Exactly the processes started, stopped by PID, each exit 0, none left.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.output, m, std::regex(R"(stopped: (?:redirector \(gateway-proxy\) pid (\d+) \(SIGTERM\) exit 0, )?)"
                                                        R"(terminal pid (\d+) \(ended after its 3 confirmations\) exit 0, )"
                                                        R"(wallet pid (\d+) \(SIGTERM\) exit 0, card pid (\d+) \(SIGTERM\) exit 0, )"
                                                        R"(merchant pid (\d+) \(SIGTERM\) exit 0, gateway pid (\d+) \(SIGTERM\) exit 0\n)")))
      << r.output;
  EXPECT_EQ(m[1].matched, mode == "gateway-proxy") << r.output;
  for (std::size_t i = 1; i <= 6; ++i)
    if (m[i].matched) expectGone(m[i].str());
}

// No --redirector: direct, c sent by `setpay redirector open`.
TEST(DemoMobile, ModernDirectByDefault) { expectWholeSystem("modern", ""); }
TEST(DemoMobile, Set1DirectByDefault) { expectWholeSystem("set1", ""); }
TEST(DemoMobile, ModernRelay) { expectWholeSystem("modern", "relay"); }
TEST(DemoMobile, ModernOnTerminal) { expectWholeSystem("modern", "on-terminal"); }
TEST(DemoMobile, ModernGatewayProxy) { expectWholeSystem("modern", "gateway-proxy"); }
TEST(DemoMobile, Set1Relay) { expectWholeSystem("set1", "relay"); }
TEST(DemoMobile, Set1OnTerminal) { expectWholeSystem("set1", "on-terminal"); }
TEST(DemoMobile, Set1GatewayProxy) { expectWholeSystem("set1", "gateway-proxy"); }

// gateway-proxy without radclient on PATH: exit 1 before anything starts, and the package named.
TEST(DemoMobile, GatewayProxyWithoutRadclientFailsWithAClearMessage) {
  const CommandResult r = demo("PATH=/nonexistent", "--redirector gateway-proxy");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(has(r, "setpay demo --mobile --redirector gateway-proxy: radclient is not on PATH; the proxy learns the handset's "
                     "MSISDN from a RADIUS Accounting-Start that radclient sends (package freeradius-utils)"))
      << r.output;
  EXPECT_FALSE(has(r, "setpay pki init")) << r.output;
}

// --redirector is for --mobile; an unknown mode is bad usage.
TEST(DemoMobile, RedirectorOptionUsage) {
  CommandResult r = setpay::test_support::captureCommand(shellQuote(setpay::test_support::setpayBinary()) + " demo --redirector relay 2>&1");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "--redirector goes with --mobile")) << r.output;
  r = demo("", "--redirector carrier-pigeon");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "carrier-pigeon")) << r.output;
}

// No pcscd at the socket: exit 1 before anything is minted or started, and the way out is named.
TEST(DemoMobile, WithoutPcscdFailsWithAClearMessage) {
  setpay::test_support::TempDir scratch("setpay-demo-nopcsc");
  const CommandResult r = demo("PCSCLITE_CSOCK_NAME=" + shellQuote(scratch.file("no-pcscd.comm")), "");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(has(r, "setpay demo --mobile: no pcscd reachable (")) << r.output;
  EXPECT_TRUE(has(r, "scripts/with-virtual-pcsc.sh")) << r.output;
  EXPECT_FALSE(has(r, "setpay pki init")) << "nothing is started without a reader: " << r.output;
}

}  // namespace
