// Base64 (RFC 4648 §4, padded) through OpenSSL's EVP encoder: the wake-up bytes, nonce and signature
// of message c, and the wallet-password hash record. Decoding is strict (see base64Decode).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/bytes.hpp"

namespace setpay::protocol {

// One line, no line breaks.
std::string base64Encode(ByteView data);

// XML whitespace (space, tab, CR, LF) between characters is ignored (senders line-wrap); then the text
// must be exactly what base64Encode gives for the decoded bytes (canonical padding, no stray
// characters, no early '=' or '-'). nullopt when it is not, or when it decodes to more than maxBytes.
std::optional<Bytes> base64Decode(std::string_view text, std::size_t maxBytes);

}  // namespace setpay::protocol
