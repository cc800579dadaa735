// Client side of the setpay payment card application (CARD-APPLICATION.md) over any ApduTransport:
// a CardConnection through pcscd, or a DirectCard in-process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pcsc/apdu_transport.hpp"

namespace setpay::pcsc {

struct CardIdentity {
  std::string pan;     // digits
  std::string expiry;  // YYYYMM
  std::string name;
  Bytes certificate;   // DER X.509
};

struct ApplicationCryptogram {
  std::uint8_t cid = 0;  // app::cryptogramAac / cryptogramTc / cryptogramArqc
  std::uint16_t atc = 0;
  Bytes ac;   // 8 bytes
  Bytes iad;  // issuer application data (9F10)
};

struct ApplicationInfo {
  std::uint8_t keyAlgorithm = 0;  // app::keyRsa / app::keyEcP256
  std::string profile;
};

class PaymentCard {
 public:
  // certificateChunk: Le of each READ BINARY (≤ 256 short, larger uses extended length).
  explicit PaymentCard(ApduTransport& connection, std::size_t certificateChunk = 4096);

  ApplicationInfo select();  // SELECT by AID with FCI; statusWord 6A82 if the card lacks it
  CardIdentity readIdentity();
  std::string readPan();
  std::string readExpiry();
  std::string readName();
  Bytes readCertificate();
  Bytes readPanSecret();        // needs a verified PIN
  unsigned pinTriesLeft();      // GET DATA 9F17
  // VERIFY; throws CardError{statusWord} with 63Cx (x tries left) or 6983 (blocked), and
  // CardError{resendRefused} if the card asks for it again (6Cxx): a PIN is sent once.
  void verifyPin(std::string_view pin);
  // PSO: COMPUTE DIGITAL SIGNATURE. body = DigestInfo (RSA) or the hash (ECDSA); returns the
  // PKCS#1 v1.5 signature or the DER ECDSA-Sig-Value. Needs a VERIFY just before. Never re-sent
  // (6Cxx → CardError{resendRefused}).
  Bytes computeDigitalSignature(ByteView body);
  // GENERATE AC (format 2 response). cdol1: the 29 bytes of emv::cdol1Length; requested:
  // app::cryptogramArqc etc. Throws statusWord 6A81 if the card holds no AC key.
  ApplicationCryptogram generateAc(std::uint8_t requested, ByteView cdol1);

  ApduTransport& connection() { return connection_; }

 private:
  Bytes getData(std::uint16_t tag, const char* what);
  ApduTransport& connection_;
  std::size_t certificateChunk_;
};

}  // namespace setpay::pcsc
