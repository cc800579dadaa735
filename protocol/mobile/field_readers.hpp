// Internal to protocol/mobile's codec: readers for the fields of the mobile templates. Each checks
// presence, size and character set and throws ProtocolError(decodingFailure), or messageTooBig for an
// embedded SET value over limits::setValue.
#pragma once

#include <openssl/asn1.h>

#include <optional>
#include <string>

#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/mobile/messages.hpp"

namespace setpay::protocol::mobile::fields {

Bytes octets(const ASN1_OCTET_STRING* s, std::size_t lo, std::size_t hi, const char* what);
std::string visible(const ASN1_STRING* s, std::size_t hi, const char* what);  // printable ASCII, 1..hi
std::optional<std::string> optVisible(const ASN1_STRING* s, std::size_t hi, const char* what);
std::string digits(const ASN1_STRING* s, std::size_t n, const char* what);
// UTF-8 a terminal can show: well formed (OpenSSL's own check), no C0/C1 control characters, 1..hi bytes.
std::string displayText(const ASN1_STRING* s, std::size_t hi, const char* what);
std::int64_t ranged(const ASN1_INTEGER* i, std::int64_t lo, std::int64_t hi, const char* what);
std::int64_t enumerated(const ASN1_ENUMERATED* e, std::int64_t hi, const char* what);  // 0..hi
ErrorCode errorCode(const ASN1_INTEGER* i, const char* what);  // a SET ErrorCode we know

// An embedded SET value: one DER SEQUENCE within limits::setValue.
Bytes setValue(const ASN1_TYPE* t, const char* what);
template <class T>
T setValueOf(const ASN1_TYPE* t, const char* what) {
  return protocol::decode<T>(setValue(t, what), limits::setValue);
}

}  // namespace setpay::protocol::mobile::fields
