#include "wallet-server/peer_trust.hpp"

#include "protocol/error.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/pki/issuer.hpp"

namespace setpay::wallet {

using protocol::ErrorCode;
using protocol::ProtocolError;
namespace pki = protocol::pki;

pki::ValidatedChain validatePeer(const protocol::AlgorithmProfile& profile, const TrustAnchors& anchors,
                                 const X509* endEntity, const protocol::VerifiedSignedData& carried, pki::Role role,
                                 const protocol::Clock& clock) {
  std::vector<X509*> intermediates;
  for (const auto& c : anchors.caCertificates) intermediates.push_back(c.get());
  for (const auto& c : carried.certificates) intermediates.push_back(c.get());
  std::vector<X509_CRL*> crls;
  for (const auto& c : anchors.crls) crls.push_back(c.get());
  for (const auto& c : carried.crls) crls.push_back(c.get());
  const pki::ChainValidator validator(anchors.root.get(), profile);
  return validator.validate(endEntity, intermediates, crls, role, clock);
}

std::string brandOf(const pki::ValidatedChain& chain) {
  for (const auto& cert : chain.path) {
    const auto types = pki::certificateTypeOf(cert.get());
    if (types && types->has(pki::CertificateType::bca))
      return pki::nameEntry(X509_get_subject_name(cert.get()), NID_organizationName);
  }
  throw ProtocolError(ErrorCode::invalidCertificate, "no Brand CA in the certificate path");
}

protocol::ossl::Cert share(const X509* c) {
  X509* p = const_cast<X509*>(c);
  if (!p || X509_up_ref(p) != 1) throw ProtocolError(ErrorCode::missingCertificate, "no certificate to share");
  return protocol::ossl::Cert(p);
}
protocol::ossl::Crl share(const X509_CRL* c) {
  X509_CRL* p = const_cast<X509_CRL*>(c);
  if (!p || X509_CRL_up_ref(p) != 1) throw ProtocolError(ErrorCode::missingCertificate, "no CRL to share");
  return protocol::ossl::Crl(p);
}
protocol::ossl::PKey share(const EVP_PKEY* k) {
  EVP_PKEY* p = const_cast<EVP_PKEY*>(k);
  if (!p || EVP_PKEY_up_ref(p) != 1) throw ProtocolError(ErrorCode::unspecifiedFailure, "no key to share");
  return protocol::ossl::PKey(p);
}

}  // namespace setpay::wallet
