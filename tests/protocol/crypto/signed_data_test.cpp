// S and SO: round trips in both profiles, typed errors for every way a SignedData can be wrong.
#include <openssl/objects.h>
#include <openssl/pkcs7.h>

#include <algorithm>

#include <chrono>

#include "protocol/crypto/digest.hpp"
#include "protocol/der.hpp"
#include "tests/protocol/crypto/fixtures.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::protocol::testing {
namespace {

class SignedDataTest : public ::testing::TestWithParam<SignCase> {};

TEST_P(SignedDataTest, SRoundTrip) {
  SignFixture f(GetParam());
  const Bytes t = sampleContent(300);
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, t);
  const VerifiedSignedData v = openS(f.profile, s, NID_setct_PInitResData);
  EXPECT_EQ(v.contentTypeNid, NID_setct_PInitResData);
  EXPECT_EQ(v.content, t);
  EXPECT_EQ(X509_cmp(v.signer.get(), f.key.cert.get()), 0);
  ASSERT_EQ(v.certificates.size(), 1u);
  EXPECT_EQ(X509_cmp(v.certificates[0].get(), f.key.cert.get()), 0);
  EXPECT_TRUE(v.crls.empty());
  EXPECT_EQ(v.signingTime, vectorEpoch());
}

TEST_P(SignedDataTest, SORoundTripAndContentBinding) {
  SignFixture f(GetParam());
  const Bytes t = sampleContent(64);
  const Bytes so = SO(f.profile, *f.signer, f.clock, NID_setct_PI_TBS, t);
  const VerifiedSignedData v = verifySO(f.profile, so, NID_setct_PI_TBS, t);
  EXPECT_EQ(v.content, t);
  EXPECT_EQ(v.contentTypeNid, NID_setct_PI_TBS);
  EXPECT_LT(so.size(), S(f.profile, *f.signer, f.clock, NID_setct_PI_TBS, t).size());  // t is not inside
  Bytes other = t;
  other.back() ^= 1;
  EXPECT_EQ(errorOf([&] { verifySO(f.profile, so, NID_setct_PI_TBS, other); }), ErrorCode::signatureFailure);
  // An S is not an SO and vice versa.
  EXPECT_EQ(errorOf([&] { openS(f.profile, so, NID_setct_PI_TBS); }), ErrorCode::decodingFailure);
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_PI_TBS, t);
  EXPECT_EQ(errorOf([&] { verifySO(f.profile, s, NID_setct_PI_TBS, t); }), ErrorCode::decodingFailure);
}

TEST_P(SignedDataTest, WrongContentTypeIsWrapperMsgMismatch) {
  SignFixture f(GetParam());
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, sampleContent(10));
  EXPECT_EQ(errorOf([&] { openS(f.profile, s, NID_setct_PResData); }), ErrorCode::wrapperMsgMismatch);
  EXPECT_EQ(errorOf([&] { openS(f.profile, s, 987654); }), ErrorCode::wrapperMsgMismatch);  // no such NID
  EXPECT_EQ(errorOf([&] { S(f.profile, *f.signer, f.clock, 987654, sampleContent(10)); }),
            ErrorCode::unspecifiedFailure);
}

