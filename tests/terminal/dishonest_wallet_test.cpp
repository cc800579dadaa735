// A compromised wallet tries to make the card sign an amount the shopper did not see. It controls d
// (signed with its own key) and the PReq it sends, but not what the terminal builds: PIHead and HOD come
// from the amount and order d shows, so the card's signature binds only those, and the purchase fails
// at the merchant (HOD or dual signature) or at the gateway (AuthCode amountError).
#include <gtest/gtest.h>

#include "protocol/crypto/digest.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/mobile/channel.hpp"
#include "protocol/mobile/purchase_values.hpp"
#include "tests/terminal/mobile_scene.hpp"

namespace setpay::mobile_test {
namespace {

using protocol::ErrorCode;
using protocol::ProfileId;

// d as the honest wallet made it, with `edit` applied and signed again with the wallet's key.
Bytes forged(const MobileScene& s, const Bytes& honestD, const std::function<void(mobile::SignatureRequest&)>& edit) {
  auto d = std::get<mobile::SignatureRequest>(mobile::open(honestD, s.walletKey.get()));
  edit(d);
  return mobile::sign(d, s.walletKey.get());
}

struct Signed {
  terminal::ReviewedRequest reviewed;
  mobile::SealedPI sealed;
};
Signed signOnTerminal(MobileScene& s, const Bytes& d) {
  PinPad pad{{MobileScene::kPin}};
  Signed out{s.terminal().review(d), {}};
  const Bytes e = s.terminal().answer(out.reviewed, s.context(), s.reader0(), pad.prompt());
  const auto response = std::get<mobile::SignatureResponse>(mobile::open(e, s.terminalKey.get()));
  out.sealed = std::get<mobile::SealedPI>(response.answer);
  return out;
}

class DishonestWallet : public testing::TestWithParam<ProfileId> {};

TEST_P(DishonestWallet, ShowsALowerAmountThanTheOrder) {
  MobileScene s(GetParam());
  if (!s.ready()) return;
  s.insertCard();
  const auto& profile = s.scene.w.profile;
  wallet::MobileCardholder w = s.startPurchase(/*the merchant's order:*/ 9900);
  const Bytes honest = w.signatureRequest();
  const Bytes d = forged(s, honest, [&](auto& r) { r.purchAmt = s.scene.eur(990); });
  Signed card = signOnTerminal(s, d);
  ASSERT_TRUE(card.reviewed.display);
  EXPECT_EQ(card.reviewed.display->amount, s.scene.eur(990));

  // The PIHead the card signed carries the shown amount and the HOD of the shown order and amount.
  const protocol::OpenedPI pi = s.openAtGateway(card.sealed.piDualSigned);
  ASSERT_TRUE(pi.piHead);
  EXPECT_EQ(pi.piHead->purchAmt, s.scene.eur(990));
  EXPECT_EQ(pi.piHead->hod, mobile::hodOf(profile, card.reviewed.d));

  // PReq with the OIData the terminal signed: the merchant's own HOD (order at 99.00) differs.
  const mobile::SignatureRequest& shown = card.reviewed.d;
  const auto& offer = w.offer()->verified.data;
  protocol::PReqDualSigned preq{card.sealed.piDualSigned, mobile::oiDataOf(shown, offer, mobile::hodOf(profile, shown)),
                                card.sealed.hPIData};
  EXPECT_EQ(s.merchantError(s.scene.toMerchant(s.wrapPReq(preq))), ErrorCode::unspecifiedFailure);

  // PReq with OIData.HOD over the real order: the card never signed that OIData.
  const auto real = std::get<mobile::SignatureRequest>(mobile::open(honest, s.walletKey.get()));
  preq.oiData = mobile::oiDataOf(shown, offer, mobile::hodOf(profile, real));
  protocol::PReqDualSigned again = preq;
  EXPECT_EQ(s.merchantError(s.scene.toMerchant(s.wrapPReq(again))), ErrorCode::signatureFailure);
  EXPECT_TRUE(s.scene.authReqs.empty()) << "the gateway was never asked for the unseen amount";

}

TEST_P(DishonestWallet, ShowsAnotherOrderDescription) {
  MobileScene s(GetParam());
  if (!s.ready()) return;
  s.insertCard();
  const auto& profile = s.scene.w.profile;
  wallet::MobileCardholder w = s.startPurchase(2500);
  const Bytes d = forged(s, w.signatureRequest(), [](auto& r) { r.od = protocol::toBytes("1 x postcard"); });
  Signed card = signOnTerminal(s, d);
  EXPECT_EQ(card.reviewed.display->orderDescription, "1 x postcard");
  const protocol::OpenedPI pi = s.openAtGateway(card.sealed.piDualSigned);
  EXPECT_EQ(pi.piHead->hod, mobile::hodOf(profile, card.reviewed.d));
  protocol::PReqDualSigned preq{card.sealed.piDualSigned,
                                mobile::oiDataOf(card.reviewed.d, w.offer()->verified.data, pi.piHead->hod),
                                card.sealed.hPIData};
  EXPECT_EQ(s.merchantError(s.scene.toMerchant(s.wrapPReq(preq))), ErrorCode::unspecifiedFailure);
  EXPECT_TRUE(s.scene.authReqs.empty());
}

TEST_P(DishonestWallet, TheGatewayHoldsTheShownAmount) {
  MobileScene s(GetParam());
  if (!s.ready()) return;
  // The shopper sees and signs 25.00; whoever asks the gateway for 250.00 gets amountError.
  raiseAuthAmount(s.scene, s.scene.eur(25'000));
  s.insertCard();
  PinPad pad{{MobileScene::kPin}};
  PurchaseRun run = s.purchase(2500, pad);
  ASSERT_TRUE(run.outcome);
  ASSERT_TRUE(run.outcome->authStatus) << run.outcome->detail;
  EXPECT_EQ(run.outcome->authStatus->authCode, protocol::AuthCode::amountError);
  EXPECT_EQ(run.confirmation->outcome, mobile::Outcome::declined);
  EXPECT_EQ(run.confirmation->authCode, protocol::AuthCode::amountError);
}

TEST_P(DishonestWallet, AnHonestWalletTakesNoAnswerToAnotherD) {
  MobileScene s(GetParam());
  if (!s.ready()) return;
  s.insertCard();
  wallet::MobileCardholder w = s.startPurchase(3000);
  const Bytes honest = w.signatureRequest();
  // Someone else's d for the same purchase (another amount): the terminal's e names that d, not ours.
  const Bytes other = forged(s, honest, [&](auto& r) { r.purchAmt = s.scene.eur(30); });
  PinPad pad{{MobileScene::kPin}};
  const Bytes e = s.terminal().answer(s.terminal().review(other), s.context(), s.reader0(), pad.prompt());
  try {
    (void)w.pReq(e);
    ADD_FAILURE() << "an e answering another d was accepted";
  } catch (const protocol::ProtocolError& err) {
    EXPECT_EQ(err.code(), ErrorCode::unknownRRPID);
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, DishonestWallet, testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& i) { return std::string(i.param == ProfileId::set1 ? "set1" : "modern"); });

}  // namespace
}  // namespace setpay::mobile_test
