#include "protocol/crypto/algorithms.hpp"

#include <openssl/objects.h>

#include "protocol/openssl.hpp"

namespace setpay::protocol::crypto {

namespace {

bool parametersAbsentOrNull(const X509_ALGOR* alg, bool nullAllowed) {
  int ptype = 0;
  X509_ALGOR_get0(nullptr, &ptype, nullptr, alg);
  return ptype == V_ASN1_UNDEF || (nullAllowed && ptype == V_ASN1_NULL);
}

int algorithmNid(const X509_ALGOR* alg) {
  const ASN1_OBJECT* obj = nullptr;
  X509_ALGOR_get0(&obj, nullptr, nullptr, alg);
  return OBJ_obj2nid(obj);
}

int ecdsaNid(const AlgorithmProfile& profile) {
  return profile.digestNid() == NID_sha1 ? NID_ecdsa_with_SHA1 : NID_ecdsa_with_SHA256;
}
int rsaWithDigestNid(const AlgorithmProfile& profile) {
  return profile.digestNid() == NID_sha1 ? NID_sha1WithRSAEncryption : NID_sha256WithRSAEncryption;
}

void set(X509_ALGOR* out, int nid, int ptype) {
  ossl::check(X509_ALGOR_set0(out, OBJ_nid2obj(nid), ptype, nullptr) == 1,
              ErrorCode::unspecifiedFailure, "X509_ALGOR_set0");
}

// SHA-1 went out with NULL parameters in every PKCS#1/PKCS#7 stack of SET 1.0's time; SHA-2 identifiers
// are written without them (RFC 5754). One rule, keyed on the digest (SPEC-CHOICES).
int parameterTypeFor(int digestNid) { return digestNid == NID_sha1 ? V_ASN1_NULL : V_ASN1_UNDEF; }

std::string parameterName(int ptype) {
  return ptype == V_ASN1_UNDEF ? "absent" : ptype == V_ASN1_NULL ? "NULL" : "of ASN.1 type " + std::to_string(ptype);
}

}  // namespace

void setProfileDigestAlgorithm(const AlgorithmProfile& profile, X509_ALGOR* out) {
  set(out, profile.digestNid(), parameterTypeFor(profile.digestNid()));
}

ByteView digestAlgorithmDer(int digestNid) {
  // What setProfileDigestAlgorithm writes, as constants (DD's canonical form is rebuilt per message;
  // tests/protocol/crypto/digest_test.cpp checks them against OpenSSL's encoding).
  static constexpr std::uint8_t sha1WithNull[] = {0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00};
  static constexpr std::uint8_t sha256Absent[] = {0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48,
                                                  0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
  if (digestNid == NID_sha1) return sha1WithNull;
  if (digestNid == NID_sha256) return sha256Absent;
  return {};
}

std::string digestAlgorithmMismatch(const AlgorithmProfile& profile, const X509_ALGOR* alg) {
  const int nid = algorithmNid(alg);
  if (nid != profile.digestNid())
    return std::string("digest algorithm is not the ") + std::string(profile.name()) + " profile's";
  return digestAlgorithmMismatch(alg);
}

std::string digestAlgorithmMismatch(const X509_ALGOR* alg) {
  const int nid = algorithmNid(alg);
  if (nid != NID_sha1 && nid != NID_sha256) return "digest algorithm is neither sha1 (set1) nor sha256 (modern)";
  int ptype = 0;
  X509_ALGOR_get0(nullptr, &ptype, nullptr, alg);
  const int want = parameterTypeFor(nid);
  if (ptype == want) return {};
  return std::string(nid == NID_sha1 ? "sha1" : "sha256") + " AlgorithmIdentifier parameters are " +
         parameterName(ptype) + "; " + (nid == NID_sha1 ? "set1" : "modern") + " writes them " + parameterName(want);
}

bool isProfileDigestAlgorithm(const AlgorithmProfile& profile, const X509_ALGOR* alg) {
  return algorithmNid(alg) == profile.digestNid() && parametersAbsentOrNull(alg, true);
}

void setSignatureAlgorithm(const AlgorithmProfile& profile, const EVP_PKEY* key, X509_ALGOR* out) {
  if (EVP_PKEY_is_a(key, "RSA"))
    set(out, NID_rsaEncryption, V_ASN1_NULL);
  else if (EVP_PKEY_is_a(key, "EC"))
    set(out, ecdsaNid(profile), V_ASN1_UNDEF);
  else
    throw ProtocolError(ErrorCode::unspecifiedFailure, "signer key is neither RSA nor EC");
}

bool isProfileSignatureAlgorithm(const AlgorithmProfile& profile, const EVP_PKEY* key,
                                 const X509_ALGOR* alg) {
  const int nid = algorithmNid(alg);
  if (EVP_PKEY_is_a(key, "RSA"))
    return (nid == NID_rsaEncryption || nid == rsaWithDigestNid(profile)) &&
           parametersAbsentOrNull(alg, true);
  if (EVP_PKEY_is_a(key, "EC")) return nid == ecdsaNid(profile) && parametersAbsentOrNull(alg, false);
  return false;
}

}  // namespace setpay::protocol::crypto