// Carried certificates are kept as their DER and parsed once per profile (protocol/parsed_certificates.hpp):
// a BER form of a certificate already seen must still be refused, not matched to the DER one.
// `der` (DER elements) with the element `target` replaced by `replacement`, every enclosing length
// written anew.
Bytes replaceElement(ByteView der, ByteView target, ByteView replacement) {
  Bytes out;
  DerReader r(der);
  while (!r.empty()) {
    std::uint8_t tag = 0;
    ByteView body, whole;
    if (!r.peekTag(tag) || !r.element(tag, body, whole)) throw std::runtime_error("not DER");
    Bytes part(whole.begin(), whole.end());
    if (whole.data() == target.data() && whole.size() == target.size())
      part.assign(replacement.begin(), replacement.end());
    else if ((tag & V_ASN1_CONSTRUCTED) && target.data() >= body.data() && target.data() < body.data() + body.size())
      part = derElement(tag, {replaceElement(body, target, replacement)});
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

TEST_P(SignedDataTest, ACarriedCertificateInBerIsRefusedAfterItsDerTwinWasAccepted) {
  SignFixture f(GetParam());
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, sampleContent(10));
  ASSERT_EQ(openS(f.profile, s, NID_setct_PInitResData).certificates.size(), 1u);
  const Bytes der = ossl::der(f.key.cert.get());
  const auto at = std::search(s.begin(), s.end(), der.begin(), der.end());
  ASSERT_NE(at, s.end());
  ASSERT_EQ(der.at(1), 0x82);
  Bytes ber{der[0], 0x83, 0x00};  // the same length in a longer form than DER allows
  ber.insert(ber.end(), der.begin() + 2, der.end());
  const Bytes withBer = replaceElement(s, ByteView(&*at, der.size()), ber);
  ASSERT_EQ(withBer.size(), s.size() + 1);
  EXPECT_EQ(errorOf([&] { openS(f.profile, withBer, NID_setct_PInitResData); }), ErrorCode::decodingFailure);
}

TEST_P(SignedDataTest, OtherProfileIsRefused) {
  SignFixture f(GetParam());
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, sampleContent(10));
  const auto other = AlgorithmProfile::make(f.profile.id() == ProfileId::set1 ? ProfileId::modern : ProfileId::set1);
  // The other profile's shape (PKCS#7 1.5 version 1 vs CMS version 3) is refused before any algorithm.
  EXPECT_EQ(errorOf([&] { openS(other, s, NID_setct_PInitResData); }), ErrorCode::decodingFailure);
}

// The shape per profile, read back with OpenSSL's PKCS#7 parser (which takes both): set1 is PKCS#7 1.5 —
// version 1, the value itself as content [0] EXPLICIT, messageDigest over its contents octets, sha1
// with NULL parameters; modern is CMS — version 3, the value in an OCTET STRING, messageDigest over its
// whole DER, sha256 without parameters.
TEST_P(SignedDataTest, ShapeIsPkcs7InSet1AndCmsInModern) {
  SignFixture f(GetParam());
  const bool set1 = f.profile.id() == ProfileId::set1;
  const Bytes t = sampleContent(30);
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, t);
  const unsigned char* p = s.data();
  ossl::Owned<PKCS7, PKCS7_free> p7(d2i_PKCS7(nullptr, &p, static_cast<long>(s.size())));
  ASSERT_TRUE(p7);
  ASSERT_TRUE(PKCS7_type_is_signed(p7.get()));
  EXPECT_EQ(ASN1_INTEGER_get(p7->d.sign->version), set1 ? 1 : 3);
  const PKCS7* contents = p7->d.sign->contents;
  EXPECT_EQ(OBJ_obj2nid(contents->type), NID_setct_PInitResData);
  ASSERT_NE(contents->d.other, nullptr);
  EXPECT_EQ(ASN1_TYPE_get(contents->d.other), set1 ? V_ASN1_SEQUENCE : V_ASN1_OCTET_STRING);
  EXPECT_EQ(ossl::der<ASN1_TYPE>(contents->d.other, i2d_ASN1_TYPE),
            set1 ? t : derTlv(0x04, t));  // [0] EXPLICIT t, or [0] EXPLICIT OCTET STRING { t }
  const auto parameterType = [](const X509_ALGOR* alg) {
    int ptype = 0;
    X509_ALGOR_get0(nullptr, &ptype, nullptr, alg);
    return ptype;
  };
  const int expectedParameter = set1 ? V_ASN1_NULL : V_ASN1_UNDEF;
  EXPECT_EQ(parameterType(sk_X509_ALGOR_value(p7->d.sign->md_algs, 0)), expectedParameter);
  PKCS7_SIGNER_INFO* si = sk_PKCS7_SIGNER_INFO_value(p7->d.sign->signer_info, 0);
  EXPECT_EQ(parameterType(si->digest_alg), expectedParameter);
  const ASN1_TYPE* md = PKCS7_get_signed_attribute(si, NID_pkcs9_messageDigest);
  ASSERT_NE(md, nullptr);
  const ByteView digest(md->value.octet_string->data, static_cast<std::size_t>(md->value.octet_string->length));
  const Bytes tOctets(t.begin() + 2, t.end());  // short-form SEQUENCE header
  EXPECT_EQ(Bytes(digest.begin(), digest.end()), H(f.profile, set1 ? ByteView(tOctets) : ByteView(t)));
}

