// Field-level bridges between OpenSSL ASN.1 primitives and C++ values. Readers validate what the
// template cannot (digits, date form, value ranges) and throw ProtocolError(decodingFailure);
// setters allocate optional fields on demand.
#pragma once

#include <openssl/asn1.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/bytes.hpp"
#include "protocol/clock.hpp"

namespace setpay::protocol::asn1 {

Bytes octets(const ASN1_OCTET_STRING* s);
void setOctets(ASN1_OCTET_STRING*& field, ByteView value);

std::string text(const ASN1_STRING* s);
void setText(ASN1_STRING*& field, int type, std::string_view value);  // type: V_ASN1_VISIBLESTRING…

std::int64_t integer(const ASN1_INTEGER* i, const char* what);
void setInteger(ASN1_INTEGER*& field, std::int64_t value);
std::int64_t enumerated(const ASN1_ENUMERATED* e, const char* what);
void setEnumerated(ASN1_ENUMERATED*& field, std::int64_t value);

// GeneralizedTime in the DER form YYYYMMDDHHMMSSZ (whole seconds, UTC).
TimePoint date(const ASN1_GENERALIZEDTIME* t, const char* what);
void setDate(ASN1_GENERALIZEDTIME*& field, TimePoint value);

// ANY holding one DER SEQUENCE (an operator output: SignedData, EnvelopedData, DigestedData, …).
Bytes anyDer(const ASN1_TYPE* t);
void setAny(ASN1_TYPE*& field, ByteView der, const char* what);

// Object identifiers as dotted text ("2.23.42.0.5").
std::string oidText(const ASN1_OBJECT* o);
ASN1_OBJECT* objectFromText(std::string_view dotted);  // caller owns; decodingFailure if malformed

}  // namespace setpay::protocol::asn1
