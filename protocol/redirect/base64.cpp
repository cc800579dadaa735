#include "protocol/redirect/base64.hpp"

#include <openssl/evp.h>

#include <limits>

#include "protocol/openssl.hpp"

namespace setpay::protocol {

namespace {
using EncodeCtx = ossl::Owned<EVP_ENCODE_CTX, EVP_ENCODE_CTX_free>;
}

std::string base64Encode(ByteView data) {
  if (data.size() > static_cast<std::size_t>(std::numeric_limits<int>::max() / 4 * 3 - 3))
    throw ProtocolError(ErrorCode::messageTooBig, "base64: input too large");
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(), static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<Bytes> base64Decode(std::string_view text, std::size_t maxBytes) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') clean.push_back(c);
  // Cheap bound before any work: 4 characters carry at most 3 bytes.
  if (clean.size() % 4 != 0 || clean.size() / 4 * 3 > maxBytes + 2) return std::nullopt;
  if (clean.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return std::nullopt;
  EncodeCtx ctx(EVP_ENCODE_CTX_new());
  if (!ctx) return std::nullopt;
  EVP_DecodeInit(ctx.get());
  Bytes out(clean.size() / 4 * 3 + 3);
  int n = 0;
  if (EVP_DecodeUpdate(ctx.get(), out.data(), &n, reinterpret_cast<const unsigned char*>(clean.data()),
                       static_cast<int>(clean.size())) < 0)
    return std::nullopt;
  int tail = 0;
  if (EVP_DecodeFinal(ctx.get(), out.data() + n, &tail) != 1) return std::nullopt;
  out.resize(static_cast<std::size_t>(n + tail));
  if (out.size() > maxBytes) return std::nullopt;
  // EVP's decoder tolerates a '-' end marker and non-zero padding bits; the round trip does not.
  if (base64Encode(out) != clean) return std::nullopt;
  return out;
}

}  // namespace setpay::protocol
