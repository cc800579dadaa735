// ISO/IEC 7816-4 command and response APDUs, short and extended length (cases 1–4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "protocol/bytes.hpp"

namespace setpay::pcsc {

using protocol::ByteView;
using protocol::Bytes;

inline constexpr std::size_t maxShortLe = 256;
inline constexpr std::size_t maxExtendedLe = 65536;
inline constexpr std::size_t maxExtendedLc = 65535;

struct Apdu {
  std::uint8_t cla = 0x00;
  std::uint8_t ins = 0x00;
  std::uint8_t p1 = 0x00;
  std::uint8_t p2 = 0x00;
  Bytes data;                    // Lc = data.size(); empty means no Lc field
  std::optional<std::size_t> le; // 1..65536 expected bytes (256 / 65536 encode as 00 / 0000)

  // Extended form when Lc > 255 or Le > 256; throws CardError{protocol} if out of range.
  Bytes encode() const;
  bool extended() const { return data.size() > 255 || (le && *le > maxShortLe); }

  // Strict parse of a received command (card side); nullopt on malformed length fields.
  static std::optional<Apdu> parse(ByteView raw);
};

struct ResponseApdu {
  Bytes data;
  std::uint16_t sw = 0;

  std::uint8_t sw1() const { return static_cast<std::uint8_t>(sw >> 8); }
  std::uint8_t sw2() const { return static_cast<std::uint8_t>(sw & 0xFF); }
  bool ok() const { return sw == 0x9000; }

  Bytes encode() const;  // data ‖ SW1 SW2
  // Throws CardError{protocol} if shorter than two bytes.
  static ResponseApdu parse(ByteView raw);
};

// Commands that carry a PIN or make the card sign or count (VERIFY, CHANGE REFERENCE DATA, RESET RETRY
// COUNTER, PSO, INTERNAL AUTHENTICATE, GENERATE AC): never sent twice by the client, whatever the card
// answers (a 6Cxx "re-send with Le = xx" gets CardError{resendRefused}; CARD-APPLICATION.md §7).
bool mustNotResend(const Apdu& command);

// Status words used by the card application (ISO/IEC 7816-4 §5.1.3).
namespace sw {
inline constexpr std::uint16_t ok = 0x9000;
inline constexpr std::uint16_t endOfFileReached = 0x6282;
inline constexpr std::uint16_t wrongLength = 0x6700;
inline constexpr std::uint16_t securityStatusNotSatisfied = 0x6982;
inline constexpr std::uint16_t authenticationBlocked = 0x6983;
inline constexpr std::uint16_t conditionsNotSatisfied = 0x6985;
inline constexpr std::uint16_t wrongData = 0x6A80;
inline constexpr std::uint16_t fileNotFound = 0x6A82;
inline constexpr std::uint16_t wrongP1P2 = 0x6A86;
inline constexpr std::uint16_t referencedDataNotFound = 0x6A88;
inline constexpr std::uint16_t wrongOffset = 0x6B00;
inline constexpr std::uint16_t insNotSupported = 0x6D00;
inline constexpr std::uint16_t claNotSupported = 0x6E00;
inline constexpr std::uint16_t unknown = 0x6F00;
constexpr std::uint16_t verifyFailed(unsigned triesLeft) {
  return static_cast<std::uint16_t>(0x63C0 | (triesLeft & 0x0F));
}
}  // namespace sw

}  // namespace setpay::pcsc
