// `setpay demo` as a user runs it: exit status, the three scenes, the trace facts, no PAN in clear.
#include <gtest/gtest.h>

#include <signal.h>

#include <cerrno>
#include <regex>
#include <string>

#include "tests/support/scratch.hpp"

namespace {

using DemoRun = setpay::test_support::CommandResult;

// stdout and stderr together, as a user at a terminal sees them.
DemoRun demo(const std::string& args) {
  return setpay::test_support::captureCommand(setpay::test_support::shellQuote(setpay::test_support::setpayBinary()) +
                                              " demo " + args + " 2>&1");
}

bool has(const DemoRun& r, const std::string& s) { return r.output.find(s) != std::string::npos; }

void expectThreeScenes(const DemoRun& r) {
  EXPECT_EQ(r.status, 0) << r.output;
  for (const char* message : {"PInitReq", "PInitRes", "PReq", "AuthReq", "AuthRes", "PRes", "Error"})
    EXPECT_TRUE(has(r, std::string(" ") + message + " ")) << message;
  EXPECT_TRUE(has(r, "AuthCode approved, approval code "));
  EXPECT_TRUE(has(r, "AuthCode declined"));
  EXPECT_TRUE(has(r, "ErrorCode signatureFailure"));
  EXPECT_TRUE(has(r, "encrypted for gateway"));
  EXPECT_TRUE(has(r, "3 of 3 scenes behaved as expected"));
  EXPECT_FALSE(has(r, "UNEXPECTED"));
  EXPECT_FALSE(has(r, "4111111111111111")) << "the PAN must only appear masked";
  EXPECT_TRUE(has(r, "************1111"));
  // The trace leaves through the CLI's scrubber: printable ASCII and line breaks, nothing else.
  for (const char c : r.output)
    ASSERT_TRUE(c == '\n' || (c >= 0x20 && c <= 0x7e)) << "byte 0x" << std::hex << (c & 0xff) << " in the trace";
  EXPECT_TRUE(has(r, "  wallet    -> merchant  PInitReq")) << r.output;
}

TEST(DemoCli, ModernPurchaseDeclineAndTamperBehave) { expectThreeScenes(demo("")); }

TEST(DemoCli, Set1PurchaseDeclineAndTamperBehave) {
  const DemoRun r = demo("--profile set1");
  expectThreeScenes(r);
  EXPECT_TRUE(has(r, "profile set1"));
}

// --services: the gateway and the merchant as processes over HTTPS; the same scenes, where each message
// went, and both processes stopped (exit 0, PIDs gone).
TEST(DemoCli, ServicesModeRunsTheGatewayAndTheMerchantAsProcesses) {
  const DemoRun r = demo("--services --profile set1");
  expectThreeScenes(r);
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(POST https://127\.0\.0\.1:\d+/set \(application/set-payment\) -> HTTP 200)")))
      << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(merchant  -> gateway   AuthReq  POST https://127\.0\.0\.1:\d+/set)")));
  EXPECT_TRUE(has(r, "gateway   -> merchant  AuthRes  result approved"));
  EXPECT_TRUE(has(r, "gateway   -> merchant  AuthRes  result declined"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.output, m, std::regex(R"(stopped: merchant pid (\d+) \(SIGTERM\) exit 0, gateway pid (\d+) \(SIGTERM\) exit 0)")))
      << r.output;
  for (const std::size_t i : {std::size_t{1}, std::size_t{2}}) {
    errno = 0;
    EXPECT_EQ(::kill(std::stoi(m[i].str()), 0), -1) << "pid " << m[i] << " still runs";
    EXPECT_EQ(errno, ESRCH);
  }
}

TEST(DemoCli, HelpAndBadUsage) {
  const DemoRun help = demo("--help");
  EXPECT_EQ(help.status, 0);
  EXPECT_TRUE(has(help, "usage: setpay demo"));
  for (const char* flag : {"--profile", "--dir", "--keep", "--services"}) EXPECT_TRUE(has(help, flag)) << help.output;
  const DemoRun badProfile = demo("--profile set2");
  EXPECT_EQ(badProfile.status, 2);
  EXPECT_TRUE(has(badProfile, "--profile")) << badProfile.output;
  const DemoRun badFlag = demo("--frobnicate");
  EXPECT_EQ(badFlag.status, 2);
  EXPECT_TRUE(has(badFlag, "--frobnicate")) << badFlag.output;
  EXPECT_TRUE(has(badFlag, "setpay demo --help")) << badFlag.output;
}

}  // namespace
