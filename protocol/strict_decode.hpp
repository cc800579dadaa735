// One strict decode for every OpenSSL d2i/i2d pair: DER only, the whole input consumed, the re-encoding
// giving the input back byte for byte (used by crypto/'s templates and by ParsedCertificates).
#pragma once

#include <string>

#include "protocol/bytes.hpp"
#include "protocol/error.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol::ossl {

// Throws ProtocolError(decodingFailure, what) when `der` is not exactly one DER T.
template <class T, auto D2i, auto I2d, auto Free>
Owned<T, Free> strictDecode(ByteView der, const char* what) {
  const unsigned char* p = der.data();
  Owned<T, Free> obj(D2i(nullptr, &p, static_cast<long>(der.size())));
  if (!obj) fail(ErrorCode::decodingFailure, std::string(what) + " does not decode");
  if (p != der.data() + der.size())
    throw ProtocolError(ErrorCode::decodingFailure, std::string(what) + ": trailing bytes");
  unsigned char* out = nullptr;
  const int len = I2d(obj.get(), &out);
  const bool same = len > 0 && static_cast<std::size_t>(len) == der.size() &&
                    constantTimeEqual(ByteView(out, static_cast<std::size_t>(len)), der);
  OPENSSL_free(out);
  if (!same) throw ProtocolError(ErrorCode::decodingFailure, std::string(what) + " is not DER");
  return obj;
}

}  // namespace setpay::protocol::ossl
