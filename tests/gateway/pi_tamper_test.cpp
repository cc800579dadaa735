// SET's EX gives t no integrity of its own (SPEC-CHOICES.md "## crypto: envelopes and OAEP"): in a
// PIDualSigned the dual signature supplies it. Shown where SET places it: every single-byte flip
// (XOR 0x01) of a genuine PI's exPIData and piSignature, opened and verified as the gateway does
// (open(PI) — EX, PI-OILink, PANData, dual signature — then the cardholder chain), must throw a
// ProtocolError, or — only for a flip inside a field nothing authenticates, the EX RecipientInfo's
// issuerAndSerialNumber (it routes, the private key decides) — give bit-identical PIHead, PANData,
// hOIData and signer. Any other success, in particular a changed t, fails the test.
#include <gtest/gtest.h>
#include <openssl/pkcs7.h>

#include <algorithm>
#include <cstdio>

#include "protocol/pki/carried_trust.hpp"
#include "tests/gateway/gateway_fixture.hpp"

namespace setpay::gateway::test {
namespace {

struct Range {
  std::size_t begin = 0, end = 0;
  bool contains(std::size_t i) const { return i >= begin && i < end; }
  std::size_t size() const { return end - begin; }
};

Range find(ByteView hay, ByteView needle) {
  const auto at = std::search(hay.begin(), hay.end(), needle.begin(), needle.end());
  EXPECT_NE(at, hay.end());
  const auto b = static_cast<std::size_t>(at - hay.begin());
  return {b, b + needle.size()};
}

// Where the EX envelope names its recipient, located with OpenSSL's own PKCS#7 parser.
Range recipientIssuerAndSerial(const Bytes& envelope) {
  const unsigned char* q = envelope.data();
  PKCS7* p7 = d2i_PKCS7(nullptr, &q, static_cast<long>(envelope.size()));
  EXPECT_NE(p7, nullptr);
  if (!p7) return {};
  const PKCS7_RECIP_INFO* ri = sk_PKCS7_RECIP_INFO_value(p7->d.enveloped->recipientinfo, 0);
  const Bytes ias = ossl::der<PKCS7_ISSUER_AND_SERIAL>(ri->issuer_and_serial, i2d_PKCS7_ISSUER_AND_SERIAL);
  PKCS7_free(p7);
  return find(envelope, ias);
}

// Still an EnvelopedData in strict DER after the flip: OpenSSL parses it and re-encodes the same bytes.
bool strictDer(const Bytes& envelope) {
  const unsigned char* q = envelope.data();
  PKCS7* p7 = d2i_PKCS7(nullptr, &q, static_cast<long>(envelope.size()));
  if (!p7) return false;
  const bool same = q == envelope.data() + envelope.size() && ossl::der<PKCS7>(p7, i2d_PKCS7) == envelope;
  PKCS7_free(p7);
  return same;
}

class PITamper : public ::testing::TestWithParam<ProfileId> {};

TEST_P(PITamper, EverySingleByteFlipOfExPIDataAndPISignatureIsRejectedOrChangesNothing) {
  Bench b(GetParam());
  const AlgorithmProfile& profile = b.w.profile;
  const Purchase p = b.purchase(b.w.card, Bench::eur(4250));
  const PIDualSigned& genuine = std::get<PIDualSigned>(p.pi.value);
  EVP_PKEY* gatewayKey = b.w.h.gatewayKeyExchange.key.get();
  const X509* gatewayKex = b.w.h.gatewayKeyExchange.cert.get();

  // The gateway's trust anchors, as the bench's gateway was configured.
  const GatewayConfig config = b.config(BenchOptions{});
  const pki::ChainValidator validator(config.root.get(), profile);
  const auto cardExpiry = std::chrono::year{2027} / std::chrono::month{6};
  auto openAndVerify = [&](const PI& pi) {
    OpenedPI opened = open(profile, gatewayKey, gatewayKex, pi);
    if (!opened.cardholderSignature || !opened.piHead || !opened.panData)
      throw ProtocolError(ErrorCode::unspecifiedFailure, "dual-signed PI opened without its parts");
    (void)pki::validateCarried(validator, config.caCertificates, config.crls, opened.cardholderSignature->signer.get(),
                               *opened.cardholderSignature, pki::Role::cardholder, b.clock, cardExpiry);
    return opened;
  };
  const OpenedPI reference = openAndVerify(p.pi);
  ASSERT_EQ(reference.piHead->transIDs, p.head.transIDs);  // (modern adds its hardening extensions)
  ASSERT_EQ(reference.piHead->purchAmt, p.head.purchAmt);
  ASSERT_EQ(*reference.panData, p.panData);
  const Bytes headDer = encode(*reference.piHead), panDer = encode(*reference.panData);
  const Bytes signerDer = ossl::der(reference.cardholderSignature->signer.get());
  ASSERT_EQ(signerDer, ossl::der(b.w.card.holder.credential.cert.get()));

  const Range routing = recipientIssuerAndSerial(genuine.exPIData);
  const Range carriedCert = find(genuine.piSignature, signerDer);  // reported, never exempt
  // Every byte of both profiles: ~4 s for both in the normal build, so no sampling is needed.

  struct Count {
    std::size_t flips = 0, rejected = 0, sameContent = 0, rejectedInCert = 0, exemptStillDer = 0;
  };
  auto sweep = [&](const Bytes& field, auto&& withFlip, const Range& exempt, const char* name) {
    Count c;
    for (std::size_t i = 0; i < field.size(); ++i) {
      Bytes bad = field;
      bad[i] ^= 0x01;
      ++c.flips;
      if (exempt.contains(i) && strictDer(bad)) ++c.exemptStillDer;
      try {
        const OpenedPI got = openAndVerify(withFlip(std::move(bad)));
        EXPECT_TRUE(exempt.contains(i)) << name << " byte " << i << ": a flip outside the unauthenticated field was accepted";
        EXPECT_EQ(encode(*got.piHead), headDer) << name << " byte " << i << ": PIHead changed";
        EXPECT_EQ(encode(*got.panData), panDer) << name << " byte " << i << ": PANData changed";
        EXPECT_EQ(got.hOIData, reference.hOIData) << name << " byte " << i << ": hOIData changed";
        EXPECT_EQ(ossl::der(got.cardholderSignature->signer.get()), signerDer) << name << " byte " << i;
        ++c.sameContent;
      } catch (const ProtocolError&) {
        ++c.rejected;
        if (&field == &genuine.piSignature && carriedCert.contains(i)) ++c.rejectedInCert;
      }
    }
    return c;
  };
  const Count ex = sweep(
      genuine.exPIData,
      [&](Bytes bad) { return PI{PIDualSigned{genuine.piSignature, std::move(bad)}}; }, routing, "exPIData");
  const Count so = sweep(
      genuine.piSignature,
      [&](Bytes bad) { return PI{PIDualSigned{std::move(bad), genuine.exPIData}}; }, Range{}, "piSignature");

  // Every flip accounted for; the only successes are routing-field flips with nothing changed.
  EXPECT_EQ(ex.rejected + ex.sameContent, ex.flips);
  // Precisely: a routing-field flip is accepted exactly when the envelope is still strict DER (the
  // others are rejected as decodingFailure, e.g. a broken tag or length).
  EXPECT_EQ(ex.sameContent, ex.exemptStillDer);
  EXPECT_GT(ex.sameContent, 0u);
  EXPECT_EQ(so.sameContent, 0u);
  EXPECT_EQ(so.rejected, so.flips);
  // The carried Cert-C is not exempt: a flip there breaks its key, its signature or its chain.
  EXPECT_EQ(so.rejectedInCert, carriedCert.size());
  RecordProperty("exPIDataRejected", static_cast<int>(ex.rejected));
  RecordProperty("exPIDataSameContent", static_cast<int>(ex.sameContent));
  std::printf("%s: exPIData %zu bytes, %zu flips: %zu rejected, %zu same content (RecipientInfo "
              "issuerAndSerialNumber, %zu bytes); piSignature %zu bytes, %zu flips: %zu rejected (%zu in the "
              "carried Cert-C)\n",
              std::string(profile.name()).c_str(), genuine.exPIData.size(), ex.flips, ex.rejected, ex.sameContent,
              routing.size(), genuine.piSignature.size(), so.flips, so.rejected, so.rejectedInCert);
}

INSTANTIATE_TEST_SUITE_P(Profiles, PITamper, ::testing::Values(ProfileId::set1, ProfileId::modern), profileName);

}  // namespace
}  // namespace setpay::gateway::test
