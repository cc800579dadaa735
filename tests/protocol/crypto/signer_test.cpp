// SoftwareSigner: RSA PKCS#1 v1.5 and ECDSA P-256 (OpenSSL's nonces, or injected ones for vectors).
#include <openssl/ec.h>

#include "protocol/crypto/digest.hpp"
#include "tests/protocol/crypto/fixtures.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::protocol::testing {
namespace {

class SignerTest : public ::testing::TestWithParam<SignCase> {};

TEST_P(SignerTest, SignatureVerifiesWithTheCertificateKey) {
  SignFixture f(GetParam());
  const Bytes digest = H(f.profile, view(std::string("to be signed")));
  const Bytes sig = f.signer->signDigest(f.profile.digest(), digest);
  EVP_PKEY* pub = X509_get0_pubkey(f.signer->certificate());
  EXPECT_TRUE(verifyDigestSignature(pub, f.profile.digest(), digest, sig));
  Bytes otherDigest = digest;
  otherDigest[0] ^= 1;
  EXPECT_FALSE(verifyDigestSignature(pub, f.profile.digest(), otherDigest, sig));
  Bytes badSig = sig;
  badSig[badSig.size() / 2] ^= 0x10;
  EXPECT_FALSE(verifyDigestSignature(pub, f.profile.digest(), digest, badSig));
  EXPECT_FALSE(verifyDigestSignature(pub, f.profile.digest(), digest, {}));
}

TEST_P(SignerTest, WrongDigestLengthIsRefused) {
  SignFixture f(GetParam());
  EXPECT_EQ(test_support::thrownMessage<ProtocolError>([&] { f.signer->signDigest(f.profile.digest(), Bytes(5, 1)); }),
            "unspecifiedFailure: signDigest: digest length does not match md");
}

INSTANTIATE_TEST_SUITE_P(Keys, SignerTest, ::testing::ValuesIn(signCases), caseName);

TEST(Signer, RsaPkcs1v15IsDeterministic) {
  SignFixture f(signCases[0]);
  const Bytes digest = H(f.profile, {});
  EXPECT_EQ(f.signer->signDigest(f.profile.digest(), digest), f.signer->signDigest(f.profile.digest(), digest));
}

TEST(Signer, EcdsaWithInjectedNoncesIsReproducibleAndDerEncoded) {
  const auto profile = AlgorithmProfile::make(ProfileId::modern);
  const auto key = support::loadTestKey("ec-p256");
  const Bytes digest = H(profile, view(std::string("abc")));
  auto signWith = [&](std::string_view seed) {
    SeededRandom nonces(seed);
    SoftwareSigner s(support::shareCert(key.cert.get()), support::shareKey(key.key.get()), nonces);
    return s.signDigest(profile.digest(), digest);
  };
  const Bytes a = signWith("seed A");
  EXPECT_EQ(a, signWith("seed A"));
  const Bytes b = signWith("seed B");
  EXPECT_NE(a, b);
  for (const Bytes& sig : {a, b}) {
    const unsigned char* p = sig.data();
    ECDSA_SIG* parsed = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    ASSERT_NE(parsed, nullptr);
    EXPECT_EQ(p, sig.data() + sig.size());
    ECDSA_SIG_free(parsed);
    EXPECT_TRUE(verifyDigestSignature(key.key.get(), profile.digest(), digest, sig));
  }
  // Same nonce, same key: r is the same for two digests (k really comes from the seed) — and s differs.
  SeededRandom n1("same k"), n2("same k");
  SoftwareSigner s1(support::shareCert(key.cert.get()), support::shareKey(key.key.get()), n1);
  SoftwareSigner s2(support::shareCert(key.cert.get()), support::shareKey(key.key.get()), n2);
  const Bytes x = s1.signDigest(profile.digest(), digest);
  const Bytes y = s2.signDigest(profile.digest(), H(profile, view(std::string("abd"))));
  const unsigned char* px = x.data();
  const unsigned char* py = y.data();
  ECDSA_SIG* sx = d2i_ECDSA_SIG(nullptr, &px, static_cast<long>(x.size()));
  ECDSA_SIG* sy = d2i_ECDSA_SIG(nullptr, &py, static_cast<long>(y.size()));
  ASSERT_TRUE(sx && sy);
  EXPECT_EQ(BN_cmp(ECDSA_SIG_get0_r(sx), ECDSA_SIG_get0_r(sy)), 0);
  EXPECT_NE(BN_cmp(ECDSA_SIG_get0_s(sx), ECDSA_SIG_get0_s(sy)), 0);
  ECDSA_SIG_free(sx);
  ECDSA_SIG_free(sy);
}

TEST(Signer, EcdsaWithoutInjectedNoncesIsRandomised) {
  SignFixture f(signCases[2]);
  const Bytes digest = H(f.profile, {});
  EXPECT_NE(f.signer->signDigest(f.profile.digest(), digest), f.signer->signDigest(f.profile.digest(), digest));
}

TEST(Signer, CertificateMustMatchKey) {
  const auto rsa = support::loadTestKey("rsa-1024");
  const auto ec = support::loadTestKey("ec-p256");
  EXPECT_EQ(errorOf([&] { SoftwareSigner(support::shareCert(rsa.cert.get()), support::shareKey(ec.key.get())); }),
            ErrorCode::invalidCertificate);
  EXPECT_EQ(test_support::thrownMessage<ProtocolError>([&] { SoftwareSigner(support::shareCert(rsa.cert.get()), nullptr); }),
            "unspecifiedFailure: SoftwareSigner: no key");
  SoftwareSigner unsignedMode(nullptr, support::shareKey(rsa.key.get()));
  EXPECT_EQ(unsignedMode.certificate(), nullptr);
}

}  // namespace
}  // namespace setpay::protocol::testing
