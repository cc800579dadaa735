// Minting one SET certificate: keys, names, validity, the SET extension set, the issuer's signature.
// Keys come from OpenSSL's DRBG (key generation cannot run on an injected stream); serial numbers
// come from the injected RandomSource; time comes from the caller.
#pragma once

#include <chrono>
#include <ctime>
#include <optional>
#include <string>

#include "protocol/clock.hpp"
#include "protocol/openssl.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/profile.hpp"
#include "protocol/random.hpp"

namespace setpay::protocol::pki {

// A certificate with its private key (the key stays with its holder; CAs sign with it).
struct Credential {
  ossl::Cert cert;
  ossl::PKey key;
};

enum class KeyType { rsa, ecP256 };
ossl::PKey generateKey(KeyType type, int rsaBits = 2048);

// SET DNs use exactly these four attributes (SPEC-CHOICES.md "## pki").
struct DistinguishedName {
  std::string country;  // 2 letters
  std::string organization;
  std::string organizationalUnit;
  std::string commonName;
};
ossl::Name toX509Name(const DistinguishedName&);
// The attribute of `name` with this NID ("" if absent).
std::string nameEntry(const X509_NAME* name, int nid);

struct CertificateSpec {
  DistinguishedName subject;
  CertificateTypes types;
  KeyUse keyUse = KeyUse::signature;
  std::optional<long> pathLen;  // CAs only
  TimePoint notBefore;
  TimePoint notAfter;  // clamped to the issuer's notAfter: a SET child never outlives its parent
  std::optional<Bytes> hashedRootKey;        // Root only
  std::optional<MerchantData> merchantData;  // merchant certificates
  std::optional<bool> cardCertRequired;      // gateway certificates
  std::optional<std::string> msisdn;         // cardholder certificates (subjectAltName tel: URI)
};

// Issue `spec` for `subjectKey`, signed by `issuer` with the profile digest; issuer == nullptr makes
// it self-signed (the Root). keyUse certificateAuthority makes it a CA (basicConstraints CA:TRUE).
ossl::Cert mintCertificate(const CertificateSpec& spec, EVP_PKEY* subjectKey, const Credential* issuer,
                           const AlgorithmProfile& profile, RandomSource& random);

// A fresh positive 128-bit serial number.
ossl::Integer randomSerial(RandomSource& random);

// Conversions between TimePoint and ASN1_TIME.
TimePoint toTimePoint(const ASN1_TIME* t);
std::time_t toTimeT(TimePoint t);

}  // namespace setpay::protocol::pki
