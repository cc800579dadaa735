#include "terminal/card_session.hpp"

#include <algorithm>

#include "pcsc/apdu.hpp"

namespace setpay::terminal {

namespace {
mobile::Refusal plain(mobile::RefusalReason reason, std::string detail) {
  return mobile::Refusal{reason, std::nullopt, std::nullopt, std::move(detail)};
}
}  // namespace

CardSession::CardSession(const pcsc::Context& ctx, const ReaderChoice& choice) {
  const std::vector<std::string> readers = ctx.readers();
  if (choice.name) {
    if (std::find(readers.begin(), readers.end(), *choice.name) == readers.end())
      throw Refused(plain(mobile::RefusalReason::noReader, "no such card reader"));
    if (choice.cardWait.count() > 0)
      ctx.waitForCard(*choice.name, choice.cardWait);  // timeout → noCard (refusalFor)
    else if (!ctx.cardPresent(*choice.name))
      throw Refused(plain(mobile::RefusalReason::noCard, "no card in the reader"));
    if (!tryReader(ctx, *choice.name))
      throw Refused(plain(mobile::RefusalReason::wrongCard, "the card does not hold the payment application"));
    return;
  }
  if (readers.empty()) throw Refused(plain(mobile::RefusalReason::noReader, "no card reader"));
  for (const auto& reader : readers)
    if (ctx.cardPresent(reader) && tryReader(ctx, reader)) return;
  throw Refused(plain(mobile::RefusalReason::noCard, "no payment card in any reader"));
}

bool CardSession::tryReader(const pcsc::Context& ctx, const std::string& reader) {
  auto connection = std::make_unique<pcsc::CardConnection>(ctx, reader);
  auto card = std::make_unique<pcsc::PaymentCard>(*connection);
  try {
    info_ = card->select();
  } catch (const pcsc::CardError& e) {
    if (e.kind() == pcsc::CardErrorKind::statusWord && e.sw() == pcsc::sw::fileNotFound) return false;
    throw;
  }
  connection_ = std::move(connection);
  card_ = std::move(card);
  return true;
}

mobile::Refusal refusalFor(const pcsc::CardError& e) {
  using K = pcsc::CardErrorKind;
  const std::string detail = e.what();  // CardError text: operation, SW, PC/SC code; no card data
  switch (e.kind()) {
    case K::noService:
    case K::noReader:
    case K::readerUnavailable:
      return plain(mobile::RefusalReason::noReader, detail);
    case K::timeout:
      return plain(mobile::RefusalReason::noCard, detail);
    case K::cardRemoved:
      return plain(mobile::RefusalReason::cardRemoved, detail);
    case K::statusWord:
      if (e.sw() == pcsc::sw::authenticationBlocked) return plain(mobile::RefusalReason::cardBlocked, detail);
      break;
    case K::protocol:
    case K::pcsc:
    case K::resendRefused:  // a card asking to re-send VERIFY or PSO: never done (pcsc/apdu_transport.hpp)
      break;
  }
  return plain(mobile::RefusalReason::cardFailure, detail);
}

}  // namespace setpay::terminal
