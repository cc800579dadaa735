// Enc, EncB, EncX, EncBX (protocol/crypto/composite.hpp): round trips, what binds what, errors,
// and every single-byte flip of Enc/EncB/EncX/EncBX (never success with different content).
#include "protocol/crypto/composite.hpp"

#include <gtest/gtest.h>
#include <openssl/obj_mac.h>
#include <openssl/pkcs7.h>

#include <algorithm>

#include <functional>
#include <string>

#include "protocol/crypto/digest.hpp"
#include "protocol/crypto/enveloped_data.hpp"
#include "protocol/error.hpp"
#include "tests/protocol/crypto/envelope_fixture.hpp"

using namespace setpay::protocol;
using namespace setpay::envelope_test;

namespace {

class Composite : public ::testing::TestWithParam<ProfileId> {
 protected:
  AlgorithmProfile profile = AlgorithmProfile::make(GetParam());
  const setpay::support::TestKey& r = recipient(GetParam());
  // The signer is another party than the recipient: RSA-2048 in set1, ECDSA P-256 in modern.
  setpay::support::TestKey s = loadOrMake(GetParam() == ProfileId::set1 ? "rsa-2048" : "ec-p256");
  SoftwareSigner signer{ossl::Cert(X509_dup(s.cert.get())), ossl::PKey(EVP_PKEY_dup(s.key.get()))};
  FixedClock clock{vectorEpoch()};
  const Bytes t = sampleT();
  const Bytes baggage = sampleT("the PI, already encrypted for P");
  const Bytes p = panToken("4111111111111111");
  void expectSigner(const OpenedEnc& o, int tbsNid) {
    EXPECT_EQ(o.signedPart.contentTypeNid, tbsNid);
    ASSERT_NE(o.signedPart.signer, nullptr);
    EXPECT_EQ(X509_cmp(o.signedPart.signer.get(), s.cert.get()), 0);
  }
};

TEST_P(Composite, EncIsEOfS) {
  SeededRandom rng("enc");
  const Bytes der = Enc(profile, rng, clock, signer, r.cert.get(), NID_setct_CapTokenTBS, NID_setct_CapTokenTBE, t);
  const OpenedEnc o = openEnc(profile, r.key.get(), NID_setct_CapTokenTBE, NID_setct_CapTokenTBS, der);
  EXPECT_EQ(o.t, t);
  EXPECT_TRUE(o.baggage.empty());
  EXPECT_TRUE(o.p.empty());
  expectSigner(o, NID_setct_CapTokenTBS);
  // Layer by layer: the envelope holds S(s,t).
  const auto inner = openE(profile, r.key.get(), NID_setct_CapTokenTBE, der);
  EXPECT_EQ(openS(profile, inner.t, NID_setct_CapTokenTBS).content, t);
}

TEST_P(Composite, EncBCarriesBaggageBoundBySignature) {
  SeededRandom rng("encb");
  const Bytes der =
      EncB(profile, rng, clock, signer, r.cert.get(), NID_setct_AuthReqTBS, NID_setct_AuthReqTBE, t, baggage);
  const OpenedEnc o = openEncB(profile, r.key.get(), NID_setct_AuthReqTBE, NID_setct_AuthReqTBS, der);
  EXPECT_EQ(o.t, t);
  EXPECT_EQ(o.baggage, baggage);
  EXPECT_EQ(o.signedPart.content, L(profile, t, NID_setct_PI, baggage));  // AuthReq's baggage is the PI
  expectSigner(o, NID_setct_AuthReqTBS);
  // The same envelope with other baggage: the signed DD(b) no longer matches.
  const Bytes e = element(der, 0);
  const Bytes swapped = sequence({e, sampleT("another PI")});
  EXPECT_EQ(codeOf([&] { openEncB(profile, r.key.get(), NID_setct_AuthReqTBE, NID_setct_AuthReqTBS, swapped); }),
            ErrorCode::signatureFailure);
}

TEST_P(Composite, EncXSignsTAndPButOnlyTTravelsSymmetric) {
  SeededRandom rng("encx");
  const Bytes der =
      EncX(profile, rng, clock, signer, r.cert.get(), NID_setct_CapTokenTBS, NID_setct_CapTokenTBEX, t, p);
  const OpenedEnc o = openEncX(profile, r.key.get(), NID_setct_CapTokenTBEX, NID_setct_CapTokenTBS, der);
  EXPECT_EQ(o.t, t);
  EXPECT_EQ(o.p, p);
  EXPECT_EQ(o.signedPart.content, sequence({t, p}));
  expectSigner(o, NID_setct_CapTokenTBS);
  // Layer by layer: EX content = SEQUENCE { t, SO(s, SEQUENCE{t,p}) }, p in the OAEP block.
  const auto env = openEX(profile, r.key.get(), NID_setct_CapTokenTBEX, der);
  EXPECT_EQ(env.p, p);
  EXPECT_EQ(element(env.t, 0), t);
  const Bytes so = element(env.t, 1);
  EXPECT_EQ(verifySO(profile, so, NID_setct_CapTokenTBS, sequence({t, p})).content, sequence({t, p}));
}

TEST_P(Composite, EncXRejectsAnotherPInTheOaepBlock) {
  // Built by hand: the signature covers {t, p1} but the OAEP block carries p2.
  SeededRandom rng("encx swap");
  const Bytes p2 = panToken("5500000000000004");
  const Bytes so = SO(profile, signer, clock, NID_setct_CapTokenTBS, sequence({t, p}));
  const Bytes der = EX(profile, rng, r.cert.get(), NID_setct_CapTokenTBEX, sequence({t, so}), p2);
  EXPECT_EQ(codeOf([&] { openEncX(profile, r.key.get(), NID_setct_CapTokenTBEX, NID_setct_CapTokenTBS, der); }),
            ErrorCode::signatureFailure);
}

TEST_P(Composite, EncBXRoundTrip) {
  SeededRandom rng("encbx");
  const Bytes der = EncBX(profile, rng, clock, signer, r.cert.get(), NID_setct_AuthResTBSX, NID_setct_AuthResTBEX, t,
                          baggage, p);
  const OpenedEnc o = openEncBX(profile, r.key.get(), NID_setct_AuthResTBEX, NID_setct_AuthResTBSX, der);
  EXPECT_EQ(o.t, t);
  EXPECT_EQ(o.baggage, baggage);
  EXPECT_EQ(o.p, p);
  EXPECT_EQ(o.signedPart.content, sequence({L(profile, t, NID_setct_AuthResBaggage, baggage), p}));
  expectSigner(o, NID_setct_AuthResTBSX);
  const Bytes swapped = sequence({element(der, 0), sampleT("other baggage")});
  EXPECT_EQ(codeOf([&] { openEncBX(profile, r.key.get(), NID_setct_AuthResTBEX, NID_setct_AuthResTBSX, swapped); }),
            ErrorCode::signatureFailure);
}

TEST_P(Composite, ContentTypesWrongKeyAndMalformedOuter) {
  SeededRandom rng("enc errors");
  const Bytes der = Enc(profile, rng, clock, signer, r.cert.get(), NID_setct_CapTokenTBS, NID_setct_CapTokenTBE, t);
  EXPECT_EQ(codeOf([&] { openEnc(profile, r.key.get(), NID_setct_AuthReqTBE, NID_setct_CapTokenTBS, der); }),
            ErrorCode::wrapperMsgMismatch);
  EXPECT_EQ(codeOf([&] { openEnc(profile, r.key.get(), NID_setct_CapTokenTBE, NID_setct_AuthReqTBS, der); }),
            ErrorCode::wrapperMsgMismatch);
  std::string what;
  EXPECT_EQ(codeOf([&] { openEnc(profile, wrongKey(GetParam()).get(), NID_setct_CapTokenTBE, NID_setct_CapTokenTBS, der); },
                   &what),
            ErrorCode::decodingFailure);
  EXPECT_EQ(what, "decodingFailure: envelope does not open");
  EXPECT_EQ(codeOf([&] { openEncB(profile, r.key.get(), NID_setct_CapTokenTBE, NID_setct_CapTokenTBS, der); }),
            ErrorCode::decodingFailure);  // an Enc is not a SEQUENCE{E, b}
  // A signer certificate the receiver cannot find.
  SeededRandom rng2("enc no cert");
  const Bytes noCert = E(profile, rng2, r.cert.get(), NID_setct_CapTokenTBE,
                         S(profile, signer, clock, NID_setct_CapTokenTBS, t, SignOptions{false, {}}));
  EXPECT_EQ(codeOf([&] { openEnc(profile, r.key.get(), NID_setct_CapTokenTBE, NID_setct_CapTokenTBS, noCert); }),
            ErrorCode::missingCertificate);
  EXPECT_EQ(openEnc(profile, r.key.get(), NID_setct_CapTokenTBE, NID_setct_CapTokenTBS, noCert, {s.cert.get()}).t, t);
}

TEST_P(Composite, SignOptionsCarryExtraCertificates) {
  // AuthReq carries the merchant's key-exchange certificate beside its signature certificate.
  SeededRandom rng("enc extra cert");
  SignOptions options;
  options.extra.certificates.push_back(r.cert.get());
  const Bytes der = EncB(profile, rng, clock, signer, r.cert.get(), NID_setct_AuthReqTBS, NID_setct_AuthReqTBE, t,
                         baggage, options);
  const OpenedEnc o = openEncB(profile, r.key.get(), NID_setct_AuthReqTBE, NID_setct_AuthReqTBS, der);
  bool carried = false;
  for (const auto& c : o.signedPart.certificates) carried = carried || X509_cmp(c.get(), r.cert.get()) == 0;
  EXPECT_TRUE(carried);
  EXPECT_EQ(o.t, t);
}

INSTANTIATE_TEST_SUITE_P(Profiles, Composite, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& i) { return std::string(profileName(i.param)); });

