// The pcsc layer's one typed error: what went wrong talking to a card, plus the status word when the
// card itself refused (kind statusWord) and the PC/SC return code when pcsc-lite failed.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace setpay::pcsc {

enum class CardErrorKind {
  noService,          // pcscd not running / stopped
  noReader,           // no reader, or the named reader does not exist
  readerUnavailable,  // the reader went away during use
  timeout,            // no card within the deadline
  cardRemoved,        // the card left the reader during a session
  statusWord,         // the card answered with a status word other than the expected one
  protocol,           // malformed or oversized response, bad chaining, bad personalisation data
  resendRefused,      // the card asked (6Cxx) to have a PIN or signature command sent again: never done
  pcsc,               // any other pcsc-lite failure (see pcscCode())
};

std::string_view name(CardErrorKind kind);

class CardError : public std::runtime_error {
 public:
  CardError(CardErrorKind kind, const std::string& detail, std::uint16_t sw = 0, long pcscCode = 0);

  CardErrorKind kind() const noexcept { return kind_; }
  std::uint16_t sw() const noexcept { return sw_; }  // the card's status word (statusWord, resendRefused)
  long pcscCode() const noexcept { return pcscCode_; }

 private:
  CardErrorKind kind_;
  std::uint16_t sw_;
  long pcscCode_;
};

// Maps a pcsc-lite return code (not SCARD_S_SUCCESS) to a CardError and throws it.
[[noreturn]] void failPcsc(long rv, const std::string& what);

}  // namespace setpay::pcsc
