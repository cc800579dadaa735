// The wallet password of claims 9/15 is stored at the wallet only as a salted slow hash: scrypt
// (RFC 7914) through OpenSSL's EVP_KDF "SCRYPT", 16-octet salt from the injected RandomSource,
// 32-octet output, compared in constant time. Record (one line, base64 standard padded):
//   $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>
// Defaults N=2^15, r=8, p=3 (32 MiB, one of OWASP's scrypt settings); REDIRECT-ENVELOPE.md says why.
#pragma once

#include <string>
#include <string_view>

#include "protocol/random.hpp"

namespace setpay::protocol {

struct ScryptParams {
  unsigned logN = 15;  // N = 2^logN
  unsigned r = 8;
  unsigned p = 3;
};

namespace scrypt_limits {  // what a stored record may ask for (bounds the work a bad record can cause)
inline constexpr unsigned logNMin = 10, logNMax = 20;
inline constexpr unsigned rMax = 32, pMax = 16;
inline constexpr std::uint64_t memoryMax = 256ull * 1024 * 1024;  // 128·r·N
}  // namespace scrypt_limits

// Throws ProtocolError(unspecifiedFailure) for parameters outside scrypt_limits or an empty password.
std::string hashWalletPassword(std::string_view password, RandomSource&, ScryptParams = {});

// True when `password` matches the record. Throws ProtocolError(decodingFailure) for a malformed
// record or one outside scrypt_limits (a corrupt store, not a wrong password).
bool verifyWalletPassword(std::string_view password, std::string_view record);

}  // namespace setpay::protocol
