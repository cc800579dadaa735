// The SET chain validator: every role's chain passes; wrong type, wrong role, expired, not yet valid,
// revoked, missing, wrong root and broken hashedRootKey are rejected with the right SET error code.
#include <gtest/gtest.h>
#include <openssl/x509v3.h>

#include <functional>

#include "protocol/crypto/digest.hpp"
#include "tests/protocol/pki/pki_fixture.hpp"

using namespace setpay::protocol;
using namespace setpay::protocol::pki;
using namespace setpay::protocol::pki::test;

namespace {

const X509* certFor(const PkiFixture& f, Role role) {
  switch (role) {
    case Role::cardholder: return f.card.credential.cert.get();
    case Role::merchantSignature: return f.h.merchantSignature.cert.get();
    case Role::merchantKeyExchange: return f.h.merchantKeyExchange.cert.get();
    case Role::gatewaySignature: return f.h.gatewaySignature.cert.get();
    case Role::gatewayKeyExchange: return f.h.gatewayKeyExchange.cert.get();
  }
  return nullptr;
}

constexpr Role allRoles[] = {Role::cardholder, Role::merchantSignature, Role::merchantKeyExchange,
                             Role::gatewaySignature, Role::gatewayKeyExchange};

// Re-sign a copy of `cert` by `issuer` after `edit` changed it.
template <class Edit>
ossl::Cert tampered(const X509* cert, const Credential& issuer, const AlgorithmProfile& p, Edit edit) {
  ossl::Cert copy(X509_dup(const_cast<X509*>(cert)));
  edit(copy.get());
  EXPECT_GT(X509_sign(copy.get(), issuer.key.get(), p.digest()), 0);
  return copy;
}

}  // namespace

class Validator : public ::testing::TestWithParam<ProfileId> {
 protected:
  const PkiFixture& f() const { return fixture(GetParam()); }
  ValidatedChain check(const X509* ee, Role role, const Clock& clock,
                       std::optional<std::chrono::year_month> expiry = std::nullopt) const {
    auto inter = f().intermediates();
    auto crls = f().crls();
    return f().validator().validate(ee, inter, crls, role, clock, expiry);
  }
  ErrorCode rejection(const X509* ee, Role role) const {
    const auto clock = f().soon();
    return codeOf([&] { check(ee, role, clock); });
  }
};
INSTANTIATE_TEST_SUITE_P(Profiles, Validator, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& p) { return p.param == ProfileId::set1 ? "set1" : "modern"; });

TEST_P(Validator, AcceptsEveryRolesChain) {
  const auto clock = f().soon();
  for (Role role : allRoles) {
    SCOPED_TRACE(std::string(name(role)));
    const auto chain = check(certFor(f(), role), role, clock, role == Role::cardholder
                                                                    ? std::optional(f().cardExpiry)
                                                                    : std::nullopt);
    ASSERT_EQ(chain.path.size(), 4u);
    EXPECT_EQ(X509_cmp(chain.path.back().get(), f().h.root.cert.get()), 0);
    EXPECT_EQ(X509_cmp(chain.path[2].get(), f().h.brand.cert.get()), 0);
  }
}

TEST_P(Validator, RejectsACertificatePresentedForAnotherRole) {
  for (Role presented : allRoles)
    for (Role expected : allRoles) {
      if (presented == expected) continue;
      SCOPED_TRACE(std::string(name(presented)) + " as " + std::string(name(expected)));
      EXPECT_EQ(rejection(certFor(f(), presented), expected), ErrorCode::invalidCertificate);
    }
}

TEST_P(Validator, RejectsCaAndRootCertificatesAsEndEntities) {
  EXPECT_EQ(rejection(f().h.mca.cert.get(), Role::merchantSignature), ErrorCode::invalidCertificate);
  EXPECT_EQ(rejection(f().h.root.cert.get(), Role::cardholder), ErrorCode::invalidCertificate);
}

