#include "protocol/bytes.hpp"

#include <openssl/crypto.h>

#include "protocol/error.hpp"

namespace setpay::protocol {

std::string hex(ByteView b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(b.size() * 2);
  for (auto v : b) {
    out.push_back(digits[v >> 4]);
    out.push_back(digits[v & 0x0f]);
  }
  return out;
}

Bytes unhex(std::string_view s) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes out;
  out.reserve(s.size() / 2);
  int high = -1;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ':') continue;
    const int n = nibble(c);
    if (n < 0) throw ProtocolError(ErrorCode::decodingFailure, "hex: bad character");
    if (high < 0) {
      high = n;
    } else {
      out.push_back(static_cast<std::uint8_t>((high << 4) | n));
      high = -1;
    }
  }
  if (high >= 0) throw ProtocolError(ErrorCode::decodingFailure, "hex: odd number of digits");
  return out;
}

bool constantTimeEqual(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Cleansed::~Cleansed() { OPENSSL_cleanse(b_.data(), b_.size()); }

std::string maskPan(std::string_view pan) {
  std::string out(pan);
  const std::size_t keep = out.size() > 4 ? 4 : 0;
  for (std::size_t i = 0; i + keep < out.size(); ++i) out[i] = '*';
  return out;
}

}  // namespace setpay::protocol
