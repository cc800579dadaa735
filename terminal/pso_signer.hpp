// protocol::Signer over a card whose PIN the terminal has just verified: signDigest is the one
// PSO: COMPUTE DIGITAL SIGNATURE that VERIFY allows (pcsc/CARD-APPLICATION.md §6). Unlike
// pcsc::CardSigner it does not ask for the PIN: the terminal's PIN dialogue (tries left, cancel)
// runs before, and the PAN secret is read between VERIFY and PSO.
#pragma once

#include "pcsc/payment_card.hpp"
#include "protocol/crypto/signer.hpp"

namespace setpay::terminal {

class PsoSigner final : public protocol::Signer {
 public:
  PsoSigner(pcsc::PaymentCard& card, const X509* certificate);
  const X509* certificate() const override { return certificate_; }
  protocol::Bytes signDigest(const EVP_MD* md, protocol::ByteView digest) override;

 private:
  pcsc::PaymentCard& card_;
  const X509* certificate_;
  bool rsa_;
};

}  // namespace setpay::terminal
