// E, EH, EX, EXH (protocol/crypto/enveloped_data.hpp): round trips, shape as OpenSSL's own PKCS#7
// parser sees it, content-type binding, wrong key, downgrade, strictness, sizes.
#include "protocol/crypto/enveloped_data.hpp"

#include <gtest/gtest.h>
#include <openssl/obj_mac.h>
#include <openssl/pkcs7.h>

#include <functional>
#include <string>

#include "protocol/crypto/digest.hpp"
#include "protocol/crypto/oaep.hpp"
#include "protocol/error.hpp"
#include "tests/protocol/crypto/envelope_fixture.hpp"

using namespace setpay::protocol;
using namespace setpay::envelope_test;

namespace {

class Envelope : public ::testing::TestWithParam<ProfileId> {
 protected:
  AlgorithmProfile profile = AlgorithmProfile::make(GetParam());
  const setpay::support::TestKey& r = recipient(GetParam());
  const Bytes t = sampleT();
  const Bytes pan = panData("4111111111111111");
  const Bytes token = panToken("4111111111111111");
};

TEST_P(Envelope, RoundTripsEveryOperator) {
  SeededRandom rng("envelope round trip");
  const Bytes e = E(profile, rng, r.cert.get(), NID_setct_CapTokenTBE, t);
  const auto oe = openE(profile, r.key.get(), NID_setct_CapTokenTBE, e);
  EXPECT_EQ(oe.contentTypeNid, NID_setct_CapTokenTBE);
  EXPECT_EQ(oe.t, t);
  EXPECT_TRUE(oe.p.empty());

  const Bytes eh = EH(profile, rng, r.cert.get(), NID_setct_AuthReqTBE, t);
  const auto oeh = openEH(profile, r.key.get(), NID_setct_AuthReqTBE, eh);
  EXPECT_EQ(oeh.t, t);
  EXPECT_TRUE(oeh.p.empty());

  const Bytes ex = EX(profile, rng, r.cert.get(), NID_setct_PIDualSignedTBE, t, pan);
  const auto oex = openEX(profile, r.key.get(), NID_setct_PIDualSignedTBE, ex);
  EXPECT_EQ(oex.t, t);
  EXPECT_EQ(oex.p, pan);

  const Bytes exh = EXH(profile, rng, r.cert.get(), NID_setct_PIUnsignedTBE, t, token);
  const auto oexh = openEXH(profile, r.key.get(), NID_setct_PIUnsignedTBE, exh);
  EXPECT_EQ(oexh.t, t);
  EXPECT_EQ(oexh.p, token);

  // p never travels in the symmetric part: only DD(p) does (L(t,p)); the ciphertext is not t either.
  EXPECT_EQ(std::search(ex.begin(), ex.end(), pan.begin(), pan.end()), ex.end());
  EXPECT_EQ(std::search(e.begin(), e.end(), t.begin(), t.end()), e.end());
}

TEST_P(Envelope, IsAPkcs7EnvelopedDataOpenSslCanRead) {
  SeededRandom rng("envelope shape");
  const Bytes der = EXH(profile, rng, r.cert.get(), NID_setct_PIUnsignedTBE, t, token);
  const unsigned char* p = der.data();
  PKCS7* p7 = d2i_PKCS7(nullptr, &p, static_cast<long>(der.size()));
  ASSERT_NE(p7, nullptr);
  EXPECT_EQ(p, der.data() + der.size());
  ASSERT_TRUE(PKCS7_type_is_enveloped(p7));
  const PKCS7_ENVELOPE* env = p7->d.enveloped;
  EXPECT_EQ(ASN1_INTEGER_get(env->version), 0);
  ASSERT_EQ(sk_PKCS7_RECIP_INFO_num(env->recipientinfo), 1);
  const PKCS7_RECIP_INFO* ri = sk_PKCS7_RECIP_INFO_value(env->recipientinfo, 0);
  EXPECT_EQ(ASN1_INTEGER_get(ri->version), 0);
  EXPECT_EQ(OBJ_obj2nid(ri->key_enc_algor->algorithm), NID_rsaOAEPEncryptionSET);
  EXPECT_EQ(X509_NAME_cmp(ri->issuer_and_serial->issuer, X509_get_issuer_name(r.cert.get())), 0);
  EXPECT_EQ(ASN1_INTEGER_cmp(ri->issuer_and_serial->serial, X509_get0_serialNumber(r.cert.get())), 0);
  EXPECT_EQ(static_cast<std::size_t>(ASN1_STRING_length(ri->enc_key)), GetParam() == ProfileId::set1 ? 128u : 256u);
  EXPECT_EQ(OBJ_obj2nid(env->enc_data->content_type), NID_setct_PIUnsignedTBE);
  EXPECT_EQ(OBJ_obj2nid(env->enc_data->algorithm->algorithm),
            GetParam() == ProfileId::set1 ? NID_des_cbc : NID_aes_128_cbc);
  ASSERT_EQ(env->enc_data->algorithm->parameter->type, V_ASN1_OCTET_STRING);
  EXPECT_EQ(static_cast<std::size_t>(ASN1_STRING_length(env->enc_data->algorithm->parameter->value.octet_string)),
            profile.ivSize());
  // The symmetric part is L(t,p) padded to whole blocks (PKCS#5).
  const std::size_t plain = L(profile, t, NID_setct_PANToken, token).size();
  const std::size_t bs = GetParam() == ProfileId::set1 ? 8 : 16;
  EXPECT_EQ(static_cast<std::size_t>(ASN1_STRING_length(env->enc_data->enc_data)), (plain / bs + 1) * bs);
  PKCS7_free(p7);
}

TEST_P(Envelope, SameSeedSameBytesOtherSeedOtherBytes) {
  SeededRandom a("seed"), b("seed"), c("other seed");
  const Bytes x = EX(profile, a, r.cert.get(), NID_setct_PIDualSignedTBE, t, pan);
  EXPECT_EQ(x, EX(profile, b, r.cert.get(), NID_setct_PIDualSignedTBE, t, pan));
  EXPECT_NE(x, EX(profile, c, r.cert.get(), NID_setct_PIDualSignedTBE, t, pan));
}

TEST_P(Envelope, WrongContentTypeIsWrapperMsgMismatch) {
  SeededRandom rng("content type");
  const Bytes der = EH(profile, rng, r.cert.get(), NID_setct_AuthReqTBE, t);
  EXPECT_EQ(codeOf([&] { openEH(profile, r.key.get(), NID_setct_AuthResTBE, der); }), ErrorCode::wrapperMsgMismatch);
}

// The recipient's issuerAndSerialNumber is not used on opening (the private key decides), but it is read
// as DER like every other field: an RDN that is a SEQUENCE instead of a SET is refused, as a serial number
// with a superfluous leading octet is.
TEST_P(Envelope, RecipientIdentificationMustBeDer) {
  SeededRandom rng("recipient identification");
  const Bytes der = EH(profile, rng, r.cert.get(), NID_setct_AuthReqTBE, t);
  const Bytes issuer = ossl::der<X509_NAME>(X509_get_issuer_name(r.cert.get()), i2d_X509_NAME);
  const auto at = std::search(der.begin(), der.end(), issuer.begin(), issuer.end());
  ASSERT_NE(at, der.end());
  const auto rdn = std::find(at + 2, at + static_cast<std::ptrdiff_t>(issuer.size()), std::uint8_t{0x31});
  ASSERT_NE(rdn, at + static_cast<std::ptrdiff_t>(issuer.size()));
  Bytes bad = der;
  bad[static_cast<std::size_t>(rdn - der.begin())] = 0x30;
  EXPECT_EQ(codeOf([&] { openEH(profile, r.key.get(), NID_setct_AuthReqTBE, bad); }), ErrorCode::decodingFailure);
  EXPECT_EQ(openEH(profile, r.key.get(), NID_setct_AuthReqTBE, der).t, t);
}

TEST_P(Envelope, WrongKeyLooksExactlyLikeTampering) {
  SeededRandom rng("wrong key");
  const Bytes der = EXH(profile, rng, r.cert.get(), NID_setct_PIUnsignedTBE, t, token);
  std::string wrong, tampered;
  EXPECT_EQ(codeOf([&] { openEXH(profile, wrongKey(GetParam()).get(), NID_setct_PIUnsignedTBE, der); }, &wrong),
            ErrorCode::decodingFailure);
  // Flip one bit in the middle of the encryptedKey.
  const Bytes ek = encryptedKeyOf(der);
  Bytes bad = der;
  const auto at = std::search(bad.begin(), bad.end(), ek.begin(), ek.end());
  ASSERT_NE(at, bad.end());
  at[static_cast<long>(ek.size() / 2)] ^= 0x10;
  EXPECT_EQ(codeOf([&] { openEXH(profile, r.key.get(), NID_setct_PIUnsignedTBE, bad); }, &tampered),
            ErrorCode::decodingFailure);
  EXPECT_EQ(wrong, "decodingFailure: envelope does not open");
  EXPECT_EQ(wrong, tampered);
}

TEST_P(Envelope, OperatorsDoNotOpenAsEachOther) {
  SeededRandom rng("cross operator");
  const Bytes e = E(profile, rng, r.cert.get(), NID_setct_PIUnsignedTBE, t);
  const Bytes exh = EXH(profile, rng, r.cert.get(), NID_setct_PIUnsignedTBE, t, token);
  std::string what;
  EXPECT_EQ(codeOf([&] { openEH(profile, r.key.get(), NID_setct_PIUnsignedTBE, e); }, &what), ErrorCode::decodingFailure);
  EXPECT_EQ(what, "decodingFailure: envelope does not open");
  EXPECT_EQ(codeOf([&] { openEX(profile, r.key.get(), NID_setct_PIUnsignedTBE, exh); }), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOf([&] { openE(profile, r.key.get(), NID_setct_PIUnsignedTBE, exh); }), ErrorCode::decodingFailure);
}

TEST_P(Envelope, OtherProfileIsRefusedBeforeTheKeyIsUsed) {
  const ProfileId otherId = GetParam() == ProfileId::set1 ? ProfileId::modern : ProfileId::set1;
  const auto other = AlgorithmProfile::make(otherId);
  SeededRandom rng("downgrade");
  const Bytes der = EH(profile, rng, r.cert.get(), NID_setct_AuthReqTBE, t);
  std::string what;
  EXPECT_EQ(codeOf([&] { openEH(other, r.key.get(), NID_setct_AuthReqTBE, der); }, &what), ErrorCode::decodingFailure);
  EXPECT_NE(what.find("Algorithm"), std::string::npos) << what;
}

TEST_P(Envelope, StrictDerAndSizeLimits) {
  SeededRandom rng("strict");
  Bytes der = E(profile, rng, r.cert.get(), NID_setct_CapTokenTBE, t);
  Bytes trailing = der;
  trailing.push_back(0x00);
  EXPECT_EQ(codeOf([&] { openE(profile, r.key.get(), NID_setct_CapTokenTBE, trailing); }), ErrorCode::decodingFailure);
  // Same content with a non-minimal (long-form) outer length is BER, not DER.
  ASSERT_EQ(der[1], 0x82);
  const Bytes longForm{0x30, 0x83, 0x00};
  const Bytes ber = concat({longForm, ByteView(der).subspan(2)});
  EXPECT_EQ(codeOf([&] { openE(profile, r.key.get(), NID_setct_CapTokenTBE, ber); }), ErrorCode::decodingFailure);
  const Bytes huge(maxEnvelopeSize + 1, 0x30);
  EXPECT_EQ(codeOf([&] { openE(profile, r.key.get(), NID_setct_CapTokenTBE, huge); }), ErrorCode::messageTooBig);
  EXPECT_EQ(codeOf([&] { openE(profile, r.key.get(), NID_setct_CapTokenTBE, Bytes{}); }), ErrorCode::decodingFailure);
}

TEST_P(Envelope, SenderSideErrorsAreTyped) {
  SeededRandom rng("sender");
  EXPECT_EQ(codeOf([&] { E(profile, rng, nullptr, NID_setct_CapTokenTBE, t); }), ErrorCode::missingCertificate);
  std::string what;
  EXPECT_EQ(codeOf([&] { E(profile, rng, r.cert.get(), NID_setct_CapTokenTBE, Bytes{0x30, 0x05, 0x00}); }, &what),
            ErrorCode::unspecifiedFailure);
  EXPECT_NE(what.find("not one DER element"), std::string::npos) << what;
  EXPECT_EQ(codeOf([&] { EX(profile, rng, r.cert.get(), NID_setct_PIDualSignedTBE, t, Bytes{0x04, 0x01, 0x00}); }, &what),
            ErrorCode::unspecifiedFailure);
  EXPECT_NE(what.find("one DER SEQUENCE"), std::string::npos) << what;
  const auto ec = setpay::support::generateKey("ec-p256");
  const auto ecCert = setpay::support::selfSignedCertificate(ec.get(), "ec recipient", 9);
  EXPECT_EQ(codeOf([&] { E(profile, rng, ecCert.get(), NID_setct_CapTokenTBE, t); }, &what), ErrorCode::unspecifiedFailure);
  EXPECT_NE(what.find("not an RSA key"), std::string::npos) << what;
}

INSTANTIATE_TEST_SUITE_P(Profiles, Envelope, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& i) { return std::string(profileName(i.param)); });

