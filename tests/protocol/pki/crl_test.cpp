// CRLs: one per CA, re-issued with a higher cRLNumber, entries kept, only the CA's own certificates.
#include <gtest/gtest.h>
#include <openssl/x509v3.h>

#include "protocol/pki/pem.hpp"
#include "tests/protocol/pki/pki_fixture.hpp"
#include "tests/support/thrown.hpp"

using namespace setpay::protocol;
using namespace setpay::protocol::pki;
using setpay::protocol::pki::test::fixture;

TEST(Crl, ReissueAddsEntriesAndBumpsNumber) {
  const auto& f = fixture(ProfileId::set1);
  FixedClock clock(f.mintedAt + std::chrono::hours(2));
  EXPECT_EQ(crlNumber(f.mcaCrl.get()), 1u);
  EXPECT_TRUE(revokedSerials(f.mcaCrl.get()).empty());
  auto c2 = reissueCrl(f.h.mca, f.mcaCrl.get(), f.h.merchantSignature.cert.get(), f.profile, clock);
  EXPECT_EQ(crlNumber(c2.get()), 2u);
  ASSERT_EQ(revokedSerials(c2.get()).size(), 1u);
  EXPECT_EQ(revokedSerials(c2.get())[0].serial, serialOf(f.h.merchantSignature.cert.get()));
  EXPECT_EQ(revokedSerials(c2.get())[0].revocationDate, clock.now());
  EXPECT_TRUE(isListed(c2.get(), f.h.merchantSignature.cert.get()));
  EXPECT_FALSE(isListed(c2.get(), f.h.merchantKeyExchange.cert.get()));
  clock.advance(std::chrono::hours(1));
  auto c3 = reissueCrl(f.h.mca, c2.get(), f.h.merchantKeyExchange.cert.get(), f.profile, clock);
  EXPECT_EQ(crlNumber(c3.get()), 3u);
  EXPECT_EQ(revokedSerials(c3.get()).size(), 2u);
  // Revoking twice does not duplicate the entry; a plain re-issue keeps everything.
  auto c4 = reissueCrl(f.h.mca, c3.get(), f.h.merchantKeyExchange.cert.get(), f.profile, clock);
  EXPECT_EQ(revokedSerials(c4.get()).size(), 2u);
  auto c5 = reissueCrl(f.h.mca, c4.get(), nullptr, f.profile, clock);
  EXPECT_EQ(crlNumber(c5.get()), 5u);
  EXPECT_EQ(revokedSerials(c5.get()), revokedSerials(c3.get()));
  // Signed by the MCA, names it, SET-style authorityKeyIdentifier.
  EXPECT_EQ(X509_CRL_verify(c5.get(), X509_get0_pubkey(f.h.mca.cert.get())), 1);
  EXPECT_EQ(X509_NAME_cmp(X509_CRL_get_issuer(c5.get()), X509_get_subject_name(f.h.mca.cert.get())), 0);
  EXPECT_EQ(X509_CRL_get_version(c5.get()), X509_CRL_VERSION_2);
  // PEM round trip.
  auto back = crlFromPem(crlToPem(c5.get()));
  EXPECT_EQ(ossl::der(back.get()), ossl::der(c5.get()));
}

TEST(Crl, RefusesCertificatesOfAnotherCaAndForeignCrls) {
  const auto& f = fixture(ProfileId::set1);
  const auto clock = f.soon();
  EXPECT_EQ(setpay::test_support::thrownMessage<ProtocolError>(
                [&] { reissueCrl(f.h.mca, f.mcaCrl.get(), f.h.gatewaySignature.cert.get(), f.profile, clock); }),
            "invalidCertificate: certificate was not issued by this CA");
  EXPECT_EQ(setpay::test_support::thrownMessage<ProtocolError>([&] { reissueCrl(f.h.mca, f.pcaCrl.get(), nullptr, f.profile, clock); }),
            "invalidCertificate: CRL was not issued by this CA");
}

TEST(Pem, KeysAndBundlesRoundTrip) {
  const auto& f = fixture(ProfileId::modern);
  auto key = privateKeyFromPem(privateKeyToPem(f.card.credential.key.get()));
  EXPECT_EQ(EVP_PKEY_eq(key.get(), f.card.credential.key.get()), 1);
  const std::string bundle = ossl::toPem(f.h.brand.cert.get()) + ossl::toPem(f.h.mca.cert.get());
  const auto certs = certsFromPem(bundle);
  ASSERT_EQ(certs.size(), 2u);
  EXPECT_EQ(X509_cmp(certs[1].get(), f.h.mca.cert.get()), 0);
  EXPECT_EQ(setpay::test_support::thrownCode([] { certsFromPem("not pem"); }), ErrorCode::decodingFailure);
}
