// OpenSSL ASN.1 templates for SET's merchantData extension value (layout: merchant_data.hpp).
// The template macros expand to C casts, so they live here alone, inside a diagnostic push/pop.
#include <openssl/asn1.h>
#include <openssl/asn1t.h>
#include <openssl/err.h>

#include <cstdint>

#include "protocol/openssl.hpp"
#include "protocol/pki/merchant_data.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"

namespace setpay::protocol::pki {
namespace {

struct SET_MER_NAMES {
  ASN1_VISIBLESTRING* language;
  ASN1_UTF8STRING* name;
  ASN1_UTF8STRING* city;
  ASN1_UTF8STRING* stateProvince;
  ASN1_UTF8STRING* postalCode;
  ASN1_UTF8STRING* countryName;
};
DEFINE_STACK_OF(SET_MER_NAMES)

struct SET_MERCHANT_DATA {
  ASN1_VISIBLESTRING* merID;
  ASN1_STRING* merAcquirerBIN;  // NumericString
  STACK_OF(SET_MER_NAMES) * merNameSeq;
  ASN1_INTEGER* merCountry;
  ASN1_BOOLEAN merAuthFlag;
};

DECLARE_ASN1_ALLOC_FUNCTIONS(SET_MER_NAMES)
DECLARE_ASN1_FUNCTIONS(SET_MERCHANT_DATA)

ASN1_SEQUENCE(SET_MER_NAMES) = {
    ASN1_IMP_OPT(SET_MER_NAMES, language, ASN1_VISIBLESTRING, 0),
    ASN1_IMP(SET_MER_NAMES, name, ASN1_UTF8STRING, 1),
    ASN1_IMP(SET_MER_NAMES, city, ASN1_UTF8STRING, 2),
    ASN1_IMP_OPT(SET_MER_NAMES, stateProvince, ASN1_UTF8STRING, 3),
    ASN1_IMP_OPT(SET_MER_NAMES, postalCode, ASN1_UTF8STRING, 4),
    ASN1_IMP(SET_MER_NAMES, countryName, ASN1_UTF8STRING, 5),
} ASN1_SEQUENCE_END(SET_MER_NAMES)

ASN1_SEQUENCE(SET_MERCHANT_DATA) = {
    ASN1_SIMPLE(SET_MERCHANT_DATA, merID, ASN1_VISIBLESTRING),
    // OpenSSL has no NumericString item: an IA5String body under the universal NumericString tag.
    ASN1_EX_TYPE(ASN1_TFLG_IMPLICIT, V_ASN1_NUMERICSTRING, SET_MERCHANT_DATA, merAcquirerBIN,
                 ASN1_IA5STRING),
    ASN1_SEQUENCE_OF(SET_MERCHANT_DATA, merNameSeq, SET_MER_NAMES),
    ASN1_SIMPLE(SET_MERCHANT_DATA, merCountry, ASN1_INTEGER),
    ASN1_OPT(SET_MERCHANT_DATA, merAuthFlag, ASN1_TBOOLEAN),  // DEFAULT TRUE: omitted when TRUE
} ASN1_SEQUENCE_END(SET_MERCHANT_DATA)

IMPLEMENT_ASN1_ALLOC_FUNCTIONS(SET_MER_NAMES)
IMPLEMENT_ASN1_FUNCTIONS(SET_MERCHANT_DATA)

using MerNamesPtr = ossl::Owned<SET_MER_NAMES, SET_MER_NAMES_free>;
using MerchantDataPtr = ossl::Owned<SET_MERCHANT_DATA, SET_MERCHANT_DATA_free>;

constexpr std::size_t kMaxMerchantDataDer = 4096;
constexpr std::size_t kMaxMerNames = 32;
constexpr std::size_t kMaxMerID = 30;

[[noreturn]] void bad(const std::string& what) {
  throw ProtocolError(ErrorCode::decodingFailure, "merchantData: " + what);
}

void setString(ASN1_STRING*& field, int type, const std::string& value, const char* what) {
  if (!field) field = ASN1_STRING_type_new(type);
  ossl::check(field && ASN1_STRING_set(field, value.data(), static_cast<int>(value.size())) == 1,
              ErrorCode::unspecifiedFailure, what);
}

std::string getString(const ASN1_STRING* s) {
  if (!s) return {};
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

bool printableAscii(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

bool digitsOnly(const std::string& s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

void checkFields(const MerchantData& md) {
  if (md.merID.empty() || md.merID.size() > kMaxMerID || !printableAscii(md.merID))
    bad("merID must be 1..30 printable ASCII characters");
  if (md.merAcquirerBIN.size() != 6 || !digitsOnly(md.merAcquirerBIN))
    bad("merAcquirerBIN must be 6 digits");
  if (md.merNameSeq.empty() || md.merNameSeq.size() > kMaxMerNames)
    bad("merNameSeq must hold 1..32 entries");
  for (const auto& n : md.merNameSeq) {
    if (n.name.empty() || n.city.empty() || n.countryName.empty())
      bad("MerNames needs name, city and countryName");
    if (!printableAscii(n.language)) bad("language must be printable ASCII");
  }
  if (md.merCountry < 1 || md.merCountry > 999) bad("merCountry must be 1..999");
}

}  // namespace

Bytes encodeMerchantData(const MerchantData& md) {
  checkFields(md);
  MerchantDataPtr v(SET_MERCHANT_DATA_new());
  ossl::check(v != nullptr, ErrorCode::unspecifiedFailure, "merchantData alloc");
  setString(v->merID, V_ASN1_VISIBLESTRING, md.merID, "merID");
  setString(v->merAcquirerBIN, V_ASN1_NUMERICSTRING, md.merAcquirerBIN, "merAcquirerBIN");
  for (const auto& n : md.merNameSeq) {
    MerNamesPtr e(SET_MER_NAMES_new());
    ossl::check(e != nullptr, ErrorCode::unspecifiedFailure, "MerNames alloc");
    if (!n.language.empty()) setString(e->language, V_ASN1_VISIBLESTRING, n.language, "language");
    setString(e->name, V_ASN1_UTF8STRING, n.name, "name");
    setString(e->city, V_ASN1_UTF8STRING, n.city, "city");
    if (!n.stateProvince.empty())
      setString(e->stateProvince, V_ASN1_UTF8STRING, n.stateProvince, "stateProvince");
    if (!n.postalCode.empty())
      setString(e->postalCode, V_ASN1_UTF8STRING, n.postalCode, "postalCode");
    setString(e->countryName, V_ASN1_UTF8STRING, n.countryName, "countryName");
    ossl::check(sk_SET_MER_NAMES_push(v->merNameSeq, e.get()) > 0, ErrorCode::unspecifiedFailure,
                "merNameSeq push");
    e.release();  // now owned by the stack
  }
  ossl::check(ASN1_INTEGER_set(v->merCountry, md.merCountry) == 1, ErrorCode::unspecifiedFailure,
              "merCountry");
  v->merAuthFlag = md.merAuthFlag ? 0xff : 0;
  return ossl::der<SET_MERCHANT_DATA>(v.get(), i2d_SET_MERCHANT_DATA);
}

MerchantData decodeMerchantData(ByteView der) {
  if (der.size() > kMaxMerchantDataDer) bad("value too large");
  const unsigned char* p = der.data();
  MerchantDataPtr v(d2i_SET_MERCHANT_DATA(nullptr, &p, static_cast<long>(der.size())));
  if (!v) {
    ERR_clear_error();
    bad("does not decode");
  }
  if (p != der.data() + der.size()) bad("trailing bytes");
  // DER, not merely BER: the canonical re-encoding must be the input.
  if (ossl::der<SET_MERCHANT_DATA>(v.get(), i2d_SET_MERCHANT_DATA) != Bytes(der.begin(), der.end()))
    bad("not DER");
  MerchantData md;
  md.merID = getString(v->merID);
  md.merAcquirerBIN = getString(v->merAcquirerBIN);
  const int n = sk_SET_MER_NAMES_num(v->merNameSeq);
  for (int i = 0; i < n; ++i) {
    const SET_MER_NAMES* e = sk_SET_MER_NAMES_value(v->merNameSeq, i);
    md.merNameSeq.push_back({getString(e->language), getString(e->name), getString(e->city),
                             getString(e->stateProvince), getString(e->postalCode),
                             getString(e->countryName)});
  }
  std::int64_t country = 0;
  if (ASN1_INTEGER_get_int64(&country, v->merCountry) != 1) bad("merCountry out of range");
  if (country < 1 || country > 999) bad("merCountry out of range");
  md.merCountry = static_cast<int>(country);
  md.merAuthFlag = v->merAuthFlag != 0;
  checkFields(md);
  return md;
}

}  // namespace setpay::protocol::pki

#pragma GCC diagnostic pop
