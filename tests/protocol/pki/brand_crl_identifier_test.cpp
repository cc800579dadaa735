// BrandCRLIdentifier and Thumbs: the BCI round trip and its checks (signature by the Brand CA, strict
// DER), requireCurrentCrls (the CRLs a valid BCI names current must be at hand), and the Thumbs
// helpers each role calls (what to list, what to carry, the echo).
#include "protocol/pki/brand_crl_identifier.hpp"

#include <gtest/gtest.h>
#include <openssl/obj_mac.h>

#include "protocol/crypto/digest.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/pki/trust_cache.hpp"
#include "protocol/purchase/thumbs.hpp"
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
std::vector<ossl::Crl> crlsOf(const std::vector<X509_CRL*>& list) {
  std::vector<ossl::Crl> out;
  for (X509_CRL* c : list) out.push_back(share(c));
  return out;
}
VerifiedSignedData carrying(const X509* signer, std::vector<ossl::Cert> certificates, std::vector<ossl::Crl> crls,
                            TimePoint at) {
  return VerifiedSignedData{NID_pkcs7_data, {}, share(signer), std::move(certificates), std::move(crls), at};
}

class BrandCrlIdentifierTest : public ::testing::TestWithParam<ProfileId> {
 protected:
  const PkiFixture& f() const { return fixture(GetParam()); }
  Bytes bci(std::uint64_t sequenceNum, const std::vector<X509_CRL*>& crls, const std::string& brand = "SETPAY") const {
    return issueBrandCrlIdentifier(f().h.brand, sequenceNum, brand, crls, f().mintedAt, f().profile);
  }
  // The merchant signature chain, validated with the fixture's CRLs (every CRL number 1).
  ValidatedChain merchantChain() const {
    const TrustAnchors ours{share(f().h.root.cert.get()), caCertificates(f()), crlsOf(f().crls())};
    const auto clock = f().soon();
    return validateCarried(f().profile, ours, f().h.merchantSignature.cert.get(),
                           carrying(f().h.merchantSignature.cert.get(), {}, {}, clock.now()),
                           Role::merchantSignature, clock);
  }
  // The MCA's CRL re-issued: number 2.
  ossl::Crl mcaCrl2() const {
    const FixedClock later(f().mintedAt + std::chrono::hours(1));
    return reissueCrl(f().h.mca, f().mcaCrl.get(), nullptr, f().profile, later);
  }
};
INSTANTIATE_TEST_SUITE_P(Profiles, BrandCrlIdentifierTest, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& i) { return i.param == ProfileId::set1 ? "set1" : "modern"; });

TEST_P(BrandCrlIdentifierTest, RoundTripAndSignatureByTheBrandCa) {
  const Bytes der = bci(7, f().crls());
  const BrandCrlIdentifier v = verifyBrandCrlIdentifier(f().profile, der, f().h.brand.cert.get());
  EXPECT_EQ(v, decodeBrandCrlIdentifier(der));
  EXPECT_EQ(v.sequenceNum, 7u);
  EXPECT_EQ(v.brandID, "SETPAY");
  EXPECT_EQ(v.notBefore, f().mintedAt);
  EXPECT_EQ(v.notAfter, f().mintedAt + kCrlValidity);
  ASSERT_EQ(v.crls.size(), 5u);
  EXPECT_EQ(v.crls[3], crlIdentifierOf(f().mcaCrl.get()));
  EXPECT_EQ(v.crls[3].crlNumber, 1u);
  // Not the Brand CA's key, or another profile's digest: not a BCI of this brand.
  EXPECT_EQ(codeOf([&] { verifyBrandCrlIdentifier(f().profile, der, f().h.mca.cert.get()); }),
            ErrorCode::invalidCertificate);
  const auto other = AlgorithmProfile::make(GetParam() == ProfileId::set1 ? ProfileId::modern : ProfileId::set1);
  EXPECT_EQ(codeOf([&] { verifyBrandCrlIdentifier(other, der, f().h.brand.cert.get()); }),
            ErrorCode::invalidCertificate);
  // One flipped byte in the signed part.
  Bytes tampered = der;
  const Bytes seven{0x02, 0x01, 0x07};
  const auto at = std::search(tampered.begin(), tampered.end(), seven.begin(), seven.end());
  ASSERT_NE(at, tampered.end());
  at[2] = 0x08;
  EXPECT_EQ(codeOf([&] { verifyBrandCrlIdentifier(f().profile, tampered, f().h.brand.cert.get()); }),
            ErrorCode::invalidCertificate);
}

