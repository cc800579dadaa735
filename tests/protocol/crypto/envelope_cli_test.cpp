// Cross-check with the openssl CLI, no setpay code on the opening side except H1/H2 to unmask:
// `openssl pkeyutl -decrypt` (raw RSA, rsa_padding_mode:none) recovers a block with SET's OAEP
// layout; `openssl enc -d` with the recovered key and the IV decrypts the symmetric part to the DER
// of t (E) or L(t,p) (EXH); `openssl asn1parse` and `openssl cms -cmsout -print` read the envelope.
#include <gtest/gtest.h>
#include <openssl/obj_mac.h>
#include <openssl/pkcs7.h>

#include <string>

#include "protocol/crypto/digest.hpp"
#include "protocol/crypto/enveloped_data.hpp"
#include "protocol/crypto/oaep.hpp"
#include "tests/protocol/crypto/envelope_fixture.hpp"
#include "tests/support/scratch.hpp"

using namespace setpay::protocol;
using namespace setpay::envelope_test;

namespace {

using setpay::test_support::readFile;
using setpay::test_support::writeFile;

// Exit status; stdout and stderr together in *out, so a failed assertion shows openssl's message.
int run(const std::string& cmd, std::string* out = nullptr) {
  const auto r = setpay::test_support::captureCommand(cmd + " 2>&1");
  if (out) *out = r.output;
  return r.status;
}

struct Parts {
  Bytes encryptedKey, iv, ciphertext;
};
// The envelope's parts as OpenSSL's own PKCS#7 decoder sees them.
Parts partsOf(ByteView der) {
  const unsigned char* p = der.data();
  PKCS7* p7 = d2i_PKCS7(nullptr, &p, static_cast<long>(der.size()));
  if (p7 == nullptr || !PKCS7_type_is_enveloped(p7)) throw std::runtime_error("not a PKCS#7 envelopedData");
  const auto bytes = [](const ASN1_STRING* s) {
    return Bytes(ASN1_STRING_get0_data(s), ASN1_STRING_get0_data(s) + ASN1_STRING_length(s));
  };
  const PKCS7_ENVELOPE* env = p7->d.enveloped;
  Parts parts{bytes(sk_PKCS7_RECIP_INFO_value(env->recipientinfo, 0)->enc_key),
              bytes(env->enc_data->algorithm->parameter->value.octet_string), bytes(env->enc_data->enc_data)};
  PKCS7_free(p7);
  return parts;
}

class EnvelopeCli : public ::testing::TestWithParam<ProfileId> {
 protected:
  AlgorithmProfile profile = AlgorithmProfile::make(GetParam());
  const setpay::support::TestKey& r = recipient(GetParam());
  setpay::test_support::TempDir dir{"setpay-env"};
  const char* cipherName() const { return GetParam() == ProfileId::set1 ? "-des-cbc" : "-aes-128-cbc"; }

  // openssl pkeyutl raw-decrypts the encryptedKey; returns the unmasked DB (checking I on the way).
  Bytes decryptAndUnmask(const Parts& parts) {
    writeFile(dir.file("key.pem"), view(setpay::support::privateKeyPem(r.key.get())));
    writeFile(dir.file("ek.bin"), parts.encryptedKey);
    std::string log;
    EXPECT_EQ(run("openssl pkeyutl -decrypt -inkey " + dir.file("key.pem") +
                      " -pkeyopt rsa_padding_mode:none -in " + dir.file("ek.bin") + " -out " + dir.file("block.bin"),
                  &log),
              0)
        << log;
    const Bytes block = toBytes(readFile(dir.file("block.bin")));
    EXPECT_EQ(block.size(), GetParam() == ProfileId::set1 ? 128u : 256u);
    if (block.size() < 64) return {};
    EXPECT_GE(block[0], 0x01);
    EXPECT_LT(block[0], 0x80);
    const std::size_t dbLen = block.size() - 1 - 16;
    const ByteView a = ByteView(block).subspan(1, dbLen), b = ByteView(block).subspan(1 + dbLen);
    Bytes salt = oaepH2(profile, a);
    for (std::size_t i = 0; i < 16; ++i) salt[i] ^= b[i];
    Bytes db = oaepH1(profile, salt, dbLen);
    for (std::size_t i = 0; i < dbLen; ++i) db[i] ^= a[i];
    return db;
  }

