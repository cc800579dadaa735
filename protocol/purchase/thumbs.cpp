#include "protocol/purchase/thumbs.hpp"

#include <algorithm>
#include <vector>

#include "protocol/crypto/digest.hpp"
#include "protocol/error.hpp"
#include "protocol/pki/brand_crl_identifier.hpp"

namespace setpay::protocol {

namespace {

bool listed(const std::vector<Bytes>& thumbs, ByteView thumb) {
  // Thumbprints of public material: a plain comparison would do; constant time costs nothing here.
  return std::any_of(thumbs.begin(), thumbs.end(), [&](const Bytes& t) { return constantTimeEqual(t, thumb); });
}

const std::vector<Bytes>& none() {
  static const std::vector<Bytes> empty;
  return empty;
}

}  // namespace

std::optional<Thumbs> thumbsOf(const AlgorithmProfile& profile, const pki::TrustAnchors& held) {
  Thumbs t;
  for (const auto& c : held.caCertificates) t.certThumbs.push_back(thumbprint(profile, c.get()));
  for (const auto& c : held.crls) t.crlThumbs.push_back(thumbprint(profile, c.get()));
  for (const auto& b : held.brandCRLIdentifiers) t.brandCRLIdentifierThumbs.push_back(thumbprint(profile, b));
  if (t.certThumbs.empty() && t.crlThumbs.empty() && t.brandCRLIdentifierThumbs.empty()) return std::nullopt;
  return t;
}

void checkThumbsEcho(const std::optional<Thumbs>& sent, const std::optional<Thumbs>& echoed) {
  if (sent != echoed) throw ProtocolError(ErrorCode::thumbsMismatch, "PInitRes does not echo the Thumbs of PInitReq");
}

SignOptions carriedTo(const AlgorithmProfile& profile, const std::optional<Thumbs>& peerHas, const X509* signer,
                      std::span<const X509* const> extra, const pki::TrustAnchors& ours) {
  const auto& certs = peerHas ? peerHas->certThumbs : none();
  const auto& crls = peerHas ? peerHas->crlThumbs : none();
  auto heldCert = [&](const X509* c) { return listed(certs, thumbprint(profile, c)); };
  SignOptions o;
  o.includeSignerCertificate = signer == nullptr || !heldCert(signer);
  for (const X509* c : extra)
    if (c && !heldCert(c)) o.extra.certificates.push_back(c);
  for (const auto& c : ours.caCertificates)
    if (!heldCert(c.get())) o.extra.certificates.push_back(c.get());
  for (const auto& c : ours.crls)
    if (!listed(crls, thumbprint(profile, c.get()))) o.extra.crls.push_back(c.get());
  return o;
}

std::optional<Bytes> brandCRLIdentifierFor(const AlgorithmProfile& profile, const std::optional<Thumbs>& peerHas,
                                           const pki::TrustAnchors& ours) {
  const Bytes* newest = nullptr;
  std::uint64_t newestNum = 0;
  for (const Bytes& der : ours.brandCRLIdentifiers) {
    const std::uint64_t n = pki::decodeBrandCrlIdentifier(der).sequenceNum;
    if (!newest || n > newestNum) {
      newest = &der;
      newestNum = n;
    }
  }
  if (!newest || (peerHas && listed(peerHas->brandCRLIdentifierThumbs, thumbprint(profile, *newest))))
    return std::nullopt;
  return *newest;
}

void requireCurrentCrls(const AlgorithmProfile& profile, const pki::TrustAnchors& ours, const std::optional<Bytes>& carriedBci,
                        const VerifiedSignedData& carried, std::span<const pki::ValidatedChain* const> chains,
                        const Clock& clock) {
  std::vector<Bytes> bcis = ours.brandCRLIdentifiers;
  if (carriedBci) bcis.push_back(*carriedBci);
  std::vector<X509_CRL*> crls;
  for (const auto& c : ours.crls) crls.push_back(c.get());
  for (const auto& c : carried.crls) crls.push_back(c.get());
  pki::requireCurrentCrls(profile, bcis, chains, crls, clock,
                          ours.cache && ours.root && X509_cmp(ours.cache->root(), ours.root.get()) == 0 ? ours.cache.get() : nullptr);
}

}  // namespace setpay::protocol
