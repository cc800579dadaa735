// PEM text forms of certificates, CRLs and private keys (the CLI stores them as files). No I/O here.
#pragma once

#include <string>
#include <vector>

#include "protocol/openssl.hpp"

namespace setpay::protocol::pki {

inline constexpr std::size_t kMaxPem = 256 * 1024;

std::string crlToPem(const X509_CRL* crl);
ossl::Crl crlFromPem(const std::string& pem);
std::string privateKeyToPem(const EVP_PKEY* key);  // PKCS#8, unencrypted (file mode 0600 is the caller's job)
ossl::PKey privateKeyFromPem(const std::string& pem);
// Every certificate in a PEM bundle, in order (at least one).
std::vector<ossl::Cert> certsFromPem(const std::string& pem);

}  // namespace setpay::protocol::pki
