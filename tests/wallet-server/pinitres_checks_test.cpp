// The wallet's own checks on what the merchant sends (Book 2 cardholder processing): a correctly signed PInitRes or
// PRes that does not echo our values, or is signed by the wrong kind of certificate, stops the purchase;
// and a message that does not fit the purchase's stage is refused.
#include <gtest/gtest.h>

#include "protocol/messages/sealed.hpp"
#include "protocol/pki/hierarchy.hpp"
#include "protocol/pki/issuer.hpp"
#include "tests/roles/roles_fixture.hpp"
#include "protocol/pki/carried_trust.hpp"

namespace setpay::roles_test {
namespace {

using protocol::ErrorCode;
using protocol::ProfileId;

// Re-sign an altered PInitResData the way the merchant would (same carried certificates).
Bytes resigned(Scene& s, const Bytes& pInitResWrapper, const std::function<void(protocol::PInitResData&)>& alter,
               const protocol::pki::Credential& signer) {
  auto w = unwrap(pInitResWrapper);
  auto opened = protocol::open(s.w.profile, std::get<protocol::PInitRes>(w.message));
  alter(opened.data);
  protocol::SoftwareSigner key(protocol::pki::share(signer.cert.get()), protocol::pki::share(signer.key.get()));
  protocol::SignOptions carried;
  for (const auto& c : opened.signature.certificates) carried.extra.certificates.push_back(c.get());
  for (const auto& c : opened.signature.crls) carried.extra.crls.push_back(c.get());
  w.message = protocol::buildPInitRes(s.w.profile, key, s.clock, opened.data, carried);
  return rewrap(w);
}

ErrorCode refusal(const std::function<void()>& step) {
  try {
    step();
  } catch (const protocol::ProtocolError& e) {
    return e.code();
  }
  ADD_FAILURE() << "the wallet accepted it";
  return ErrorCode::unspecifiedFailure;
}

class WalletChecks : public ::testing::Test {
 protected:
  Scene s{ProfileId::set1};
  Card card = s.issueCard(luhnPan("497010000000301"), 100'000);
  wallet::Cardholder holder = s.cardholder(card);
  Bytes pInitRes = s.toMerchant(holder.pInitReq(s.merchant->offer(s.order())));
};

TEST_F(WalletChecks, UntouchedPInitResIsAccepted) { EXPECT_FALSE(holder.processPInitRes(pInitRes).empty()); }

TEST_F(WalletChecks, PInitResWithAnotherChallCIsChallengeMismatch) {
  const Bytes bad = resigned(s, pInitRes, [](auto& d) { d.challC.front() ^= 1; }, s.w.h.merchantSignature);
  EXPECT_EQ(refusal([&] { holder.processPInitRes(bad); }), ErrorCode::challengeMismatch);
}

TEST_F(WalletChecks, PInitResForAnotherRRPIDIsUnknownRRPID) {
  auto w = unwrap(resigned(s, pInitRes, [](auto& d) { d.rrpid.front() ^= 1; }, s.w.h.merchantSignature));
  w.messageHeader.rrpid = std::nullopt;  // keep the wrapper consistent: only the signed content differs
  const Bytes bad = rewrap(w);
  EXPECT_EQ(refusal([&] { holder.processPInitRes(bad); }), ErrorCode::unknownRRPID);
}

TEST_F(WalletChecks, PInitResNamingAnUncarriedCertPEIsMissingCertificate) {
  const Bytes bad = resigned(
      s, pInitRes, [&](auto& d) { d.peThumb = protocol::pki::certificateThumbprint(s.w.profile, s.w.h.root.cert.get()); },
      s.w.h.merchantSignature);
  EXPECT_EQ(refusal([&] { holder.processPInitRes(bad); }), ErrorCode::missingCertificate);
}

TEST_F(WalletChecks, PInitResNamingANonGatewayCertificateAsCertPEIsInvalidCertificate) {
  // The merchant's own certificate is carried (the wallet's Thumbs list its CAs, so those are not), but
  // it is not a gateway key-exchange certificate.
  const Bytes bad = resigned(
      s, pInitRes,
      [&](auto& d) { d.peThumb = protocol::pki::certificateThumbprint(s.w.profile, s.w.h.merchantSignature.cert.get()); },
      s.w.h.merchantSignature);
  EXPECT_EQ(refusal([&] { holder.processPInitRes(bad); }), ErrorCode::invalidCertificate);
}

TEST_F(WalletChecks, PInitResSignedByTheGatewayIsInvalidCertificate) {
  const Bytes bad = resigned(s, pInitRes, [](auto&) {}, s.w.h.gatewaySignature);
  EXPECT_EQ(refusal([&] { holder.processPInitRes(bad); }), ErrorCode::invalidCertificate);
}

// Issue 12 item 22: a certificate wrong ONLY in its certificateType — a payment-gateway type issued by
// the MCA, with merchantData and a signature keyUsage, like a merchant signature certificate in every
// other respect. Only the validator's end-entity type rule can refuse it.
TEST_F(WalletChecks, PInitResSignedByACertificateWrongOnlyInItsTypeIsInvalidCertificate) {
  protocol::pki::CertificateSpec spec;
  spec.subject = {"FR", "SETPAY", "Merchant", "setpay demo shop (mistyped)"};
  spec.types = {protocol::pki::CertificateType::pgwy};
  spec.keyUse = protocol::pki::KeyUse::signature;
  spec.notBefore = s.w.mintedAt;
  spec.notAfter = s.w.mintedAt + std::chrono::days(365);
  spec.merchantData = protocol::pki::merchantDataOf(s.w.h.merchantSignature.cert.get());
  protocol::pki::Credential mistyped;
  mistyped.key = protocol::pki::generateKey(protocol::pki::KeyType::rsa, s.w.profile.endEntityRsaBits());
  mistyped.cert = protocol::pki::mintCertificate(spec, mistyped.key.get(), &s.w.h.mca, s.w.profile, s.random);
  const Bytes bad = resigned(s, pInitRes, [](auto&) {}, mistyped);
  EXPECT_EQ(refusal([&] { holder.processPInitRes(bad); }), ErrorCode::invalidCertificate);
  EXPECT_FALSE(holder.processPInitRes(pInitRes).empty());  // the genuine one still goes through
}

TEST_F(WalletChecks, MessagesOutOfStageAreRefused) {
  EXPECT_EQ(refusal([&] { holder.processPRes(pInitRes); }), ErrorCode::unknownXID);  // no PReq sent yet
  const Bytes pRes = s.toMerchant(holder.processPInitRes(pInitRes));
  EXPECT_EQ(refusal([&] { holder.processPInitRes(pInitRes); }), ErrorCode::unknownXID);  // PInitRes again
  EXPECT_EQ(refusal([&] { holder.processInqRes(pRes); }), ErrorCode::unknownXID);        // no InqReq sent
  EXPECT_TRUE(holder.processPRes(pRes).approved());
  EXPECT_EQ(refusal([&] { holder.processPRes(pRes); }), ErrorCode::unknownXID);  // answered already
}

TEST_F(WalletChecks, PResWithAnotherChallCIsChallengeMismatch) {
  const Bytes pRes = s.toMerchant(holder.processPInitRes(pInitRes));
  auto w = unwrap(pRes);
  auto opened = protocol::open(s.w.profile, std::get<protocol::PRes>(w.message));
  opened.data.challC.back() ^= 1;
  protocol::SoftwareSigner key(protocol::pki::share(s.w.h.merchantSignature.cert.get()),
                               protocol::pki::share(s.w.h.merchantSignature.key.get()));
  w.message = protocol::buildPRes(s.w.profile, key, s.clock, opened.data);
  const Bytes bad = rewrap(w);
  EXPECT_EQ(refusal([&] { holder.processPRes(bad); }), ErrorCode::challengeMismatch);
  EXPECT_TRUE(holder.processPRes(pRes).approved());
}

}  // namespace
}  // namespace setpay::roles_test
