#include "pcsc/apdu.hpp"

#include "pcsc/card_error.hpp"
#include "protocol/bytes_reader.hpp"

namespace setpay::pcsc {

using protocol::BytesReader;

Bytes Apdu::encode() const {
  if (data.size() > maxExtendedLc) throw CardError(CardErrorKind::protocol, "command data too long");
  if (le && (*le == 0 || *le > maxExtendedLe)) throw CardError(CardErrorKind::protocol, "Le out of range");
  Bytes out{cla, ins, p1, p2};
  const bool ext = extended();
  if (!data.empty()) {
    if (ext) {
      out.push_back(0x00);
      out.push_back(static_cast<std::uint8_t>(data.size() >> 8));
    }
    out.push_back(static_cast<std::uint8_t>(data.size() & 0xFF));
    out.insert(out.end(), data.begin(), data.end());
  }
  if (le) {
    const std::size_t v = *le == (ext ? maxExtendedLe : maxShortLe) ? 0 : *le;
    if (ext) {
      if (data.empty()) out.push_back(0x00);  // case 2E: 00 Le1 Le2
      out.push_back(static_cast<std::uint8_t>(v >> 8));
    }
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
  }
  return out;
}

std::optional<Apdu> Apdu::parse(ByteView raw) {
  BytesReader r(raw);
  Apdu a;
  if (!r.u8(a.cla) || !r.u8(a.ins) || !r.u8(a.p1) || !r.u8(a.p2)) return std::nullopt;
  if (r.empty()) return a;                                // case 1
  const bool single = r.remaining() == 1;
  std::uint8_t first = 0;
  if (!r.u8(first)) return std::nullopt;
  if (single) {                                           // case 2S
    a.le = first == 0 ? maxShortLe : first;
    return a;
  }
  ByteView data;
  if (first != 0) {                                       // short Lc
    if (!r.bytes(first, data)) return std::nullopt;
    a.data.assign(data.begin(), data.end());
    if (r.empty()) return a;                              // case 3S
    std::uint8_t le = 0;
    if (!r.u8(le) || !r.empty()) return std::nullopt;     // case 4S: exactly one Le byte
    a.le = le == 0 ? maxShortLe : le;
    return a;
  }
  std::uint16_t lcOrLe = 0;                               // 00 marks an extended field: 2 more bytes
  if (!r.u16be(lcOrLe)) return std::nullopt;
  if (r.empty()) {                                        // case 2E
    a.le = lcOrLe == 0 ? maxExtendedLe : lcOrLe;
    return a;
  }
  if (lcOrLe == 0 || !r.bytes(lcOrLe, data)) return std::nullopt;
  a.data.assign(data.begin(), data.end());
  if (r.empty()) return a;                                // case 3E
  std::uint16_t le = 0;
  if (!r.u16be(le) || !r.empty()) return std::nullopt;    // case 4E: exactly two Le bytes
  a.le = le == 0 ? maxExtendedLe : le;
  return a;
}

Bytes ResponseApdu::encode() const {
  Bytes out = data;
  out.push_back(sw1());
  out.push_back(sw2());
  return out;
}

ResponseApdu ResponseApdu::parse(ByteView raw) {
  BytesReader r(raw);
  ByteView data;
  ResponseApdu out;
  if (raw.size() < 2 || !r.bytes(raw.size() - 2, data) || !r.u16be(out.sw))
    throw CardError(CardErrorKind::protocol, "response shorter than a status word");
  out.data.assign(data.begin(), data.end());
  return out;
}

bool mustNotResend(const Apdu& command) {
  switch (command.ins) {
    case 0x20:  // VERIFY
    case 0x21:  // VERIFY (odd INS)
    case 0x24:  // CHANGE REFERENCE DATA
    case 0x2C:  // RESET RETRY COUNTER
    case 0x2A:  // PERFORM SECURITY OPERATION
    case 0x88:  // INTERNAL AUTHENTICATE
    case 0xAE:  // GENERATE AC (EMV): counts and MACs
      return true;
    default:
      return false;
  }
}

}  // namespace setpay::pcsc
