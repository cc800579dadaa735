// Thumbs: a party lists the thumbprints of the certificates, CRLs and BCIs it holds, and its peer
// carries only what is missing. One place for what to send, what to carry and the echo check, so each
// role calls it in one line. Choices: SPEC-CHOICES.md "Thumbs and BrandCRLIdentifier". It lives in
// purchase/, not pki/, because it joins the message type Thumbs (messages/) with the trust anchors
// (pki/): pki/ sits below messages/ (protocol/README.md "Layering").
#pragma once

#include <optional>
#include <span>

#include "protocol/crypto/signed_data.hpp"
#include "protocol/messages/types.hpp"
#include "protocol/pki/carried_trust.hpp"

namespace setpay::protocol {

// The Thumbs a party sends for what it holds: its CA certificates, CRLs and BCIs (the Root is never
// carried, so not listed). nullopt when it holds none of them.
std::optional<Thumbs> thumbsOf(const AlgorithmProfile&, const pki::TrustAnchors& held);

// Cardholder step 9: the Thumbs PInitRes echoes must be those PInitReq sent (thumbsMismatch otherwise).
void checkThumbsEcho(const std::optional<Thumbs>& sent, const std::optional<Thumbs>& echoed);

// What to carry in a SignedData to a peer that holds `peerHas`: `signer`'s own certificate, `extra`
// (e.g. Cert-PE) and our CA certificates and CRLs, each only if its thumbprint is not in peerHas.
SignOptions carriedTo(const AlgorithmProfile&, const std::optional<Thumbs>& peerHas, const X509* signer,
                      std::span<const X509* const> extra, const pki::TrustAnchors& ours);

// The BCI to carry (PInitResData / PResData brandCRLIdentifier): our newest one (highest
// sequenceNum), unless the peer's Thumbs show it holds it.
std::optional<Bytes> brandCRLIdentifierFor(const AlgorithmProfile&, const std::optional<Thumbs>& peerHas,
                                           const pki::TrustAnchors& ours);

// Cardholder step 6 over our anchors and a received message: requireCurrentCrls with our BCIs plus
// `carriedBci`, our CRLs plus those `carried` in the SignedData.
void requireCurrentCrls(const AlgorithmProfile&, const pki::TrustAnchors& ours, const std::optional<Bytes>& carriedBci,
                        const VerifiedSignedData& carried, std::span<const pki::ValidatedChain* const> chains,
                        const Clock&);

}  // namespace setpay::protocol
