// Thumbs and BrandCRLIdentifier between the real roles (SPEC-CHOICES "Thumbs and BrandCRLIdentifier"):
// the wallet lists what it holds in PInitReq, the merchant carries only what the wallet lacks (CA
// certificates, CRLs, the BCI), the AuthReq carries no CA certificate, and a wallet that learns from
// a BCI which CRL is current refuses a PInitRes whose current CRL was stripped. Prints the message
// sizes (the numbers in the issue-12 report).
#include <gtest/gtest.h>
#include <openssl/pkcs7.h>

#include <algorithm>
#include <iostream>

#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/brand_crl_identifier.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/purchase/thumbs.hpp"
#include "tests/roles/roles_fixture.hpp"

namespace setpay::roles_test {
namespace {

namespace pki = protocol::pki;
using protocol::ProfileId;
using protocol::ProtocolError;

std::string profileName(const ::testing::TestParamInfo<ProfileId>& p) {
  return p.param == ProfileId::set1 ? "set1" : "modern";
}

std::vector<protocol::ossl::Cert> cas(const World& w) {
  std::vector<protocol::ossl::Cert> out;
  for (const auto* c : {&w.h.brand, &w.h.cca, &w.h.mca, &w.h.pca}) out.push_back(pki::share(c->cert.get()));
  return out;
}
std::vector<protocol::ossl::Crl> shared(const std::vector<protocol::ossl::Crl>& crls) {
  std::vector<protocol::ossl::Crl> out;
  for (const auto& c : crls) out.push_back(pki::share(c.get()));
  return out;
}
std::vector<X509_CRL*> raw(const std::vector<protocol::ossl::Crl>& crls) {
  std::vector<X509_CRL*> out;
  for (const auto& c : crls) out.push_back(c.get());
  return out;
}

bool carries(const std::vector<protocol::ossl::Cert>& certs, const X509* cert) {
  return std::any_of(certs.begin(), certs.end(), [&](const auto& c) { return X509_cmp(c.get(), cert) == 0; });
}

// One purchase's traffic between a wallet and a merchant we build here (the Scene's gateway answers).
struct Traffic {
  Bytes pInitReq, pInitRes;
  wallet::PurchaseOutcome outcome;
};

class ThumbsScene {
 public:
  explicit ThumbsScene(ProfileId id) : s(id) {}

  pki::TrustAnchors anchors(const std::vector<protocol::ossl::Crl>& crls, std::vector<Bytes> bcis,
                            bool withCas = true) const {
    return pki::TrustAnchors{pki::share(s.w.h.root.cert.get()), withCas ? cas(s.w) : std::vector<protocol::ossl::Cert>{},
                             shared(crls), std::move(bcis)};
  }
  Bytes bci(std::uint64_t sequenceNum, const std::vector<protocol::ossl::Crl>& crls) const {
    return pki::issueBrandCrlIdentifier(s.w.h.brand, sequenceNum, "SETPAY", raw(crls), s.clock.now(), s.w.profile);
  }
  merchant::Merchant merchantWith(pki::TrustAnchors trust) {
    auto copy = [](const pki::Credential& c) { return pki::Credential{pki::share(c.cert.get()), pki::share(c.key.get())}; };
    merchant::MerchantConfig m{s.w.profile, s.w.profile.hardeningByDefault(), {"SETPAY"}, "https://shop.example/set",
                               "en", std::move(trust), copy(s.w.h.merchantSignature),
                               copy(s.w.h.merchantKeyExchange), pki::share(s.w.h.gatewayKeyExchange.cert.get())};
    return merchant::Merchant(std::move(m), s.merchantStore, s.clock, s.random);
  }
  // `brand`: the card's brand as the wallet's account records it; needed when the wallet holds no Brand
  // CA to read it from the card's chain (SPEC-CHOICES "Which BrandID the wallet sends").
  wallet::Cardholder walletWith(Card& card, pki::TrustAnchors trust, std::optional<std::string> brand = std::nullopt) {
    wallet::CardholderConfig c{s.w.profile, s.w.profile.hardeningByDefault(), std::move(trust), "en", "thumbs-test",
                               std::move(brand)};
    return wallet::Cardholder(std::move(c), *card.access, s.clock, s.random);
  }
  Traffic purchase(merchant::Merchant& m, wallet::Cardholder& holder) {
    Traffic t;
    t.outcome = holder.purchase(m.offer(s.order(4250)), [&](ByteView b) {
      Bytes answer = m.handle(b, [this](ByteView req) { return s.toGateway(req); });
      if (t.pInitReq.empty()) {
        t.pInitReq.assign(b.begin(), b.end());
        t.pInitRes = answer;
      }
      return answer;
    });
    return t;
  }
  protocol::OpenedPInitRes openPInitRes(const Bytes& wrapper) const {
    return protocol::open(s.w.profile, std::get<protocol::PInitRes>(unwrap(wrapper).message));
  }
  protocol::OpenedAuthReq lastAuthReq() const {
    return protocol::open(s.w.profile, s.w.h.gatewayKeyExchange.key.get(),
                          std::get<protocol::AuthReq>(unwrap(s.authReqs.back()).message));
  }
  void report(const std::string& what, const Traffic& t) const {
    std::cout << "[sizes] " << s.w.profile.name() << " " << what << ": PInitReq " << t.pInitReq.size()
              << " bytes, PInitRes " << t.pInitRes.size() << " bytes, AuthReq " << s.authReqs.back().size()
              << " bytes\n";
    ::testing::Test::RecordProperty(std::string(s.w.profile.name()) + " " + what + " PInitRes",
                                    static_cast<int>(t.pInitRes.size()));
    ::testing::Test::RecordProperty(std::string(s.w.profile.name()) + " " + what + " AuthReq",
                                    static_cast<int>(s.authReqs.back().size()));
  }

