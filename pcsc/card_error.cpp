#include "pcsc/card_error.hpp"

#include <winscard.h>

#include <cstdio>

namespace setpay::pcsc {

std::string_view name(CardErrorKind kind) {
  switch (kind) {
    case CardErrorKind::noService: return "noService";
    case CardErrorKind::noReader: return "noReader";
    case CardErrorKind::readerUnavailable: return "readerUnavailable";
    case CardErrorKind::timeout: return "timeout";
    case CardErrorKind::cardRemoved: return "cardRemoved";
    case CardErrorKind::statusWord: return "statusWord";
    case CardErrorKind::protocol: return "protocol";
    case CardErrorKind::resendRefused: return "resendRefused";
    case CardErrorKind::pcsc: return "pcsc";
  }
  return "unknown";
}

namespace {
std::string message(CardErrorKind kind, const std::string& detail, std::uint16_t sw, long pcscCode) {
  std::string m = std::string(name(kind)) + ": " + detail;
  char buf[48];
  if (kind == CardErrorKind::statusWord || sw != 0) {
    std::snprintf(buf, sizeof buf, " (SW %04X)", sw);
    m += buf;
  }
  if (pcscCode != 0) {
    std::snprintf(buf, sizeof buf, " (PC/SC 0x%08lX)", static_cast<unsigned long>(pcscCode));
    m += buf;
  }
  return m;
}
}  // namespace

CardError::CardError(CardErrorKind kind, const std::string& detail, std::uint16_t sw, long pcscCode)
    : std::runtime_error(message(kind, detail, sw, pcscCode)), kind_(kind), sw_(sw), pcscCode_(pcscCode) {}

void failPcsc(long rv, const std::string& what) {
  CardErrorKind kind = CardErrorKind::pcsc;
  switch (rv) {
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
      kind = CardErrorKind::noService;
      break;
    case SCARD_E_NO_READERS_AVAILABLE:
    case SCARD_E_UNKNOWN_READER:
      kind = CardErrorKind::noReader;
      break;
    case SCARD_E_READER_UNAVAILABLE:
      kind = CardErrorKind::readerUnavailable;
      break;
    case SCARD_E_TIMEOUT:
      kind = CardErrorKind::timeout;
      break;
    case SCARD_W_REMOVED_CARD:
    case SCARD_E_NO_SMARTCARD:
      kind = CardErrorKind::cardRemoved;
      break;
    default:
      break;
  }
  throw CardError(kind, what + ": " + pcsc_stringify_error(static_cast<LONG>(rv)), 0, rv);
}

}  // namespace setpay::pcsc
