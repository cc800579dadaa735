// Each way a purchase must fail, with the exact SET Error code (from the merchant) or AuthCode (from
// the gateway, reported in PRes), and never a debit.
#include <gtest/gtest.h>

#include <openssl/objects.h>

#include "protocol/crypto/composite.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/crl.hpp"
#include "tests/roles/roles_fixture.hpp"
#include "protocol/pki/carried_trust.hpp"

namespace setpay::roles_test {
namespace {

using protocol::AuthCode;
using protocol::CompletionCode;
using protocol::ErrorCode;
using protocol::ProfileId;

constexpr std::int64_t kBalance = 100'000;
constexpr std::int64_t kAmount = 4250;

// The cardholder's view of the merchant's answer to a PReq.
wallet::PurchaseOutcome answer(wallet::Cardholder& c, ByteView pRes) {
  try {
    return c.processPRes(pRes);
  } catch (const wallet::MerchantError& e) {
    wallet::PurchaseOutcome o;
    o.error = e.code();
    o.errorFromMerchant = true;
    o.detail = e.what();
    return o;
  }
}

struct Started {
  Card card;
  wallet::Cardholder holder;
  Bytes pReq;  // MessageWrapper DER, not yet sent
};
Started start(Scene& s, const std::string& pan, std::int64_t balance = kBalance, std::int64_t amount = kAmount) {
  Card card = s.issueCard(pan, balance);
  auto holder = s.cardholder(card);
  Bytes preq = holder.processPInitRes(s.toMerchant(holder.pInitReq(s.merchant->offer(s.order(amount)))));
  return Started{std::move(card), std::move(holder), std::move(preq)};
}

protocol::PReqDualSigned& dual(protocol::MessageWrapper& w) {
  return std::get<protocol::PReqDualSigned>(std::get<protocol::PReq>(w.message).value);
}

void expectMerchantError(const wallet::PurchaseOutcome& o, ErrorCode code) {
  ASSERT_TRUE(o.error) << "expected " << protocol::name(code);
  EXPECT_EQ(*o.error, code) << o.detail;
  EXPECT_TRUE(o.errorFromMerchant);
}
void expectAuthCode(const wallet::PurchaseOutcome& o, AuthCode code) {
  ASSERT_FALSE(o.error) << o.detail;
  ASSERT_TRUE(o.authStatus);
  EXPECT_EQ(o.authStatus->authCode, code) << protocol::name(o.authStatus->authCode);
  EXPECT_FALSE(o.approved());
}

std::string profileName(const ::testing::TestParamInfo<ProfileId>& p) {
  return p.param == ProfileId::set1 ? "set1" : "modern";
}

class Rejection : public ::testing::TestWithParam<ProfileId> {};

TEST_P(Rejection, TamperedOIDataFailsTheDualSignature) {
  Scene s(GetParam());
  auto p = start(s, luhnPan("497010000000101"));
  auto w = unwrap(p.pReq);
  dual(w).oiData.odSalt.back() ^= 0x01;  // C signed another ODSalt (hence another HOD input)
  expectMerchantError(answer(p.holder, s.toMerchant(rewrap(w))), ErrorCode::signatureFailure);
  EXPECT_TRUE(s.authReqs.empty());
  EXPECT_EQ(s.issuer.available(p.card.pan).amount, kBalance);
}

TEST_P(Rejection, TamperedPIIsRefusedByTheGateway) {
  Scene s(GetParam());
  auto p = start(s, luhnPan("497010000000102"));
  auto w = unwrap(p.pReq);
  auto& ex = dual(w).piDualSigned.exPIData;
  ex[ex.size() - 3] ^= 0x01;  // inside the symmetric ciphertext: the PI no longer opens cleanly
  const auto out = answer(p.holder, s.toMerchant(rewrap(w)));
  ASSERT_EQ(s.authReqs.size(), 1u);
  ASSERT_TRUE(out.error) << out.detail;
  EXPECT_EQ(*out.error, ErrorCode::decodingFailure) << out.detail;
  EXPECT_EQ(s.issuer.available(p.card.pan).amount, kBalance);
}

TEST_P(Rejection, PISwappedIntoAnotherPReqFailsTheDualSignature) {
  Scene s(GetParam());
  auto a = start(s, luhnPan("497010000000103"));
  auto b = start(s, luhnPan("497010000000104"), kBalance, 100);
  auto wa = unwrap(a.pReq);
  const auto wb = unwrap(b.pReq);
  dual(wa).piDualSigned = std::get<protocol::PReqDualSigned>(std::get<protocol::PReq>(wb.message).value).piDualSigned;
  expectMerchantError(answer(a.holder, s.toMerchant(rewrap(wa))), ErrorCode::signatureFailure);
  EXPECT_TRUE(s.authReqs.empty());
  EXPECT_EQ(s.issuer.available(a.card.pan).amount, kBalance);
  EXPECT_EQ(s.issuer.available(b.card.pan).amount, kBalance);
}

TEST_P(Rejection, PIEnvelopeSwappedFromAnotherPurchaseIsRefusedByTheGateway) {
  Scene s(GetParam());
  auto a = start(s, luhnPan("497010000000116"));
  auto b = start(s, luhnPan("497010000000117"), kBalance, 100);
  auto wa = unwrap(a.pReq);
  const auto wb = unwrap(b.pReq);
  // A's dual signature kept (the merchant's check passes), B's PI-OILink + PANData underneath.
  dual(wa).piDualSigned.exPIData =
      std::get<protocol::PReqDualSigned>(std::get<protocol::PReq>(wb.message).value).piDualSigned.exPIData;
  expectMerchantError(answer(a.holder, s.toMerchant(rewrap(wa))), ErrorCode::signatureFailure);
  ASSERT_EQ(s.authReqs.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<protocol::Error>(unwrap(s.authRess[0]).message));
  EXPECT_EQ(s.issuer.available(a.card.pan).amount, kBalance);
  EXPECT_EQ(s.issuer.available(b.card.pan).amount, kBalance);
}

// A dishonest merchant asking authorization for purchase A with the (valid, signed) PI of purchase B.
TEST_P(Rejection, PIFromAnotherPurchaseInAnAuthReqIsPiAuthMismatch) {
  Scene s(GetParam());
  auto a = start(s, luhnPan("497010000000118"));
  auto b = start(s, luhnPan("497010000000119"), kBalance, 100);
  const auto wa = unwrap(a.pReq);
  const auto& oiA = std::get<protocol::PReqDualSigned>(std::get<protocol::PReq>(wa.message).value).oiData;
  const auto& profile = s.w.profile;

  protocol::AuthReqData d;
  d.authReqItem.authTags.authRRTags = protocol::RRTags{s.random.bytes(20), protocol::MerTermIDs{"SETPAY-SHOP-0001", {}, {}, {}, {}},
                                                       std::chrono::floor<std::chrono::seconds>(s.clock.now())};
  d.authReqItem.authTags.transIDs = oiA.transIDs;
  d.authReqItem.checkDigests = protocol::CheckDigests{protocol::hOIData(profile, oiA), oiA.hod};
  d.authReqItem.authReqPayload.authReqAmt = s.eur(kAmount);
  protocol::SoftwareSigner merchantSigner(protocol::pki::share(s.w.h.merchantSignature.cert.get()),
                                          protocol::pki::share(s.w.h.merchantSignature.key.get()));
  protocol::SignOptions carried;
  carried.extra.certificates = {s.w.h.merchantKeyExchange.cert.get()};
  const protocol::AuthReq req{protocol::EncB(profile, s.random, s.clock, merchantSigner, s.w.h.gatewayKeyExchange.cert.get(),
                                             NID_setct_AuthReqTBS, NID_setct_AuthReqTBE, protocol::encode(d),
                                             protocol::encode(protocol::piOf(std::get<protocol::PReq>(unwrap(b.pReq).message))),
                                             carried)};
  protocol::MessageHeader h;
  h.date = d.authReqItem.authTags.authRRTags.date;
  h.rrpid = d.authReqItem.authTags.authRRTags.rrpid;
  h.swIdent = "test";
  const auto reply = unwrap(s.gateway->handle(rewrap(protocol::MessageWrapper{h, req, {}})));
  const auto* res = std::get_if<protocol::AuthRes>(&reply.message);
  ASSERT_TRUE(res);
  const auto opened = protocol::open(profile, s.w.h.merchantKeyExchange.key.get(), s.w.h.merchantSignature.cert.get(), *res);
  EXPECT_EQ(opened.data.authResPayload.authHeader.authCode, AuthCode::piAuthMismatch);
  EXPECT_EQ(s.issuer.available(a.card.pan).amount, kBalance);
  EXPECT_EQ(s.issuer.available(b.card.pan).amount, kBalance);
}

// A dishonest merchant asking for more than the cardholder signed: its AuthReq, re-signed with the
// merchant's own key and a higher AuthReqAmt on its way to the gateway.
TEST_P(Rejection, MerchantRaisingTheAmountIsAmountError) {
  Scene s(GetParam());
  const auto& profile = s.w.profile;
  raiseAuthAmount(s, s.eur(kAmount + 1000));
  auto p = start(s, luhnPan("497010000000105"));
  expectAuthCode(answer(p.holder, s.toMerchant(p.pReq)), AuthCode::amountError);
  ASSERT_EQ(s.authReqs.size(), 1u);
  const auto sent = protocol::open(profile, s.w.h.gatewayKeyExchange.key.get(),
                                   std::get<protocol::AuthReq>(unwrap(s.authReqs[0]).message));
  EXPECT_EQ(sent.data.authReqItem.authReqPayload.authReqAmt, s.eur(kAmount + 1000));  // the raised request arrived
  EXPECT_EQ(s.issuer.available(p.card.pan).amount, kBalance);
}

TEST_P(Rejection, ReplayedPReqIsChallengeMismatchAndDebitsOnce) {
  Scene s(GetParam());
  auto p = start(s, luhnPan("497010000000106"));
  ASSERT_TRUE(answer(p.holder, s.toMerchant(p.pReq)).approved());
  // The wallet is done with this purchase; the merchant's answer to the replay, read directly.
  const auto replayed = unwrap(s.toMerchant(p.pReq));
  ASSERT_TRUE(std::holds_alternative<protocol::Error>(replayed.message));
  EXPECT_EQ(protocol::open(s.w.profile, std::get<protocol::Error>(replayed.message)).data.errorCode,
            static_cast<int>(ErrorCode::challengeMismatch));
  EXPECT_EQ(s.authReqs.size(), 1u);
  EXPECT_EQ(s.issuer.available(p.card.pan).amount, kBalance - kAmount);
}

TEST_P(Rejection, ReplayedAuthReqGetsTheSameAuthResAndNoSecondDebit) {
  Scene s(GetParam());
  auto p = start(s, luhnPan("497010000000107"));
  ASSERT_TRUE(answer(p.holder, s.toMerchant(p.pReq)).approved());
  ASSERT_EQ(s.authReqs.size(), 1u);
  EXPECT_EQ(s.gateway->handle(s.authReqs[0]), s.authRess[0]);
  EXPECT_EQ(s.issuer.available(p.card.pan).amount, kBalance - kAmount);
}

TEST_P(Rejection, BlockedCardIsDeclined) {
  Scene s(GetParam());
  auto p = start(s, luhnPan("497010000000108"));
  s.issuer.block(p.card.pan);
  expectAuthCode(answer(p.holder, s.toMerchant(p.pReq)), AuthCode::declined);
  const auto tx = s.merchantStore.findTransaction(p.holder.transIDs()->xid);
  const auto& answered = std::get<merchant::Answered>(tx->state);
  EXPECT_EQ(answered.authorization.respReason, gateway::respReason::restrictedCard);
  EXPECT_FALSE(answered.authorization.approvalCode);
}

TEST_P(Rejection, InsufficientFundsIsDeclined) {
  Scene s(GetParam());
  auto p = start(s, luhnPan("497010000000109"), 1000);
  expectAuthCode(answer(p.holder, s.toMerchant(p.pReq)), AuthCode::declined);
  const auto tx = s.merchantStore.findTransaction(p.holder.transIDs()->xid);
  EXPECT_EQ(std::get<merchant::Answered>(tx->state).authorization.respReason, gateway::respReason::insufficientFunds);
  EXPECT_EQ(s.issuer.available(p.card.pan).amount, 1000);
}

TEST_P(Rejection, BrandTheMerchantDoesNotAcceptIsRefused) {
  Scene s(GetParam());
  Card card = s.issueCard(luhnPan("497010000000110"), kBalance);
  auto holder = s.cardholder(card, "OTHERBRAND");  // a wallet that believes the card is OTHERBRAND…
  auto wakeUp = s.merchant->offer(s.order());
  wakeUp.brands = {"OTHERBRAND"};                  // …and a wake-up altered to list that brand
  const auto out = holder.purchase(wakeUp, [&](ByteView b) { return s.toMerchant(b); });
  expectMerchantError(out, ErrorCode::unspecifiedFailure);
}

TEST_P(Rejection, MerchantCertificateOfAnotherBrandIsRefusedByTheWallet) {
  Scene s(GetParam());
  s.merchantBrands = {"SETPAY", "OTHERBRAND"};
  s.rebuild();
  Card card = s.issueCard(luhnPan("497010000000111"), kBalance);
  auto holder = s.cardholder(card, "OTHERBRAND");
  const auto out = holder.purchase(s.merchant->offer(s.order()), [&](ByteView b) { return s.toMerchant(b); });
  ASSERT_TRUE(out.error);
  EXPECT_EQ(*out.error, ErrorCode::invalidCertificate) << out.detail;
  EXPECT_FALSE(out.errorFromMerchant);
  EXPECT_TRUE(s.authReqs.empty());
}

TEST_P(Rejection, ExpiredCardholderCertificate) {
  Scene s(GetParam());
  const auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(s.clock.now()));
  Card card = s.issueCard(luhnPan("497010000000112"), kBalance, today.year() / today.month());
  auto holder = s.cardholder(card);
  // Past the end of the card's month: the cardholder certificate has expired, nothing else has.
  s.clock.set(protocol::pki::cardExpiryEnd(today.year() / today.month()) + std::chrono::hours(24));
  s.crls = s.freshCrls();
  s.rebuild();
  const auto out = holder.purchase(s.merchant->offer(s.order()), [&](ByteView b) { return s.toMerchant(b); });
  expectMerchantError(out, ErrorCode::expiredCertificate);
  EXPECT_TRUE(s.authReqs.empty());
}

TEST_P(Rejection, RevokedCardholderCertificate) {
  Scene s(GetParam());
  Card card = s.issueCard(luhnPan("497010000000113"), kBalance);
  s.crls = s.freshCrls({protocol::pki::RevokedSerial{protocol::pki::serialOf(card.access->certificate()), s.clock.now()}});
  s.rebuild();
  auto holder = s.cardholder(card);
  const auto out = holder.purchase(s.merchant->offer(s.order()), [&](ByteView b) { return s.toMerchant(b); });
  expectMerchantError(out, ErrorCode::revokedCertificate);
  EXPECT_TRUE(s.authReqs.empty());
}

TEST_P(Rejection, RevokedMerchantCertificateIsRefusedByTheWallet) {
  Scene s(GetParam());
  s.crls = s.freshCrls({}, {protocol::pki::RevokedSerial{protocol::pki::serialOf(s.w.h.merchantSignature.cert.get()),
                                                          s.clock.now()}});
  s.rebuild();
  Card card = s.issueCard(luhnPan("497010000000120"), kBalance);
  auto holder = s.cardholder(card);
  const auto out = holder.purchase(s.merchant->offer(s.order()), [&](ByteView b) { return s.toMerchant(b); });
  ASSERT_TRUE(out.error);
  EXPECT_EQ(*out.error, ErrorCode::revokedCertificate) << out.detail;
  EXPECT_FALSE(out.errorFromMerchant);
  EXPECT_TRUE(s.authReqs.empty());
}

TEST_P(Rejection, CardholderAgreeingToAnotherAmountIsRefusedOnHOD) {
  Scene s(GetParam());
  Card card = s.issueCard(luhnPan("497010000000121"), kBalance);
  auto holder = s.cardholder(card);
  auto wakeUp = s.merchant->offer(s.order(kAmount));
  wakeUp.purchAmt = s.eur(kAmount - 1000);  // the wallet was shown (and signs) a lower amount
  const auto out = holder.purchase(wakeUp, [&](ByteView b) { return s.toMerchant(b); });
  expectMerchantError(out, ErrorCode::unspecifiedFailure);
  EXPECT_TRUE(s.authReqs.empty());
}

TEST_P(Rejection, MerchantCertificateUsedAsCardholderCertificate) {
  Scene s(GetParam());
  const std::string pan = luhnPan("497010000000114");
  Card real = s.issueCard(pan, kBalance);  // the account exists; the signing certificate is not a card's
  wallet::SoftwareCard wrongType(real.access->identity(),
                                 protocol::pki::Credential{protocol::pki::share(s.w.h.merchantSignature.cert.get()),
                                                           protocol::pki::share(s.w.h.merchantSignature.key.get())});
  wallet::CardholderConfig config{s.w.profile, s.w.profile.hardeningByDefault(),
                                  protocol::pki::TrustAnchors{protocol::pki::share(s.w.h.root.cert.get()), {}, {}}, "en", "t", {}};
  for (const auto& c : s.crls) config.trust.crls.push_back(protocol::pki::share(c.get()));
  for (const auto* c : {&s.w.h.brand, &s.w.h.mca, &s.w.h.pca}) config.trust.caCertificates.push_back(protocol::pki::share(c->cert.get()));
  wallet::Cardholder holder(std::move(config), wrongType, s.clock, s.random);
  const auto out = holder.purchase(s.merchant->offer(s.order()), [&](ByteView b) { return s.toMerchant(b); });
  expectMerchantError(out, ErrorCode::invalidCertificate);
  EXPECT_TRUE(s.authReqs.empty());
}

TEST_P(Rejection, UnsignedPReqWhenTheGatewayRequiresSignatures) {
  Scene s(GetParam());
  const std::string pan = luhnPan("497010000000115");
  Card real = s.issueCard(pan, kBalance);
  wallet::SoftwareCard noCert({pan, real.expiry, protocol::Bytes(20, 0)}, std::nullopt);
  // No certificate to read the brand from: the wallet's account record gives it.
  auto holder = wallet::Cardholder(
      wallet::CardholderConfig{s.w.profile, s.w.profile.hardeningByDefault(),
                               protocol::pki::TrustAnchors{protocol::pki::share(s.w.h.root.cert.get()), {}, {}}, "en", "t",
                               "SETPAY"},
      noCert, s.clock, s.random);
  const auto out = holder.purchase(s.merchant->offer(s.order()), [&](ByteView b) { return s.toMerchant(b); });
  ASSERT_FALSE(out.error) << out.detail;
  EXPECT_EQ(out.completionCode, CompletionCode::orderRejected);
  ASSERT_TRUE(out.authStatus);
  EXPECT_EQ(out.authStatus->authCode, AuthCode::signatureRequired);
  EXPECT_TRUE(s.authReqs.empty());
  EXPECT_EQ(s.issuer.available(pan).amount, kBalance);
}

TEST_P(Rejection, MerchantAnswersGarbageWithSignedDecodingFailureAndNeverAnswersAnError) {
  Scene s(GetParam());
  const Bytes garbage = protocol::toBytes("this is not DER");
  const auto w = unwrap(s.toMerchant(garbage));
  const auto* error = std::get_if<protocol::Error>(&w.message);
  ASSERT_TRUE(error);
  const auto opened = protocol::open(s.w.profile, *error);
  EXPECT_EQ(opened.data.errorCode, static_cast<int>(ErrorCode::decodingFailure));
  ASSERT_TRUE(opened.signature);  // signed by the merchant
  EXPECT_EQ(X509_cmp(opened.signature->signer.get(), s.w.h.merchantSignature.cert.get()), 0);
  EXPECT_TRUE(std::holds_alternative<Bytes>(opened.data.errorMsg));
  EXPECT_TRUE(s.toMerchant(rewrap(w)).empty());
}

INSTANTIATE_TEST_SUITE_P(Profiles, Rejection, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         profileName);

}  // namespace
}  // namespace setpay::roles_test
