#include "pcsc/tlv.hpp"

#include "protocol/bytes_reader.hpp"

namespace setpay::pcsc {

Bytes tlv(std::uint16_t tag, ByteView value) {
  Bytes out;
  if (tag > 0xFF) out.push_back(static_cast<std::uint8_t>(tag >> 8));
  out.push_back(static_cast<std::uint8_t>(tag & 0xFF));
  const std::size_t n = value.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n <= 0xFF) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(n));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n & 0xFF));
  }
  out.insert(out.end(), value.begin(), value.end());
  return out;
}

std::optional<TlvElement> parseTlv(ByteView in) {
  protocol::BytesReader r(in);
  std::uint8_t first = 0;
  if (!r.u8(first)) return std::nullopt;
  std::uint16_t tag = first;
  if ((first & 0x1F) == 0x1F) {  // two-byte tag; a third tag byte (b8 set) is not ours
    std::uint8_t second = 0;
    if (!r.u8(second) || (second & 0x80)) return std::nullopt;
    tag = static_cast<std::uint16_t>(first << 8 | second);
  }
  std::uint8_t lengthByte = 0;
  if (!r.u8(lengthByte)) return std::nullopt;
  std::size_t length = lengthByte;
  if (lengthByte == 0x81) {
    std::uint8_t n = 0;
    if (!r.u8(n)) return std::nullopt;
    length = n;
  } else if (lengthByte == 0x82) {
    std::uint16_t n = 0;
    if (!r.u16be(n)) return std::nullopt;
    length = n;
  } else if (lengthByte > 0x7F) {
    return std::nullopt;
  }
  ByteView value;
  if (!r.bytes(length, value)) return std::nullopt;
  return TlvElement{tag, value, r.rest()};
}

std::optional<Bytes> tlvValue(ByteView in, std::uint16_t tag) {
  const auto e = parseTlv(in);
  if (!e || e->tag != tag || !e->rest.empty()) return std::nullopt;
  return Bytes(e->value.begin(), e->value.end());
}

}  // namespace setpay::pcsc