  Scene s;
};

class Thumbs : public ::testing::TestWithParam<ProfileId> {};

TEST_P(Thumbs, ProvisionedWalletGetsOnlyCertPEAndAuthReqNoCaCertificates) {
  ThumbsScene t(GetParam());
  const Bytes bci = t.bci(1, t.s.crls);
  auto merchant = t.merchantWith(t.anchors(t.s.crls, {bci}));
  Card card = t.s.issueCard(luhnPan("497010000000101"), 100'000);
  const pki::TrustAnchors walletTrust = t.anchors(t.s.crls, {bci});
  auto holder = t.walletWith(card, t.anchors(t.s.crls, {bci}));
  const Traffic traffic = t.purchase(merchant, holder);
  ASSERT_TRUE(traffic.outcome.approved()) << traffic.outcome.detail;

  // PInitReq lists the 4 CA certificates, 5 CRLs and the BCI the wallet holds.
  const auto req = std::get<protocol::PInitReq>(unwrap(traffic.pInitReq).message);
  ASSERT_TRUE(req.thumbs.has_value());
  EXPECT_EQ(req.thumbs, protocol::thumbsOf(t.s.w.profile, walletTrust));
  EXPECT_EQ(req.thumbs->certThumbs.size(), 4u);
  EXPECT_EQ(req.thumbs->crlThumbs.size(), 5u);
  EXPECT_EQ(req.thumbs->brandCRLIdentifierThumbs.size(), 1u);

  // PInitRes: the merchant's certificate and Cert-PE only; no CRL, no BCI; the Thumbs echoed.
  const auto res = t.openPInitRes(traffic.pInitRes);
  ASSERT_EQ(res.signature.certificates.size(), 2u);  // a SET OF: in DER order
  EXPECT_TRUE(carries(res.signature.certificates, t.s.w.h.merchantSignature.cert.get()));
  EXPECT_TRUE(carries(res.signature.certificates, t.s.w.h.gatewayKeyExchange.cert.get()));
  EXPECT_TRUE(res.signature.crls.empty());
  EXPECT_FALSE(res.data.brandCRLIdentifier.has_value());
  EXPECT_EQ(res.data.thumbs, req.thumbs);

  // AuthReq: Cert-MS (signer) and Cert-MK; the gateway holds its brand's CA certificates.
  const auto authReq = t.lastAuthReq();
  ASSERT_EQ(authReq.signature.certificates.size(), 2u);
  EXPECT_TRUE(carries(authReq.signature.certificates, t.s.w.h.merchantSignature.cert.get()));
  EXPECT_TRUE(carries(authReq.signature.certificates, t.s.w.h.merchantKeyExchange.cert.get()));
  t.report("provisioned wallet (CAs, CRLs, BCI)", traffic);
}

TEST_P(Thumbs, RootOnlyWalletGetsEverythingItLacks) {
  ThumbsScene t(GetParam());
  const Bytes bci = t.bci(1, t.s.crls);
  auto merchant = t.merchantWith(t.anchors(t.s.crls, {bci}));
  Card card = t.s.issueCard(luhnPan("497010000000102"), 100'000);
  auto holder = t.walletWith(card, t.anchors({}, {}, false), "SETPAY");
  const Traffic traffic = t.purchase(merchant, holder);
  ASSERT_TRUE(traffic.outcome.approved()) << traffic.outcome.detail;
  EXPECT_FALSE(std::get<protocol::PInitReq>(unwrap(traffic.pInitReq).message).thumbs.has_value());
  const auto res = t.openPInitRes(traffic.pInitRes);
  EXPECT_EQ(res.signature.certificates.size(), 6u);  // Cert-MS, Cert-PE, Brand, CCA, MCA, PCA
  EXPECT_EQ(res.signature.crls.size(), 5u);
  EXPECT_EQ(res.data.brandCRLIdentifier, std::optional<Bytes>(bci));
  t.report("root-only wallet", traffic);
}

TEST_P(Thumbs, StaleWalletGetsTheNewCrlAndTheNewBci) {
  ThumbsScene t(GetParam());
  const Bytes bci1 = t.bci(1, t.s.crls);
  const std::vector<protocol::ossl::Crl> oldCrls = shared(t.s.crls);
  t.s.clock.advance(std::chrono::minutes(5));
  std::vector<protocol::ossl::Crl> newCrls = shared(t.s.crls);
  newCrls[3] = pki::reissueCrl(t.s.w.h.mca, oldCrls[3].get(), nullptr, t.s.w.profile, t.s.clock);  // MCA: CRL 2
  const Bytes bci2 = t.bci(2, newCrls);
  auto merchant = t.merchantWith(t.anchors(newCrls, {bci2}));
  Card card = t.s.issueCard(luhnPan("497010000000103"), 100'000);
  auto holder = t.walletWith(card, t.anchors(oldCrls, {bci1}));
  const Traffic traffic = t.purchase(merchant, holder);
  ASSERT_TRUE(traffic.outcome.approved()) << traffic.outcome.detail;
  const auto res = t.openPInitRes(traffic.pInitRes);
  EXPECT_EQ(res.signature.certificates.size(), 2u);
  ASSERT_EQ(res.signature.crls.size(), 1u);
  EXPECT_EQ(X509_CRL_cmp(res.signature.crls[0].get(), newCrls[3].get()), 0);
  EXPECT_EQ(pki::crlNumber(res.signature.crls[0].get()), 2u);
  EXPECT_EQ(res.data.brandCRLIdentifier, std::optional<Bytes>(bci2));
}

// CRLs in a SignedData are not covered by its signature: anyone on the path can drop them. The BCI is
// inside PInitResData, signed: the wallet learns the MCA is at CRL 2, which it does not have.
Bytes withoutCrls(const Bytes& pInitResWrapper) {
  protocol::MessageWrapper w = unwrap(pInitResWrapper);
  auto& res = std::get<protocol::PInitRes>(w.message);
  const unsigned char* p = res.signedData.data();
  protocol::ossl::Owned<PKCS7, PKCS7_free> p7(d2i_PKCS7(nullptr, &p, static_cast<long>(res.signedData.size())));
  if (!p7 || !PKCS7_type_is_signed(p7.get())) throw std::runtime_error("PInitRes is not a SignedData");
  sk_X509_CRL_pop_free(p7->d.sign->crl, X509_CRL_free);
  p7->d.sign->crl = nullptr;
  res.signedData = protocol::ossl::der<PKCS7>(p7.get(), i2d_PKCS7);
  return rewrap(w);
}

TEST_P(Thumbs, StrippedCurrentCrlIsCaughtThroughTheBci) {
  ThumbsScene t(GetParam());
  const std::vector<protocol::ossl::Crl> oldCrls = shared(t.s.crls);
  t.s.clock.advance(std::chrono::minutes(5));
  // The MCA revokes the merchant's signature certificate: CRL 2; the Brand CA's BCI 1 names it.
  std::vector<protocol::ossl::Crl> newCrls = shared(t.s.crls);
  newCrls[3] = pki::reissueCrl(t.s.w.h.mca, oldCrls[3].get(), t.s.w.h.merchantSignature.cert.get(), t.s.w.profile,
                               t.s.clock);
  auto merchant = t.merchantWith(t.anchors(newCrls, {t.bci(1, newCrls)}));
  Card card = t.s.issueCard(luhnPan("497010000000104"), 100'000);

  // Delivered whole, the new CRL revokes the merchant.
  {
    auto holder = t.walletWith(card, t.anchors(oldCrls, {}));
    const Bytes res = merchant.handle(holder.pInitReq(merchant.offer(t.s.order(4250)))).toCardholder;
    try {
      (void)holder.processPInitRes(res);
      ADD_FAILURE() << "revoked merchant accepted";
    } catch (const ProtocolError& e) {
      EXPECT_EQ(e.code(), protocol::ErrorCode::revokedCertificate) << e.what();
    }
  }
  // With the CRL stripped the signature still verifies and the stale CRL 1 would pass; the BCI says 2.
  auto holder = t.walletWith(card, t.anchors(oldCrls, {}));
  const Bytes stripped = withoutCrls(merchant.handle(holder.pInitReq(merchant.offer(t.s.order(4250)))).toCardholder);
  const auto opened = t.openPInitRes(stripped);
  ASSERT_TRUE(opened.signature.crls.empty());
  ASSERT_TRUE(opened.data.brandCRLIdentifier.has_value());
  try {
    (void)holder.processPInitRes(stripped);
    ADD_FAILURE() << "stale CRL accepted although the BCI names a newer one";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.code(), protocol::ErrorCode::missingCertificate) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, Thumbs, ::testing::Values(ProfileId::set1, ProfileId::modern), profileName);

}  // namespace
}  // namespace setpay::roles_test
