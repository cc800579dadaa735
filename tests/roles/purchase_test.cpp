// Happy paths in both profiles: one purchase through wallet, merchant and gateway; inquiry; capture.
#include <gtest/gtest.h>

#include "protocol/messages/sealed.hpp"
#include "tests/roles/roles_fixture.hpp"

namespace setpay::roles_test {
namespace {

using protocol::AuthCode;
using protocol::CompletionCode;
using protocol::ProfileId;

std::string profileName(const ::testing::TestParamInfo<ProfileId>& p) {
  return p.param == ProfileId::set1 ? "set1" : "modern";
}

class Purchase : public ::testing::TestWithParam<ProfileId> {};

TEST_P(Purchase, IsAuthorizedAndDebitedOnce) {
  Scene s(GetParam());
  Card card = s.issueCard(luhnPan("497010000000001"), 100'000);
  auto holder = s.cardholder(card);
  const auto wakeUp = s.merchant->offer(s.order(4250));
  const auto out = holder.purchase(wakeUp, [&](ByteView b) { return s.toMerchant(b); });

  ASSERT_FALSE(out.error) << out.detail;
  EXPECT_EQ(out.completionCode, CompletionCode::authorizationPerformed);
  ASSERT_TRUE(out.authStatus);
  EXPECT_EQ(out.authStatus->authCode, AuthCode::approved);
  EXPECT_TRUE(out.approved());
  EXPECT_EQ(s.issuer.available(card.pan).amount, 100'000 - 4250);
  EXPECT_EQ(s.authReqs.size(), 1u);

  const auto tx = s.merchantStore.findTransaction(holder.transIDs()->xid);
  ASSERT_TRUE(tx);
  const auto* answered = std::get_if<merchant::Answered>(&tx->state);
  ASSERT_TRUE(answered);
  EXPECT_TRUE(tx->paid());
  EXPECT_EQ(answered->authorization.authCode, AuthCode::approved);
  ASSERT_TRUE(answered->authorization.approvalCode);
  EXPECT_EQ(answered->authorization.approvalCode->size(), 6u);
  EXPECT_EQ(answered->authorization.authAmt, s.eur(4250));
}

TEST_P(Purchase, InquiryRepeatsTheResultWithoutReauthorizing) {
  Scene s(GetParam());
  Card card = s.issueCard(luhnPan("497010000000002"), 100'000);
  auto holder = s.cardholder(card);
  const auto toMerchant = [&](ByteView b) { return s.toMerchant(b); };
  ASSERT_TRUE(holder.purchase(s.merchant->offer(s.order(990)), toMerchant).approved());
  const auto again = holder.inquire(toMerchant);
  ASSERT_FALSE(again.error) << again.detail;
  EXPECT_EQ(again.completionCode, CompletionCode::authorizationPerformed);
  EXPECT_EQ(again.authStatus->authCode, AuthCode::approved);
  EXPECT_EQ(s.authReqs.size(), 1u);
  EXPECT_EQ(s.issuer.available(card.pan).amount, 100'000 - 990);
}

TEST_P(Purchase, CaptureNowReportsCapturePerformed) {
  Scene s(GetParam());
  s.captureNow = true;
  s.rebuild();
  Card card = s.issueCard(luhnPan("497010000000003"), 100'000);
  auto holder = s.cardholder(card);
  const auto out = holder.purchase(s.merchant->offer(s.order(1500)), [&](ByteView b) { return s.toMerchant(b); });
  ASSERT_FALSE(out.error) << out.detail;
  EXPECT_TRUE(out.approved());
  EXPECT_EQ(out.completionCode, CompletionCode::capturePerformed);
  EXPECT_EQ(s.issuer.balance(card.pan).amount, 100'000 - 1500);  // captured, not only held
}

TEST(PurchaseInquiry, AnotherCardholderCannotInquire) {
  Scene s(ProfileId::modern);
  Card card = s.issueCard(luhnPan("497010000000004"), 100'000);
  Card other = s.issueCard(luhnPan("497010000000005"), 100'000);
  auto holder = s.cardholder(card);
  ASSERT_TRUE(holder.purchase(s.merchant->offer(s.order(700)), [&](ByteView b) { return s.toMerchant(b); }).approved());

  // The same InqReqData, signed by the other cardholder's card.
  auto w = unwrap(holder.inqReq());
  const auto data = protocol::open(s.w.profile, std::get<protocol::InqReq>(w.message)).data;
  w.message = protocol::buildInqReqSigned(s.w.profile, other.access->signer(), s.clock, data);
  const auto answer = unwrap(s.toMerchant(rewrap(w)));
  const auto* error = std::get_if<protocol::Error>(&answer.message);
  ASSERT_TRUE(error);
  EXPECT_EQ(protocol::open(s.w.profile, *error).data.errorCode, static_cast<int>(protocol::ErrorCode::invalidCertificate));
}

INSTANTIATE_TEST_SUITE_P(Profiles, Purchase, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         profileName);

}  // namespace
}  // namespace setpay::roles_test