TEST_P(Validator, RejectsWrongCertificateTypeForTheIssuingCa) {
  // A "card" certificate minted by the MCA: the type matches the role, but an MCA may not issue it.
  SeededRandom random("wrong-type");
  CertificateSpec spec;
  spec.subject = {"FR", "SETPAY", "Cardholder", hex(Bytes(f().profile.digestSize(), 0xab))};
  spec.types = {CertificateType::card};
  spec.notBefore = f().mintedAt;
  spec.notAfter = f().mintedAt + std::chrono::days(100);
  const auto key = generateKey(KeyType::ecP256);
  const auto cert = mintCertificate(spec, key.get(), &f().h.mca, f().profile, random);
  EXPECT_EQ(rejection(cert.get(), Role::cardholder), ErrorCode::invalidCertificate);
  // Same certificate typed "mer" by the CCA, presented as a merchant certificate.
  spec.types = {CertificateType::mer};
  spec.merchantData = f().options.merchant;
  const auto mer = mintCertificate(spec, key.get(), &f().h.cca, f().profile, random);
  EXPECT_EQ(rejection(mer.get(), Role::merchantSignature), ErrorCode::invalidCertificate);
  // A merchant certificate that also claims a CA type.
  spec.types = {CertificateType::mer, CertificateType::mca};
  const auto both = mintCertificate(spec, key.get(), &f().h.mca, f().profile, random);
  EXPECT_EQ(rejection(both.get(), Role::merchantSignature), ErrorCode::invalidCertificate);
}

TEST_P(Validator, RejectsExpiredAndNotYetValid) {
  const X509* mer = f().h.merchantSignature.cert.get();
  FixedClock late(toTimePoint(X509_get0_notAfter(mer)) + std::chrono::hours(1));
  EXPECT_EQ(codeOf([&] { check(mer, Role::merchantSignature, late); }), ErrorCode::expiredCertificate);
  FixedClock early(f().mintedAt - std::chrono::hours(1));
  EXPECT_EQ(codeOf([&] { check(mer, Role::merchantSignature, early); }), ErrorCode::expiredCertificate);
  const X509* card = f().card.credential.cert.get();
  FixedClock afterCard(toTimePoint(X509_get0_notAfter(card)) + std::chrono::seconds(1));
  EXPECT_EQ(codeOf([&] { check(card, Role::cardholder, afterCard); }), ErrorCode::expiredCertificate);
}

TEST_P(Validator, RejectsCardholderCertificateOutlivingTheCard) {
  const auto clock = f().soon();
  const X509* card = f().card.credential.cert.get();
  EXPECT_NO_THROW(check(card, Role::cardholder, clock, f().cardExpiry));
  EXPECT_EQ(codeOf([&] { check(card, Role::cardholder, clock, f().cardExpiry - std::chrono::months(1)); }),
            ErrorCode::invalidCertificate);
}

TEST_P(Validator, RejectsRevokedEndEntityAndRevokedCa) {
  const auto clock = f().soon();
  const X509* mer = f().h.merchantSignature.cert.get();
  auto mcaCrl = reissueCrl(f().h.mca, f().mcaCrl.get(), mer, f().profile, clock);
  auto inter = f().intermediates();
  std::vector<X509_CRL*> crls = {f().rootCrl.get(), f().brandCrl.get(), f().ccaCrl.get(), mcaCrl.get(),
                                 f().pcaCrl.get()};
  const auto v = f().validator();
  EXPECT_EQ(codeOf([&] { v.validate(mer, inter, crls, Role::merchantSignature, clock); }),
            ErrorCode::revokedCertificate);
  // The other merchant certificate is still fine under the same CRL.
  EXPECT_NO_THROW(v.validate(f().h.merchantKeyExchange.cert.get(), inter, crls, Role::merchantKeyExchange, clock));

  // Revoking the MCA in the Brand's CRL kills every merchant chain, not the gateway's.
  auto brandCrl = reissueCrl(f().h.brand, f().brandCrl.get(), f().h.mca.cert.get(), f().profile, clock);
  crls = {f().rootCrl.get(), brandCrl.get(), f().ccaCrl.get(), f().mcaCrl.get(), f().pcaCrl.get()};
  EXPECT_EQ(codeOf([&] { v.validate(f().h.merchantKeyExchange.cert.get(), inter, crls, Role::merchantKeyExchange, clock); }),
            ErrorCode::revokedCertificate);
  EXPECT_NO_THROW(v.validate(f().h.gatewaySignature.cert.get(), inter, crls, Role::gatewaySignature, clock));

  auto ccaCrl = reissueCrl(f().h.cca, f().ccaCrl.get(), f().card.credential.cert.get(), f().profile, clock);
  crls = {f().rootCrl.get(), f().brandCrl.get(), ccaCrl.get(), f().mcaCrl.get(), f().pcaCrl.get()};
  EXPECT_EQ(codeOf([&] { v.validate(f().card.credential.cert.get(), inter, crls, Role::cardholder, clock); }),
            ErrorCode::revokedCertificate);
}

