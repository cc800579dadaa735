// The X.509v3 extensions a SET certificate carries (SPEC-CHOICES.md "## pki"), built and read back here only.
// SET private extensions use OpenSSL's built-in OIDs (NID_setCext_*); their values are DER of
// OpenSSL ASN.1 items (BIT STRING, OCTET STRING, BOOLEAN, the MerchantData template).
#pragma once

#include <openssl/x509.h>

#include <bitset>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>

#include "protocol/bytes.hpp"
#include "protocol/openssl.hpp"
#include "protocol/pki/merchant_data.hpp"

namespace setpay::protocol::pki {

// certificateType ::= BIT STRING { card(0), mer(1), pgwy(2), cca(3), mca(4), pca(5), gca(6),
//                                  bca(7), rca(8), acq(9) }   -- critical
enum class CertificateType : std::size_t { card, mer, pgwy, cca, mca, pca, gca, bca, rca, acq };
inline constexpr std::size_t kCertificateTypeBits = 10;

class CertificateTypes {
 public:
  CertificateTypes() = default;
  CertificateTypes(std::initializer_list<CertificateType> types) {
    for (auto t : types) bits_.set(static_cast<std::size_t>(t));
  }
  bool has(CertificateType t) const { return bits_.test(static_cast<std::size_t>(t)); }
  void add(CertificateType t) { bits_.set(static_cast<std::size_t>(t)); }
  bool any() const { return bits_.any(); }
  bool hasCaType() const;  // any of cca..rca, acq
  std::string describe() const;  // "mer", "cca+mca", …
  bool operator==(const CertificateTypes&) const = default;

 private:
  std::bitset<kCertificateTypeBits> bits_;
};

// keyUsage purposes SET distinguishes (critical).
enum class KeyUse { signature, keyExchange, certificateAuthority };

// Builders. Each returns a ready X509_EXTENSION with SET's criticality.
ossl::Extension certificateTypeExtension(const CertificateTypes&);          // critical
ossl::Extension hashedRootKeyExtension(ByteView digestOfNextRootKey);       // critical
ossl::Extension merchantDataExtension(const MerchantData&);                 // non-critical
ossl::Extension cardCertRequiredExtension(bool required);                   // non-critical
ossl::Extension keyUsageExtension(KeyUse);                                  // critical
ossl::Extension basicConstraintsExtension(bool ca, std::optional<long> pathLen);  // critical
ossl::Extension setPolicyExtension();  // certificatePolicies { set-policy-root }, critical
// authorityKeyIdentifier with authorityCertIssuer (the issuer's own issuer) + the issuer's serial,
// keyIdentifier ABSENT; non-critical.
ossl::Extension authorityKeyIdentifierExtension(const X509* issuer);
ossl::Extension msisdnExtension(const std::string& msisdn);  // subjectAltName URI tel:…, non-critical

// Readers. Each returns nullopt when the extension is absent and throws
// ProtocolError(invalidCertificate) when it is present but malformed or occurs twice.
std::optional<CertificateTypes> certificateTypeOf(const X509*);
std::optional<Bytes> hashedRootKeyOf(const X509*);
std::optional<MerchantData> merchantDataOf(const X509*);
std::optional<bool> cardCertRequiredOf(const X509*);
std::optional<std::string> msisdnOf(const X509*);
// Is the extension with this NID present and critical / present at all?
bool isCritical(const X509*, int nid);
bool hasExtension(const X509*, int nid);

// Digest (profile hash) of DER SubjectPublicKeyInfo: the value hashedRootKey carries.
Bytes publicKeyHash(const EVP_MD* md, const EVP_PKEY* key);

}  // namespace setpay::protocol::pki
