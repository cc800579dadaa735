#include "protocol/pki/carried_trust.hpp"

#include "protocol/error.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/pki/issuer.hpp"

namespace setpay::protocol::pki {

ValidatedChain validateCarried(const PathValidator& validator, std::span<const ossl::Cert> ourCertificates,
                               std::span<const ossl::Crl> ourCrls, const X509* endEntity,
                               const VerifiedSignedData& carried, Role role, const Clock& clock,
                               std::optional<std::chrono::year_month> cardExpiry) {
  // Ours first: a carried certificate only fills a gap, the Root check decides trust either way.
  std::vector<X509*> intermediates;
  for (const auto& c : ourCertificates) intermediates.push_back(c.get());
  for (const auto& c : carried.certificates) intermediates.push_back(c.get());
  std::vector<X509_CRL*> crls;
  for (const auto& c : ourCrls) crls.push_back(c.get());
  for (const auto& c : carried.crls) crls.push_back(c.get());
  return validator.validate(endEntity, intermediates, crls, role, clock, cardExpiry);
}

ValidatedChain validateCarried(const AlgorithmProfile& profile, const TrustAnchors& anchors, const X509* endEntity,
                               const VerifiedSignedData& carried, Role role, const Clock& clock,
                               std::optional<std::chrono::year_month> cardExpiry) {
  if (anchors.cache && anchors.root && X509_cmp(anchors.cache->root(), anchors.root.get()) == 0)
    return validateCarried(*anchors.cache, anchors.caCertificates, anchors.crls, endEntity, carried, role, clock, cardExpiry);
  const ChainValidator validator(anchors.root.get(), profile);
  return validateCarried(validator, anchors.caCertificates, anchors.crls, endEntity, carried, role, clock, cardExpiry);
}

void attachTrustCache(TrustAnchors& anchors, const AlgorithmProfile& profile) {
  if (anchors.cache || !anchors.root) return;
  try {
    anchors.cache = std::make_shared<const TrustCache>(anchors.root.get(), profile);
  } catch (const ProtocolError&) {
    // Not a SET Root: every validation refuses it, as it did without a cache.
  }
}

std::string brandOf(const ValidatedChain& chain) {
  for (const auto& cert : chain.path) {
    const auto types = certificateTypeOf(cert.get());
    if (types && types->has(CertificateType::bca))
      return nameEntry(X509_get_subject_name(cert.get()), NID_organizationName);
  }
  throw ProtocolError(ErrorCode::invalidCertificate, "no Brand CA in the certificate path");
}

ossl::Cert share(const X509* c) {
  X509* p = const_cast<X509*>(c);
  if (!p || X509_up_ref(p) != 1) throw ProtocolError(ErrorCode::missingCertificate, "no certificate to share");
  return ossl::Cert(p);
}
ossl::Crl share(const X509_CRL* c) {
  X509_CRL* p = const_cast<X509_CRL*>(c);
  if (!p || X509_CRL_up_ref(p) != 1) throw ProtocolError(ErrorCode::missingCertificate, "no CRL to share");
  return ossl::Crl(p);
}
ossl::PKey share(const EVP_PKEY* k) {
  EVP_PKEY* p = const_cast<EVP_PKEY*>(k);
  if (!p || EVP_PKEY_up_ref(p) != 1) throw ProtocolError(ErrorCode::unspecifiedFailure, "no key to share");
  return ossl::PKey(p);
}

}  // namespace setpay::protocol::pki
