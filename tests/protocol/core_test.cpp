#include <gtest/gtest.h>

#include "protocol/bytes.hpp"
#include "protocol/error.hpp"
#include "protocol/profile.hpp"
#include "protocol/random.hpp"
#include "tests/support/thrown.hpp"

using namespace setpay::protocol;

TEST(Bytes, HexRoundTripAndRejectsBadDigits) {
  const Bytes b{0x00, 0x7f, 0x80, 0xff};
  EXPECT_EQ(hex(b), "007f80ff");
  EXPECT_EQ(unhex("00 7F:80ff"), b);
  EXPECT_EQ(setpay::test_support::thrownCode([] { unhex("0g"); }), ErrorCode::decodingFailure);
  EXPECT_EQ(setpay::test_support::thrownCode([] { unhex("abc"); }), ErrorCode::decodingFailure);
}

TEST(Bytes, ConstantTimeEqualComparesLengthAndContent) {
  EXPECT_TRUE(constantTimeEqual(Bytes{1, 2, 3}, Bytes{1, 2, 3}));
  EXPECT_FALSE(constantTimeEqual(Bytes{1, 2, 3}, Bytes{1, 2, 4}));
  EXPECT_FALSE(constantTimeEqual(Bytes{1, 2, 3}, Bytes{1, 2}));
}

TEST(Bytes, MaskPanKeepsLastFour) {
  EXPECT_EQ(maskPan("4111111111111111"), "************1111");
  EXPECT_EQ(maskPan("123"), "***");
}

TEST(Random, SeededIsReproducibleAndSeedDependent) {
  SeededRandom a("seed"), b("seed"), c("other");
  const Bytes x = a.bytes(100);
  EXPECT_EQ(x, b.bytes(100));
  EXPECT_NE(x, c.bytes(100));
  EXPECT_NE(a.bytes(100), x);  // the stream moves on
}

TEST(Random, SystemRandomDiffers) {
  SystemRandom r;
  EXPECT_NE(r.bytes(32), r.bytes(32));
}

TEST(Profile, Set1UsesSha1AndLegacyDes) {
  auto p = AlgorithmProfile::make(ProfileId::set1);
  EXPECT_EQ(p.digestNid(), NID_sha1);
  EXPECT_EQ(p.cipherNid(), NID_des_cbc);
  EXPECT_EQ(p.keySize(), 8u);
  EXPECT_EQ(p.endEntityRsaBits(), 1024);
  EXPECT_FALSE(p.hardeningByDefault());
}

TEST(Profile, ModernUsesSha256AndAes128) {
  auto p = AlgorithmProfile::make(ProfileId::modern);
  EXPECT_EQ(p.digestNid(), NID_sha256);
  EXPECT_EQ(p.cipherNid(), NID_aes_128_cbc);
  EXPECT_EQ(p.keySize(), 16u);
  EXPECT_EQ(p.cardholderKey(), CardholderKeyType::ecP256);
  EXPECT_TRUE(p.hardeningByDefault());
  EXPECT_FALSE(AlgorithmProfile::parse("des").has_value());
}
