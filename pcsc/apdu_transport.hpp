// What the card client needs from a card: one raw APDU exchange. `transmit` adds the ISO/IEC 7816-4
// status-word handling on top, the same whatever carries the APDUs — pcsc-lite (`CardConnection`) or a
// VirtualCard driven in-process (`DirectCard`): 61xx → GET RESPONSE until done (bounded); 6Cxx → the
// command once more with Le = xx, except a command that carries a PIN or asks for a signature
// (`mustNotResend`), which gets CardError{resendRefused} (CARD-APPLICATION.md §7).
#pragma once

#include "pcsc/apdu.hpp"

namespace setpay::pcsc {

class ApduTransport {
 public:
  virtual ~ApduTransport() = default;

  // One exchange, no status-word handling. Throws CardError.
  virtual ResponseApdu transmitRaw(const Apdu& command) = 0;
  // With 61xx / 6Cxx handled as above.
  ResponseApdu transmit(const Apdu& command);
  // transmit() and require 9000; CardError{statusWord, sw} otherwise.
  Bytes transmitOk(const Apdu& command, const char* what);

 protected:
  ApduTransport() = default;
  ApduTransport(const ApduTransport&) = default;
  ApduTransport& operator=(const ApduTransport&) = default;
};

}  // namespace setpay::pcsc
