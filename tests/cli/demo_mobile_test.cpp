// `setpay demo --mobile` as a user runs it (cli/demo_mobile.cpp): every role a process, the card in
// the vpcd reader of the private pcscd that scripts/with-virtual-pcsc.sh starts around ctest. Exit
// status, the three scene outcomes, every leg, each process stopped with exit 0 and gone, no PAN.
// Without a pcscd: exit 1 and a message that says what is missing.
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

void expectWholeSystem(const std::string& profile) {
  ASSERT_NE(std::getenv("PCSCLITE_CSOCK_NAME"), nullptr) << "run ctest under scripts/with-virtual-pcsc.sh";
  const auto started = std::chrono::steady_clock::now();
  const CommandResult r = demo("", "--profile " + profile);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took, std::chrono::seconds(60)) << "the mobile demo is meant to stay under a minute";
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(has(r, "profile " + profile)) << r.output;
  // The three outcomes, as the wallet reported them.
  EXPECT_TRUE(has(r, "[as expected] the wallet says: approved (approved)")) << r.output;
  EXPECT_TRUE(has(r, "[as expected] the wallet says: declined (declined)")) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(\[as expected\] the wallet says: refused \(perPurchaseCeiling: above the per-purchase ceiling of [^)]*\); \d+ ms from c to f; the merchant got no PReq)")))
      << r.output;
  EXPECT_TRUE(has(r, "3 of 3 scenes behaved as expected")) << r.output;
  EXPECT_FALSE(has(r, "UNEXPECTED")) << r.output;
  EXPECT_FALSE(has(r, "DOES NOT VERIFY")) << r.output;
  // Every leg, each from the process that sent it.
  for (const char* leg : {"  handset   -> wallet    c ", "  wallet    -> merchant  PInitReq ", "  merchant  -> wallet    PInitRes ",
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
  ASSERT_TRUE(std::regex_search(r.output, m, std::regex(R"(stopped: terminal pid (\d+) \(ended after its 3 confirmations\) exit 0, )"
                                                        R"(wallet pid (\d+) \(SIGTERM\) exit 0, card pid (\d+) \(SIGTERM\) exit 0, )"
                                                        R"(merchant pid (\d+) \(SIGTERM\) exit 0, gateway pid (\d+) \(SIGTERM\) exit 0)")))
      << r.output;
  for (std::size_t i = 1; i <= 5; ++i) {
    errno = 0;
    EXPECT_EQ(::kill(std::stoi(m[i].str()), 0), -1) << "pid " << m[i] << " still runs";
    EXPECT_EQ(errno, ESRCH);
  }
}

TEST(DemoMobile, ModernWholeSystemThreeScenes) { expectWholeSystem("modern"); }
TEST(DemoMobile, Set1WholeSystemThreeScenes) { expectWholeSystem("set1"); }

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