// PKCS#7 1.5 content must be a SEQUENCE (every signed SET value is one): its contents-octets digest is
// then not valid for the same octets under another tag.
TEST(SignedData, Set1ContentMustBeASequence) {
  SignFixture f(signCases[0]);
  const Bytes octets = derTlv(0x04, toBytes("not a SET structure"));
  EXPECT_EQ(errorOf([&] { S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, octets); }),
            ErrorCode::unspecifiedFailure);
  EXPECT_EQ(errorOf([&] { SO(f.profile, *f.signer, f.clock, NID_setct_PI_TBS, octets); }),
            ErrorCode::unspecifiedFailure);
  const Bytes t = sampleContent(20);
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, t);
  // Same signature, the content's SEQUENCE tag turned into SET (same contents octets, same digest).
  Bytes retagged = s;
  const auto at = std::search(retagged.begin(), retagged.end(), t.begin(), t.end());
  ASSERT_NE(at, retagged.end());
  *at = 0x31;
  EXPECT_EQ(errorOf([&] { openS(f.profile, retagged, NID_setct_PInitResData); }), ErrorCode::decodingFailure);
}

TEST_P(SignedDataTest, SignerCertificateFromKnownWhenNotCarried) {
  SignFixture f(GetParam());
  SignOptions noCert;
  noCert.includeSignerCertificate = false;
  const Bytes t = sampleContent(20);
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_AuthResTBS, t, noCert);
  EXPECT_EQ(errorOf([&] { openS(f.profile, s, NID_setct_AuthResTBS); }), ErrorCode::missingCertificate);
  const auto other = support::loadTestKey(GetParam().key == "rsa-2048" ? "rsa-1024" : "rsa-2048");
  EXPECT_EQ(errorOf([&] { openS(f.profile, s, NID_setct_AuthResTBS, {other.cert.get()}); }),
            ErrorCode::missingCertificate);
  const auto v = openS(f.profile, s, NID_setct_AuthResTBS, {other.cert.get(), f.key.cert.get()});
  EXPECT_EQ(v.content, t);
  EXPECT_TRUE(v.certificates.empty());
  EXPECT_EQ(X509_cmp(v.signer.get(), f.key.cert.get()), 0);
}

TEST_P(SignedDataTest, WrongKeyIsSignatureFailure) {
  SignFixture f(GetParam());
  SignOptions noCert;
  noCert.includeSignerCertificate = false;
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_AuthResTBS, sampleContent(20), noCert);
  // Same issuer and serial, another key of the same type.
  const auto wrongKey = support::generateKey(GetParam().key);
  const auto impostor = support::impostorCertificate(f.key.cert.get(), wrongKey.get());
  EXPECT_EQ(errorOf([&] { openS(f.profile, s, NID_setct_AuthResTBS, {impostor.get()}); }),
            ErrorCode::signatureFailure);
  // A key of the other type under the same name: the algorithm does not fit the key.
  const auto otherType = support::generateKey(GetParam().key == "ec-p256" ? "rsa-1024" : "ec-p256");
  const auto impostor2 = support::impostorCertificate(f.key.cert.get(), otherType.get());
  EXPECT_EQ(errorOf([&] { openS(f.profile, s, NID_setct_AuthResTBS, {impostor2.get()}); }),
            ErrorCode::signatureFailure);
}

