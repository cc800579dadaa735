#include "protocol/mobile/field_readers.hpp"

#include "protocol/asn1/fields.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol::mobile::fields {

namespace {
[[noreturn]] void bad(const std::string& why) { throw ProtocolError(ErrorCode::decodingFailure, why); }
}  // namespace

Bytes octets(const ASN1_OCTET_STRING* s, std::size_t lo, std::size_t hi, const char* what) {
  if (!s) bad(std::string(what) + ": missing");
  Bytes b = protocol::asn1::octets(s);
  if (b.size() < lo || b.size() > hi) bad(std::string(what) + ": " + std::to_string(b.size()) + " octets, outside limits");
  return b;
}

std::string visible(const ASN1_STRING* s, std::size_t hi, const char* what) {
  if (!s) bad(std::string(what) + ": missing");
  std::string t = protocol::asn1::text(s);
  if (t.empty() || t.size() > hi) bad(std::string(what) + ": length outside limits");
  for (const char ch : t)
    if (ch < 0x20 || ch > 0x7e) bad(std::string(what) + ": not printable ASCII");
  return t;
}

std::string digits(const ASN1_STRING* s, std::size_t n, const char* what) {
  if (!s) bad(std::string(what) + ": missing");
  std::string t = protocol::asn1::text(s);
  if (t.size() != n) bad(std::string(what) + ": wrong number of digits");
  for (const char ch : t)
    if (ch < '0' || ch > '9') bad(std::string(what) + ": digits only");
  return t;
}

std::string displayText(const ASN1_STRING* s, std::size_t hi, const char* what) {
  if (!s) bad(std::string(what) + ": missing");
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, s);
  if (n < 0) ossl::fail(ErrorCode::decodingFailure, std::string(what) + ": not UTF-8");
  std::string t(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(n));
  OPENSSL_free(utf8);
  if (t.empty() || t.size() > hi) bad(std::string(what) + ": length outside limits");
  for (std::size_t k = 0; k < t.size(); ++k) {
    const auto c = static_cast<unsigned char>(t[k]);
    const bool c1 = c == 0xC2 && k + 1 < t.size() && static_cast<unsigned char>(t[k + 1]) < 0xA0;
    if (c < 0x20 || c == 0x7f || c1) bad(std::string(what) + ": control character");
  }
  return t;
}

std::int64_t ranged(const ASN1_INTEGER* i, std::int64_t lo, std::int64_t hi, const char* what) {
  if (!i) bad(std::string(what) + ": missing");
  const std::int64_t v = protocol::asn1::integer(i, what);
  if (v < lo || v > hi) bad(std::string(what) + ": value out of range");
  return v;
}
std::int64_t enumerated(const ASN1_ENUMERATED* e, std::int64_t hi, const char* what) {
  if (!e) bad(std::string(what) + ": missing");
  const std::int64_t v = protocol::asn1::enumerated(e, what);
  if (v < 0 || v > hi) bad(std::string(what) + ": unknown value");
  return v;
}

Bytes setValue(const ASN1_TYPE* t, const char* what) {
  if (!t || ASN1_TYPE_get(t) != V_ASN1_SEQUENCE) bad(std::string(what) + ": must be a SEQUENCE");
  Bytes der = protocol::asn1::anyDer(t);
  if (der.size() > limits::setValue) throw ProtocolError(ErrorCode::messageTooBig, std::string(what) + ": too big");
  return der;
}

ErrorCode errorCode(const ASN1_INTEGER* i, const char* what) {
  return static_cast<ErrorCode>(ranged(i, 1, static_cast<int>(ErrorCode::challengeMismatch), what));
}

std::optional<std::string> optVisible(const ASN1_STRING* s, std::size_t hi, const char* what) {
  if (!s) return std::nullopt;
  return visible(s, hi, what);
}

}  // namespace setpay::protocol::mobile::fields
