// The setpay payment card application as a state machine: raw command APDU in, response APDU out.
// Transport-free, so the same class runs behind vpcd (VpcdCard, `setpay card`) and can be driven
// directly. Not thread-safe: one transport owns it.
#pragma once

#include <optional>
#include <string>

#include "pcsc/apdu.hpp"
#include "pcsc/card_personalisation.hpp"

namespace setpay::pcsc {

struct VirtualCardOptions {
  bool chainResponses = false;  // answer every response with data as 61xx + GET RESPONSE (T=0 style)
  bool strictLe = false;        // GET DATA / READ BINARY with a short Le ≠ length → 6Cxx
  // A faulty or hostile card: answer VERIFY and PSO with 6Cxx ("send it again with Le = xx") without
  // acting on them, so tests can show the client never sends a PIN or a signature request twice.
  bool askToResendPinAndSignature = false;
};

class VirtualCard {
 public:
  explicit VirtualCard(CardPersonalisation personalisation, VirtualCardOptions options = {});

  ResponseApdu process(ByteView command);
  // Power off / on / reset: clears the selected application, PIN state and pending responses.
  // The PIN try counter is non-volatile and survives.
  void powerEvent();
  ByteView atr() const;

  unsigned pinTriesLeft() const { return pinTries_; }
  std::uint16_t atc() const { return atc_; }
  // One trace line for a command/response pair with PIN, PAN and PAN secret masked.
  std::string describe(ByteView command, const ResponseApdu& response) const;

 private:
  ResponseApdu dispatch(const Apdu& c);
  ResponseApdu select(const Apdu& c);
  ResponseApdu getData(const Apdu& c);
  ResponseApdu readBinary(const Apdu& c);
  ResponseApdu verify(const Apdu& c);
  ResponseApdu sign(const Apdu& c);
  ResponseApdu getResponse(const Apdu& c);
  ResponseApdu generateAc(const Apdu& c);
  ResponseApdu withLe(const Apdu& c, ResponseApdu r) const;
  ResponseApdu chain(ResponseApdu r);

  CardPersonalisation p_;
  VirtualCardOptions options_;
  Bytes certificateDer_;
  unsigned pinTries_;
  std::uint16_t atc_ = 0;  // non-volatile, like the PIN counter
  // volatile state
  bool selected_ = false;
  bool certificateSelected_ = false;
  bool pinVerified_ = false;
  std::optional<ResponseApdu> pending_;  // rest of a chained response
};

}  // namespace setpay::pcsc
