// `setpay demo` as a user runs it: exit status, the three scenes, the trace facts, no PAN in clear.
#include <gtest/gtest.h>

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
}

TEST(DemoCli, ModernPurchaseDeclineAndTamperBehave) { expectThreeScenes(demo("")); }

TEST(DemoCli, Set1PurchaseDeclineAndTamperBehave) {
  const DemoRun r = demo("--profile set1");
  expectThreeScenes(r);
  EXPECT_TRUE(has(r, "profile set1"));
}

TEST(DemoCli, HelpAndBadUsage) {
  const DemoRun help = demo("--help");
  EXPECT_EQ(help.status, 0);
  EXPECT_TRUE(has(help, "usage: setpay demo"));
  EXPECT_EQ(demo("--profile set2").status, 2);
  EXPECT_EQ(demo("--frobnicate").status, 2);
}

}  // namespace