TEST_P(SignedDataTest, CarriesExtraCertificatesAndCrls) {
  SignFixture f(GetParam());
  const auto other = support::loadTestKey("rsa-2048");
  ossl::Crl crl(X509_CRL_new());
  ASSERT_TRUE(crl);
  ossl::Time now(ASN1_TIME_set(nullptr, 1767225600));
  ASSERT_EQ(X509_CRL_set_version(crl.get(), 1), 1);
  ASSERT_EQ(X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(other.cert.get())), 1);
  ASSERT_EQ(X509_CRL_set1_lastUpdate(crl.get(), now.get()), 1);
  ASSERT_GT(X509_CRL_sign(crl.get(), other.key.get(), EVP_sha256()), 0);
  SignOptions options;
  options.extra.certificates = {other.cert.get(), f.key.cert.get()};  // the signer's once only
  options.extra.crls = {crl.get()};
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_CapResData, sampleContent(20), options);
  const auto v = openS(f.profile, s, NID_setct_CapResData);
  EXPECT_EQ(v.certificates.size(), f.key.name == "rsa-2048" ? 1u : 2u);
  ASSERT_EQ(v.crls.size(), 1u);
  EXPECT_EQ(X509_CRL_cmp(v.crls[0].get(), crl.get()), 0);
}

// Two adjacent elements of a SET OF swapped: the same bytes in another order, which DER forbids. The
// carried certificates are not signed, so only the DER check can refuse them; swapped signed attributes
// would also fail the signature, but are refused as not DER first.
Bytes swapAdjacent(const Bytes& der, ByteView first, ByteView second) {
  const auto at = std::search(der.begin(), der.end(), first.begin(), first.end());
  EXPECT_NE(at, der.end());
  EXPECT_TRUE(std::equal(second.begin(), second.end(), at + static_cast<std::ptrdiff_t>(first.size()))) << "not adjacent";
  Bytes out(der.begin(), at);
  out.insert(out.end(), second.begin(), second.end());
  out.insert(out.end(), first.begin(), first.end());
  out.insert(out.end(), at + static_cast<std::ptrdiff_t>(first.size() + second.size()), der.end());
  return out;
}

std::string whyNot(auto&& f) {
  try {
    f();
  } catch (const ProtocolError& e) {
    return std::string(name(e.code())) + ": " + e.what();
  }
  return "accepted";
}

TEST_P(SignedDataTest, SetsOutOfDerOrderAreRefused) {
  SignFixture f(GetParam());
  const auto other = support::loadTestKey(f.key.name == "rsa-2048" ? "ec-p256" : "rsa-2048");
  SignOptions options;
  options.extra.certificates = {other.cert.get()};
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_CapResData, sampleContent(20), options);
  ASSERT_NO_THROW(openS(f.profile, s, NID_setct_CapResData));
  Bytes a = ossl::der(f.key.cert.get()), b = ossl::der(other.cert.get());
  if (!std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end())) std::swap(a, b);
  const std::string certificates = whyNot([&] { openS(f.profile, swapAdjacent(s, a, b), NID_setct_CapResData); });
  EXPECT_NE(certificates.find("decodingFailure: SignedData: certificates is not DER"), std::string::npos) << certificates;

  // The signed attributes, as the signer's SET OF orders them: find them in the message.
  const VerifiedSignedData v = openS(f.profile, s, NID_setct_CapResData);
  const Bytes contentType = unhex("06092a864886f70d010903");  // id-contentType, the attribute's first field
  const auto at = std::search(s.begin(), s.end(), contentType.begin(), contentType.end());
  ASSERT_NE(at, s.end());
  // Each Attribute is SEQUENCE (short length) { OID, SET { value } }: the attribute begins two octets earlier.
  const auto attribute = [&](Bytes::const_iterator begin) { return ByteView(&*begin, static_cast<std::size_t>(begin[1]) + 2); };
  const ByteView contentTypeAttribute = attribute(at - 2);
  const auto after = at - 2 + static_cast<std::ptrdiff_t>(contentTypeAttribute.size());
  if (*after == 0x30) {  // an attribute follows: swap the two
    const std::string attributes =
        whyNot([&] { openS(f.profile, swapAdjacent(s, contentTypeAttribute, attribute(after)), NID_setct_CapResData); });
    EXPECT_NE(attributes.find("decodingFailure: SignedData: signed attributes is not DER"), std::string::npos)
        << attributes;
  } else {
    ADD_FAILURE() << "contentType is the last signed attribute";
  }
}

