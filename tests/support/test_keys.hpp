// The fixed test-only keys of vectors/keys (RSA-1024, RSA-2048, EC P-256) with their self-signed
// certificates, and the means to make more (generator, wrong-key tests). Never production keys.
#pragma once

#include <string>

#include "protocol/openssl.hpp"

namespace setpay::support {

struct TestKey {
  std::string name;      // "rsa-1024", "rsa-2048", "ec-p256"
  std::string keyFile;   // relative to vectors/crypto/: ../keys/<name>.key.pem
  std::string certFile;  // ../keys/<name>.cert.pem
  std::string keyPem;
  std::string certPem;
  protocol::ossl::PKey key;
  protocol::ossl::Cert cert;
};

inline const char* const testKeyNames[] = {"rsa-1024", "rsa-2048", "ec-p256"};

// Loads vectors/keys/<name>.{key,cert}.pem; throws std::runtime_error if missing.
TestKey loadTestKey(const std::string& name);

// A fresh key of kind "rsa-1024", "rsa-2048" or "ec-p256".
protocol::ossl::PKey generateKey(const std::string& kind);

// Self-signed X.509 v3 certificate, subject = issuer = CN=<commonName>, O=setpay test,
// valid 2025-01-01..2036-01-01, signed with SHA-256.
protocol::ossl::Cert selfSignedCertificate(EVP_PKEY* key, const std::string& commonName, long serial);

// Same issuer and serial as `like`, but certifying `key` (an impostor for wrong-key tests).
protocol::ossl::Cert impostorCertificate(const X509* like, EVP_PKEY* key);

std::string privateKeyPem(EVP_PKEY* key);

// New owning references (up-ref) for handing a fixture's key/cert to a SoftwareSigner.
protocol::ossl::PKey shareKey(EVP_PKEY* key);
protocol::ossl::Cert shareCert(X509* cert);

}  // namespace setpay::support
