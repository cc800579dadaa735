// `setpay interop merchant` against `setpay merchant` with `setpay gateway` behind it (both profiles:
// every case passes; capture-now, skipped without --capture-now, passes against a merchant configured
// with capture_now and fails against one that is not), and against seeded_merchant with one check removed at a time: the case naming
// that check fails (a removed check may also fail a neighbouring case that leans on it).
#include <gtest/gtest.h>

#include "tests/interop/interop_fixture.hpp"

namespace setpay::interop_test {
namespace {

constexpr std::size_t kMerchantCases = 27;

InteropRun againstMerchant(const Home& home, const std::string& variant, const std::string& fault,
                           const std::string& options = "") {
  const Service gateway(home, "gateway");
  home.pointMerchantAt(gateway.port());
  const Service merchant(home, "merchant", variant, fault);
  return interop(home, "merchant", merchant.url(), options);
}

class OurMerchant : public ::testing::TestWithParam<std::string> {};

TEST_P(OurMerchant, PassesEveryCase) {
  const Home home(GetParam());
  const InteropRun run = againstMerchant(home, "", "");
  EXPECT_EQ(run.status, 0) << run.table;
  ASSERT_EQ(run.verdicts.size(), kMerchantCases) << run.table;
  for (const auto& [name, verdict] : run.verdicts)
    EXPECT_EQ(verdict, name == "capture-now" ? "skip" : "pass") << name << "\n" << run.table;
}

// The merchant's [set] capture_now = true: its AuthReq asks CaptureNow, and the wallet sees the
// capture in PRes and InqRes (the only place a wallet can see it).
TEST_P(OurMerchant, CapturingNowPassesCaptureNow) {
  const Home home(GetParam());
  home.merchantCapturesNow();
  const InteropRun run = againstMerchant(home, "", "", "--capture-now --case capture-now");
  EXPECT_EQ(run.status, 0) << run.table;
  ASSERT_EQ(run.verdicts.size(), 1u) << run.table;
  EXPECT_EQ(run.verdicts.at("capture-now"), "pass") << run.table;
}

INSTANTIATE_TEST_SUITE_P(Profiles, OurMerchant, ::testing::Values("set1", "modern"), [](const auto& p) { return p.param; });

// Said to capture (--capture-now) but configured not to: the case reads the PRes, and fails.
TEST(OurMerchantNotCapturing, FailsCaptureNow) {
  const Home home("modern");
  const InteropRun run = againstMerchant(home, "", "", "--capture-now --case capture-now");
  EXPECT_EQ(run.status, 1) << run.table;
  EXPECT_EQ(run.verdicts.at("capture-now"), "FAIL") << run.table;
  EXPECT_NE(run.table.find("CompletionCode authorizationPerformed"), std::string::npos) << run.table;
}

TEST(SeededMerchant, WithNoCheckRemovedPassesEveryCase) {
  const Home home("modern");
  const InteropRun run = againstMerchant(home, SEEDED_MERCHANT, "");
  EXPECT_EQ(run.status, 0) << run.table;
}

class SeededMerchantFault : public ::testing::TestWithParam<Fault> {};

TEST_P(SeededMerchantFault, IsCaughtByTheCaseNamingTheCheck) {
  const Home home("modern");
  const InteropRun run = againstMerchant(home, SEEDED_MERCHANT, GetParam().check);
  EXPECT_EQ(run.status, 1) << run.table;
  EXPECT_EQ(run.verdicts.at(GetParam().caseName), "FAIL") << run.table;
  EXPECT_EQ(run.verdicts.at("approved"), "pass") << "the variant still sells:\n" << run.table;
}

// Not seeded, because a second guard catches the same request (interop/CASES.md): the cardholder
// chain, "never answer an Error", one live transaction per order, the body limit.
INSTANTIATE_TEST_SUITE_P(Checks, SeededMerchantFault,
                         ::testing::Values(Fault{"challenge-m", "wrong-chall-m"},
                                           Fault{"brand-id", "wrong-brand-id"},
                                           Fault{"hod", "order-description-mismatch"},
                                           Fault{"transids-match", "transids-of-another-session"},
                                           Fault{"inquiry-transids", "inquiry-from-another-session"},
                                           Fault{"order-paid-once", "order-already-paid"},
                                           Fault{"inquiry-cardholder", "inquiry-by-another-cardholder"},
                                           Fault{"content-type", "wrong-content-type"}),
                         [](const auto& p) { return faultName(p.param); });

}  // namespace
}  // namespace setpay::interop_test
