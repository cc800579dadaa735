// Issue 12 item 6: one live transaction per order. A second PInitReq for an order supersedes the
// transaction still awaiting its PReq (whose PReq is then refused); an order being authorized or paid
// takes no new PInitReq; a declined one may be paid again; abandoned purchases expire and are removed.
#include <gtest/gtest.h>

#include "tests/merchant/merchant_support.hpp"

namespace setpay::roles_test {
namespace {

using protocol::ErrorCode;
using protocol::ProfileId;

constexpr std::int64_t kBalance = 100'000;
constexpr std::int64_t kAmount = 4250;

// What the wallet was told, whether PRes or the merchant's Error.
wallet::PurchaseOutcome told(wallet::Cardholder& c, ByteView answer) {
  try {
    return c.processPRes(answer);
  } catch (const wallet::MerchantError& e) {
    wallet::PurchaseOutcome o;
    o.error = e.code();
    o.errorFromMerchant = true;
    return o;
  }
}

class PurchaseStates : public ::testing::TestWithParam<ProfileId> {};

TEST_P(PurchaseStates, TwoInitiationsOfOneOrderAreAuthorizedOnce) {
  Scene s(GetParam());
  Card card = s.issueCard(luhnPan("497010000000701"), kBalance);
  auto firstTab = s.cardholder(card);
  auto secondTab = s.cardholder(card);  // or a wallet retrying after a lost PInitRes
  const auto wakeUp = s.merchant->offer(s.order(kAmount));
  const Bytes firstPReq = firstTab.processPInitRes(s.toMerchant(firstTab.pInitReq(wakeUp)));
  const Bytes secondPReq = secondTab.processPInitRes(s.toMerchant(secondTab.pInitReq(wakeUp)));

  const auto first = told(firstTab, s.toMerchant(firstPReq));
  ASSERT_TRUE(first.error);
  EXPECT_EQ(*first.error, ErrorCode::unknownXID);  // superseded
  EXPECT_TRUE(first.errorFromMerchant);
  EXPECT_TRUE(told(secondTab, s.toMerchant(secondPReq)).approved());
  EXPECT_EQ(s.authReqs.size(), 1u);
  EXPECT_EQ(s.issuer.available(card.pan).amount, kBalance - kAmount);
  EXPECT_EQ(s.merchantStore.findTransaction(firstTab.transIDs()->xid)->stateKind(), merchant::TransactionState::superseded);

  // Paid: a third initiation is refused, and the superseded PReq stays refused.
  auto thirdTab = s.cardholder(card);
  const auto third = thirdTab.purchase(wakeUp, [&](ByteView b) { return s.toMerchant(b); });
  ASSERT_TRUE(third.error);
  EXPECT_EQ(*third.error, ErrorCode::unknownLID);
  EXPECT_EQ(errorCodeIn(s, s.toMerchant(firstPReq)), ErrorCode::unknownXID);
  EXPECT_EQ(s.authReqs.size(), 1u);
}

TEST_P(PurchaseStates, AnOrderBeingAuthorizedTakesNoNewInitiation) {
  Scene s(GetParam());
  Card card = s.issueCard(luhnPan("497010000000702"), kBalance);
  auto holder = s.cardholder(card);
  const auto wakeUp = s.merchant->offer(s.order(kAmount));
  const Bytes pReq = holder.processPInitRes(s.toMerchant(holder.pInitReq(wakeUp)));
  const merchant::MerchantStep step = s.merchant->handle(pReq);  // AuthReq made, not yet answered
  ASSERT_TRUE(step.toGateway);

  auto other = s.cardholder(card);
  const auto refused = other.purchase(wakeUp, [&](ByteView b) { return s.toMerchant(b); });
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(*refused.error, ErrorCode::unknownLID);
  EXPECT_TRUE(holder.processPRes(s.merchant->processAuthRes(step.toGateway->xid, s.toGateway(step.toGateway->authReq)))
                  .approved());
}

TEST_P(PurchaseStates, ADeclinedOrderMayBePaidAgain) {
  Scene s(GetParam());
  Card poor = s.issueCard(luhnPan("497010000000703"), 1000);
  Card rich = s.issueCard(luhnPan("497010000000704"), kBalance);
  const auto wakeUp = s.merchant->offer(s.order(kAmount));
  auto first = s.cardholder(poor);
  const auto declined = first.purchase(wakeUp, [&](ByteView b) { return s.toMerchant(b); });
  ASSERT_TRUE(declined.authStatus);
  EXPECT_EQ(declined.authStatus->authCode, protocol::AuthCode::declined);
  auto second = s.cardholder(rich);
  EXPECT_TRUE(second.purchase(wakeUp, [&](ByteView b) { return s.toMerchant(b); }).approved());
  EXPECT_EQ(s.issuer.available(rich.pan).amount, kBalance - kAmount);
  // The declined purchase keeps its record; InqRes repeats what it was told.
  EXPECT_EQ(first.inquire([&](ByteView b) { return s.toMerchant(b); }).authStatus->authCode, protocol::AuthCode::declined);
}

TEST_P(PurchaseStates, AbandonedPurchasesExpireAndAreRemoved) {
  Scene s(GetParam());
  const auto& config = s.merchant->config();
  Card card = s.issueCard(luhnPan("497010000000705"), kBalance);
  // One purchase that completes: the merchant's record, never removed.
  auto payer = s.cardholder(card);
  ASSERT_TRUE(payer.purchase(s.merchant->offer(s.order(100)), [&](ByteView b) { return s.toMerchant(b); }).approved());
  // One abandoned after PInitRes, one never initiated.
  auto holder = s.cardholder(card);
  const auto wakeUp = s.merchant->offer(s.order(kAmount));
  const Bytes pReq = holder.processPInitRes(s.toMerchant(holder.pInitReq(wakeUp)));
  const auto untouched = s.merchant->offer(s.order(kAmount));

  s.clock.advance(config.transactionLifetime + std::chrono::seconds(1));
  EXPECT_EQ(errorCodeIn(s, s.toMerchant(pReq)), ErrorCode::unknownXID);  // expired, though still stored
  EXPECT_EQ(s.authReqs.size(), 1u);
  EXPECT_EQ(s.merchant->removeAbandoned(), 1u);  // the transaction; its order is still on offer
  EXPECT_FALSE(s.merchantStore.findTransaction(holder.transIDs()->xid));
  EXPECT_TRUE(s.merchantStore.findOrder(*wakeUp.lidM));

  s.clock.advance(config.offerLifetime);
  auto late = s.cardholder(card);
  const auto refused = late.purchase(untouched, [&](ByteView b) { return s.toMerchant(b); });
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(*refused.error, ErrorCode::unknownLID);  // the offer expired
  EXPECT_EQ(s.merchant->removeAbandoned(), 2u);  // both unpaid orders
  EXPECT_FALSE(s.merchantStore.findOrder(*wakeUp.lidM));
  EXPECT_FALSE(s.merchantStore.findOrder(*untouched.lidM));
  EXPECT_TRUE(s.merchantStore.findTransaction(payer.transIDs()->xid));  // the paid purchase stays
  EXPECT_EQ(s.merchant->removeAbandoned(), 0u);
}

std::string profileName(const ::testing::TestParamInfo<ProfileId>& p) { return p.param == ProfileId::set1 ? "set1" : "modern"; }
INSTANTIATE_TEST_SUITE_P(Profiles, PurchaseStates, ::testing::Values(ProfileId::set1, ProfileId::modern), profileName);

}  // namespace
}  // namespace setpay::roles_test
