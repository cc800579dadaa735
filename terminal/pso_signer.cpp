#include "terminal/pso_signer.hpp"

#include "pcsc/card_error.hpp"
#include "pcsc/card_signer.hpp"

namespace setpay::terminal {

PsoSigner::PsoSigner(pcsc::PaymentCard& card, const X509* certificate)
    : card_(card),
      certificate_(certificate),
      rsa_(EVP_PKEY_get_base_id(X509_get0_pubkey(certificate)) == EVP_PKEY_RSA) {}

protocol::Bytes PsoSigner::signDigest(const EVP_MD* md, protocol::ByteView digest) {
  if (!md || static_cast<std::size_t>(EVP_MD_get_size(md)) != digest.size())
    throw pcsc::CardError(pcsc::CardErrorKind::protocol, "digest length does not match its algorithm");
  // RSA: the card pads a DigestInfo itself; EC: the card signs the hash.
  return card_.computeDigitalSignature(rsa_ ? pcsc::digestInfo(md, digest) : protocol::Bytes(digest.begin(), digest.end()));
}

}  // namespace setpay::terminal