TEST_P(BrandCrlIdentifierTest, StrictDer) {
  Bytes der = bci(1, f().crls());
  EXPECT_NO_THROW(decodeBrandCrlIdentifier(der));
  der.insert(der.end(), {0x05, 0x00});
  EXPECT_EQ(codeOf([&] { decodeBrandCrlIdentifier(der); }), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf([&] { decodeBrandCrlIdentifier(ByteView(der).first(der.size() - 3)); }),
            ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf([&] { decodeBrandCrlIdentifier(Bytes(20000, 0x30)); }), ErrorCode::messageTooBig);
}

TEST_P(BrandCrlIdentifierTest, CurrentCrlsMustBeAtHand) {
  const ValidatedChain chain = merchantChain();
  const ValidatedChain* chains[] = {&chain};
  const auto clock = f().soon();
  const ossl::Crl crl2 = mcaCrl2();
  const Bytes current = bci(2, {f().rootCrl.get(), f().brandCrl.get(), f().ccaCrl.get(), crl2.get(), f().pcaCrl.get()});
  std::vector<X509_CRL*> held = f().crls();
  // No BCI: nothing to say. A BCI naming the CRLs we hold: fine.
  EXPECT_NO_THROW(requireCurrentCrls(f().profile, std::vector<Bytes>{}, chains, held, clock));
  EXPECT_NO_THROW(requireCurrentCrls(f().profile, std::vector<Bytes>{bci(1, f().crls())}, chains, held, clock));
  // The BCI says the MCA is at CRL 2; we only have 1 (stale, or stripped from the SignedData).
  try {
    requireCurrentCrls(f().profile, std::vector<Bytes>{current}, chains, held, clock);
    ADD_FAILURE() << "stale CRL accepted";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.code(), ErrorCode::missingCertificate);
    EXPECT_NE(std::string(e.what()).find("CRL 2"), std::string::npos) << e.what();
  }
  // The highest sequenceNum decides, whatever the order.
  EXPECT_EQ(codeOf([&] { requireCurrentCrls(f().profile, std::vector<Bytes>{current, bci(1, f().crls())}, chains, held, clock); }),
            ErrorCode::missingCertificate);
  held.push_back(crl2.get());
  EXPECT_NO_THROW(requireCurrentCrls(f().profile, std::vector<Bytes>{current}, chains, held, clock));
}

TEST_P(BrandCrlIdentifierTest, OnlyAValidBciOfTheBrandCounts) {
  const ValidatedChain chain = merchantChain();
  const ValidatedChain* chains[] = {&chain};
  const ossl::Crl crl2 = mcaCrl2();
  const std::vector<X509_CRL*> listing2 = {f().rootCrl.get(), f().brandCrl.get(), f().ccaCrl.get(), crl2.get(),
                                           f().pcaCrl.get()};
  const std::vector<X509_CRL*> held = f().crls();
  // Another brand's BCI, or one past its notAfter: ignored.
  EXPECT_NO_THROW(requireCurrentCrls(f().profile, std::vector<Bytes>{bci(2, listing2, "OTHERBRAND")}, chains, held,
                                     f().soon()));
  const FixedClock late(f().mintedAt + kCrlValidity + std::chrono::hours(1));
  EXPECT_NO_THROW(requireCurrentCrls(f().profile, std::vector<Bytes>{bci(2, listing2)}, chains, held, late));
  // A BCI of the brand that the Brand CA did not sign: refused.
  const Bytes forged = issueBrandCrlIdentifier(f().h.mca, 2, "SETPAY", listing2, f().mintedAt, f().profile);
  EXPECT_EQ(codeOf([&] { requireCurrentCrls(f().profile, std::vector<Bytes>{forged}, chains, held, f().soon()); }),
            ErrorCode::invalidCertificate);
}

TEST_P(BrandCrlIdentifierTest, AWarmTrustCacheVerifiesABciOnceAndStillRefusesAForgery) {
  const ValidatedChain chain = merchantChain();
  const ValidatedChain* chains[] = {&chain};
  const std::vector<X509_CRL*> held = f().crls();
  const TrustCache cache(f().h.root.cert.get(), f().profile);
  const Bytes good = bci(1, held);
  EXPECT_NO_THROW(requireCurrentCrls(f().profile, std::vector<Bytes>{good}, chains, held, f().soon(), &cache));
  const Bytes key = concat({thumbprint(f().profile, good), thumbprint(f().profile, ossl::der(f().h.brand.cert.get()))});
  EXPECT_TRUE(cache.verifiedBefore(key));
  EXPECT_NO_THROW(requireCurrentCrls(f().profile, std::vector<Bytes>{good}, chains, held, f().soon(), &cache));
  // The same content signed by another CA is another object: verified, and refused.
  const Bytes forged = issueBrandCrlIdentifier(f().h.mca, 1, "SETPAY", held, f().mintedAt, f().profile);
  EXPECT_EQ(codeOf([&] { requireCurrentCrls(f().profile, std::vector<Bytes>{forged}, chains, held, f().soon(), &cache); }),
            ErrorCode::invalidCertificate);
}