TEST_P(Validator, MissingIntermediateOrCrlIsMissingCertificate) {
  const auto clock = f().soon();
  const auto v = f().validator();
  std::vector<X509*> noBrand = {f().h.mca.cert.get()};
  auto crls = f().crls();
  EXPECT_EQ(codeOf([&] { v.validate(f().h.merchantSignature.cert.get(), noBrand, crls, Role::merchantSignature, clock); }),
            ErrorCode::missingCertificate);
  auto inter = f().intermediates();
  std::vector<X509_CRL*> noMcaCrl = {f().rootCrl.get(), f().brandCrl.get(), f().ccaCrl.get(), f().pcaCrl.get()};
  EXPECT_EQ(codeOf([&] { v.validate(f().h.merchantSignature.cert.get(), inter, noMcaCrl, Role::merchantSignature, clock); }),
            ErrorCode::missingCertificate);
}

TEST_P(Validator, RejectsAChainUnderAnotherRoot) {
  // A Root with the same name but another key (the next root key): our Brand CA does not chain to it.
  SeededRandom random("other-root");
  const auto other = mintRoot({"FR", "SET Root", "Root CA", "SET Root CA"}, generateKey(KeyType::rsa, 2048),
                              f().h.root.key.get(), f().profile, random, f().mintedAt);
  const ChainValidator v(other.cert.get(), f().profile);
  auto inter = f().intermediates();
  auto crls = f().crls();
  const auto clock = f().soon();
  EXPECT_EQ(codeOf([&] { v.validate(f().h.gatewaySignature.cert.get(), inter, crls, Role::gatewaySignature, clock); }),
            ErrorCode::invalidCertificate);
}

TEST_P(Validator, RootMustCarryACriticalHashedRootKeyOfTheProfileLength) {
  SeededRandom random("roots");
  const auto& p = f().profile;
  auto rootWith = [&](std::optional<Bytes> hrk) {
    CertificateSpec spec;
    spec.subject = {"FR", "SET Root", "Root CA", "Broken Root"};
    spec.types = {CertificateType::rca};
    spec.keyUse = KeyUse::certificateAuthority;
    spec.notBefore = f().mintedAt;
    spec.notAfter = f().mintedAt + std::chrono::days(365);
    spec.hashedRootKey = std::move(hrk);
    return mintCertificate(spec, f().h.root.key.get(), nullptr, p, random);
  };
  EXPECT_NO_THROW(ChainValidator(rootWith(Bytes(p.digestSize(), 7)).get(), p));
  EXPECT_EQ(codeOf([&] { ChainValidator(rootWith(std::nullopt).get(), p); }), ErrorCode::invalidCertificate);
  EXPECT_EQ(codeOf([&] { ChainValidator(rootWith(Bytes(p.digestSize() + 1, 7)).get(), p); }),
            ErrorCode::invalidCertificate);
  // Non-critical hashedRootKey: re-mark the extension and re-sign.
  auto nonCritical = rootWith(Bytes(p.digestSize(), 7));
  X509_EXTENSION_set_critical(X509_get_ext(nonCritical.get(), X509_get_ext_by_NID(nonCritical.get(), NID_setCext_hashedRoot, -1)), 0);
  ASSERT_GT(X509_sign(nonCritical.get(), f().h.root.key.get(), p.digest()), 0);
  EXPECT_EQ(codeOf([&] { ChainValidator(nonCritical.get(), p); }), ErrorCode::invalidCertificate);
}

TEST_P(Validator, RootRolloverFollowsHashedRootKey) {
  SeededRandom random("rollover");
  const auto& p = f().profile;
  // The next Root uses the key the current Root committed to.
  ossl::PKey nextKey(EVP_PKEY_dup(f().h.nextRootKey.get()));
  auto afterNext = generateKey(KeyType::rsa, p.rootRsaBits());
  const auto next = mintRoot({"FR", "SET Root", "Root CA", "SET Root CA 2"}, std::move(nextKey),
                             afterNext.get(), p, random, f().mintedAt);
  const auto v = f().validator();
  const ChainValidator rolled = v.rollOver(next.cert.get());
  EXPECT_EQ(X509_cmp(rolled.root(), next.cert.get()), 0);
  // A Root with any other key is refused: its key does not hash to the committed value.
  const auto impostor = mintRoot({"FR", "SET Root", "Root CA", "SET Root CA 2"}, std::move(afterNext),
                                 f().h.root.key.get(), p, random, f().mintedAt);
  EXPECT_EQ(codeOf([&] { v.rollOver(impostor.cert.get()); }), ErrorCode::invalidCertificate);
  // And the new Root does not validate the old hierarchy (different key).
  auto inter = f().intermediates();
  auto crls = f().crls();
  const auto clock = f().soon();
  EXPECT_EQ(codeOf([&] { rolled.validate(f().h.merchantSignature.cert.get(), inter, crls, Role::merchantSignature, clock); }),
            ErrorCode::invalidCertificate);
}

