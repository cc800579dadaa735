#include "pcsc/apdu.hpp"

#include "pcsc/card_error.hpp"

namespace setpay::pcsc {

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
  if (raw.size() < 4) return std::nullopt;
  Apdu a;
  a.cla = raw[0];
  a.ins = raw[1];
  a.p1 = raw[2];
  a.p2 = raw[3];
  const ByteView body = raw.subspan(4);
  const std::size_t n = body.size();
  if (n == 0) return a;                                   // case 1
  if (n == 1) {                                           // case 2S
    a.le = body[0] == 0 ? maxShortLe : body[0];
    return a;
  }
  if (body[0] != 0) {                                     // short Lc
    const std::size_t lc = body[0];
    if (n == 1 + lc) {                                    // case 3S
      a.data.assign(body.begin() + 1, body.end());
      return a;
    }
    if (n == 2 + lc) {                                    // case 4S
      a.data.assign(body.begin() + 1, body.begin() + 1 + static_cast<std::ptrdiff_t>(lc));
      a.le = body[n - 1] == 0 ? maxShortLe : body[n - 1];
      return a;
    }
    return std::nullopt;
  }
  if (n < 3) return std::nullopt;                         // 00 marks an extended field: 2 more bytes
  if (n == 3) {                                           // case 2E
    const std::size_t le = static_cast<std::size_t>(body[1]) << 8 | body[2];
    a.le = le == 0 ? maxExtendedLe : le;
    return a;
  }
  const std::size_t lc = static_cast<std::size_t>(body[1]) << 8 | body[2];
  if (lc == 0) return std::nullopt;
  if (n == 3 + lc) {                                      // case 3E
    a.data.assign(body.begin() + 3, body.end());
    return a;
  }
  if (n == 5 + lc) {                                      // case 4E
    a.data.assign(body.begin() + 3, body.begin() + 3 + static_cast<std::ptrdiff_t>(lc));
    const std::size_t le = static_cast<std::size_t>(body[n - 2]) << 8 | body[n - 1];
    a.le = le == 0 ? maxExtendedLe : le;
    return a;
  }
  return std::nullopt;
}

Bytes ResponseApdu::encode() const {
  Bytes out = data;
  out.push_back(sw1());
  out.push_back(sw2());
  return out;
}

ResponseApdu ResponseApdu::parse(ByteView raw) {
  if (raw.size() < 2) throw CardError(CardErrorKind::protocol, "response shorter than a status word");
  ResponseApdu r;
  r.data.assign(raw.begin(), raw.end() - 2);
  r.sw = static_cast<std::uint16_t>(raw[raw.size() - 2] << 8 | raw[raw.size() - 1]);
  return r;
}

}  // namespace setpay::pcsc
