// Issue 12 item 21: the merchant's Chall-M comparison on its own. The PReqs below are dual-signed by
// the card over the OIData they carry, so the cardholder's signature, chain and HOD all pass: only
// the Chall-M check stands between them and the gateway.
#include <gtest/gtest.h>

#include "tests/merchant/merchant_support.hpp"

namespace setpay::roles_test {
namespace {

using protocol::ErrorCode;
using protocol::ProfileId;

class ChallM : public ::testing::TestWithParam<ProfileId> {};

TEST_P(ChallM, SignedPReqWhoseOIDataCarriesAnotherChallMIsRefused) {
  Scene s(GetParam());
  Card card = s.issueCard(luhnPan("497010000000601"), 100'000);
  auto holder = s.cardholder(card);
  const auto wakeUp = s.merchant->offer(s.order());
  const Bytes pInitRes = s.toMerchant(holder.pInitReq(wakeUp));

  const Bytes another = dualSignedPReq(s, card, wakeUp, pInitRes, [](protocol::OIData& oi) { oi.challM->front() ^= 0x01; });
  EXPECT_EQ(errorCodeIn(s, s.toMerchant(another)), ErrorCode::challengeMismatch);
  const Bytes none = dualSignedPReq(s, card, wakeUp, pInitRes, [](protocol::OIData& oi) { oi.challM.reset(); });
  EXPECT_EQ(errorCodeIn(s, s.toMerchant(none)), ErrorCode::challengeMismatch);
  EXPECT_TRUE(s.authReqs.empty());
  EXPECT_EQ(s.issuer.available(card.pan).amount, 100'000);

  // Control: the same PReq with our Chall-M (still unconsumed) is authorized.
  const Bytes genuine = dualSignedPReq(s, card, wakeUp, pInitRes);
  EXPECT_FALSE(errorIn(s, s.toMerchant(genuine)));
  EXPECT_EQ(s.authReqs.size(), 1u);
  EXPECT_TRUE(s.merchantStore.findTransaction(xidOf(s, pInitRes))->paid());
}

std::string profileName(const ::testing::TestParamInfo<ProfileId>& p) { return p.param == ProfileId::set1 ? "set1" : "modern"; }
INSTANTIATE_TEST_SUITE_P(Profiles, ChallM, ::testing::Values(ProfileId::set1, ProfileId::modern), profileName);

}  // namespace
}  // namespace setpay::roles_test
