// The merchant's trust material and the one way it checks a peer's certificate: the SET chain validator
// over the configured Root, the CA certificates and CRLs the merchant holds plus those a message carried.
#pragma once

#include <string>
#include <vector>

#include "protocol/crypto/signed_data.hpp"
#include "protocol/pki/validator.hpp"

namespace setpay::merchant {

struct TrustAnchors {
  protocol::ossl::Cert root;
  std::vector<protocol::ossl::Cert> caCertificates;  // Brand, CCA, MCA, PCA (may be empty: carried)
  std::vector<protocol::ossl::Crl> crls;
};

// Validates `endEntity` for `role`, building the path from the anchors plus `carried`. Returns the path.
protocol::pki::ValidatedChain validatePeer(const protocol::AlgorithmProfile&, const TrustAnchors&,
                                           const X509* endEntity, const protocol::VerifiedSignedData& carried,
                                           protocol::pki::Role role, const protocol::Clock&);

// The brand a validated path belongs to: the organization of its Brand CA (certificateType bca).
std::string brandOf(const protocol::pki::ValidatedChain&);

// A second owner of the same OpenSSL object (reference count).
protocol::ossl::Cert share(const X509*);
protocol::ossl::Crl share(const X509_CRL*);
protocol::ossl::PKey share(const EVP_PKEY*);

}  // namespace setpay::merchant