// ---- Thumbs

TEST_P(BrandCrlIdentifierTest, ThumbsListWhatIsHeldButTheRoot) {
  const TrustAnchors rootOnly{share(f().h.root.cert.get()), {}, {}};
  EXPECT_FALSE(thumbsOf(f().profile, rootOnly).has_value());
  const Bytes b = bci(1, f().crls());
  const TrustAnchors all{share(f().h.root.cert.get()), caCertificates(f()), crlsOf(f().crls()), {b}};
  const auto t = thumbsOf(f().profile, all);
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->certThumbs.size(), 4u);
  EXPECT_EQ(t->certThumbs[0], thumbprint(f().profile, ossl::der(f().h.brand.cert.get())));
  ASSERT_EQ(t->crlThumbs.size(), 5u);
  EXPECT_EQ(t->crlThumbs[3], thumbprint(f().profile, ossl::der(f().mcaCrl.get())));
  ASSERT_EQ(t->brandCRLIdentifierThumbs.size(), 1u);
  EXPECT_EQ(t->brandCRLIdentifierThumbs[0], thumbprint(f().profile, b));
  EXPECT_NO_THROW(checkThumbsEcho(t, t));
  EXPECT_EQ(codeOf([&] { checkThumbsEcho(t, std::nullopt); }), ErrorCode::thumbsMismatch);
  auto fewer = *t;
  fewer.crlThumbs.pop_back();
  EXPECT_EQ(codeOf([&] { checkThumbsEcho(t, fewer); }), ErrorCode::thumbsMismatch);
}

TEST_P(BrandCrlIdentifierTest, CarriedIsWhatThePeerLacks) {
  const X509* signer = f().h.merchantSignature.cert.get();
  const X509* certPE = f().h.gatewayKeyExchange.cert.get();
  const X509* extra[] = {certPE};
  const Bytes b1 = bci(1, f().crls());
  const ossl::Crl crl2 = mcaCrl2();
  const Bytes b2 = bci(2, {f().rootCrl.get(), f().brandCrl.get(), f().ccaCrl.get(), crl2.get(), f().pcaCrl.get()});
  const TrustAnchors merchant{share(f().h.root.cert.get()), caCertificates(f()),
                              crlsOf({f().rootCrl.get(), f().brandCrl.get(), f().ccaCrl.get(), crl2.get(),
                                      f().pcaCrl.get()}),
                              {b1, b2}};

  // A peer that holds nothing: everything but the Root; the newest BCI.
  SignOptions o = carriedTo(f().profile, std::nullopt, signer, extra, merchant);
  EXPECT_TRUE(o.includeSignerCertificate);
  EXPECT_EQ(o.extra.certificates.size(), 5u);  // Cert-PE + 4 CAs
  EXPECT_EQ(o.extra.crls.size(), 5u);
  EXPECT_EQ(brandCRLIdentifierFor(f().profile, std::nullopt, merchant), std::optional<Bytes>(b2));

  // A peer that holds our CAs, the old CRLs and the old BCI: Cert-PE, the MCA's new CRL, the new BCI.
  const TrustAnchors wallet{share(f().h.root.cert.get()), caCertificates(f()), crlsOf(f().crls()), {b1}};
  const auto held = thumbsOf(f().profile, wallet);
  o = carriedTo(f().profile, held, signer, extra, merchant);
  EXPECT_TRUE(o.includeSignerCertificate);
  ASSERT_EQ(o.extra.certificates.size(), 1u);
  EXPECT_EQ(X509_cmp(o.extra.certificates[0], certPE), 0);
  ASSERT_EQ(o.extra.crls.size(), 1u);
  EXPECT_EQ(X509_CRL_cmp(o.extra.crls[0], crl2.get()), 0);
  EXPECT_EQ(brandCRLIdentifierFor(f().profile, held, merchant), std::optional<Bytes>(b2));

  // A peer that holds all of it, our own certificate and Cert-PE included: nothing.
  Thumbs everything = *thumbsOf(f().profile, merchant);
  everything.certThumbs.push_back(thumbprint(f().profile, ossl::der(signer)));
  everything.certThumbs.push_back(thumbprint(f().profile, ossl::der(certPE)));
  o = carriedTo(f().profile, everything, signer, extra, merchant);
  EXPECT_FALSE(o.includeSignerCertificate);
  EXPECT_TRUE(o.extra.certificates.empty());
  EXPECT_TRUE(o.extra.crls.empty());
  EXPECT_FALSE(brandCRLIdentifierFor(f().profile, everything, merchant).has_value());
}

}  // namespace
