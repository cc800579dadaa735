// Byte strings as they travel in SET messages, and the few operations every layer needs on them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace setpay::protocol {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView view(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline Bytes toBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string toString(ByteView b) { return std::string(b.begin(), b.end()); }

// Lower-case hex, and its inverse (throws ProtocolError{decodingFailure} on bad input).
std::string hex(ByteView b);
Bytes unhex(std::string_view s);

// Constant-time equality for secrets, MACs, digests: timing depends only on the lengths.
bool constantTimeEqual(ByteView a, ByteView b);

// Concatenation helper for building OAEP blocks and the like.
Bytes concat(std::initializer_list<ByteView> parts);

// Wipes a secret buffer (keys, OAEP blocks, PAN secrets) on every exit path of the scope that holds it.
class Cleansed {
 public:
  explicit Cleansed(Bytes& b) : b_(b) {}
  ~Cleansed();
  Cleansed(const Cleansed&) = delete;
  Cleansed& operator=(const Cleansed&) = delete;

 private:
  Bytes& b_;
};

// Mask a PAN for logs and errors: all but the last four digits replaced by '*'.
std::string maskPan(std::string_view pan);

}  // namespace setpay::protocol
