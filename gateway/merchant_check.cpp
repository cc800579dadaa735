// Who sent the request: the merchant's signature certificate chain (role merchantSignature) under the
// brand this gateway serves, the merchantID it claims, and the merchant key-exchange certificate (same
// merID, same brand) the reply will be encrypted for. Shared by AuthReq and CapReq.
#include <openssl/x509v3.h>

#include "gateway/payment_gateway.hpp"
#include "gateway/refusal.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/seeded_fault.hpp"

namespace setpay::gateway {

using namespace protocol;

namespace {

std::optional<std::string> merIDOf(const X509* cert) {
  try {
    const auto data = pki::merchantDataOf(cert);
    return data ? std::optional(data->merID) : std::nullopt;
  } catch (const ProtocolError&) {
    return std::nullopt;  // malformed merchantData: not a candidate
  }
}

}  // namespace

pki::ValidatedChain PaymentGateway::validateChain(const X509* cert, const VerifiedSignedData& carrier, pki::Role role,
                                                  std::optional<std::chrono::year_month> cardExpiry) const {
  // Chain pieces: what the acquirer configured, plus whatever the signer carried.
  try {
    return pki::validateCarried(validator_, config_.caCertificates, config_.crls, cert, carrier, role, clock_,
                                cardExpiry);
  } catch (const ProtocolError& e) {
    // ErrorThumb names the certificate that failed (SPEC-CHOICES.md "## gateway").
    std::optional<Bytes> thumb;
    if (cert) thumb = thumbprint(config_.profile, cert);
    throw Refusal(e.code(), std::string(pki::name(role)) + " certificate: " + e.what(), std::move(thumb));
  }
}

void PaymentGateway::requireOurBrand(const pki::ValidatedChain& chain, const X509* cert) const {
  if (checkRemoved("merchant-brand")) return;  // interop tests only (protocol/seeded_fault.hpp)
  // A merchant certified under another brand of the same Root is not a merchant of this acquirer:
  // refused like any certificate we may not act on (SPEC-CHOICES "## gateway", merchant brand).
  const std::string brand = pki::brandOf(chain);
  if (brand != config_.brand)
    throw Refusal(ErrorCode::invalidCertificate,
                  "merchant certificate is of brand " + brand + ", this gateway serves " + config_.brand,
                  thumbprint(config_.profile, cert));
}

PaymentGateway::MerchantParty PaymentGateway::validateMerchant(const VerifiedSignedData& signature,
                                                               const std::string& claimedMerchantID) const {
  const X509* signer = signature.signer.get();
  requireOurBrand(validateChain(signer, signature, pki::Role::merchantSignature), signer);
  MerchantParty merchant{pki::share(signer), nullptr, merIDOf(signer).value_or("")};
  if (merchant.merID != claimedMerchantID)
    throw Refusal(ErrorCode::invalidCertificate, "merchant certificate does not name the merchantID of the request",
                  thumbprint(config_.profile, signer));

  // Cert-MK: carried in the request first, else registered with the acquirer. Same merID, and it
  // must validate as a merchant key-exchange certificate; the last failure explains a refusal.
  std::vector<const X509*> candidates;
  for (const auto& c : signature.certificates) candidates.push_back(c.get());
  for (const auto& c : config_.merchantKeyExchangeCertificates) candidates.push_back(c.get());
  std::optional<Refusal> lastFailure;
  for (const X509* candidate : candidates) {
    if (X509_cmp(candidate, signer) == 0 || merIDOf(candidate) != merchant.merID) continue;
    if (!(X509_get_key_usage(const_cast<X509*>(candidate)) & KU_KEY_ENCIPHERMENT)) continue;
    try {
      requireOurBrand(validateChain(candidate, signature, pki::Role::merchantKeyExchange), candidate);
      merchant.keyExchange = pki::share(candidate);
      return merchant;
    } catch (const Refusal& r) {
      lastFailure = r;
    }
  }
  if (lastFailure) throw *lastFailure;
  throw Refusal(ErrorCode::missingCertificate, "no key-exchange certificate for merchant " + merchant.merID);
}

}  // namespace setpay::gateway
