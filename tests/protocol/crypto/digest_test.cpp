// H, HMAC, DD, checkDD, L, thumbprint: published known answers and the exact DER shape of DD.
#include <gtest/gtest.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include <optional>
#include <string>
#include <utility>

#include "protocol/crypto/digest.hpp"
#include "protocol/error.hpp"
#include "protocol/pki/crl.hpp"
#include "protocol/pki/issuer.hpp"
#include "tests/support/test_keys.hpp"

namespace setpay::protocol {
namespace {

const AlgorithmProfile set1 = AlgorithmProfile::make(ProfileId::set1);
const AlgorithmProfile modern = AlgorithmProfile::make(ProfileId::modern);

std::optional<ErrorCode> errorOf(auto&& f) {
  try {
    f();
  } catch (const ProtocolError& e) {
    return e.code();
  }
  return std::nullopt;
}

TEST(H, Fips180KnownAnswers) {
  EXPECT_EQ(hex(H(set1, view(std::string("abc")))), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex(H(modern, view(std::string("abc")))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(H(set1, {})), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

TEST(HMAC, Rfc2202Sha1) {
  EXPECT_EQ(hex(HMAC(set1, view(std::string("Hi There")), Bytes(20, 0x0b))),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(hex(HMAC(set1, view(std::string("what do ya want for nothing?")), view(std::string("Jefe")))),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(hex(HMAC(set1, view(std::string("Test Using Larger Than Block-Size Key - Hash Key First")),
                     Bytes(80, 0xaa))),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(HMAC, Rfc4231Sha256) {
  EXPECT_EQ(hex(HMAC(modern, view(std::string("Hi There")), Bytes(20, 0x0b))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hex(HMAC(modern, view(std::string("what do ya want for nothing?")), view(std::string("Jefe")))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex(HMAC(modern, view(std::string("Test Using Larger Than Block-Size Key - Hash Key First")),
                     Bytes(131, 0xaa))),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HMAC, EmptyKeyAndMessage) {
  EXPECT_EQ(hex(HMAC(set1, {}, {})), "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
  EXPECT_EQ(hex(HMAC(modern, {}, {})), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

// DigestedData {0, digestAlgorithm, {SET content type (content omitted)}, OCTET STRING digest}; sha1
// written with NULL parameters (set1, as SET 1.0-era stacks did), sha256 without (modern).
// setct-OIData is 2.23.42.0.3 = 06 04 67 2a 00 03.
TEST(DD, ExactDerShapeBothProfiles) {
  const Bytes t = unhex("3003020105");  // DER of SEQUENCE { INTEGER 5 }
  EXPECT_EQ(hex(DD(set1, NID_setct_OIData, t)),
            "302c020100300906052b0e03021a050030060604672a00030414" + hex(H(set1, t)));
  EXPECT_EQ(hex(DD(modern, NID_setct_OIData, t)),
            "303a020100300b060960864801650304020130060604672a00030420" + hex(H(modern, t)));
  // Thumbprints: SET gives certificates, CRLs and BCIs no content type, so id-data.
  EXPECT_EQ(hex(thumbprint(set1, t)),
            "3031020100300906052b0e03021a0500300b06092a864886f70d0107010414" + hex(H(set1, t)));
}

TEST(DD, EveryDigestedStructureHasItsSetLabel) {
  const Bytes t = unhex("3003020105");
  for (const int nid : {NID_setct_PIData, NID_setct_OIData, NID_setct_HODInput, NID_setct_PANData,
                        NID_setct_PANToken, NID_setct_PI, NID_setct_AuthResBaggage, NID_setct_CapTokenSeq,
                        NID_setct_PIDataUnsigned}) {
    const Bytes dd = DD(set1, nid, t);
    EXPECT_NO_THROW(checkDD(set1, nid, dd, t)) << OBJ_nid2sn(nid);
    EXPECT_NO_THROW(checkDDShape(dd, nid, "test")) << OBJ_nid2sn(nid);
    // Labelled for one structure, it is not a DD of another (a HOD is not a HOIData).
    const int other = nid == NID_setct_OIData ? NID_setct_HODInput : NID_setct_OIData;
    EXPECT_EQ(errorOf([&] { checkDD(set1, other, dd, t); }), ErrorCode::decodingFailure) << OBJ_nid2sn(nid);
    EXPECT_EQ(errorOf([&] { checkDDShape(dd, other, "test"); }), ErrorCode::decodingFailure) << OBJ_nid2sn(nid);
  }
  EXPECT_EQ(errorOf([&] { DD(set1, NID_undef, t); }), ErrorCode::unspecifiedFailure);
}

TEST(DD, DecodesAsOpenSslPkcs7Digest) {
  const Bytes t = unhex("04036162630a");
  for (const auto* p : {&set1, &modern}) {
    const Bytes dd = DD(*p, NID_setct_HODInput, t);
    const unsigned char* in = dd.data();
    PKCS7_DIGEST* parsed = d2i_PKCS7_DIGEST(nullptr, &in, static_cast<long>(dd.size()));
    ASSERT_NE(parsed, nullptr);
    EXPECT_EQ(in, dd.data() + dd.size());
    EXPECT_EQ(ASN1_INTEGER_get(parsed->version), 0);
    const ASN1_OBJECT* alg = nullptr;
    int ptype = 0;
    X509_ALGOR_get0(&alg, &ptype, nullptr, parsed->md);
    EXPECT_EQ(OBJ_obj2nid(alg), p->digestNid());
    EXPECT_EQ(ptype, p->id() == ProfileId::set1 ? V_ASN1_NULL : V_ASN1_UNDEF);
    EXPECT_EQ(OBJ_obj2nid(parsed->contents->type), NID_setct_HODInput);
    EXPECT_EQ(parsed->contents->d.ptr, nullptr);  // content omitted
    EXPECT_EQ(Bytes(parsed->digest->data, parsed->digest->data + parsed->digest->length), H(*p, t));
    PKCS7_DIGEST_free(parsed);
  }
}

// The digest AlgorithmIdentifier written the other way (sha1 without parameters, sha256 with NULL) is
// valid DER but not what the profile writes, and a peer rebuilding the DD would get other bytes: refused
// with a reason that says so.
TEST(DD, OtherParameterEncodingIsRefusedWithItsReason) {
  const Bytes t = unhex("3003020105");
  const Bytes set1Absent = unhex("302a020100300706052b0e03021a30060604672a00030414" + hex(H(set1, t)));
  const Bytes modernNull = unhex("303c020100300d0609608648016503040201050030060604672a00030420" + hex(H(modern, t)));
  for (const auto& [profile, dd] : {std::pair{&set1, set1Absent}, std::pair{&modern, modernNull}}) {
    try {
      checkDD(*profile, NID_setct_OIData, dd, t);
      ADD_FAILURE() << "accepted";
    } catch (const ProtocolError& e) {
      EXPECT_EQ(e.code(), ErrorCode::decodingFailure);
      EXPECT_NE(std::string(e.what()).find("parameters are"), std::string::npos) << e.what();
    }
    try {
      checkDDShape(dd, NID_setct_OIData, "OIData");
      ADD_FAILURE() << "accepted";
    } catch (const ProtocolError& e) {
      EXPECT_EQ(e.code(), ErrorCode::decodingFailure);
      EXPECT_NE(std::string(e.what()).find("DD(OIData)"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(profile == &set1 ? "set1 writes them NULL" : "modern writes them absent"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(DD, CheckDDAcceptsAndRejects) {
  const Bytes t = unhex("3003020105");
  const Bytes dd = DD(set1, NID_setct_OIData, t);
  EXPECT_NO_THROW(checkDD(set1, NID_setct_OIData, dd, t));
  EXPECT_EQ(digestOfDD(set1, dd), H(set1, t));
  EXPECT_EQ(errorOf([&] { checkDD(set1, NID_setct_OIData, dd, unhex("3003020106")); }), ErrorCode::signatureFailure);
  // Another profile's DD is not this profile's DD (no downgrade).
  EXPECT_EQ(errorOf([&] { checkDD(modern, NID_setct_OIData, dd, t); }), ErrorCode::decodingFailure);
  Bytes trailing = dd;
  trailing.push_back(0);
  EXPECT_EQ(errorOf([&] { checkDD(set1, NID_setct_OIData, trailing, t); }), ErrorCode::decodingFailure);
  EXPECT_EQ(errorOf([&] { checkDD(set1, NID_setct_OIData, ByteView(dd).first(dd.size() - 1), t); }),
            ErrorCode::decodingFailure);
  Bytes version1 = dd;
  version1[4] = 1;  // INTEGER 0 -> 1
  EXPECT_EQ(errorOf([&] { checkDD(set1, NID_setct_OIData, version1, t); }), ErrorCode::decodingFailure);
  // BER, not DER: the outer length in long form.
  Bytes ber = {0x30, 0x81, dd[1]};
  ber.insert(ber.end(), dd.begin() + 2, dd.end());
  EXPECT_EQ(errorOf([&] { checkDD(set1, NID_setct_OIData, ber, t); }), ErrorCode::decodingFailure);
  EXPECT_EQ(errorOf([&] { checkDD(set1, NID_setct_OIData, {}, t); }), ErrorCode::decodingFailure);
}

// DD is checked against its one DER encoding, the decoder deciding only for bytes that differ from it:
// every change outside the digest is refused by both checks, every change inside it changes only the
// digest (checkDDShape takes it, checkDD finds the digest wrong).
TEST(DD, OnlyTheDigestMayDifferFromTheOneEncoding) {
  const Bytes t = unhex("3003020105");
  for (const auto* p : {&set1, &modern}) {
    const Bytes dd = DD(*p, NID_setct_PIData, t);
    const std::size_t digestAt = dd.size() - p->digestSize();
    for (std::size_t i = 0; i < dd.size(); ++i)
      for (const int flip : {0x01, 0x80, 0xff}) {
        Bytes changed = dd;
        changed[i] = static_cast<std::uint8_t>(changed[i] ^ flip);
        const std::optional<ErrorCode> check = errorOf([&] { checkDD(*p, NID_setct_PIData, changed, t); });
        if (i >= digestAt) {
          EXPECT_EQ(check, ErrorCode::signatureFailure) << p->name() << " byte " << i;
          EXPECT_NO_THROW(checkDDShape(changed, NID_setct_PIData, "PIData")) << p->name() << " byte " << i;
        } else {
          EXPECT_EQ(check, ErrorCode::decodingFailure) << p->name() << " byte " << i << " ^ " << int(flip);
          EXPECT_EQ(errorOf([&] { checkDDShape(changed, NID_setct_PIData, "PIData"); }), ErrorCode::decodingFailure)
              << p->name() << " byte " << i << " ^ " << int(flip);
        }
      }
  }
}

TEST(DD, ThumbprintIsDDOfTheDerLabelledIdData) {
  const Bytes der = unhex("300a02010102010202010304");
  EXPECT_EQ(thumbprint(set1, der), DD(set1, NID_pkcs7_data, der));
  EXPECT_EQ(thumbprint(modern, der), DD(modern, NID_pkcs7_data, der));
}

TEST(DD, ACertificatesAndACrlsThumbprintIsThatOfTheirDerEachTime) {
  const support::TestKey key = support::loadTestKey("rsa-1024");
  const pki::Credential ca{support::shareCert(key.cert.get()), support::shareKey(key.key.get())};
  const ossl::Crl crl = pki::issueCrl(ca, {}, 1, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()), set1);
  for (const auto* p : {&set1, &modern})
    for (int i = 0; i < 2; ++i) {  // computed, then remembered
      EXPECT_EQ(thumbprint(*p, key.cert.get()), thumbprint(*p, ByteView(ossl::der(key.cert.get()))));
      EXPECT_EQ(thumbprint(*p, crl.get()), thumbprint(*p, ByteView(ossl::der(crl.get()))));
    }
  EXPECT_NE(thumbprint(set1, key.cert.get()), thumbprint(modern, key.cert.get()));  // one memo per profile
}

TEST(L, IsSequenceOfT1AndDDOfT2) {
  const Bytes t1 = unhex("0403616263");
  const Bytes t2 = unhex("3003020107");
  for (const auto* p : {&set1, &modern}) {
    const Bytes l = L(*p, t1, NID_setct_PANData, t2);
    const Bytes body = concat({t1, DD(*p, NID_setct_PANData, t2)});
    ASSERT_LT(body.size(), 128u);
    EXPECT_EQ(l, concat({Bytes{0x30, static_cast<std::uint8_t>(body.size())}, body}));
    const LinkParts parts = splitL(*p, NID_setct_PANData, l);
    EXPECT_EQ(parts.t1, t1);
    EXPECT_NO_THROW(checkDD(*p, NID_setct_PANData, parts.dd, t2));
    EXPECT_EQ(errorOf([&] { splitL(*p, NID_setct_PANToken, l); }), ErrorCode::decodingFailure);
  }
}

TEST(L, RejectsT1ThatIsNotOneDerElement) {
  const Bytes t2 = unhex("0500");
  const int nid = NID_setct_PANToken;
  EXPECT_NO_THROW(L(set1, unhex("040161"), nid, t2));
  EXPECT_EQ(errorOf([&] { L(set1, unhex("040161040162"), nid, t2); }), ErrorCode::decodingFailure);  // two
  EXPECT_EQ(errorOf([&] { L(set1, unhex("040261"), nid, t2); }), ErrorCode::decodingFailure);        // short
  EXPECT_EQ(errorOf([&] { L(set1, unhex("04810161"), nid, t2); }), ErrorCode::decodingFailure);      // BER
  EXPECT_EQ(errorOf([&] { L(set1, {}, nid, t2); }), ErrorCode::decodingFailure);
  Bytes l = L(set1, unhex("040161"), nid, t2);
  l.push_back(0);
  EXPECT_EQ(errorOf([&] { splitL(set1, nid, l); }), ErrorCode::decodingFailure);
}
}  // namespace
}  // namespace setpay::protocol
