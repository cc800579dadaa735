#include "tests/protocol/mobile/mobile_samples.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>

#include "protocol/messages/sealed.hpp"
#include "protocol/mobile/channel.hpp"

namespace setpay::protocol::mobile::test {

namespace {
Bytes filled(std::size_t n, std::uint8_t v) { return Bytes(n, v); }
const Bytes kSequence{0x30, 0x03, 0x02, 0x01, 0x05};  // some DER SEQUENCE standing for an operator output
}  // namespace

ossl::PKey ecKey() { return ossl::PKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")); }
ossl::PKey ed25519Key() { return ossl::PKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")); }

ossl::PKey publicHalf(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key, &der);
  const unsigned char* p = der;
  ossl::PKey pub(d2i_PUBKEY(nullptr, &p, len));
  OPENSSL_free(der);
  return pub;
}

Binding sampleBinding(EVP_PKEY* terminalKey) {
  return Binding{filled(20, 0x11), filled(16, 0x22), terminalIdOf(terminalKey), sampleDate()};
}

SignatureRequest sampleD(EVP_PKEY* terminalKey) {
  SignatureRequest d;
  d.binding = sampleBinding(terminalKey);
  d.profile = ProfileId::modern;
  d.mode = CardMode::sealedPI;
  d.pInitRes = kSequence;
  d.brandID = "SETPAY:Gold";
  d.bin = "497010";
  d.rrpid = filled(20, 0x33);
  d.od = toBytes("1 x SET Book 2, paperback");
  d.purchAmt = CurrencyAmount{978, 4250, -2};
  d.odSalt = filled(20, 0x44);
  return d;
}

SignatureResponse sampleSealedE(const Binding& b, ByteView dDer) {
  return SignatureResponse{b, digestOf(dDer), SealedPI{PIDualSigned{kSequence, kSequence}, kSequence}};
}

SignatureResponse sampleCardDataE(const Binding& b, ByteView dDer) {
  PIHead head;
  head.transIDs = TransIDs{filled(16, 1), filled(16, 2), filled(20, 0x11), sampleDate(), std::nullopt, "en"};
  // A real, labelled DD: PIHead.hod is decoded strictly (SPEC-CHOICES "SET 1.0 wire fidelity", item 2).
  head.hod = hod(AlgorithmProfile::make(ProfileId::modern), HODInput{toBytes("1 x SET Book 2"), CurrencyAmount{978, 4250, -2}, filled(20, 8), std::nullopt, {}});
  head.purchAmt = CurrencyAmount{978, 4250, -2};
  head.merchantID = "MERCHANT-1";
  head.transStain = filled(32, 5);
  head.swIdent = "setpay-terminal/test";
  PANData pan{"4970100000000014", "202812", filled(20, 6), filled(20, 7)};
  return SignatureResponse{b, digestOf(dDer), CardData{head, pan, kSequence}};
}

SignatureResponse sampleRefusalE(const Binding& b, ByteView dDer) {
  return SignatureResponse{b, digestOf(dDer), Refusal{RefusalReason::wrongPin, 2, std::nullopt, "wrong PIN"}};
}

PurchaseConfirmation sampleF(const Binding& b) {
  PurchaseConfirmation f;
  f.binding = b;
  f.eDigest = filled(32, 9);
  f.outcome = Outcome::declined;
  f.purchAmt = CurrencyAmount{978, 4250, -2};
  f.merchantName = "Librairie Générale";
  f.authCode = AuthCode::declined;
  f.detail = "insufficient funds";
  return f;
}

Bytes patched(Bytes der, ByteView from, ByteView to) {
  const auto at = std::search(der.begin(), der.end(), from.begin(), from.end());
  if (at == der.end() || from.size() != to.size()) {
    ADD_FAILURE() << "pattern " << hex(from) << " not in the DER";
    return der;
  }
  std::copy(to.begin(), to.end(), at);
  return der;
}

}  // namespace setpay::protocol::mobile::test
