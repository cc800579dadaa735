// TrustCache (issue 13): the ChainValidator's verdicts with validated chains and verified CRLs kept.
// With a WARM cache: a certificate revoked by a new CRL is refused (and stays refused when a peer
// later carries the old CRL), an expired certificate is refused (injected clock), a CRL past its
// nextUpdate is refused as the validator refuses it, and two certificates with the same subject are
// told apart (the key is the thumbprint of the DER, not the name).
#include <gtest/gtest.h>

#include "protocol/pki/issuer.hpp"
#include "protocol/pki/trust_cache.hpp"
#include "tests/protocol/pki/pki_fixture.hpp"

using namespace setpay::protocol;
using namespace setpay::protocol::pki;
using namespace setpay::protocol::pki::test;

class TrustCacheTest : public ::testing::TestWithParam<ProfileId> {
 protected:
  const PkiFixture& f() const { return fixture(GetParam()); }
  const X509* mer() const { return f().h.merchantSignature.cert.get(); }
  ValidatedChain check(const TrustCache& cache, const X509* ee, Role role, const Clock& clock,
                       std::vector<X509_CRL*> crls = {}) const {
    auto inter = f().intermediates();
    if (crls.empty()) crls = f().crls();
    return cache.validate(ee, inter, crls, role, clock);
  }
  // A warm cache: the merchant chain validated, then found again without validation.
  std::unique_ptr<TrustCache> warm(const Clock& clock) const {
    auto cache = std::make_unique<TrustCache>(f().h.root.cert.get(), f().profile);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(check(*cache, mer(), Role::merchantSignature, clock).path.size(), 4u);
    EXPECT_GE(cache->stats().hits, 1u);
    return cache;
  }
};
INSTANTIATE_TEST_SUITE_P(Profiles, TrustCacheTest, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& p) { return p.param == ProfileId::set1 ? "set1" : "modern"; });

TEST_P(TrustCacheTest, AWarmCacheAnswersWithoutValidatingAgain) {
  const auto clock = f().soon();
  auto cache = warm(clock);
  const auto before = cache->stats();
  const ValidatedChain chain = check(*cache, mer(), Role::merchantSignature, clock);
  EXPECT_EQ(cache->stats().hits, before.hits + 1);
  EXPECT_EQ(cache->stats().misses, before.misses);
  ASSERT_EQ(chain.path.size(), 4u);
  EXPECT_EQ(X509_cmp(chain.path.front().get(), mer()), 0);
  EXPECT_EQ(X509_cmp(chain.path.back().get(), f().h.root.cert.get()), 0);
  // The role is part of the key: the same certificate for another role is validated (and refused).
  EXPECT_EQ(codeOf([&] { check(*cache, mer(), Role::merchantKeyExchange, clock); }), ErrorCode::invalidCertificate);
}

TEST_P(TrustCacheTest, ARevokedCertificateIsRefusedAfterANewCrl) {
  const auto clock = f().soon();
  auto cache = warm(clock);
  auto mcaCrl = reissueCrl(f().h.mca, f().mcaCrl.get(), mer(), f().profile, clock);
  std::vector<X509_CRL*> fresh = {f().rootCrl.get(), f().brandCrl.get(), f().ccaCrl.get(), mcaCrl.get(), f().pcaCrl.get()};
  EXPECT_EQ(codeOf([&] { check(*cache, mer(), Role::merchantSignature, clock, fresh); }), ErrorCode::revokedCertificate);
  EXPECT_EQ(cache->stats().invalidations >= 1, true);
  // A peer carrying the old CRL again does not bring the certificate back: the cache keeps the new one.
  EXPECT_EQ(codeOf([&] { check(*cache, mer(), Role::merchantSignature, clock); }), ErrorCode::revokedCertificate);
  EXPECT_EQ(codeOf([&] { check(*cache, mer(), Role::merchantSignature, clock, fresh); }), ErrorCode::revokedCertificate);
  // Other certificates under the same CA still pass.
  EXPECT_NO_THROW(check(*cache, f().h.merchantKeyExchange.cert.get(), Role::merchantKeyExchange, clock, fresh));
}

