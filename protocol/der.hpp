// DER elements read and written directly, for structures handled in one pass instead of OpenSSL's
// template trees (issue 13; SignedData in crypto/signed_data.cpp, SPEC-CHOICES "Strictness on
// openS/verifySO"). Only one-octet tags (every tag PKCS#7 and CMS use is below 31) and definite, minimal
// lengths; like BytesReader, a failed read returns false and consumes nothing.
#pragma once

#include <openssl/objects.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "protocol/bytes.hpp"
#include "protocol/bytes_reader.hpp"

namespace setpay::protocol {

class DerReader {
 public:
  explicit DerReader(ByteView in) noexcept : in_(in) {}

  bool empty() const noexcept { return in_.empty(); }
  // The next element's tag octet, unread.
  [[nodiscard]] bool peekTag(std::uint8_t& tag) const noexcept { return in_.peek(tag); }

  // The next element if its tag octet is `tag`: its contents, and in `whole` its whole encoding.
  [[nodiscard]] bool element(std::uint8_t tag, ByteView& contents) noexcept {
    ByteView whole;
    return element(tag, contents, whole);
  }
  [[nodiscard]] bool element(std::uint8_t tag, ByteView& contents, ByteView& whole) noexcept {
    BytesReader r = in_;
    const std::size_t start = r.offset();
    std::uint8_t t = 0;
    std::uint8_t first = 0;
    if (!r.u8(t) || t != tag || (t & 0x1f) == 0x1f || !r.u8(first)) return false;
    std::size_t length = first;
    if (first & 0x80) {
      const std::size_t octets = first & 0x7fu;
      // 0x80 is BER's indefinite length; more than three octets is over any limit we take.
      if (octets == 0 || octets > 3) return false;
      length = 0;
      for (std::size_t i = 0; i < octets; ++i) {
        std::uint8_t b = 0;
        if (!r.u8(b) || (i == 0 && b == 0)) return false;  // a leading zero octet is not minimal
        length = length << 8 | b;
      }
      if (length < 0x80) return false;  // fits the short form
    }
    if (!r.bytes(length, contents)) return false;
    whole = in_.rest().first(r.offset() - start);
    in_ = r;
    return true;
  }

 private:
  BytesReader in_;
};

inline bool sameBytes(ByteView a, ByteView b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }
// DER's order for the elements of a SET OF: their encodings compared as octet strings.
inline bool derLess(ByteView a, ByteView b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

// An OBJECT IDENTIFIER's contents octets (OpenSSL's table); empty for an unknown NID.
inline ByteView oidOf(int nid) {
  const ASN1_OBJECT* o = OBJ_nid2obj(nid);
  return o ? ByteView(OBJ_get0_data(o), OBJ_length(o)) : ByteView{};
}
// Contents octets as DER has them: an OID's subidentifiers in minimal base 128; an INTEGER in the fewest
// octets.
inline bool isDerOid(ByteView c) {
  if (c.empty() || (c.back() & 0x80) != 0) return false;
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c[i] == 0x80 && (i == 0 || (c[i - 1] & 0x80) == 0)) return false;
  return true;
}
inline bool isDerInteger(ByteView c) {
  if (c.empty()) return false;
  return c.size() == 1 || !((c[0] == 0x00 && c[1] < 0x80) || (c[0] == 0xff && c[1] >= 0x80));
}

// One DER element: `tag`, the minimal definite length, then the parts' octets in order.
inline Bytes derElement(std::uint8_t tag, std::initializer_list<ByteView> parts) {
  std::size_t length = 0;
  for (const ByteView p : parts) length += p.size();
  Bytes out;
  out.reserve(length + 6);
  out.push_back(tag);
  if (length < 0x80) {
    out.push_back(static_cast<std::uint8_t>(length));
  } else {
    int octets = 0;
    for (std::size_t n = length; n != 0; n >>= 8) ++octets;
    out.push_back(static_cast<std::uint8_t>(0x80 | octets));
    for (int i = octets - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(length >> (8 * i)));
  }
  for (const ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace setpay::protocol
