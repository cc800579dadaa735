// carried_trust: a peer's certificate validated from our anchors plus what a SignedData carried —
// either side may supply the CA certificates and CRLs, a carried CRL revokes (the newest of a CA's
// CRLs decides, by cRLNumber when issued in the same second), missing pieces are
// missingCertificate, and the path's brand is its Brand CA's organization.
#include "protocol/pki/carried_trust.hpp"

#include <gtest/gtest.h>
#include <openssl/obj_mac.h>

#include <functional>

#include "tests/protocol/pki/pki_fixture.hpp"

using namespace setpay::protocol;
using namespace setpay::protocol::pki;
using namespace setpay::protocol::pki::test;

namespace {

std::vector<ossl::Cert> caCertificates(const PkiFixture& f) {
  std::vector<ossl::Cert> out;
  for (const auto* c : {&f.h.brand, &f.h.cca, &f.h.mca, &f.h.pca}) out.push_back(share(c->cert.get()));
  return out;
}
std::vector<ossl::Crl> crls(const PkiFixture& f) {
  std::vector<ossl::Crl> out;
  for (const auto* c : {&f.rootCrl, &f.brandCrl, &f.ccaCrl, &f.mcaCrl, &f.pcaCrl}) out.push_back(share(c->get()));
  return out;
}

// What a message's SignedData carried, as crypto's verify hands it over.
VerifiedSignedData carrying(const X509* signer, std::vector<ossl::Cert> certificates, std::vector<ossl::Crl> crlList,
                            TimePoint at) {
  return VerifiedSignedData{NID_pkcs7_data, {}, share(signer), std::move(certificates), std::move(crlList), at};
}

}  // namespace

class CarriedTrust : public ::testing::TestWithParam<ProfileId> {
 protected:
  const PkiFixture& f() const { return fixture(GetParam()); }
  const X509* cardCert() const { return f().card.credential.cert.get(); }
};
INSTANTIATE_TEST_SUITE_P(Profiles, CarriedTrust, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& i) { return i.param == ProfileId::set1 ? "set1" : "modern"; });

TEST_P(CarriedTrust, OurAnchorsAloneValidateAnEmptyCarrier) {
  const auto clock = f().soon();
  const TrustAnchors ours{share(f().h.root.cert.get()), caCertificates(f()), crls(f())};
  const auto chain = validateCarried(f().profile, ours, cardCert(), carrying(cardCert(), {}, {}, clock.now()),
                                     Role::cardholder, clock, f().cardExpiry);
  ASSERT_EQ(chain.path.size(), 4u);  // Cert-C, CCA, Brand CA, Root
  EXPECT_EQ(X509_cmp(chain.path.front().get(), cardCert()), 0);
  EXPECT_EQ(X509_cmp(chain.path[1].get(), f().h.cca.cert.get()), 0);
  EXPECT_EQ(X509_cmp(chain.path.back().get(), f().h.root.cert.get()), 0);
}

TEST_P(CarriedTrust, CarriedCertificatesAndCrlsFillWhatWeDoNotHold) {
  const auto clock = f().soon();
  const TrustAnchors rootOnly{share(f().h.root.cert.get()), {}, {}};
  const auto carried = carrying(f().h.merchantSignature.cert.get(), caCertificates(f()), crls(f()), clock.now());
  const auto chain = validateCarried(f().profile, rootOnly, f().h.merchantSignature.cert.get(), carried,
                                     Role::merchantSignature, clock);
  ASSERT_EQ(chain.path.size(), 4u);
  EXPECT_EQ(X509_cmp(chain.path[1].get(), f().h.mca.cert.get()), 0);
  EXPECT_EQ(X509_cmp(chain.path.back().get(), f().h.root.cert.get()), 0);

  // A certificate other than the signer (Cert-PE in PInitRes) is validated from the same carrier.
  const auto pe = validateCarried(f().profile, rootOnly, f().h.gatewayKeyExchange.cert.get(), carried,
                                  Role::gatewayKeyExchange, clock);
  EXPECT_EQ(X509_cmp(pe.path[1].get(), f().h.pca.cert.get()), 0);

  // Split: the CAs ours, the CRLs carried (and the other way round).
  const TrustAnchors casOnly{share(f().h.root.cert.get()), caCertificates(f()), {}};
  EXPECT_NO_THROW(validateCarried(f().profile, casOnly, cardCert(), carrying(cardCert(), {}, crls(f()), clock.now()),
                                  Role::cardholder, clock));
  const TrustAnchors crlsOnly{share(f().h.root.cert.get()), {}, crls(f())};
  EXPECT_NO_THROW(validateCarried(f().profile, crlsOnly, cardCert(),
                                  carrying(cardCert(), caCertificates(f()), {}, clock.now()), Role::cardholder, clock));
}

