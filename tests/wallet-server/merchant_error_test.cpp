// Issue 12 item 12: a SET Error ends the purchase only if the merchant signed it — before PInitRes a
// signer whose chain validates as a merchant's (the Error carries that chain), after it the very
// certificate that signed PInitRes — and only if it answers the request awaiting an answer. Any other
// Error changes nothing: the wallet still takes the merchant's real answer.
#include <gtest/gtest.h>

#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "tests/roles/roles_fixture.hpp"

namespace setpay::roles_test {
namespace {

using protocol::ErrorCode;
using protocol::ProfileId;
namespace pki = protocol::pki;

// An Error with `code` answering `request` (its header echoed), signed by `signer` (carrying every CA
// certificate and CRL, so that only the signer's role can be wrong) or unsigned.
Bytes errorFor(Scene& s, ByteView request, ErrorCode code, const pki::Credential* signer) {
  const auto req = unwrap(request);
  protocol::ErrorTBS tbs;
  tbs.errorCode = static_cast<int>(code);
  tbs.errorNonce = s.random.bytes(protocol::limits::nonce);
  tbs.errorMsg = req.messageHeader;
  protocol::Error error{tbs};
  if (signer) {
    protocol::SoftwareSigner key(pki::share(signer->cert.get()), pki::share(signer->key.get()));
    protocol::SignOptions chain;
    for (const auto* ca : {&s.w.h.brand, &s.w.h.cca, &s.w.h.mca, &s.w.h.pca}) chain.extra.certificates.push_back(ca->cert.get());
    for (const auto& crl : s.crls) chain.extra.crls.push_back(crl.get());
    error = protocol::buildSignedError(s.w.profile, key, s.clock, tbs, chain);
  }
  return rewrap(protocol::MessageWrapper{req.messageHeader, error, {}});
}

// What the wallet made of an answer: MerchantError (the merchant's), another refusal, or accepted.
struct Taken {
  bool merchants = false;
  std::optional<ErrorCode> code;
};
template <class Step>
Taken take(Step step) {
  try {
    step();
  } catch (const wallet::MerchantError& e) {
    return {true, e.code()};
  } catch (const protocol::ProtocolError& e) {
    return {false, e.code()};
  }
  return {};
}

class MerchantErrors : public ::testing::TestWithParam<ProfileId> {};

TEST_P(MerchantErrors, AnErrorSignedBySomeoneElseDoesNotEndThePurchase) {
  Scene s(GetParam());
  Card card = s.issueCard(luhnPan("497010000000501"), 100'000);
  auto holder = s.cardholder(card);
  const Bytes pReq = holder.processPInitRes(s.toMerchant(holder.pInitReq(s.merchant->offer(s.order()))));
  // A valid SET certificate, but the gateway's, not the merchant's; and an unsigned Error.
  const Taken forged = take([&] { holder.processPRes(errorFor(s, pReq, ErrorCode::revokedCertificate, &s.w.h.gatewaySignature)); });
  EXPECT_FALSE(forged.merchants);
  EXPECT_EQ(forged.code, ErrorCode::invalidCertificate);
  const Taken bare = take([&] { holder.processPRes(errorFor(s, pReq, ErrorCode::revokedCertificate, nullptr)); });
  EXPECT_FALSE(bare.merchants);
  EXPECT_EQ(bare.code, ErrorCode::signatureRequired);
  // The purchase is where it was: the merchant's real answer is taken.
  EXPECT_TRUE(holder.processPRes(s.toMerchant(pReq)).approved());
}

TEST_P(MerchantErrors, TheMerchantsOwnErrorEndsThePurchase) {
  Scene s(GetParam());
  Card card = s.issueCard(luhnPan("497010000000502"), 100'000);
  auto holder = s.cardholder(card);
  const Bytes pReq = holder.processPInitRes(s.toMerchant(holder.pInitReq(s.merchant->offer(s.order()))));
  const Taken genuine = take([&] { holder.processPRes(errorFor(s, pReq, ErrorCode::unknownXID, &s.w.h.merchantSignature)); });
  EXPECT_TRUE(genuine.merchants);
  EXPECT_EQ(genuine.code, ErrorCode::unknownXID);
  EXPECT_EQ(take([&] { holder.processPRes(s.toMerchant(pReq)); }).code, ErrorCode::unknownXID);  // ended
}

TEST_P(MerchantErrors, TheMerchantsErrorForAnotherRequestIsNotTheAnswer) {
  Scene s(GetParam());
  Card card = s.issueCard(luhnPan("497010000000503"), 100'000);
  auto holder = s.cardholder(card);
  const Bytes pInitReq = holder.pInitReq(s.merchant->offer(s.order()));
  const Bytes pReq = holder.processPInitRes(s.toMerchant(pInitReq));
  // Signed by the merchant, but it answers the PInitReq (its RRPID), not the PReq awaiting an answer.
  const Taken stale = take([&] { holder.processPRes(errorFor(s, pInitReq, ErrorCode::unknownLID, &s.w.h.merchantSignature)); });
  EXPECT_FALSE(stale.merchants);
  EXPECT_EQ(stale.code, ErrorCode::unknownRRPID);
  EXPECT_TRUE(holder.processPRes(s.toMerchant(pReq)).approved());
}

TEST_P(MerchantErrors, BeforePInitResTheErrorsChainMustBeAMerchants) {
  Scene s(GetParam());
  Card card = s.issueCard(luhnPan("497010000000504"), 100'000);
  // A wallet that holds only the Root: the merchant's Error must carry its chain to be believed.
  wallet::CardholderConfig config = s.cardholderConfig("SETPAY");
  config.trust.caCertificates.clear();
  config.trust.crls.clear();
  wallet::Cardholder holder(std::move(config), *card.access, s.clock, s.random);
  auto wakeUp = s.merchant->offer(s.order());
  wakeUp.lidM = s.random.bytes(16);  // an order the merchant does not know: it answers unknownLID
  const Bytes pInitReq = holder.pInitReq(wakeUp);
  const Taken genuine = take([&] { holder.processPInitRes(s.toMerchant(pInitReq)); });
  EXPECT_TRUE(genuine.merchants);
  EXPECT_EQ(genuine.code, ErrorCode::unknownLID);

  (void)holder.pInitReq(wakeUp);
  const Taken gatewaySigned =
      take([&] { holder.processPInitRes(errorFor(s, pInitReq, ErrorCode::unknownLID, &s.w.h.gatewaySignature)); });
  EXPECT_FALSE(gatewaySigned.merchants);
  EXPECT_EQ(gatewaySigned.code, ErrorCode::invalidCertificate);
}

std::string profileName(const ::testing::TestParamInfo<ProfileId>& p) { return p.param == ProfileId::set1 ? "set1" : "modern"; }
INSTANTIATE_TEST_SUITE_P(Profiles, MerchantErrors, ::testing::Values(ProfileId::set1, ProfileId::modern), profileName);

}  // namespace
}  // namespace setpay::roles_test