// AlgorithmIdentifier parameters other than NULL or absent are not SET's: refused as not DER of the shape
// (set1, whose sha1 identifier has NULL parameters to change in place).
TEST(SignedData, DigestAlgorithmParametersOtherThanNullAreRefused) {
  SignFixture f(signCases[0]);
  ASSERT_EQ(f.profile.id(), ProfileId::set1);
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_CapResData, sampleContent(20));
  const Bytes sha1WithNull = unhex("06052b0e03021a0500");
  const auto at = std::search(s.begin(), s.end(), sha1WithNull.begin(), sha1WithNull.end());  // digestAlgorithms'
  ASSERT_NE(at, s.end());
  Bytes bad = s;
  bad[static_cast<std::size_t>(at - s.begin()) + sha1WithNull.size() - 2] = V_ASN1_OCTET_STRING;  // 05 00 → 04 00
  const std::string why = whyNot([&] { openS(f.profile, bad, NID_setct_CapResData); });
  EXPECT_NE(why.find("decodingFailure: SignedData: digestAlgorithms is not DER"), std::string::npos) << why;
}

INSTANTIATE_TEST_SUITE_P(Keys, SignedDataTest, ::testing::ValuesIn(signCases), caseName);

TEST(SignedData, SigningTimeAfter2049IsGeneralizedTime) {
  SignFixture f(signCases[0]);
  const TimePoint later = TimePoint(std::chrono::seconds(2556143999));  // 2050-12-31T23:59:59Z
  f.clock.set(later);
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, sampleContent(5));
  EXPECT_EQ(openS(f.profile, s, NID_setct_PInitResData).signingTime, later);
  // "20501231235959Z" is in the message as a GeneralizedTime (tag 0x18).
  const std::string text = "\x18\x0f" "20501231235959Z";
  EXPECT_NE(std::search(s.begin(), s.end(), text.begin(), text.end()), s.end());
}

TEST(SignedData, StrictDecoding) {
  SignFixture f(signCases[0]);
  const Bytes s = S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, sampleContent(5));
  Bytes trailing = s;
  trailing.push_back(0);
  EXPECT_EQ(errorOf([&] { openS(f.profile, trailing, NID_setct_PInitResData); }), ErrorCode::decodingFailure);
  EXPECT_EQ(errorOf([&] { openS(f.profile, ByteView(s).first(s.size() - 1), NID_setct_PInitResData); }),
            ErrorCode::decodingFailure);
  EXPECT_EQ(errorOf([&] { openS(f.profile, {}, NID_setct_PInitResData); }), ErrorCode::decodingFailure);
  // BER: outer length 0x82 xx xx re-encoded as 0x83 00 xx xx.
  ASSERT_EQ(s[1], 0x82);
  Bytes ber = {0x30, 0x83, 0x00, s[2], s[3]};
  ber.insert(ber.end(), s.begin() + 4, s.end());
  EXPECT_EQ(errorOf([&] { openS(f.profile, ber, NID_setct_PInitResData); }), ErrorCode::decodingFailure);
  // Indefinite length outer SEQUENCE.
  Bytes indefinite = {0x30, 0x80};
  indefinite.insert(indefinite.end(), s.begin() + 4, s.end());
  indefinite.insert(indefinite.end(), {0x00, 0x00});
  EXPECT_EQ(errorOf([&] { openS(f.profile, indefinite, NID_setct_PInitResData); }), ErrorCode::decodingFailure);
}

TEST(SignedData, SizeLimit) {
  SignFixture f(signCases[0]);
  const Bytes big(maxSignedDataSize + 1, 0x30);
  EXPECT_EQ(errorOf([&] { openS(f.profile, big, NID_setct_PInitResData); }), ErrorCode::messageTooBig);
  EXPECT_EQ(errorOf([&] { S(f.profile, *f.signer, f.clock, NID_setct_PInitResData, big); }),
            ErrorCode::messageTooBig);
}

TEST(SignedData, SignerWithoutCertificateCannotSign) {
  SignFixture f(signCases[0]);
  SoftwareSigner keyOnly(nullptr, support::shareKey(f.key.key.get()));
  EXPECT_EQ(test_support::thrownMessage<ProtocolError>(
                [&] { S(f.profile, keyOnly, f.clock, NID_setct_PInitResData, sampleContent(5)); }),
            "unspecifiedFailure: S/SO: the signer has no certificate");
}

}  // namespace
}  // namespace setpay::protocol::testing
