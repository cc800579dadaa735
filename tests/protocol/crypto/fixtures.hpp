// Shared fixtures of crypto_sign_test: the profiles and signers over the fixed test keys.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <memory>
#include <optional>
#include <string>

#include "protocol/clock.hpp"
#include "protocol/crypto/signed_data.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/error.hpp"
#include "protocol/random.hpp"
#include "tests/support/test_keys.hpp"

namespace setpay::protocol::testing {

// The code a call throws; nullopt if it did not throw.
inline std::optional<ErrorCode> errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ProtocolError& e) {
    return e.code();
  }
  return std::nullopt;
}

// One signing configuration: profile + test key (+ ECDSA nonce source).
struct SignCase {
  std::string name;
  ProfileId profile;
  std::string key;
  bool seededNonces;
};

inline void PrintTo(const SignCase& c, std::ostream* os) { *os << c.name; }

inline std::string caseName(const ::testing::TestParamInfo<SignCase>& info) { return info.param.name; }

inline const SignCase signCases[] = {
    {"set1_rsa1024", ProfileId::set1, "rsa-1024", false},
    {"modern_rsa2048", ProfileId::modern, "rsa-2048", false},
    {"modern_ecp256", ProfileId::modern, "ec-p256", false},
    {"modern_ecp256_seeded", ProfileId::modern, "ec-p256", true},
};

struct SignFixture {
  explicit SignFixture(const SignCase& c)
      : profile(AlgorithmProfile::make(c.profile)),
        key(support::loadTestKey(c.key)),
        nonces("crypto_sign_test nonces"),
        clock(vectorEpoch()) {
    signer = c.seededNonces
                 ? std::make_unique<SoftwareSigner>(support::shareCert(key.cert.get()),
                                                    support::shareKey(key.key.get()), nonces)
                 : std::make_unique<SoftwareSigner>(support::shareCert(key.cert.get()),
                                                    support::shareKey(key.key.get()));
  }
  AlgorithmProfile profile;
  support::TestKey key;
  SeededRandom nonces;
  FixedClock clock;
  std::unique_ptr<SoftwareSigner> signer;
};

// DER tag-length-value (short or long form length).
inline Bytes derTlv(std::uint8_t tag, ByteView body) {
  Bytes out{tag};
  const std::size_t n = body.size();
  if (n < 128) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n < 256) {
    out.insert(out.end(), {0x81, static_cast<std::uint8_t>(n)});
  } else {
    out.insert(out.end(), {0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n & 0xff)});
  }
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// "The DER of some SET structure": SEQUENCE { OCTET STRING of n pseudo-random bytes } (every value SET
// signs is a SEQUENCE; PKCS#7 1.5 in set1 requires one).
inline Bytes sampleContent(std::size_t n, std::string_view seed = "content") {
  SeededRandom rnd(seed);
  return derTlv(0x30, derTlv(0x04, rnd.bytes(n)));
}

}  // namespace setpay::protocol::testing
