// What each profile puts on the wire: set1 follows SET 1.0 (no setpay extension anywhere); modern
// carries both hardening extensions, and a PI naming another Cert-PE is refused by name.
#include <gtest/gtest.h>

#include "protocol/crypto/digest.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/validator.hpp"
#include "tests/roles/roles_fixture.hpp"

namespace setpay::roles_test {
namespace {

using protocol::ProfileId;

// One purchase, every wrapper kept: [PInitReq, PInitRes, PReq, PRes].
struct Traced {
  std::vector<protocol::MessageWrapper> messages;
  wallet::PurchaseOutcome outcome;
};
Traced tracedPurchase(Scene& s, const std::string& pan) {
  Card card = s.issueCard(pan, 100'000);
  auto holder = s.cardholder(card);
  Traced t;
  t.outcome = holder.purchase(s.merchant->offer(s.order(1234)), [&](ByteView b) {
    t.messages.push_back(unwrap(b));
    Bytes answer = s.toMerchant(b);
    t.messages.push_back(unwrap(answer));
    return answer;
  });
  return t;
}

const protocol::PReqDualSigned& dualOf(const protocol::MessageWrapper& w) {
  return std::get<protocol::PReqDualSigned>(std::get<protocol::PReq>(w.message).value);
}

TEST(Set1Profile, FollowsSet10WithoutExtensions) {
  Scene s(ProfileId::set1);
  const auto t = tracedPurchase(s, luhnPan("497010000000201"));
  ASSERT_TRUE(t.outcome.approved()) << t.outcome.detail;
  ASSERT_EQ(t.messages.size(), 4u);
  for (const auto& m : t.messages) EXPECT_TRUE(m.mwExtensions.empty());
  EXPECT_TRUE(std::get<protocol::PInitReq>(t.messages[0].message).piRqExtensions.empty());
  const auto pInitRes = protocol::open(s.w.profile, std::get<protocol::PInitRes>(t.messages[1].message));
  EXPECT_TRUE(pInitRes.data.piRsExtensions.empty());
  const auto& preq = dualOf(t.messages[2]);
  EXPECT_TRUE(preq.oiData.oiExtensions.empty());
  // The PI as the gateway sees it: no gateway-thumbprint extension in PIHead.
  const auto pi = protocol::open(s.w.profile, s.w.h.gatewayKeyExchange.key.get(), s.w.h.gatewayKeyExchange.cert.get(),
                                 protocol::piOf(std::get<protocol::PReq>(t.messages[2].message)));
  ASSERT_TRUE(pi.piHead);
  EXPECT_TRUE(pi.piHead->piExtensions.empty());
  // AuthRes as the merchant sees it: no merchant-identity extension.
  ASSERT_EQ(s.authRess.size(), 1u);
  const auto authRes = protocol::open(s.w.profile, s.w.h.merchantKeyExchange.key.get(), s.w.h.merchantSignature.cert.get(),
                                      std::get<protocol::AuthRes>(unwrap(s.authRess[0]).message));
  EXPECT_TRUE(authRes.data.authResPayload.aRsExtensions.empty());
  const auto pres = protocol::open(s.w.profile, std::get<protocol::PRes>(t.messages[3].message));
  EXPECT_TRUE(pres.data.pResPayloadSeq.front().pRsExtensions.empty());
  // SET 1.0 algorithms: SHA-1 digests (20-byte DD content) in set1.
  EXPECT_EQ(protocol::digestOfDD(s.w.profile, preq.oiData.hod).size(), 20u);
}

TEST(ModernProfile, CarriesBothHardeningExtensions) {
  Scene s(ProfileId::modern);
  const auto t = tracedPurchase(s, luhnPan("497010000000202"));
  ASSERT_TRUE(t.outcome.approved()) << t.outcome.detail;
  const auto pi = protocol::open(s.w.profile, s.w.h.gatewayKeyExchange.key.get(), s.w.h.gatewayKeyExchange.cert.get(),
                                 protocol::piOf(std::get<protocol::PReq>(t.messages[2].message)));
  const auto named = protocol::findGatewayThumb(pi.piHead->piExtensions);
  ASSERT_TRUE(named);
  EXPECT_EQ(*named, protocol::pki::certificateThumbprint(s.w.profile, s.w.h.gatewayKeyExchange.cert.get()));
  const auto authRes = protocol::open(s.w.profile, s.w.h.merchantKeyExchange.key.get(), s.w.h.merchantSignature.cert.get(),
                                      std::get<protocol::AuthRes>(unwrap(s.authRess[0]).message));
  const auto identity = protocol::findMerchantIdentity(authRes.data.authResPayload.aRsExtensions);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->merchantID, "SETPAY-SHOP-0001");
  EXPECT_EQ(identity->merchantSignatureThumb,
            protocol::pki::certificateThumbprint(s.w.profile, s.w.h.merchantSignature.cert.get()));
}

TEST(ModernProfile, PIMadeOutForAnotherGatewayCertificateIsRefusedByName) {
  Scene s(ProfileId::modern);
  // A second, valid key-exchange certificate for the gateway's key (say, one it no longer serves):
  // the merchant names it as Cert-PE, the wallet encrypts the PI for it and names it in PIHead.
  protocol::pki::CertificateSpec spec;
  spec.subject = {"FR", "SETPAY Acquirer", "SETPAY", "Payment Gateway key exchange (retired)"};
  spec.types = {protocol::pki::CertificateType::pgwy};
  spec.keyUse = protocol::pki::KeyUse::keyExchange;
  spec.notBefore = s.w.mintedAt;
  spec.notAfter = s.w.mintedAt + std::chrono::days(365);
  spec.cardCertRequired = true;
  s.certPEOverride = protocol::pki::mintCertificate(spec, s.w.h.gatewayKeyExchange.key.get(), &s.w.h.pca, s.w.profile,
                                                    s.random);
  s.rebuild();
  const auto t = tracedPurchase(s, luhnPan("497010000000203"));
  ASSERT_TRUE(t.outcome.error);
  EXPECT_EQ(*t.outcome.error, protocol::ErrorCode::thumbsMismatch) << t.outcome.detail;
  EXPECT_TRUE(t.outcome.errorFromMerchant);
  ASSERT_EQ(s.authRess.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<protocol::Error>(unwrap(s.authRess[0]).message));
}

}  // namespace
}  // namespace setpay::roles_test
