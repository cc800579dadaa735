// protocol::Signer backed by the card: the certificate is read from EF.CERT once, and every
// signDigest does VERIFY (PIN from `pin`, asked each time: the card honours a PIN for one
// signature) then PSO: COMPUTE DIGITAL SIGNATURE.
#pragma once

#include <functional>
#include <string>

#include "pcsc/payment_card.hpp"
#include "protocol/crypto/signer.hpp"

namespace setpay::pcsc {

class CardSigner final : public protocol::Signer {
 public:
  using PinSource = std::function<std::string()>;

  // Selects the application and reads the certificate; throws CardError.
  CardSigner(PaymentCard& card, PinSource pin);

  const X509* certificate() const override { return certificate_.get(); }
  // RSA: the card pads DigestInfo(md, digest). EC: the card signs `digest`. CardError on refusal.
  Bytes signDigest(const EVP_MD* md, ByteView digest) override;

 private:
  PaymentCard& card_;
  PinSource pin_;
  protocol::ossl::Cert certificate_;
  bool rsa_ = false;
};

// DER DigestInfo { AlgorithmIdentifier(md, NULL), OCTET STRING digest } (PKCS#1 v1.5, RFC 8017 §9.2).
Bytes digestInfo(const EVP_MD* md, ByteView digest);

}  // namespace setpay::pcsc