TEST_P(Validator, RejectsUnknownCriticalExtensionAndNonCriticalCertificateType) {
  const auto& p = f().profile;
  const X509* mer = f().h.merchantSignature.cert.get();
  auto withTunneling = tampered(mer, f().h.mca, p, [](X509* c) {
    ossl::OctetString v(ASN1_OCTET_STRING_new());
    const unsigned char null[] = {0x05, 0x00};
    ASN1_OCTET_STRING_set(v.get(), null, 2);
    ossl::Extension ext(X509_EXTENSION_create_by_NID(nullptr, NID_setCext_tunneling, 1, v.get()));
    X509_add_ext(c, ext.get(), -1);
  });
  EXPECT_EQ(rejection(withTunneling.get(), Role::merchantSignature), ErrorCode::invalidCertificate);
  auto nonCriticalType = tampered(mer, f().h.mca, p, [](X509* c) {
    X509_EXTENSION_set_critical(X509_get_ext(c, X509_get_ext_by_NID(c, NID_setCext_certType, -1)), 0);
  });
  EXPECT_EQ(rejection(nonCriticalType.get(), Role::merchantSignature), ErrorCode::invalidCertificate);
  auto withKeyId = tampered(mer, f().h.mca, p, [](X509* c) {
    ossl::Extension removed(X509_delete_ext(c, X509_get_ext_by_NID(c, NID_authority_key_identifier, -1)));  // caller owns the removed extension
    // keyIdentifier present: SET wants issuer + serial only.
    AUTHORITY_KEYID* akid = AUTHORITY_KEYID_new();
    akid->keyid = ASN1_OCTET_STRING_new();
    const unsigned char id[] = {1, 2, 3, 4};
    ASN1_OCTET_STRING_set(akid->keyid, id, 4);
    ossl::Extension raw(X509V3_EXT_i2d(NID_authority_key_identifier, 0, akid));
    AUTHORITY_KEYID_free(akid);
    X509_add_ext(c, raw.get(), -1);
  });
  EXPECT_EQ(rejection(withKeyId.get(), Role::merchantSignature), ErrorCode::invalidCertificate);
  // Sanity: re-signing an untouched copy keeps it valid, so the rejections above are the edits' doing.
  auto untouched = tampered(mer, f().h.mca, p, [](X509*) {});
  EXPECT_NO_THROW(check(untouched.get(), Role::merchantSignature, f().soon()));
}

TEST_P(Validator, RejectsHashedRootKeyBelowTheRoot) {
  const auto& p = f().profile;
  auto withHrk = tampered(f().h.gatewayKeyExchange.cert.get(), f().h.pca, p, [&](X509* c) {
    auto ext = hashedRootKeyExtension(publicKeyHash(p.digest(), f().h.nextRootKey.get()));
    X509_add_ext(c, ext.get(), -1);
  });
  EXPECT_EQ(rejection(withHrk.get(), Role::gatewayKeyExchange), ErrorCode::invalidCertificate);
}

TEST_P(Validator, RejectsTamperedSignature) {
  auto forged = tampered(f().h.merchantSignature.cert.get(), f().h.cca, f().profile, [](X509*) {});
  EXPECT_EQ(rejection(forged.get(), Role::merchantSignature), ErrorCode::invalidCertificate);
}

TEST_P(Validator, ThumbprintIsDdOfTheDer) {
  const X509* c = f().h.merchantSignature.cert.get();
  EXPECT_EQ(certificateThumbprint(f().profile, c), thumbprint(f().profile, ossl::der(c)));
  EXPECT_NE(certificateThumbprint(f().profile, c),
            certificateThumbprint(f().profile, f().h.merchantKeyExchange.cert.get()));
}

TEST(Roles, ParseAndNameRoundTrip) {
  for (Role r : allRoles) EXPECT_EQ(parseRole(name(r)), r);
  EXPECT_FALSE(parseRole("merchant").has_value());
}
