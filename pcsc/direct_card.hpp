// A VirtualCard driven in-process: each APDU is encoded, handed to VirtualCard::process and the response
// parsed back, exactly the bytes that would cross pcscd, but with no reader. Lets the card client
// (PaymentCard, CardSigner, ApduTransport's status-word rules) run against the card application in unit
// tests and tools; the pcscd path is VpcdCard + CardConnection.
#pragma once

#include <cstddef>
#include <ostream>

#include "pcsc/apdu_transport.hpp"
#include "pcsc/virtual_card.hpp"

namespace setpay::pcsc {

class DirectCard final : public ApduTransport {
 public:
  // `trace`: one VirtualCard::describe line pair per exchange (PIN, PAN and PAN secret masked).
  explicit DirectCard(VirtualCard& card, std::ostream* trace = nullptr) : card_(card), trace_(trace) {}

  ResponseApdu transmitRaw(const Apdu& command) override;
  std::size_t commandsServed() const { return served_; }

 private:
  VirtualCard& card_;
  std::ostream* trace_;
  std::size_t served_ = 0;
};

}  // namespace setpay::pcsc
