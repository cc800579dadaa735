// `setpay interop gateway` against `setpay gateway` (both profiles: every case passes), and against
// seeded_gateway with one check removed at a time: the case naming that check fails, and only that one.
#include <gtest/gtest.h>

#include "tests/interop/interop_fixture.hpp"

namespace setpay::interop_test {
namespace {

class OurGateway : public ::testing::TestWithParam<std::string> {};

TEST_P(OurGateway, PassesEveryCase) {
  const Home home(GetParam());
  const Service gateway(home, "gateway");
  const InteropRun run = interop(home, "gateway", gateway.url());
  EXPECT_EQ(run.status, 0) << run.table;
  ASSERT_EQ(run.verdicts.size(), 12u) << run.table;
  for (const auto& [name, verdict] : run.verdicts) {
    if (GetParam() == "set1" && name == "pi-sealed-for-another-gateway")
      EXPECT_EQ(verdict, "skip") << "set1 has no gateway-thumbprint extension";
    else
      EXPECT_EQ(verdict, "pass") << name << "\n" << run.table;
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, OurGateway, ::testing::Values("set1", "modern"), [](const auto& p) { return p.param; });

TEST(OurGatewayBinary, IgnoresTheSeededFaultVariable) {  // shipped binaries have no removable check
  const Home home("modern");
  const Service gateway(home, "gateway", "", "merchant-brand");
  const InteropRun run = interop(home, "gateway", gateway.url());
  EXPECT_EQ(run.status, 0) << run.table;
  EXPECT_EQ(run.verdicts.at("merchant-of-another-brand"), "pass");
}

TEST(SeededGateway, WithNoCheckRemovedPassesEveryCase) {  // the variant is otherwise the same gateway
  const Home home("modern");
  const Service gateway(home, "gateway", SEEDED_GATEWAY);
  const InteropRun run = interop(home, "gateway", gateway.url());
  EXPECT_EQ(run.status, 0) << run.table;
}

class SeededGatewayFault : public ::testing::TestWithParam<Fault> {};

TEST_P(SeededGatewayFault, IsCaughtByTheCaseNamingTheCheckAndOnlyByIt) {
  const Home home("modern");
  const Service gateway(home, "gateway", SEEDED_GATEWAY, GetParam().check);
  const InteropRun run = interop(home, "gateway", gateway.url());
  EXPECT_EQ(run.status, 1) << run.table;
  for (const auto& [name, verdict] : run.verdicts)
    EXPECT_EQ(verdict, name == GetParam().caseName ? "FAIL" : "pass") << name << "\n" << run.table;
}

// Not seeded: the gateway-thumbprint step, which protocol's open(PI) already makes (interop/CASES.md).
INSTANTIATE_TEST_SUITE_P(Checks, SeededGatewayFault,
                         ::testing::Values(Fault{"merchant-brand", "merchant-of-another-brand"},
                                           Fault{"pi-linkage", "pi-of-another-purchase"},
                                           Fault{"amount-within-pi", "amount-above-pi"},
                                           Fault{"replay-cache", "replayed-authreq"}),
                         [](const auto& p) { return faultName(p.param); });

}  // namespace
}  // namespace setpay::interop_test
