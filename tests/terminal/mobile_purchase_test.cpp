// Mobile purchases end to end through the real pcscd: wallet (MobileCardholder) → d → Terminal with the
// card in a vpcd reader → e → PReq → the existing merchant and gateway → PRes → f, in both profiles
// and both card modes; the default mode's messages never hold the PAN or the PAN secret.
#include <gtest/gtest.h>

#include <cstdio>

#include "protocol/crypto/digest.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/mobile/channel.hpp"
#include "protocol/mobile/purchase_values.hpp"
#include "tests/terminal/mobile_scene.hpp"

namespace setpay::mobile_test {
namespace {

using protocol::AuthCode;
using protocol::ProfileId;

struct Case {
  ProfileId profile;
  mobile::CardMode mode;
};
std::string caseName(const testing::TestParamInfo<Case>& i) {
  return std::string(i.param.profile == ProfileId::set1 ? "set1" : "modern") +
         (i.param.mode == mobile::CardMode::sealedPI ? "_sealedPI" : "_cardData");
}

// The PAN as ASCII digits and as packed BCD (EMV 5A, F-padded), and the PAN secret as raw bytes and hex.
std::vector<Bytes> panForms(const MobileScene& s) {
  Bytes bcd;
  std::string digits = s.pan;
  if (digits.size() % 2) digits += 'F';
  for (std::size_t k = 0; k < digits.size(); k += 2)
    bcd.push_back(static_cast<std::uint8_t>(protocol::unhex(digits.substr(k, 2))[0]));
  return {protocol::toBytes(s.pan), bcd, s.panSecret, protocol::toBytes(protocol::hex(s.panSecret))};
}

class MobilePurchase : public testing::TestWithParam<Case> {};

TEST_P(MobilePurchase, ApprovedThroughMerchantAndGateway) {
  MobileScene s(GetParam().profile);
  if (!s.ready()) return;
  s.rebuildTerminal(/*allowCardData=*/true);
  s.insertCard();
  PinPad pad{{MobileScene::kPin}};
  PurchaseRun run = s.purchase(4250, pad, GetParam().mode);

  ASSERT_TRUE(run.reviewed.display);
  EXPECT_EQ(run.reviewed.display->amount, s.scene.eur(4250));
  EXPECT_EQ(run.reviewed.display->amountText, protocol::describe(s.scene.eur(4250)));
  EXPECT_EQ(run.reviewed.display->orderDescription, s.scene.order().orderDescription);
  EXPECT_FALSE(run.reviewed.display->merchantName.empty());
  ASSERT_TRUE(std::holds_alternative<Bytes>(run.preq)) << mobile::name(std::get<mobile::Refusal>(run.preq).reason);
  ASSERT_TRUE(run.outcome);
  EXPECT_TRUE(run.outcome->approved()) << run.outcome->detail;
  ASSERT_TRUE(run.confirmation);
  EXPECT_EQ(run.confirmation->outcome, mobile::Outcome::approved);
  EXPECT_EQ(run.confirmation->authCode, AuthCode::approved);
  EXPECT_EQ(run.confirmation->purchAmt, s.scene.eur(4250));
  EXPECT_EQ(run.confirmation->merchantName, run.reviewed.display->merchantName);
  EXPECT_EQ(run.confirmation->eDigest, mobile::digestOf(run.e));
  ASSERT_EQ(s.scene.authReqs.size(), 1u);
  EXPECT_EQ(pad.asked.size(), 1u);
  // Sizes on the mobile leg (d carries the merchant's PInitRes with its certificates and CRLs).
  std::printf("d %zu, e %zu, f %zu bytes\n", run.d.size(), run.e.size(), run.f.size());
  EXPECT_LT(run.d.size(), mobile::limits::message);
  EXPECT_LT(run.e.size(), run.d.size());

  // What the gateway decrypts is what the terminal showed: amount, and HOD over the shown order.
  const auto e = std::get<mobile::SignatureResponse>(mobile::open(run.e, s.terminalKey.get()));
  const auto& profile = s.scene.w.profile;
  if (GetParam().mode == mobile::CardMode::sealedPI) {
    const protocol::OpenedPI pi = s.openAtGateway(std::get<mobile::SealedPI>(e.answer).piDualSigned);
    ASSERT_TRUE(pi.piHead && pi.panData);
    EXPECT_EQ(pi.piHead->purchAmt, s.scene.eur(4250));
    EXPECT_EQ(pi.piHead->hod, mobile::hodOf(profile, run.reviewed.d));
    EXPECT_EQ(pi.panData->pan, s.pan);
    // Default mode: neither the PAN nor the PAN secret, in any form, in d, e or f.
    for (const Bytes& form : panForms(s))
      for (const Bytes* message : {&run.d, &run.e, &run.f})
        EXPECT_FALSE(contains(*message, form)) << protocol::hex(form).size() << "-hex-digit form found in a message";
  } else {
    const auto& card = std::get<mobile::CardData>(e.answer);
    EXPECT_EQ(card.panData.pan, s.pan);
    EXPECT_EQ(card.piHead.purchAmt, s.scene.eur(4250));
    // The search finds the PAN where it is: seed-literal e carries it (and only e).
    EXPECT_TRUE(contains(run.e, protocol::toBytes(s.pan)));
    EXPECT_TRUE(contains(run.e, s.panSecret));
    EXPECT_FALSE(contains(run.d, protocol::toBytes(s.pan)));
    EXPECT_FALSE(contains(run.f, protocol::toBytes(s.pan)));
  }
}

TEST_P(MobilePurchase, DeclinedByTheIssuer) {
  MobileScene s(GetParam().profile, /*balance=*/1000);
  if (!s.ready()) return;
  s.rebuildTerminal(true);
  s.insertCard();
  PinPad pad{{MobileScene::kPin}};
  PurchaseRun run = s.purchase(4250, pad, GetParam().mode);
  ASSERT_TRUE(run.outcome);
  EXPECT_FALSE(run.outcome->approved());
  ASSERT_TRUE(run.outcome->authStatus);
  EXPECT_EQ(run.outcome->authStatus->authCode, AuthCode::declined);
  ASSERT_TRUE(run.confirmation);
  EXPECT_EQ(run.confirmation->outcome, mobile::Outcome::declined);
  EXPECT_EQ(run.confirmation->authCode, AuthCode::declined);
}

INSTANTIATE_TEST_SUITE_P(ProfilesAndModes, MobilePurchase,
                         testing::Values(Case{ProfileId::set1, mobile::CardMode::sealedPI},
                                         Case{ProfileId::set1, mobile::CardMode::cardData},
                                         Case{ProfileId::modern, mobile::CardMode::sealedPI},
                                         Case{ProfileId::modern, mobile::CardMode::cardData}),
                         caseName);

}  // namespace
}  // namespace setpay::mobile_test