// set1 (RSA-1024): the worst-case PANData (19-digit PAN) fits EX (PIDualSigned) and a worst-case
// PANToken fits EXH (PIUnsigned); PANData in EXH fits up to 18 digits and overflows at 19 with a
// typed error (messageTooBig) that does not carry the PAN.
TEST(EnvelopeSet1, PanDataWorstCase) {
  const auto profile = AlgorithmProfile::make(ProfileId::set1);
  const auto& r = recipient(ProfileId::set1);
  SeededRandom rng("pan worst case");
  const std::string pan19 = "4999999999999999999";
  const Bytes t = sampleT();
  const Bytes worstData = panData(pan19), worstToken = panToken(pan19), data18 = panData(pan19.substr(1));
  EXPECT_EQ(openEX(profile, r.key.get(), NID_setct_PIDualSignedTBE,
                   EX(profile, rng, r.cert.get(), NID_setct_PIDualSignedTBE, t, worstData)).p, worstData);
  EXPECT_EQ(openEXH(profile, r.key.get(), NID_setct_PIUnsignedTBE,
                    EXH(profile, rng, r.cert.get(), NID_setct_PIUnsignedTBE, t, worstToken)).p, worstToken);
  EXPECT_EQ(openEXH(profile, r.key.get(), NID_setct_PIDualSignedTBE,
                    EXH(profile, rng, r.cert.get(), NID_setct_PIDualSignedTBE, t, data18)).p, data18);
  try {
    EXH(profile, rng, r.cert.get(), NID_setct_PIDualSignedTBE, t, worstData);
    ADD_FAILURE() << "a 75-byte PANData cannot fit a 128-byte EXH block";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.code(), ErrorCode::messageTooBig);
    EXPECT_EQ(std::string(e.what()).find(pan19), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find(pan19.substr(15)), std::string::npos);
  }
}

}  // namespace