// Every single-byte flip: a ProtocolError, or success with identical t, baggage and p — and then
// only where nothing authenticated is touched: the recipient's issuerAndSerialNumber (routing only,
// the key decides), or a CBC flip whose damaged plaintext lies wholly inside the carried signer
// certificate (its own signature, SKI… are not covered by the SignedData signature; the certificate
// still parses with the same key, issuer and serial; pki/ validates it separately). Never success
// with different content.
enum class Kind { Enc, EncB, EncX, EncBX };
struct TamperCase {
  ProfileId profile;
  Kind kind;
};

struct Span {
  std::size_t begin = 0, end = 0;
  bool contains(std::size_t i) const { return i >= begin && i < end; }
};
Span locate(ByteView hay, ByteView needle) {
  const auto at = std::search(hay.begin(), hay.end(), needle.begin(), needle.end());
  EXPECT_NE(at, hay.end()) << "needle not found";
  const auto b = static_cast<std::size_t>(at - hay.begin());
  return {b, at == hay.end() ? b : b + needle.size()};
}

std::string tamperName(const ::testing::TestParamInfo<TamperCase>& i) {
  static const char* const names[] = {"Enc", "EncB", "EncX", "EncBX"};
  return std::string(profileName(i.param.profile)) + "_" + names[static_cast<int>(i.param.kind)];
}

