// Public-key operation counts for setpay-bench, taken at OpenSSL's own primitives (op_hook.cpp).
// The counters are per thread: the bench runs one role at a time on one thread and snapshots them
// around each call, so the count is attributed to exactly the role that made it.
#pragma once

#include <cstdint>

namespace setpay::bench {

struct OpCounts {
  std::uint64_t rsaSign = 0, rsaVerify = 0, rsaEncrypt = 0, rsaDecrypt = 0;  // private/public RSA
  std::uint64_t ecdsaSign = 0, ecdsaVerify = 0;
  std::uint64_t x509Dup = 0;  // certificate copies (not a public-key op; shows re-parsing)
  std::uint64_t publicKeyOps() const { return rsaSign + rsaVerify + rsaEncrypt + rsaDecrypt + ecdsaSign + ecdsaVerify; }
  std::uint64_t privateKeyOps() const { return rsaSign + rsaDecrypt + ecdsaSign; }
  OpCounts operator-(const OpCounts& o) const {
    return {rsaSign - o.rsaSign,     rsaVerify - o.rsaVerify,     rsaEncrypt - o.rsaEncrypt, rsaDecrypt - o.rsaDecrypt,
            ecdsaSign - o.ecdsaSign, ecdsaVerify - o.ecdsaVerify, x509Dup - o.x509Dup};
  }
  OpCounts& operator+=(const OpCounts& o) {
    rsaSign += o.rsaSign, rsaVerify += o.rsaVerify, rsaEncrypt += o.rsaEncrypt, rsaDecrypt += o.rsaDecrypt;
    ecdsaSign += o.ecdsaSign, ecdsaVerify += o.ecdsaVerify, x509Dup += o.x509Dup;
    return *this;
  }
};

// This thread's counts since it started.
OpCounts opCounts();

}  // namespace setpay::bench