TEST_P(CarriedTrust, MissingOnBothSidesIsMissingCertificate) {
  const auto clock = f().soon();
  const TrustAnchors rootOnly{share(f().h.root.cert.get()), {}, crls(f())};
  std::vector<ossl::Cert> noCca;
  for (const auto* c : {&f().h.brand, &f().h.mca, &f().h.pca}) noCca.push_back(share(c->cert.get()));
  EXPECT_EQ(codeOf([&] {
              validateCarried(f().profile, rootOnly, cardCert(), carrying(cardCert(), std::move(noCca), {}, clock.now()),
                              Role::cardholder, clock);
            }),
            ErrorCode::missingCertificate);
  // No CRL of the CCA anywhere.
  std::vector<ossl::Crl> noCcaCrl;
  for (const auto* c : {&f().rootCrl, &f().brandCrl, &f().mcaCrl, &f().pcaCrl}) noCcaCrl.push_back(share(c->get()));
  const TrustAnchors noCrls{share(f().h.root.cert.get()), caCertificates(f()), {}};
  EXPECT_EQ(codeOf([&] {
              validateCarried(f().profile, noCrls, cardCert(), carrying(cardCert(), {}, std::move(noCcaCrl), clock.now()),
                              Role::cardholder, clock);
            }),
            ErrorCode::missingCertificate);
}

TEST_P(CarriedTrust, ACarriedCrlRevokes) {
  const auto clock = f().soon();
  const RevokedSerial revoked{serialOf(cardCert()), f().mintedAt + std::chrono::hours(1)};
  std::vector<ossl::Crl> carriedCrls;
  for (const auto* c : {&f().rootCrl, &f().brandCrl, &f().mcaCrl, &f().pcaCrl}) carriedCrls.push_back(share(c->get()));
  carriedCrls.push_back(issueCrl(f().h.cca, std::span(&revoked, 1), 2, f().mintedAt + std::chrono::hours(2), f().profile));
  const TrustAnchors ours{share(f().h.root.cert.get()), caCertificates(f()), {}};
  EXPECT_EQ(codeOf([&] {
              validateCarried(f().profile, ours, cardCert(), carrying(cardCert(), {}, std::move(carriedCrls), clock.now()),
                              Role::cardholder, clock);
            }),
            ErrorCode::revokedCertificate);
}

// The CCA re-issues its CRL (cRLNumber + 1, the card listed) in the second it issued ours: the newer
// one decides, whichever side holds it and with or without a TrustCache. (OpenSSL alone takes the
// CRL with the strictly latest thisUpdate, else the first it was given: ours, the older.)
TEST_P(CarriedTrust, ANewerCrlOfTheSameSecondRevokesWhoeverHoldsIt) {
  const auto clock = f().soon();
  const TimePoint issued = toTimePoint(X509_CRL_get0_lastUpdate(f().ccaCrl.get()));
  const RevokedSerial revoked{serialOf(cardCert()), issued};
  const ossl::Crl newer = issueCrl(f().h.cca, std::span(&revoked, 1), crlNumber(f().ccaCrl.get()) + 1, issued, f().profile);
  ASSERT_EQ(toTimePoint(X509_CRL_get0_lastUpdate(newer.get())), issued);
  for (const bool cached : {false, true}) {
    SCOPED_TRACE(cached ? "TrustCache" : "ChainValidator");
    // Ours: DIR's older CRL; carried: the newer one.
    TrustAnchors ours{share(f().h.root.cert.get()), caCertificates(f()), crls(f())};
    if (cached) attachTrustCache(ours, f().profile);
    std::vector<ossl::Crl> carried;
    carried.push_back(share(newer.get()));
    EXPECT_EQ(codeOf([&] {
                validateCarried(f().profile, ours, cardCert(), carrying(cardCert(), {}, std::move(carried), clock.now()),
                                Role::cardholder, clock);
              }),
              ErrorCode::revokedCertificate);
    // Ours: the newer; carried: the older one (a peer cannot bring revocation back).
    std::vector<ossl::Crl> newerOurs;
    for (const auto* c : {&f().rootCrl, &f().brandCrl, &newer, &f().mcaCrl, &f().pcaCrl}) newerOurs.push_back(share(c->get()));
    TrustAnchors holding{share(f().h.root.cert.get()), caCertificates(f()), std::move(newerOurs)};
    if (cached) attachTrustCache(holding, f().profile);
    std::vector<ossl::Crl> older;
    older.push_back(share(f().ccaCrl.get()));
    EXPECT_EQ(codeOf([&] {
                validateCarried(f().profile, holding, cardCert(), carrying(cardCert(), {}, std::move(older), clock.now()),
                                Role::cardholder, clock);
              }),
              ErrorCode::revokedCertificate);
  }
}

