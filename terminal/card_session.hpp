// The terminal's hold on the payment card: the reader chosen by name or the first one whose card
// answers our AID, the connection and the card application client (pcsc/). Failures a shopper can
// act on become typed refusals (refusalFor), the rest cardFailure.
#pragma once

#include <memory>
#include <stdexcept>

#include "pcsc/card_error.hpp"
#include "pcsc/payment_card.hpp"
#include "terminal/terminal.hpp"

namespace setpay::terminal {

// Thrown inside the card steps when the answer is a refusal (caught by Terminal::answer).
class Refused : public std::runtime_error {
 public:
  explicit Refused(mobile::Refusal r) : std::runtime_error(std::string(mobile::name(r.reason))), refusal(std::move(r)) {}
  mobile::Refusal refusal;
};

class CardSession {
 public:
  // Throws Refused (noReader, noCard, wrongCard) or pcsc::CardError.
  CardSession(const pcsc::Context&, const ReaderChoice&);
  pcsc::PaymentCard& card() { return *card_; }
  const pcsc::ApplicationInfo& application() const { return info_; }

 private:
  bool tryReader(const pcsc::Context&, const std::string& reader);
  std::unique_ptr<pcsc::CardConnection> connection_;
  std::unique_ptr<pcsc::PaymentCard> card_;
  pcsc::ApplicationInfo info_;
};

// noService / noReader / readerUnavailable → noReader; timeout → noCard; cardRemoved → cardRemoved;
// SW 6983 → cardBlocked; anything else → cardFailure.
mobile::Refusal refusalFor(const pcsc::CardError&);

}  // namespace setpay::terminal
