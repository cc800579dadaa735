#include "pcsc/card_signer.hpp"

#include <openssl/objects.h>
#include <openssl/x509.h>

#include "pcsc/card_application.hpp"
#include "pcsc/card_error.hpp"

namespace setpay::pcsc {

namespace {
using X509Sig = protocol::ossl::Owned<X509_SIG, X509_SIG_free>;
}

Bytes digestInfo(const EVP_MD* md, ByteView digest) {
  if (!md || static_cast<std::size_t>(EVP_MD_get_size(md)) != digest.size())
    throw CardError(CardErrorKind::protocol, "digest length does not match its algorithm");
  X509Sig sig(X509_SIG_new());
  if (!sig) throw CardError(CardErrorKind::protocol, "out of memory");
  X509_ALGOR* alg = nullptr;
  ASN1_OCTET_STRING* value = nullptr;
  X509_SIG_getm(sig.get(), &alg, &value);
  if (X509_ALGOR_set0(alg, OBJ_nid2obj(EVP_MD_get_type(md)), V_ASN1_NULL, nullptr) != 1 ||
      ASN1_OCTET_STRING_set(value, digest.data(), static_cast<int>(digest.size())) != 1)
    throw CardError(CardErrorKind::protocol, "DigestInfo encoding failed");
  return protocol::ossl::der(sig.get(), i2d_X509_SIG);
}

CardSigner::CardSigner(PaymentCard& card, PinSource pin) : card_(card), pin_(std::move(pin)) {
  const ApplicationInfo info = card_.select();
  const Bytes der = card_.readCertificate();
  try {
    certificate_ = protocol::ossl::certFromDer(der);
  } catch (const std::exception&) {
    throw CardError(CardErrorKind::protocol, "EF.CERT is not a DER certificate");
  }
  const int type = EVP_PKEY_get_base_id(X509_get0_pubkey(certificate_.get()));
  rsa_ = type == EVP_PKEY_RSA;
  if ((rsa_ && info.keyAlgorithm != app::keyRsa) || (!rsa_ && info.keyAlgorithm != app::keyEcP256))
    throw CardError(CardErrorKind::protocol, "card key algorithm does not match its certificate");
}

Bytes CardSigner::signDigest(const EVP_MD* md, ByteView digest) {
  if (!md || static_cast<std::size_t>(EVP_MD_get_size(md)) != digest.size())
    throw CardError(CardErrorKind::protocol, "digest length does not match its algorithm");
  const Bytes body = rsa_ ? digestInfo(md, digest) : Bytes(digest.begin(), digest.end());
  card_.verifyPin(pin_());
  return card_.computeDigitalSignature(body);
}

}  // namespace setpay::pcsc
