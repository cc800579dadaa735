// Every single-byte change of an S/SO output must be refused with a ProtocolError — never a crash,
// never a success with other content or another signer.
//
// Design: with the signer certificate supplied out of band (`known`, not carried) every byte of the
// SignedData is covered by strict DER decoding, the algorithm checks, the signed attributes or the
// signature, so a success would have to give bit-identical content and signer. With the signer
// certificate carried, bytes inside that certificate that OpenSSL does not use for the key (for
// instance the certificate's own signature) are not covered by S's signature: such a flip may
// verify, but only with identical content and the identical public key; the altered certificate is
// then pki/'s chain validation to refuse.
#include <openssl/err.h>
#include <openssl/objects.h>

#include "tests/protocol/crypto/fixtures.hpp"

namespace setpay::protocol::testing {
namespace {

struct Tally {
  int refused = 0;
  int identical = 0;
};

// `open` returns the verified result for a candidate message.
template <class Open>
Tally flipEveryByte(const Bytes& good, const Bytes& content, const X509* signer, bool carriedCert, Open open) {
  Tally tally;
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0xff}}) {
      Bytes bad = good;
      bad[i] ^= mask;
      try {
        const VerifiedSignedData v = open(bad);
        ++tally.identical;
        EXPECT_EQ(v.content, content) << "offset " << i;
        if (carriedCert)
          EXPECT_EQ(EVP_PKEY_eq(X509_get0_pubkey(v.signer.get()), X509_get0_pubkey(signer)), 1) << "offset " << i;
        else
          EXPECT_EQ(ossl::der(v.signer.get()), ossl::der(signer)) << "offset " << i;
      } catch (const ProtocolError&) {
        ++tally.refused;
      }
      EXPECT_EQ(ERR_peek_error(), 0ul) << "OpenSSL error queue left behind, offset " << i;
    }
  }
  return tally;
}

class TamperTest : public ::testing::TestWithParam<SignCase> {};

TEST_P(TamperTest, EveryFlipOfSIsRefused) {
  SignFixture f(GetParam());
  SignOptions noCert;
  noCert.includeSignerCertificate = false;
  const Bytes t = sampleContent(40);
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, t, noCert);
  const X509* cert = f.key.cert.get();
  const Tally tally = flipEveryByte(s, t, cert, false, [&](const Bytes& bad) {
    return openS(f.profile, bad, NID_setct_PInitResData, {cert});
  });
  EXPECT_EQ(tally.refused + tally.identical, static_cast<int>(2 * s.size()));
  RecordProperty("refused", tally.refused);
  EXPECT_EQ(tally.identical, 0) << "a flip verified although every byte is covered";
}

TEST_P(TamperTest, EveryFlipOfSOIsRefused) {
  SignFixture f(GetParam());
  SignOptions noCert;
  noCert.includeSignerCertificate = false;
  const Bytes t = sampleContent(40);
  const Bytes so = SO(f.profile, *f.signer, f.clock, NID_setct_PI_TBS, t, noCert);
  const X509* cert = f.key.cert.get();
  const Tally tally = flipEveryByte(so, t, cert, false, [&](const Bytes& bad) {
    return verifySO(f.profile, bad, NID_setct_PI_TBS, t, {cert});
  });
  EXPECT_EQ(tally.identical, 0);
}

TEST_P(TamperTest, FlipsWithCarriedCertificateNeverChangeContentOrKey) {
  SignFixture f(GetParam());
  const Bytes t = sampleContent(40);
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, t);
  const Tally tally = flipEveryByte(s, t, f.key.cert.get(), true, [&](const Bytes& bad) {
    return openS(f.profile, bad, NID_setct_PInitResData);
  });
  RecordProperty("refused", tally.refused);
  RecordProperty("identical", tally.identical);
  EXPECT_GT(tally.refused, 0);
  // Only bytes inside the carried certificate can be "identical" successes.
  EXPECT_LE(tally.identical, static_cast<int>(2 * ossl::der(f.key.cert.get()).size()));
}

INSTANTIATE_TEST_SUITE_P(Keys, TamperTest, ::testing::ValuesIn(signCases), caseName);

}  // namespace
}  // namespace setpay::protocol::testing
