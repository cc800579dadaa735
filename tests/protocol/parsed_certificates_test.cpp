// protocol/parsed_certificates: each carried certificate or CRL parsed once, strictly, shared after.
#include "protocol/parsed_certificates.hpp"

#include <gtest/gtest.h>

#include "protocol/pki/crl.hpp"
#include "protocol/pki/issuer.hpp"
#include "tests/support/test_keys.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::protocol {
namespace {

using test_support::thrownCode;

// The same value with its outer length in a longer form than DER allows (BER).
Bytes longFormLength(const Bytes& der) {
  EXPECT_EQ(der.at(1), 0x82);  // a SEQUENCE of 256..65535 bytes
  Bytes ber{der[0], 0x83, 0x00};
  ber.insert(ber.end(), der.begin() + 2, der.end());
  return ber;
}

struct ParsedCertificatesTest : ::testing::Test {
  support::TestKey key = support::loadTestKey("rsa-2048");
  Bytes der = ossl::der(key.cert.get());
  ParsedCertificates parsed;
};

TEST_F(ParsedCertificatesTest, TheSameBytesGiveTheSameCertificateObject) {
  const ossl::Cert first = parsed.certificate(der);
  const ossl::Cert again = parsed.certificate(Bytes(der));  // equal bytes elsewhere in memory
  EXPECT_EQ(first.get(), again.get());
  EXPECT_EQ(X509_cmp(first.get(), key.cert.get()), 0);
}

TEST_F(ParsedCertificatesTest, ABerTwinOfAKnownCertificateIsStillRefused) {
  (void)parsed.certificate(der);
  EXPECT_EQ(thrownCode([&] { (void)parsed.certificate(longFormLength(der)); }), ErrorCode::decodingFailure);
}

TEST_F(ParsedCertificatesTest, TrailingBytesTruncationAndGarbageAreRefused) {
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_EQ(thrownCode([&] { (void)parsed.certificate(trailing); }), ErrorCode::decodingFailure);
  EXPECT_EQ(thrownCode([&] { (void)parsed.certificate(ByteView(der).first(der.size() - 1)); }), ErrorCode::decodingFailure);
  EXPECT_EQ(thrownCode([&] { (void)parsed.certificate(Bytes{0x30, 0x00}); }), ErrorCode::decodingFailure);
}

TEST_F(ParsedCertificatesTest, AFlippedByteIsAnotherCertificateNotTheKnownOne) {
  const ossl::Cert known = parsed.certificate(der);
  Bytes other = der;
  other[other.size() - 1] ^= 0x01;  // in the signature: still decodes
  const ossl::Cert flipped = parsed.certificate(other);
  EXPECT_NE(known.get(), flipped.get());
  EXPECT_NE(X509_cmp(known.get(), flipped.get()), 0);
}

TEST_F(ParsedCertificatesTest, ACrlIsParsedOnceAndAStrangerIsNotACrl) {
  const pki::Credential ca{support::shareCert(key.cert.get()), support::shareKey(key.key.get())};
  const auto profile = AlgorithmProfile::make(ProfileId::modern);
  const ossl::Crl crl = pki::issueCrl(ca, {}, 1, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()), profile);
  const Bytes crlDer = ossl::der(crl.get());
  EXPECT_EQ(parsed.crl(crlDer).get(), parsed.crl(crlDer).get());
  EXPECT_EQ(thrownCode([&] { (void)parsed.crl(der); }), ErrorCode::decodingFailure);  // a certificate
}

TEST_F(ParsedCertificatesTest, ManyDistinctCertificatesStayCorrectPastTheBound) {
  std::vector<Bytes> ders;
  for (std::size_t i = 0; i <= ParsedCertificates::kMaxEntries; ++i) {
    Bytes d = der;
    d[d.size() - 1 - (i % 200)] ^= static_cast<std::uint8_t>(1 + i / 200);
    ders.push_back(d);
  }
  for (const Bytes& d : ders) {
    const ossl::Cert c = parsed.certificate(d);
    EXPECT_EQ(ossl::der(c.get()), d);
  }
  EXPECT_EQ(ossl::der(parsed.certificate(ders.front()).get()), ders.front());  // forgotten, parsed again
}

TEST_F(ParsedCertificatesTest, AThumbprintIsComputedOncePerObject) {
  int computed = 0;
  auto compute = [&] {
    ++computed;
    return Bytes{0x01, static_cast<std::uint8_t>(computed)};
  };
  EXPECT_EQ(parsed.thumbprint(key.cert.get(), compute), (Bytes{0x01, 0x01}));
  EXPECT_EQ(parsed.thumbprint(key.cert.get(), compute), (Bytes{0x01, 0x01}));
  EXPECT_EQ(computed, 1);
  const ossl::Cert twin = ossl::certFromDer(der);  // same bytes, another object: its own entry
  EXPECT_EQ(parsed.thumbprint(twin.get(), compute), (Bytes{0x01, 0x02}));
  EXPECT_EQ(computed, 2);
}

}  // namespace
}  // namespace setpay::protocol
