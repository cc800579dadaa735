#include "protocol/asn1/fields.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>

#include <ctime>

#include "protocol/error.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol::asn1 {

namespace {
[[noreturn]] void bad(const std::string& why) { throw ProtocolError(ErrorCode::decodingFailure, why); }
std::string asText(ByteView b) { return std::string(b.begin(), b.end()); }
}  // namespace

Bytes octets(const ASN1_OCTET_STRING* s) {
  if (!s) return {};
  const unsigned char* d = ASN1_STRING_get0_data(s);
  return Bytes(d, d + ASN1_STRING_length(s));
}

void setOctets(ASN1_OCTET_STRING*& field, ByteView value) {
  if (!field) field = ASN1_OCTET_STRING_new();
  if (!field || !ASN1_OCTET_STRING_set(field, value.data(), static_cast<int>(value.size())))
    ossl::fail(ErrorCode::unspecifiedFailure, "ASN1_OCTET_STRING_set");
}

std::string text(const ASN1_STRING* s) {
  if (!s) return {};
  const unsigned char* d = ASN1_STRING_get0_data(s);
  return asText(ByteView(d, static_cast<std::size_t>(ASN1_STRING_length(s))));
}

void setText(ASN1_STRING*& field, int type, std::string_view value) {
  if (!field) field = ASN1_STRING_type_new(type);
  if (!field || !ASN1_STRING_set(field, value.data(), static_cast<int>(value.size())))
    ossl::fail(ErrorCode::unspecifiedFailure, "ASN1_STRING_set");
}

std::int64_t integer(const ASN1_INTEGER* i, const char* what) {
  std::int64_t v = 0;
  if (!i || !ASN1_INTEGER_get_int64(&v, i)) {
    ERR_clear_error();
    bad(std::string(what) + ": INTEGER out of range");
  }
  return v;
}

void setInteger(ASN1_INTEGER*& field, std::int64_t value) {
  if (!field) field = ASN1_INTEGER_new();
  if (!field || !ASN1_INTEGER_set_int64(field, value)) ossl::fail(ErrorCode::unspecifiedFailure, "ASN1_INTEGER_set");
}

std::int64_t enumerated(const ASN1_ENUMERATED* e, const char* what) {
  std::int64_t v = 0;
  if (!e || !ASN1_ENUMERATED_get_int64(&v, e)) {
    ERR_clear_error();
    bad(std::string(what) + ": ENUMERATED out of range");
  }
  return v;
}

void setEnumerated(ASN1_ENUMERATED*& field, std::int64_t value) {
  if (!field) field = ASN1_ENUMERATED_new();
  if (!field || !ASN1_ENUMERATED_set_int64(field, value))
    ossl::fail(ErrorCode::unspecifiedFailure, "ASN1_ENUMERATED_set");
}

TimePoint date(const ASN1_GENERALIZEDTIME* t, const char* what) {
  const std::string s = text(t);
  // DER GeneralizedTime: no fractions of a second here, always Z (X.690 §11.7).
  if (s.size() != 15 || s[14] != 'Z') bad(std::string(what) + ": Date must be YYYYMMDDHHMMSSZ");
  for (std::size_t k = 0; k < 14; ++k)
    if (s[k] < '0' || s[k] > '9') bad(std::string(what) + ": Date has a non-digit");
  // TimePoint counts nanoseconds (±292 years around 1970): refuse dates it cannot hold.
  const int year = std::stoi(s.substr(0, 4));
  if (year < 1970 || year > 2199) bad(std::string(what) + ": Date outside 1970..2199");
  struct tm tmv {};
  if (!ASN1_GENERALIZEDTIME_check(t) || !ASN1_TIME_to_tm(t, &tmv)) {
    ERR_clear_error();
    bad(std::string(what) + ": invalid Date");
  }
  const time_t secs = timegm(&tmv);
  return TimePoint(std::chrono::seconds(secs));
}

void setDate(ASN1_GENERALIZEDTIME*& field, TimePoint value) {
  const time_t secs = static_cast<time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(value.time_since_epoch()).count());
  ASN1_GENERALIZEDTIME* t = ASN1_GENERALIZEDTIME_set(field, secs);
  if (!t) ossl::fail(ErrorCode::unspecifiedFailure, "ASN1_GENERALIZEDTIME_set");
  field = t;
}

Bytes anyDer(const ASN1_TYPE* t) {
  if (!t) return {};
  unsigned char* out = nullptr;
  const int len = i2d_ASN1_TYPE(t, &out);
  if (len <= 0 || !out) ossl::fail(ErrorCode::unspecifiedFailure, "i2d_ASN1_TYPE");
  Bytes der(out, out + len);
  OPENSSL_free(out);
  return der;
}

void setAny(ASN1_TYPE*& field, ByteView der, const char* what) {
  if (der.empty() || der[0] != 0x30) bad(std::string(what) + ": must be one DER SEQUENCE");
  const unsigned char* p = der.data();
  ASN1_TYPE* t = d2i_ASN1_TYPE(nullptr, &p, static_cast<long>(der.size()));
  if (!t) ossl::fail(ErrorCode::decodingFailure, std::string(what) + ": not DER");
  if (p != der.data() + der.size()) {
    ASN1_TYPE_free(t);
    bad(std::string(what) + ": trailing bytes");
  }
  ASN1_TYPE_free(field);
  field = t;
}

std::string oidText(const ASN1_OBJECT* o) {
  char buf[128];
  const int n = OBJ_obj2txt(buf, sizeof buf, o, 1);
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof buf) bad("object identifier too long");
  return std::string(buf, static_cast<std::size_t>(n));
}

ASN1_OBJECT* objectFromText(std::string_view dotted) {
  const std::string s(dotted);
  ASN1_OBJECT* o = OBJ_txt2obj(s.c_str(), 1);
  if (!o) ossl::fail(ErrorCode::decodingFailure, "malformed object identifier " + s);
  return o;
}

}  // namespace setpay::protocol::asn1