class CompositeTamper : public ::testing::TestWithParam<TamperCase> {};

TEST_P(CompositeTamper, EverySingleByteFlip) {
  const auto [id, kind] = GetParam();
  const auto profile = AlgorithmProfile::make(id);
  const auto& r = recipient(id);
  auto s = loadOrMake(id == ProfileId::set1 ? "rsa-2048" : "ec-p256");
  SoftwareSigner signer(ossl::Cert(X509_dup(s.cert.get())), ossl::PKey(EVP_PKEY_dup(s.key.get())));
  const FixedClock clock(vectorEpoch());
  SeededRandom rng("composite tamper");
  const Bytes t = sampleT(), b = sampleT("baggage"), p = panToken("4111111111111111");
  const int tbs = NID_setct_AuthResTBSX, tbe = NID_setct_AuthResTBEX;
  Bytes der;
  OpenedEnc (*open)(const AlgorithmProfile&, EVP_PKEY*, int, int, ByteView, const std::vector<const X509*>&) = nullptr;
  switch (kind) {
    case Kind::Enc: der = Enc(profile, rng, clock, signer, r.cert.get(), tbs, tbe, t); open = openEnc; break;
    case Kind::EncB: der = EncB(profile, rng, clock, signer, r.cert.get(), tbs, tbe, t, b); open = openEncB; break;
    case Kind::EncX: der = EncX(profile, rng, clock, signer, r.cert.get(), tbs, tbe, t, p); open = openEncX; break;
    case Kind::EncBX: der = EncBX(profile, rng, clock, signer, r.cert.get(), tbs, tbe, t, b, p); open = openEncBX; break;
  }
  const OpenedEnc good = open(profile, r.key.get(), tbe, tbs, der, {});
  ASSERT_EQ(good.t, t);

  // Where things are: the envelope inside der, its ciphertext and IV (OpenSSL's PKCS#7 parser), the
  // symmetric plaintext (t of E, L(t', p) of EX) and the signer certificate inside that plaintext.
  const bool withBaggage = kind == Kind::EncB || kind == Kind::EncBX;
  const bool extra = kind == Kind::EncX || kind == Kind::EncBX;
  const Bytes envelope = withBaggage ? element(der, 0) : der;
  const Span envelopeAt = locate(der, envelope);
  const unsigned char* q = envelope.data();
  PKCS7* p7 = d2i_PKCS7(nullptr, &q, static_cast<long>(envelope.size()));
  ASSERT_NE(p7, nullptr);
  const auto bytesOf = [](const ASN1_STRING* x) {
    return Bytes(ASN1_STRING_get0_data(x), ASN1_STRING_get0_data(x) + ASN1_STRING_length(x));
  };
  const Bytes ivBytes = bytesOf(p7->d.enveloped->enc_data->algorithm->parameter->value.octet_string);
  const Bytes ctBytes = bytesOf(p7->d.enveloped->enc_data->enc_data);
  const Bytes recipientId = ossl::der<PKCS7_ISSUER_AND_SERIAL>(
      sk_PKCS7_RECIP_INFO_value(p7->d.enveloped->recipientinfo, 0)->issuer_and_serial, i2d_PKCS7_ISSUER_AND_SERIAL);
  PKCS7_free(p7);
  const Span iv = locate(der, ivBytes), ct = locate(der, ctBytes), rid = locate(der, recipientId);
  Bytes plain;
  if (extra) {
    const auto env = openEX(profile, r.key.get(), tbe, envelope);
    plain = L(profile, env.t, NID_setct_PANToken, env.p);  // AuthResTBEX carries a PANToken
  } else {
    plain = openE(profile, r.key.get(), tbe, envelope).t;
  }
  const Span cert = locate(plain, ossl::der(s.cert.get()));
  const std::size_t bs = profile.ivSize();
  // Plaintext bytes a flip at der[i] damages (CBC: its block garbled, one bit of the next block).
  const auto insideCertificate = [&](std::size_t i) {
    if (iv.contains(i)) return cert.contains(i - iv.begin);
    if (!ct.contains(i)) return false;
    const std::size_t c = i - ct.begin, block = c / bs;
    const std::size_t next = (block + 1) * bs + c % bs;
    return cert.contains(block * bs) && cert.contains((block + 1) * bs - 1) &&
           (next >= plain.size() || cert.contains(next));
  };
  ASSERT_TRUE(envelopeAt.contains(ct.begin));

  std::size_t rejected = 0, same = 0;
  for (std::size_t i = 0; i < der.size(); ++i) {
    Bytes bad = der;
    bad[i] ^= 0x01;
    try {
      const OpenedEnc o = open(profile, r.key.get(), tbe, tbs, bad, {});
      ASSERT_EQ(o.t, good.t) << "byte " << i << ": different t accepted";
      ASSERT_EQ(o.baggage, good.baggage) << "byte " << i << ": different baggage accepted";
      ASSERT_EQ(o.p, good.p) << "byte " << i << ": different p accepted";
      ASSERT_TRUE(rid.contains(i) || insideCertificate(i)) << "byte " << i << " accepted outside unauthenticated bytes";
      ++same;
    } catch (const ProtocolError&) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, der.size() / 2);
  std::printf("%s kind %d: %zu bytes, %zu rejected, %zu accepted with identical content\n", profileName(id),
              static_cast<int>(kind), der.size(), rejected, same);
}

INSTANTIATE_TEST_SUITE_P(
    All, CompositeTamper,
    ::testing::Values(TamperCase{ProfileId::set1, Kind::Enc}, TamperCase{ProfileId::set1, Kind::EncB},
                      TamperCase{ProfileId::set1, Kind::EncX}, TamperCase{ProfileId::set1, Kind::EncBX},
                      TamperCase{ProfileId::modern, Kind::Enc}, TamperCase{ProfileId::modern, Kind::EncB},
                      TamperCase{ProfileId::modern, Kind::EncX}, TamperCase{ProfileId::modern, Kind::EncBX}),
    tamperName);

}  // namespace
