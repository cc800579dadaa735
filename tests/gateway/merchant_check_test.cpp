// Who may ask this gateway (gateway/merchant_check.cpp), both profiles. Issue 12 item 7: a merchant
// certified under another brand of the same Root — even one holding our merchant's merID — is refused
// for authorization and capture alike. Item 22: a certificate wrong only in its certificateType (a
// payment-gateway certificate issued by the MCA, presented as a merchant signature certificate) is
// refused by the validator's type rule, the only rule it breaks.
#include <gtest/gtest.h>

#include <openssl/x509v3.h>

#include "protocol/crypto/digest.hpp"

#include "tests/gateway/gateway_fixture.hpp"

namespace setpay::gateway::test {
namespace {

class MerchantCheck : public ::testing::TestWithParam<ProfileId> {};

constexpr std::int64_t kPrice = 12950;

AuthCode codeOf(const OpenedAuthRes& r) { return r.data.authResPayload.authHeader.authCode; }
ErrorCode codeOf(const ErrorTBS& e) { return static_cast<ErrorCode>(e.errorCode); }

TEST_P(MerchantCheck, AMerchantOfAnotherBrandIsNotAuthorized) {
  Bench b(GetParam());
  const auto& other = b.w.otherBrandMerchantSignature;
  ASSERT_EQ(pki::merchantDataOf(other.cert.get())->merID, b.w.merID());  // same merID, other brand
  SoftwareSigner otherMerchant = Bench::signerFor(other);
  const Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));  // a PI made out to merID
  // Relying on the key-exchange certificate registered for the merID, or carrying its own.
  const auto carrying = [&](const AuthReqData& d) {
    SignOptions o;
    o.extra.certificates.push_back(b.w.otherBrandMerchantKeyExchange.cert.get());
    const AuthReq request = buildAuthReq(b.w.profile, b.random, b.clock, otherMerchant, b.w.h.gatewayKeyExchange.cert.get(), d, p.pi, o);
    MessageHeader h;
    h.date = b.clock.now();
    h.rrpid = d.authReqItem.authTags.authRRTags.rrpid;
    h.swIdent = "other-brand-merchant";
    return encode(MessageWrapper{h, request, {}});
  };
  for (const Bytes& request : {b.authReq(p, &otherMerchant), carrying(b.authReqData(p, Bench::eur(kPrice)))}) {
    const ErrorTBS e = b.error(b.gateway->handle(request));
    EXPECT_EQ(codeOf(e), ErrorCode::invalidCertificate);
    EXPECT_EQ(e.errorThumb, thumbprint(b.w.profile, ossl::der(other.cert.get())));  // names the certificate
  }
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000));
  // Control: the same PI from our merchant is authorized.
  EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(p)))), AuthCode::approved);
}

TEST_P(MerchantCheck, AMerchantOfAnotherBrandCannotCaptureOurMerchantsAuthorization) {
  Bench b(GetParam());
  const Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  const OpenedAuthRes res = b.authRes(b.gateway->handle(b.authReq(p)));
  ASSERT_EQ(codeOf(res), AuthCode::approved);
  ASSERT_TRUE(res.baggage.capToken);
  SoftwareSigner otherMerchant = Bench::signerFor(b.w.otherBrandMerchantSignature);
  const ErrorTBS e =
      b.error(b.gateway->handle(b.capReq(res.data.authTags, *res.baggage.capToken, Bench::eur(kPrice), &otherMerchant)));
  EXPECT_EQ(codeOf(e), ErrorCode::invalidCertificate);
  EXPECT_EQ(b.issuer.balance(b.w.card.pan), Bench::eur(100000));  // nothing captured
  // Our merchant still captures it.
  const OpenedCapRes captured = b.capRes(b.gateway->handle(b.capReq(res.data.authTags, *res.baggage.capToken, Bench::eur(kPrice))));
  EXPECT_EQ(captured.data.capResItemSeq.at(0).capResPayload.capCode, CapCode::success);
  EXPECT_EQ(b.issuer.balance(b.w.card.pan), Bench::eur(100000 - kPrice));
}

TEST_P(MerchantCheck, ACertificateWrongOnlyInItsTypeIsRefused) {
  Bench b(GetParam());
  const auto& mistyped = b.w.mistypedMerchantSignature;
  // Everything a merchant signature certificate needs, but certificateType pgwy.
  ASSERT_EQ(pki::merchantDataOf(mistyped.cert.get())->merID, b.w.merID());
  ASSERT_TRUE(pki::certificateTypeOf(mistyped.cert.get())->has(pki::CertificateType::pgwy));
  ASSERT_EQ(X509_check_issued(b.w.h.mca.cert.get(), mistyped.cert.get()), X509_V_OK);
  SoftwareSigner impostor = Bench::signerFor(mistyped);
  const Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  const ErrorTBS e = b.error(b.gateway->handle(b.authReq(p, &impostor)));
  EXPECT_EQ(codeOf(e), ErrorCode::invalidCertificate);
  EXPECT_EQ(e.errorThumb, thumbprint(b.w.profile, ossl::der(mistyped.cert.get())));
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000));
}

INSTANTIATE_TEST_SUITE_P(Profiles, MerchantCheck, ::testing::Values(ProfileId::set1, ProfileId::modern), profileName);

}  // namespace
}  // namespace setpay::gateway::test
