// Private to protocol/crypto: the AlgorithmIdentifiers S, SO and DD write, and the strict
// "is this the profile's algorithm" checks that stop a downgrade (SPEC-CHOICES "crypto: signing").
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "protocol/profile.hpp"

namespace setpay::protocol::crypto {

// digestAlgorithm = the profile digest, parameters absent.
void setProfileDigestAlgorithm(const AlgorithmProfile&, X509_ALGOR* out);
// True if `alg` is the profile digest with parameters absent or NULL.
bool isProfileDigestAlgorithm(const AlgorithmProfile&, const X509_ALGOR* alg);

// signatureAlgorithm for `key` under the profile: RSA -> rsaEncryption (NULL parameters, as PKCS#7
// and OpenSSL's CMS write it); EC -> ecdsa-with-SHA1/SHA256 (parameters absent).
void setSignatureAlgorithm(const AlgorithmProfile&, const EVP_PKEY* key, X509_ALGOR* out);
// True if `alg` is acceptable for `key` under the profile: RSA -> rsaEncryption or
// sha1/sha256WithRSAEncryption matching the profile digest (NULL or absent parameters);
// EC -> ecdsa-with-<profile digest> (parameters absent).
bool isProfileSignatureAlgorithm(const AlgorithmProfile&, const EVP_PKEY* key, const X509_ALGOR* alg);

}  // namespace setpay::protocol::crypto
