// The wallet password's stored form: scrypt through EVP_KDF, salted, compared in constant time.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <iostream>

#include "protocol/error.hpp"
#include "protocol/redirect/password.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::protocol {
namespace {

TEST(WalletPassword, DefaultParametersHashAndVerify) {
  SystemRandom random;
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  const std::string record = hashWalletPassword("correct horse battery staple", random);
  const auto cpuMs = static_cast<long>(1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(record.rfind("$scrypt$ln=15,r=8,p=3$", 0), 0u) << record;
  EXPECT_TRUE(verifyWalletPassword("correct horse battery staple", record));
  EXPECT_FALSE(verifyWalletPassword("correct horse battery stapl", record));
  EXPECT_FALSE(verifyWalletPassword("", record));
  EXPECT_EQ(record.find("correct"), std::string::npos);
  std::cout << "[ metric ] scrypt N=2^15 r=8 p=3 hash: " << ms << " ms wall, " << cpuMs << " ms CPU\n";
}

TEST(WalletPassword, SaltMakesEveryRecordDifferent) {
  SeededRandom random("salts");
  const ScryptParams fast{10, 8, 1};
  const std::string a = hashWalletPassword("same", random, fast);
  const std::string b = hashWalletPassword("same", random, fast);
  EXPECT_NE(a, b);
  EXPECT_TRUE(verifyWalletPassword("same", a));
  EXPECT_TRUE(verifyWalletPassword("same", b));
}

// RFC 7914 §12 test vector 2 ("password", "NaCl", N=1024, r=8, p=16), first 32 octets: proves the
// KDF is really scrypt with these parameters, not just self-consistent.
TEST(WalletPassword, MatchesRfc7914Vector) {
  const std::string record = "$scrypt$ln=10,r=8,p=16$TmFDbA==$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWI=";
  EXPECT_TRUE(verifyWalletPassword("password", record));
  EXPECT_FALSE(verifyWalletPassword("passwore", record));
}

TEST(WalletPassword, MalformedOrAbusiveRecordsAreErrorsNotMismatches) {
  const std::string zeros16 = "AAAAAAAAAAAAAAAAAAAAAA==", zeros32 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  const struct {
    std::string record;
    std::string why;  // after "decodingFailure: wallet password record: "
  } bad[] = {
      {"", "not $scrypt$"},
      {"$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "not $scrypt$"},
      {"$scrypt$ln=15,r=8$" + zeros16 + "$" + zeros32, "p"},
      {"$scrypt$ln=9,r=8,p=1$" + zeros16 + "$" + zeros32, "parameters outside limits"},    // too cheap
      {"$scrypt$ln=21,r=8,p=1$" + zeros16 + "$" + zeros32, "parameters outside limits"},   // too costly
      {"$scrypt$ln=20,r=32,p=1$" + zeros16 + "$" + zeros32, "parameters outside limits"},  // 4 GiB
      {"$scrypt$ln=15,r=8,p=99$" + zeros16 + "$" + zeros32, "parameters outside limits"},
      {"$scrypt$ln=015,r=8,p=1$" + zeros16 + "$" + zeros32, "ln"},
      {"$scrypt$ln=15,r=08,p=1$" + zeros16 + "$" + zeros32, "r"},
      {"$scrypt$ln=15,r=8,p=1$AAA=$" + zeros32, "salt"},  // 2-octet salt
      {"$scrypt$ln=15,r=8,p=1$" + zeros16 + "$AAAA", "hash"},  // short hash
      {"$scrypt$ln=15,r=8,p=1$" + zeros16 + "$" + zeros32 + "$x", "hash"},
      {"$scrypt$ln=15,r=8,p=1$" + zeros16 + "$" + zeros32 + std::string(200, 'A'), "too long"},
  };
  for (const auto& [record, why] : bad) {
    EXPECT_EQ(test_support::thrownMessage<ProtocolError>([&] { verifyWalletPassword("pw", record); }),
              "decodingFailure: wallet password record: " + why)
        << record;
  }
  SeededRandom random("x");
  EXPECT_EQ(test_support::thrownMessage<ProtocolError>([&] { hashWalletPassword("pw", random, ScryptParams{9, 8, 1}); }),
            "unspecifiedFailure: scrypt parameters outside limits");
  EXPECT_EQ(test_support::thrownMessage<ProtocolError>([&] { hashWalletPassword("", random, ScryptParams{10, 8, 1}); }),
            "unspecifiedFailure: empty wallet password");
}

}  // namespace
}  // namespace setpay::protocol
