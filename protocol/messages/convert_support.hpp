// Internal to protocol/messages: field validators and list/optional helpers shared by convert_*.cpp.
#pragma once

#include <openssl/obj_mac.h>

#include <optional>
#include <string>
#include <vector>

#include "protocol/asn1/fields.hpp"
#include "protocol/asn1/strict_der.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/convert.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol::convert {

[[noreturn]] void bad(const std::string& why);
Bytes fixed(const ASN1_OCTET_STRING* s, std::size_t n, const char* what);
Bytes sized(const ASN1_OCTET_STRING* s, std::size_t lo, std::size_t hi, const char* what);
std::string visible(const ASN1_STRING* s, std::size_t lo, std::size_t hi, const char* what);
std::string numeric(const ASN1_STRING* s, std::size_t lo, std::size_t hi, const char* what);
std::int64_t ranged(const ASN1_INTEGER* i, std::int64_t lo, std::int64_t hi, const char* what);
std::int64_t rangedEnum(const ASN1_ENUMERATED* e, std::int64_t lo, std::int64_t hi, const char* what);
Bytes opDer(const ASN1_TYPE* t, const char* what);  // an operator output held in an ANY
// A DD held in an ANY, labelled contentTypeNid (NID_pkcs7_data for thumbprints); its digest
// AlgorithmIdentifier exactly as set1/modern write it (checkDDShape, SPEC-CHOICES "DD").
Bytes ddDer(const ASN1_TYPE* t, int contentTypeNid, const char* what);
std::string brandID(const ASN1_STRING* s);
void setVisible(ASN1_STRING*& f, const std::string& v);
void setNumeric(ASN1_STRING*& f, const std::string& v);
void putExts(const MsgExtensions& v, STACK_OF(X509_EXTENSION)*& f);
MsgExtensions getExts(const STACK_OF(X509_EXTENSION)* f, const char* what);
void putAnyList(const std::vector<Bytes>& v, STACK_OF(ASN1_TYPE)*& f, const char* what);
std::vector<Bytes> getAnyList(const STACK_OF(ASN1_TYPE)* f, const char* what);
std::vector<Bytes> getThumbList(const STACK_OF(ASN1_TYPE)* f, const char* what);  // each a thumbprint DD

template <class A>
A* alloc(const ASN1_ITEM* item) {
  return static_cast<A*>(asn1::newItemRaw(item));
}

template <class T, class A>
void putOpt(const std::optional<T>& v, A*& field, const ASN1_ITEM* item) {
  if (!v) return;
  if (!field) field = alloc<A>(item);
  put(*v, *field);
}
template <class T, class A>
std::optional<T> getOpt(const A* field) {
  if (!field) return std::nullopt;
  return get(*field);
}

inline void putOptInt(const std::optional<std::int64_t>& v, ASN1_INTEGER*& f) {
  if (v) asn1::setInteger(f, *v);
}
inline std::optional<std::int64_t> getOptInt(const ASN1_INTEGER* f, std::int64_t lo, std::int64_t hi, const char* what) {
  if (!f) return std::nullopt;
  return ranged(f, lo, hi, what);
}
inline void putOptText(const std::optional<std::string>& v, ASN1_STRING*& f) {
  if (v) setVisible(f, *v);
}
inline std::optional<std::string> getOptText(const ASN1_STRING* f, std::size_t hi, const char* what) {
  if (!f) return std::nullopt;
  return visible(f, 1, hi, what);
}
inline void putOptAny(const std::optional<Bytes>& v, ASN1_TYPE*& f, const char* what) {
  if (v) asn1::setAny(f, *v, what);
}
inline std::optional<Bytes> getOptAny(const ASN1_TYPE* f, const char* what) {
  if (!f) return std::nullopt;
  return opDer(f, what);
}
inline std::optional<Bytes> getOptThumb(const ASN1_TYPE* f, const char* what) {
  if (!f) return std::nullopt;
  return ddDer(f, NID_pkcs7_data, what);
}

template <class A, class T>
void putList(const std::vector<T>& v, OPENSSL_STACK*& f, const ASN1_ITEM* item) {
  if (!f) f = OPENSSL_sk_new_null();
  if (!f) ossl::fail(ErrorCode::unspecifiedFailure, "sk_new");
  for (const auto& x : v) {
    asn1::Owned<A> a = asn1::newItem<A>(item);
    put(x, *a);
    if (!OPENSSL_sk_push(f, a.get())) ossl::fail(ErrorCode::unspecifiedFailure, "sk_push");
    a.release();
  }
}
template <class T, class A>
std::vector<T> getList(const OPENSSL_STACK* f, const char* what) {
  const int n = f ? OPENSSL_sk_num(f) : 0;
  if (n <= 0) bad(std::string(what) + ": SEQUENCE OF must not be empty");
  if (static_cast<std::size_t>(n) > limits::listMax) bad(std::string(what) + ": too many entries");
  std::vector<T> out;
  for (int k = 0; k < n; ++k) out.push_back(get(*static_cast<const A*>(OPENSSL_sk_value(f, k))));
  return out;
}

}  // namespace setpay::protocol::convert