TEST_P(CarriedTrust, RoleCardExpiryAndTimeAreTheValidatorsRules) {
  const auto clock = f().soon();
  const TrustAnchors ours{share(f().h.root.cert.get()), caCertificates(f()), crls(f())};
  const auto carried = carrying(cardCert(), {}, {}, clock.now());
  EXPECT_EQ(codeOf([&] { validateCarried(f().profile, ours, cardCert(), carried, Role::merchantSignature, clock); }),
            ErrorCode::invalidCertificate);
  const auto earlier = f().cardExpiry - std::chrono::months(1);  // the certificate outlives this card
  EXPECT_EQ(codeOf([&] { validateCarried(f().profile, ours, cardCert(), carried, Role::cardholder, clock, earlier); }),
            ErrorCode::invalidCertificate);
  const FixedClock late(toTimePoint(X509_get0_notAfter(cardCert())) + std::chrono::seconds(1));
  EXPECT_EQ(codeOf([&] { validateCarried(f().profile, ours, cardCert(), carried, Role::cardholder, late); }),
            ErrorCode::expiredCertificate);
}

TEST_P(CarriedTrust, ValidatorOverloadMatchesTheAnchorsOverload) {
  const auto clock = f().soon();
  const TrustAnchors ours{share(f().h.root.cert.get()), caCertificates(f()), crls(f())};
  const auto carried = carrying(cardCert(), {}, {}, clock.now());
  const ChainValidator validator(f().h.root.cert.get(), f().profile);
  const auto a = validateCarried(validator, ours.caCertificates, ours.crls, cardCert(), carried, Role::cardholder, clock);
  const auto b = validateCarried(f().profile, ours, cardCert(), carried, Role::cardholder, clock);
  ASSERT_EQ(a.path.size(), b.path.size());
  for (std::size_t i = 0; i < a.path.size(); ++i) EXPECT_EQ(X509_cmp(a.path[i].get(), b.path[i].get()), 0);
  // Anchors whose "Root" is not a SET Root are refused before any path is built.
  const TrustAnchors notRoot{share(f().h.brand.cert.get()), caCertificates(f()), crls(f())};
  EXPECT_EQ(codeOf([&] { validateCarried(f().profile, notRoot, cardCert(), carried, Role::cardholder, clock); }),
            ErrorCode::invalidCertificate);
}

TEST_P(CarriedTrust, ACarriedRootNeverBecomesTheAnchor) {
  // Our anchor: a Root with the same name but another key. The message carries the real Root and the
  // whole chain under it; the chain must still be refused.
  SeededRandom random("carried-other-root");
  const auto other = mintRoot({"FR", "SET Root", "Root CA", "SET Root CA"}, generateKey(KeyType::rsa, 2048),
                              f().h.root.key.get(), f().profile, random, f().mintedAt);
  const auto clock = f().soon();
  const TrustAnchors ours{share(other.cert.get()), {}, {}};
  std::vector<ossl::Cert> everything = caCertificates(f());
  everything.push_back(share(f().h.root.cert.get()));
  const auto carried = carrying(cardCert(), std::move(everything), crls(f()), clock.now());
  EXPECT_EQ(codeOf([&] { validateCarried(f().profile, ours, cardCert(), carried, Role::cardholder, clock); }),
            ErrorCode::invalidCertificate);
}

TEST_P(CarriedTrust, BrandIsTheBrandCasOrganization) {
  const auto clock = f().soon();
  const TrustAnchors ours{share(f().h.root.cert.get()), caCertificates(f()), crls(f())};
  const auto chain = validateCarried(f().profile, ours, f().h.gatewaySignature.cert.get(),
                                     carrying(f().h.gatewaySignature.cert.get(), {}, {}, clock.now()),
                                     Role::gatewaySignature, clock);
  EXPECT_EQ(brandOf(chain), f().options.brand);
  ValidatedChain rootOnly;
  rootOnly.path.push_back(share(f().h.root.cert.get()));
  EXPECT_EQ(codeOf([&] { (void)brandOf(rootOnly); }), ErrorCode::invalidCertificate);
}

TEST(CarriedTrustShare, SecondOwnerOfTheSameObject) {
  const auto& f = fixture(ProfileId::set1);
  const ossl::Cert a = share(f.h.root.cert.get());
  EXPECT_EQ(a.get(), f.h.root.cert.get());
  const ossl::PKey k = share(f.h.root.key.get());
  EXPECT_EQ(k.get(), f.h.root.key.get());
  const ossl::Crl c = share(f.rootCrl.get());
  EXPECT_EQ(c.get(), f.rootCrl.get());
  EXPECT_EQ(codeOf([] { (void)share(static_cast<const X509*>(nullptr)); }), ErrorCode::missingCertificate);
  EXPECT_EQ(codeOf([] { (void)share(static_cast<const X509_CRL*>(nullptr)); }), ErrorCode::missingCertificate);
  EXPECT_EQ(codeOf([] { (void)share(static_cast<const EVP_PKEY*>(nullptr)); }), ErrorCode::unspecifiedFailure);
}
