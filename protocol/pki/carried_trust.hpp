// Validating a peer's certificate the way every SET role must (SPEC-CHOICES.md "## pki: carried trust"): the path is
// built from the CA certificates and CRLs we hold plus those carried in the SignedData that came with the message,
// and ends at our configured Root (the only trust anchor; carried material never becomes trusted). Also the brand of
// a validated path, and share(): a second owner of an OpenSSL object, for building anchors and credentials from
// objects the caller keeps.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/clock.hpp"
#include "protocol/crypto/signed_data.hpp"
#include "protocol/openssl.hpp"
#include "protocol/pki/trust_cache.hpp"
#include "protocol/pki/validator.hpp"
#include "protocol/profile.hpp"

namespace setpay::protocol::pki {

// Ours: the configured Root, and the CA certificates (Brand, CCA, MCA, PCA; may be empty when peers
// carry them), CRLs and BrandCRLIdentifiers (DER, brand_crl_identifier.hpp) we hold.
struct TrustAnchors {
  ossl::Cert root;
  std::vector<ossl::Cert> caCertificates;
  std::vector<ossl::Crl> crls;
  std::vector<Bytes> brandCRLIdentifiers{};
  // The role's one validator over `root` (issue 13), shared by the objects a role makes per purchase;
  // null: a ChainValidator is built per validation. attachTrustCache() sets it.
  std::shared_ptr<const TrustCache> cache{};
};

// Gives `anchors` a TrustCache over its Root unless it has one. A Root that is not a SET Root is left
// to fail where it did (at validation, invalidCertificate): no cache then.
void attachTrustCache(TrustAnchors& anchors, const AlgorithmProfile& profile);

// `endEntity` (the signer, or another carried certificate such as Cert-PE) validated for `role`
// against `validator`'s Root, building the path from our CA certificates/CRLs then the carried ones.
// Throws what ChainValidator::validate throws. Returns the path, end entity first.
ValidatedChain validateCarried(const PathValidator& validator, std::span<const ossl::Cert> ourCertificates,
                               std::span<const ossl::Crl> ourCrls, const X509* endEntity,
                               const VerifiedSignedData& carried, Role role, const Clock& clock,
                               std::optional<std::chrono::year_month> cardExpiry = std::nullopt);
// Same, with anchors.cache when it trusts anchors.root, else a validator over `anchors.root` (throws
// invalidCertificate if that Root is not a SET Root).
ValidatedChain validateCarried(const AlgorithmProfile& profile, const TrustAnchors& anchors, const X509* endEntity,
                               const VerifiedSignedData& carried, Role role, const Clock& clock,
                               std::optional<std::chrono::year_month> cardExpiry = std::nullopt);

// The brand a validated path belongs to: the organization of its Brand CA (certificateType bca).
// Throws invalidCertificate if the path has no Brand CA.
std::string brandOf(const ValidatedChain& chain);

// A second owner of the same OpenSSL object (reference count). Throws on null.
ossl::Cert share(const X509* cert);
ossl::Crl share(const X509_CRL* crl);
ossl::PKey share(const EVP_PKEY* key);

}  // namespace setpay::protocol::pki
