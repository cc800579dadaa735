// Every single-byte flip of an E, EH, EX and EXH output, both profiles. Outcomes allowed:
//  - a ProtocolError (any code: decodingFailure, wrapperMsgMismatch, messageTooBig …);
//  - success with IDENTICAL t and p, only for a flip inside the RecipientInfo's
//    issuerAndSerialNumber: it names the recipient for routing and is not checked on opening (the
//    private key decides, CRYPTO-API/SPEC-CHOICES); a changed name leaves key, content and integrity
//    untouched, like re-addressing a sealed envelope;
//  - for E and EX only, a flip in the IV or the symmetric ciphertext may give success with a
//    DIFFERENT t (p unchanged, EX binds p through DD(p)): SET's E and EX carry no integrity for t
//    (SPEC-CHOICES.md "## crypto: envelopes and OAEP": that is what EH/EXH's H adds); SET uses them
//    only under a signature (Enc = E(S(t)), PIDualSigned's EX under the dual signature) —
//    composite_test shows those flips all fail.
#include <gtest/gtest.h>
#include <openssl/obj_mac.h>
#include <openssl/pkcs7.h>

#include <algorithm>
#include <string>

#include "protocol/crypto/enveloped_data.hpp"
#include "protocol/crypto/oaep.hpp"
#include "protocol/error.hpp"
#include "tests/protocol/crypto/envelope_fixture.hpp"

using namespace setpay::protocol;
using namespace setpay::envelope_test;

namespace {

struct Range {
  std::size_t begin = 0, end = 0;
  bool contains(std::size_t i) const { return i >= begin && i < end; }
};

Range find(ByteView hay, ByteView needle) {
  const auto at = std::search(hay.begin(), hay.end(), needle.begin(), needle.end());
  EXPECT_NE(at, hay.end());
  const auto b = static_cast<std::size_t>(at - hay.begin());
  return {b, b + needle.size()};
}

struct Case {
  ProfileId profile;
  OaepOperator op;
};

std::string caseName(const ::testing::TestParamInfo<Case>& i) {
  static const char* const names[] = {"", "E", "EH", "EX", "EXH"};
  return std::string(profileName(i.param.profile)) + "_" + names[static_cast<int>(i.param.op)];
}

class EnvelopeTamper : public ::testing::TestWithParam<Case> {};

TEST_P(EnvelopeTamper, EverySingleByteFlip) {
  const auto [id, op] = GetParam();
  const auto profile = AlgorithmProfile::make(id);
  const auto& r = recipient(id);
  SeededRandom rng("tamper");
  const Bytes t = sampleT();
  const Bytes p = op == OaepOperator::EX ? panData("4111111111111111") : panToken("4111111111111111");
  const int nid = op == OaepOperator::EX ? NID_setct_PIDualSignedTBE : NID_setct_PIUnsignedTBE;
  Bytes der;
  OpenedEnvelope (*open)(const AlgorithmProfile&, EVP_PKEY*, int, ByteView) = nullptr;
  switch (op) {
    case OaepOperator::E: der = E(profile, rng, r.cert.get(), nid, t); open = openE; break;
    case OaepOperator::EH: der = EH(profile, rng, r.cert.get(), nid, t); open = openEH; break;
    case OaepOperator::EX: der = EX(profile, rng, r.cert.get(), nid, t, p); open = openEX; break;
    case OaepOperator::EXH: der = EXH(profile, rng, r.cert.get(), nid, t, p); open = openEXH; break;
  }
  const Bytes expectedP = carriesExtra(op) ? p : Bytes{};
  ASSERT_EQ(open(profile, r.key.get(), nid, der).t, t);

  // Where the ignored recipient identification and the (for E/EX unauthenticated) symmetric part sit,
  // located with OpenSSL's own PKCS#7 parser.
  const unsigned char* q = der.data();
  PKCS7* p7 = d2i_PKCS7(nullptr, &q, static_cast<long>(der.size()));
  ASSERT_NE(p7, nullptr);
  const PKCS7_RECIP_INFO* ri = sk_PKCS7_RECIP_INFO_value(p7->d.enveloped->recipientinfo, 0);
  const Bytes issuerAndSerial =
      ossl::der<PKCS7_ISSUER_AND_SERIAL>(ri->issuer_and_serial, i2d_PKCS7_ISSUER_AND_SERIAL);
  const ASN1_OCTET_STRING* ivParam = p7->d.enveloped->enc_data->algorithm->parameter->value.octet_string;
  const ASN1_OCTET_STRING* ct = p7->d.enveloped->enc_data->enc_data;
  const Range ignored = find(der, issuerAndSerial);
  const Range iv = find(der, ByteView(ASN1_STRING_get0_data(ivParam), static_cast<std::size_t>(ASN1_STRING_length(ivParam))));
  const Range symmetric = find(der, ByteView(ASN1_STRING_get0_data(ct), static_cast<std::size_t>(ASN1_STRING_length(ct))));
  PKCS7_free(p7);

  std::size_t rejected = 0, sameContent = 0, changedT = 0;
  for (std::size_t i = 0; i < der.size(); ++i) {
    for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0xff}}) {
      Bytes bad = der;
      bad[i] ^= mask;
      try {
        const OpenedEnvelope got = open(profile, r.key.get(), nid, bad);
        ASSERT_EQ(got.p, expectedP) << "byte " << i << ": p changed";
        if (got.t == t) {
          ASSERT_TRUE(ignored.contains(i)) << "byte " << i << " accepted outside issuerAndSerialNumber";
          ++sameContent;
        } else {
          const bool unauthenticated = op == OaepOperator::E || op == OaepOperator::EX;
          ASSERT_TRUE(unauthenticated && (iv.contains(i) || symmetric.contains(i)))
              << "byte " << i << ": different content accepted";
          ++changedT;
        }
      } catch (const ProtocolError&) {
        ++rejected;
      }
    }
  }
  EXPECT_GT(rejected, der.size());  // the overwhelming majority
  if (op == OaepOperator::EH || op == OaepOperator::EXH) {
    EXPECT_EQ(changedT, 0u);
  }
  RecordProperty("bytes", static_cast<int>(der.size()));
  RecordProperty("rejected", static_cast<int>(rejected));
  std::printf("%s op %u: %zu bytes, %zu flips rejected, %zu same content (issuerAndSerial), %zu changed t\n",
              profileName(id), static_cast<unsigned>(op), der.size(), rejected, sameContent, changedT);
}

INSTANTIATE_TEST_SUITE_P(
    All, EnvelopeTamper,
    ::testing::Values(Case{ProfileId::set1, OaepOperator::E}, Case{ProfileId::set1, OaepOperator::EH},
                      Case{ProfileId::set1, OaepOperator::EX}, Case{ProfileId::set1, OaepOperator::EXH},
                      Case{ProfileId::modern, OaepOperator::E}, Case{ProfileId::modern, OaepOperator::EH},
                      Case{ProfileId::modern, OaepOperator::EX}, Case{ProfileId::modern, OaepOperator::EXH}),
    caseName);

}  // namespace