TEST_P(TrustCacheTest, ARevokedCaIsRefusedAfterANewCrl) {
  const auto clock = f().soon();
  auto cache = warm(clock);
  auto brandCrl = reissueCrl(f().h.brand, f().brandCrl.get(), f().h.mca.cert.get(), f().profile, clock);
  std::vector<X509_CRL*> fresh = {f().rootCrl.get(), brandCrl.get(), f().ccaCrl.get(), f().mcaCrl.get(), f().pcaCrl.get()};
  EXPECT_EQ(codeOf([&] { check(*cache, mer(), Role::merchantSignature, clock, fresh); }), ErrorCode::revokedCertificate);
  EXPECT_EQ(codeOf([&] { check(*cache, mer(), Role::merchantSignature, clock); }), ErrorCode::revokedCertificate);
  EXPECT_NO_THROW(check(*cache, f().h.gatewaySignature.cert.get(), Role::gatewaySignature, clock, fresh));
}

TEST_P(TrustCacheTest, AnExpiredCertificateIsRefused) {
  const auto clock = f().soon();
  auto cache = warm(clock);
  FixedClock late(toTimePoint(X509_get0_notAfter(mer())) + std::chrono::seconds(1));
  EXPECT_EQ(codeOf([&] { check(*cache, mer(), Role::merchantSignature, late); }), ErrorCode::expiredCertificate);
  FixedClock early(toTimePoint(X509_get0_notBefore(mer())) - std::chrono::seconds(1));
  EXPECT_EQ(codeOf([&] { check(*cache, mer(), Role::merchantSignature, early); }), ErrorCode::expiredCertificate);
  // Back inside the validity period, the chain passes again.
  EXPECT_NO_THROW(check(*cache, mer(), Role::merchantSignature, clock));
}

TEST_P(TrustCacheTest, ACrlPastItsNextUpdateIsRefusedAsTheValidatorRefusesIt) {
  const auto clock = f().soon();
  auto cache = warm(clock);
  const ASN1_TIME* next = X509_CRL_get0_nextUpdate(f().mcaCrl.get());
  ASSERT_NE(next, nullptr);
  FixedClock stale(toTimePoint(next) + std::chrono::seconds(1));
  ASSERT_LT(stale.now(), toTimePoint(X509_get0_notAfter(mer())));  // the certificate itself is still valid
  const ErrorCode expected = codeOf([&] {
    auto inter = f().intermediates();
    auto crls = f().crls();
    f().validator().validate(mer(), inter, crls, Role::merchantSignature, stale);
  });
  EXPECT_NE(expected, ErrorCode::unspecifiedFailure);  // the validator refuses it
  EXPECT_EQ(codeOf([&] { check(*cache, mer(), Role::merchantSignature, stale); }), expected);
}

TEST_P(TrustCacheTest, TwoCertificatesWithTheSameSubjectAreToldApart) {
  const auto clock = f().soon();
  auto cache = warm(clock);
  // Same subject, issuer and extensions; another serial, validly signed by the MCA.
  ossl::Cert twin(X509_dup(const_cast<X509*>(mer())));
  ASSERT_EQ(ASN1_INTEGER_set(X509_get_serialNumber(twin.get()), 0x7e57), 1);
  ASSERT_GT(X509_sign(twin.get(), f().h.mca.key.get(), f().profile.digest()), 0);
  ASSERT_EQ(X509_NAME_cmp(X509_get_subject_name(twin.get()), X509_get_subject_name(mer())), 0);
  EXPECT_NO_THROW(check(*cache, twin.get(), Role::merchantSignature, clock));
  // Revoke only the twin: the original still passes from the cache, the twin is refused.
  auto mcaCrl = reissueCrl(f().h.mca, f().mcaCrl.get(), twin.get(), f().profile, clock);
  std::vector<X509_CRL*> fresh = {f().rootCrl.get(), f().brandCrl.get(), f().ccaCrl.get(), mcaCrl.get(), f().pcaCrl.get()};
  EXPECT_EQ(codeOf([&] { check(*cache, twin.get(), Role::merchantSignature, clock, fresh); }), ErrorCode::revokedCertificate);
  EXPECT_NO_THROW(check(*cache, mer(), Role::merchantSignature, clock, fresh));
  // A same-subject forgery (signed by another key) is refused, the original is not confused with it.
  ossl::Cert forged(X509_dup(const_cast<X509*>(mer())));
  ASSERT_EQ(ASN1_INTEGER_set(X509_get_serialNumber(forged.get()), 0xbad), 1);
  ASSERT_GT(X509_sign(forged.get(), f().h.pca.key.get(), f().profile.digest()), 0);
  EXPECT_EQ(codeOf([&] { check(*cache, forged.get(), Role::merchantSignature, clock, fresh); }), ErrorCode::invalidCertificate);
  EXPECT_NO_THROW(check(*cache, mer(), Role::merchantSignature, clock, fresh));
}
