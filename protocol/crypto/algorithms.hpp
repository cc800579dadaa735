// Private to protocol/crypto: the AlgorithmIdentifiers S, SO and DD write, and the strict
// "is this the profile's algorithm" checks that stop a downgrade (SPEC-CHOICES "crypto: signing").
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>

#include "protocol/profile.hpp"

namespace setpay::protocol::crypto {

// digestAlgorithm as the profile writes it (SPEC-CHOICES "Digest AlgorithmIdentifier parameters"):
// set1 sha1 with NULL parameters (as SET 1.0-era PKCS#7 stacks wrote it), modern sha256 with the
// parameters absent (RFC 5754).
void setProfileDigestAlgorithm(const AlgorithmProfile&, X509_ALGOR* out);
// True if `alg` is the profile digest with parameters absent or NULL (SignedData: RFC 3370/5754 ask
// receivers to take both; nobody rebuilds those bytes).
bool isProfileDigestAlgorithm(const AlgorithmProfile&, const X509_ALGOR* alg);
// Empty if `alg` is exactly what the profile writes; otherwise why not, in words. DD uses this: its
// bytes are rebuilt and compared by the peers, so the encoding is part of the wire contract.
std::string digestAlgorithmMismatch(const AlgorithmProfile&, const X509_ALGOR* alg);
// The same rule without a profile, from the digest OID: sha1 → NULL parameters, sha256 → absent.
std::string digestAlgorithmMismatch(const X509_ALGOR* alg);
// The DER of the digest AlgorithmIdentifier this rule writes for sha1 or sha256; empty for any other.
ByteView digestAlgorithmDer(int digestNid);

// signatureAlgorithm for `key` under the profile: RSA -> rsaEncryption (NULL parameters, as PKCS#7
// and OpenSSL's CMS write it); EC -> ecdsa-with-SHA1/SHA256 (parameters absent).
void setSignatureAlgorithm(const AlgorithmProfile&, const EVP_PKEY* key, X509_ALGOR* out);
// True if `alg` is acceptable for `key` under the profile: RSA -> rsaEncryption or
// sha1/sha256WithRSAEncryption matching the profile digest (NULL or absent parameters);
// EC -> ecdsa-with-<profile digest> (parameters absent).
bool isProfileSignatureAlgorithm(const AlgorithmProfile&, const EVP_PKEY* key, const X509_ALGOR* alg);

}  // namespace setpay::protocol::crypto
