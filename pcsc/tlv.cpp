#include "pcsc/tlv.hpp"

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
  std::size_t i = 0;
  if (in.empty()) return std::nullopt;
  std::uint16_t tag = in[i++];
  if ((tag & 0x1F) == 0x1F) {  // two-byte tag
    if (i >= in.size() || (in[i] & 0x80)) return std::nullopt;
    tag = static_cast<std::uint16_t>(tag << 8 | in[i++]);
  }
  if (i >= in.size()) return std::nullopt;
  std::size_t len = in[i++];
  if (len == 0x81 || len == 0x82) {
    const std::size_t bytes = len & 0x7F;
    if (in.size() - i < bytes) return std::nullopt;
    len = 0;
    for (std::size_t k = 0; k < bytes; ++k) len = len << 8 | in[i++];
  } else if (len > 0x7F) {
    return std::nullopt;
  }
  if (in.size() - i < len) return std::nullopt;
  return TlvElement{tag, in.subspan(i, len), in.subspan(i + len)};
}

std::optional<Bytes> tlvValue(ByteView in, std::uint16_t tag) {
  const auto e = parseTlv(in);
  if (!e || e->tag != tag || !e->rest.empty()) return std::nullopt;
  return Bytes(e->value.begin(), e->value.end());
}

}  // namespace setpay::pcsc
