// build/open of the signed and encrypted messages through protocol/crypto, both profiles, and the
// hardening extensions (gateway thumbprint in the PI, merchant identity in AuthRes).
#include <gtest/gtest.h>

#include "protocol/crypto/digest.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/hardening.hpp"
#include "tests/protocol/messages/code_of.hpp"
#include "protocol/messages/sealed.hpp"
#include "tests/protocol/messages/message_vectors.hpp"
#include "tests/protocol/messages/samples.hpp"

namespace setpay::protocol {
namespace {

class Sealed : public ::testing::TestWithParam<ProfileId> {
 protected:
  AlgorithmProfile prof = AlgorithmProfile::make(GetParam());
  samples::Parties parties = samples::partiesFor(GetParam());
  SeededRandom rng{"sealed-test"};
  FixedClock clock{vectorEpoch()};
  SoftwareSigner cardholder{support::shareCert(parties.cardholder.cert.get()), support::shareKey(parties.cardholder.key.get()), rng};
  SoftwareSigner merchant{support::shareCert(parties.merchant.cert.get()), support::shareKey(parties.merchant.key.get()), rng};
  SoftwareSigner gateway{support::shareCert(parties.gateway.cert.get()), support::shareKey(parties.gateway.key.get()), rng};
  const X509* gatewayCert() const { return parties.gateway.cert.get(); }
  const X509* merchantCert() const { return parties.merchant.cert.get(); }
  bool hardened() const { return prof.hardeningByDefault(); }