  Bytes opensslDecrypt(const Parts& parts, ByteView key) {
    writeFile(dir.file("ct.bin"), parts.ciphertext);
    std::string log;
    EXPECT_EQ(run(std::string("openssl enc -d ") + cipherName() + " -K " + hex(key) + " -iv " + hex(parts.iv) +
                      " -in " + dir.file("ct.bin") + " -out " + dir.file("pt.bin") +
                      " -provider legacy -provider default",
                  &log),
              0)
        << log;
    return toBytes(readFile(dir.file("pt.bin")));
  }
};

TEST_P(EnvelopeCli, ExhBlockAndSymmetricPartWithOpensslOnly) {
  SeededRandom rng("cli exh");
  const Bytes t = sampleT(), p = panToken("4111111111111111");
  const Bytes der = EXH(profile, rng, r.cert.get(), NID_setct_PIUnsignedTBE, t, p);
  const Parts parts = partsOf(der);
  const Bytes db = decryptAndUnmask(parts);
  ASSERT_FALSE(db.empty());
  EXPECT_EQ(db[0], 0x03);                                                           // BT
  EXPECT_EQ(db[1], blockContents(OaepOperator::EXH, ExtraDataKind::panToken));      // BC = 0x24
  EXPECT_EQ(Bytes(db.begin() + 2, db.begin() + 9), Bytes(7, 0x00));                 // V
  const std::size_t k = profile.keySize(), h = profile.digestSize();
  const Bytes key(db.begin() + 9, db.begin() + 9 + static_cast<long>(k));
  const Bytes hash(db.begin() + 9 + static_cast<long>(k), db.begin() + 9 + static_cast<long>(k + h));
  const auto pAt = db.begin() + 9 + static_cast<long>(k + h);
  EXPECT_EQ(Bytes(pAt, pAt + static_cast<long>(p.size())), p);
  const std::size_t tail = db.size() - 9 - k - h - p.size();
  EXPECT_EQ(Bytes(pAt + static_cast<long>(p.size()), db.end()), Bytes(tail, 0));
  if (GetParam() == ProfileId::set1) {
    for (auto byte : key) EXPECT_EQ(__builtin_popcount(byte) % 2, 1) << "DES key byte without odd parity";
  }

  const Bytes plain = opensslDecrypt(parts, key);
  EXPECT_EQ(plain, L(profile, t, NID_setct_PANToken, p));  // the symmetric part is L(t,p) = {t, DD(p)}
  EXPECT_EQ(hash, H(profile, plain));  // EXH's hash covers exactly that
}

TEST_P(EnvelopeCli, EBlockAndSymmetricPartWithOpensslOnly) {
  SeededRandom rng("cli e");
  const Bytes t = sampleT();
  const Bytes der = E(profile, rng, r.cert.get(), NID_setct_CapTokenTBE, t);
  const Parts parts = partsOf(der);
  const Bytes db = decryptAndUnmask(parts);
  ASSERT_FALSE(db.empty());
  EXPECT_EQ(db[0], 0x03);
  EXPECT_EQ(db[1], 0x01);
  const std::size_t k = profile.keySize();
  EXPECT_EQ(Bytes(db.begin() + 2, db.begin() + 9), Bytes(7, 0x00));
  EXPECT_EQ(Bytes(db.begin() + 9 + static_cast<long>(k), db.end()), Bytes(db.size() - 9 - k, 0x00));
  EXPECT_EQ(opensslDecrypt(parts, Bytes(db.begin() + 9, db.begin() + 9 + static_cast<long>(k))), t);
}

TEST_P(EnvelopeCli, Asn1parseAndCmsReadTheEnvelope) {
  SeededRandom rng("cli parse");
  const Bytes der = EX(profile, rng, r.cert.get(), NID_setct_PIDualSignedTBE, sampleT(), panData("4111111111111111"));
  writeFile(dir.file("env.der"), der);
  std::string text;
  ASSERT_EQ(run("openssl asn1parse -inform DER -in " + dir.file("env.der"), &text), 0) << text;
  EXPECT_NE(text.find(":pkcs7-envelopedData"), std::string::npos) << text;
  EXPECT_NE(text.find(":rsaOAEPEncryptionSET"), std::string::npos) << text;
  EXPECT_NE(text.find(":setct-PIDualSignedTBE"), std::string::npos) << text;
  EXPECT_NE(text.find(GetParam() == ProfileId::set1 ? ":des-cbc" : ":aes-128-cbc"), std::string::npos) << text;
  ASSERT_EQ(run("openssl cms -cmsout -print -inform DER -in " + dir.file("env.der"), &text), 0) << text;
  EXPECT_NE(text.find("rsaOAEPEncryptionSET"), std::string::npos) << text;
  EXPECT_NE(text.find("version: 0"), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(Profiles, EnvelopeCli, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& i) { return std::string(profileName(i.param)); });

}  // namespace