  struct Purchase {
    HODInput hod;
    OIData oi;
    PIHead head;
    PANData pan;
  };
  Purchase purchase() {
    Purchase p;
    p.hod = samples::hodInput(rng);
    p.oi = samples::oiData(prof, rng, p.hod);
    p.head = samples::piHead(prof, rng, p.oi, p.hod);
    p.pan = samples::panData(rng);
    return p;
  }
};

TEST_P(Sealed, PInitResAndPResOpenToWhatWasSigned) {
  const PInitResData d = samples::pInitResData(prof, rng);
  const auto opened = open(prof, buildPInitRes(prof, merchant, clock, d));
  EXPECT_EQ(opened.data, d);
  EXPECT_EQ(X509_cmp(opened.signature.signer.get(), merchantCert()), 0);
  const PResData r = samples::pResData(rng, d.transIDs);
  EXPECT_EQ(open(prof, buildPRes(prof, merchant, clock, r)).data, r);
  EXPECT_EQ(open(prof, buildInqRes(prof, merchant, clock, r)).data, r);
  // A PRes is not a PInitRes: content types differ.
  EXPECT_EQ(codeOf([&] { open(prof, PInitRes{buildPRes(prof, merchant, clock, r).signedData}); }),
            ErrorCode::wrapperMsgMismatch);
}

TEST_P(Sealed, DualSignedPReqVerifiesAtMerchantAndGateway) {
  Purchase p = purchase();
  const PReq preq = buildPReqDualSigned(prof, rng, clock, cardholder, gatewayCert(), p.head, p.pan, p.oi);
  const auto& dual = std::get<PReqDualSigned>(preq.value);
  EXPECT_EQ(dual.oiData, p.oi);
  EXPECT_NO_THROW(verifyDualSignature(prof, dual));
  const OpenedPI pi = open(prof, parties.gateway.key.get(), gatewayCert(), piOf(preq));
  ASSERT_TRUE(pi.panData && pi.piHead && pi.cardholderSignature);
  EXPECT_EQ(*pi.panData, p.pan);
  EXPECT_EQ(pi.hOIData, hOIData(prof, p.oi));
  EXPECT_EQ(pi.piHead->transIDs, p.head.transIDs);
  EXPECT_EQ(findGatewayThumb(pi.piHead->piExtensions).has_value(), hardened());
  // The merchant's view fails if OIData was changed on the way.
  PReqDualSigned tampered = dual;
  tampered.oiData.rrpid[0] ^= 1;
  EXPECT_EQ(codeOf([&] { verifyDualSignature(prof, tampered); }), ErrorCode::signatureFailure);
}

TEST_P(Sealed, PiNamesTheGatewayKeyItWasMadeFor) {
  Purchase p = purchase();
  const PReq preq = buildPReqDualSigned(prof, rng, clock, cardholder, gatewayCert(), p.head, p.pan, p.oi);
  // Same key, another certificate: the envelope opens, the bound thumbprint does not match.
  auto other = support::selfSignedCertificate(parties.gateway.key.get(), "another gateway", 77);
  if (hardened()) {
    EXPECT_EQ(codeOf([&] { open(prof, parties.gateway.key.get(), other.get(), piOf(preq)); }), ErrorCode::thumbsMismatch);
  } else {
    EXPECT_NO_THROW(open(prof, parties.gateway.key.get(), other.get(), piOf(preq)));
  }
}

TEST_P(Sealed, UnsignedPReqCarriesAPanToken) {
  Purchase p = purchase();
  const PReq preq = buildPReqUnsigned(prof, rng, gatewayCert(), p.head, samples::panToken(p.pan), p.oi);
  const OpenedPI pi = open(prof, parties.gateway.key.get(), gatewayCert(), piOf(preq));
  ASSERT_TRUE(pi.panToken);
  EXPECT_EQ(*pi.panToken, samples::panToken(p.pan));
  EXPECT_FALSE(pi.cardholderSignature);
}

TEST_P(Sealed, AuthReqAuthResRoundTrip) {
  Purchase p = purchase();
  const PReq preq = buildPReqDualSigned(prof, rng, clock, cardholder, gatewayCert(), p.head, p.pan, p.oi);
  const AuthReqData req = samples::authReqData(prof, rng, p.oi, p.hod);
  const AuthReq authReq = buildAuthReq(prof, rng, clock, merchant, gatewayCert(), req, piOf(preq));
  const OpenedAuthReq openedReq = open(prof, parties.gateway.key.get(), authReq);
  EXPECT_EQ(openedReq.data, req);
  EXPECT_EQ(openedReq.pi, piOf(preq));

  const AuthResData res = samples::authResData(rng, req);
  AuthResBaggage bag;
  bag.capToken = buildCapToken(prof, rng, clock, gateway, gatewayCert(), samples::capTokenData(rng));
  const AuthRes authRes = buildAuthRes(prof, rng, clock, gateway, merchantCert(), merchantCert(), res, bag);
  EXPECT_FALSE(authRes.withPANToken);
  const OpenedAuthRes opened = open(prof, parties.merchant.key.get(), merchantCert(), authRes);
  EXPECT_EQ(opened.data.authTags, res.authTags);
  EXPECT_EQ(opened.data.authResPayload.authHeader, res.authResPayload.authHeader);
  EXPECT_EQ(opened.baggage, bag);
  EXPECT_EQ(findMerchantIdentity(opened.data.authResPayload.aRsExtensions).has_value(), hardened());
  EXPECT_EQ(open(prof, parties.gateway.key.get(), *opened.baggage.capToken).data.authAmt, (CurrencyAmount{840, 12950, -2}));

  // The merchant identity binds the AuthRes to the merchant that asked.
  auto other = support::selfSignedCertificate(parties.merchant.key.get(), "another merchant", 78);
  if (hardened()) {
    EXPECT_EQ(codeOf([&] { open(prof, parties.merchant.key.get(), other.get(), authRes); }), ErrorCode::thumbsMismatch);
  } else {
    EXPECT_NO_THROW(open(prof, parties.merchant.key.get(), other.get(), authRes));
  }
}

TEST_P(Sealed, AuthResWithPanTokenAndAuthToken) {
  Purchase p = purchase();
  const AuthReqData req = samples::authReqData(prof, rng, p.oi, p.hod);
  AuthResBaggage bag;
  const AuthTokenData tokenData = samples::authTokenData(rng, p.oi.transIDs);
  bag.authToken = buildAuthToken(prof, rng, clock, gateway, gatewayCert(), tokenData, samples::panToken(p.pan));
  const AuthRes authRes = buildAuthRes(prof, rng, clock, gateway, merchantCert(), merchantCert(),
                                       samples::authResData(rng, req), bag, samples::panToken(p.pan));
  EXPECT_TRUE(authRes.withPANToken);
  const OpenedAuthRes opened = open(prof, parties.merchant.key.get(), merchantCert(), authRes);
  ASSERT_TRUE(opened.panToken);
  EXPECT_EQ(opened.panToken->pan, p.pan.pan);
  // A later AuthReq can carry the AuthToken as its PI; the gateway opens it.
  const OpenedPI pi = open(prof, parties.gateway.key.get(), gatewayCert(), PI{*opened.baggage.authToken});
  ASSERT_TRUE(pi.authToken);
  EXPECT_EQ(pi.authToken->data, tokenData);
  EXPECT_EQ(pi.authToken->panToken, samples::panToken(p.pan));
}

TEST_P(Sealed, CaptureInquiryAndError) {
  const TransIDs ids = samples::transIDs(rng);
  const CapReqData creq = samples::capReqData(rng, ids);
  const CapTokenSeq tokens{{buildCapToken(prof, rng, clock, gateway, gatewayCert(), samples::capTokenData(rng))}};
  const auto openedCap = open(prof, parties.gateway.key.get(), buildCapReq(prof, rng, clock, merchant, gatewayCert(), creq, tokens));
  EXPECT_EQ(openedCap.data, creq);
  EXPECT_EQ(openedCap.capTokens, tokens);
  const CapResData cres = samples::capResData(rng, creq);
  EXPECT_EQ(open(prof, parties.merchant.key.get(), buildCapRes(prof, rng, clock, gateway, merchantCert(), cres)).data, cres);

  const InqReqData inq = samples::inqReqData(rng, ids);
  const auto signedInq = open(prof, buildInqReqSigned(prof, cardholder, clock, inq));
  EXPECT_EQ(signedInq.data, inq);
  EXPECT_TRUE(signedInq.signature);
  EXPECT_FALSE(open(prof, InqReq{inq}).signature);

  const ErrorTBS e = samples::errorTBS(rng, samples::header(rng));
  EXPECT_EQ(open(prof, buildSignedError(prof, merchant, clock, e)).data, e);
}

TEST_P(Sealed, TamperingIsRefusedOrChangesNothingOpened) {
  Purchase p = purchase();
  const PReq preq = buildPReqDualSigned(prof, rng, clock, cardholder, gatewayCert(), p.head, p.pan, p.oi);
  const AuthReqData data = samples::authReqData(prof, rng, p.oi, p.hod);
  const AuthReq authReq = buildAuthReq(prof, rng, clock, merchant, gatewayCert(), data, piOf(preq));
  // Bytes outside what is signed or encrypted (the RecipientInfo's issuer name, a carried
  // certificate's own signature) may change without effect; anything else must be refused.
  std::size_t refused = 0;
  std::size_t tried = 0;
  for (std::size_t k = 0; k < authReq.encB.size(); k += 13, ++tried) {
    AuthReq bad = authReq;
    bad.encB[k] ^= 0x5a;
    try {
      const OpenedAuthReq o = open(prof, parties.gateway.key.get(), bad);
      EXPECT_EQ(o.data, data) << "byte " << k;
      EXPECT_EQ(o.pi, piOf(preq)) << "byte " << k;
    } catch (const ProtocolError&) {
      ++refused;
    }
  }
  EXPECT_GT(refused, tried * 9 / 10);
}

INSTANTIATE_TEST_SUITE_P(Profiles, Sealed, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& param) { return param.param == ProfileId::set1 ? "set1" : "modern"; });

}  // namespace
}  // namespace setpay::protocol
