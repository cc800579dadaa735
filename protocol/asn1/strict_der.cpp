#include "protocol/asn1/strict_der.hpp"

#include <openssl/asn1t.h>
#include <openssl/err.h>

#include <algorithm>
#include <string>

#include "protocol/error.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol::asn1 {

namespace {

constexpr int maxDepth = 64;

bool isStringTag(int tag) {
  switch (tag) {
    case V_ASN1_BIT_STRING: case V_ASN1_OCTET_STRING: case V_ASN1_UTF8STRING:
    case V_ASN1_NUMERICSTRING: case V_ASN1_PRINTABLESTRING: case V_ASN1_T61STRING:
    case V_ASN1_VIDEOTEXSTRING: case V_ASN1_IA5STRING: case V_ASN1_UTCTIME:
    case V_ASN1_GENERALIZEDTIME: case V_ASN1_GRAPHICSTRING: case V_ASN1_VISIBLESTRING:
    case V_ASN1_GENERALSTRING: case V_ASN1_UNIVERSALSTRING: case V_ASN1_BMPSTRING:
      return true;
    default:
      return false;
  }
}

[[noreturn]] void bad(const char* why) { throw ProtocolError(ErrorCode::decodingFailure, why); }

// ASN1_get_object queues an OpenSSL error only when it fails (0x80): the queue is cleared then, not
// after every element (clearing it is a thread-local lookup that cost 2% of a purchase; issue 13).
[[noreturn]] void malformedElement() {
  ERR_clear_error();
  bad("malformed DER element (bad tag or length)");
}

void walk(const unsigned char* p, long len, int depth) {
  if (depth > maxDepth) bad("DER nesting too deep");
  const unsigned char* const end = p + len;
  while (p < end) {
    const unsigned char* start = p;
    long contentLength = 0;
    int tag = 0;
    int cls = 0;
    const int r = ASN1_get_object(&p, &contentLength, &tag, &cls, end - p);
    if (r & 0x80) malformedElement();
    if (r & 0x01) bad("BER indefinite length");
    const bool constructed = (r & V_ASN1_CONSTRUCTED) != 0;
    const long header = p - start;
    if (ASN1_object_size(constructed ? 1 : 0, static_cast<int>(contentLength), tag) !=
        header + contentLength)
      bad("non-minimal DER length or tag encoding");
    // OpenSSL keeps a BOOLEAN's content octet as read and writes it back unchanged, so the
    // re-encoding comparison cannot see BER TRUE (anything but 0xff): check it here.
    if (!constructed && cls == V_ASN1_UNIVERSAL && tag == V_ASN1_BOOLEAN &&
        (contentLength != 1 || (p[0] != 0x00 && p[0] != 0xff)))
      bad("BOOLEAN not in DER form");
    if (constructed) {
      if (cls == V_ASN1_UNIVERSAL && isStringTag(tag)) bad("BER constructed string");
      walk(p, contentLength, depth + 1);
    }
    p += contentLength;
  }
}

}  // namespace

void* newItemRaw(const ASN1_ITEM* item) {
  ASN1_VALUE* v = ASN1_item_new(item);
  if (!v) ossl::fail(ErrorCode::unspecifiedFailure, "ASN1_item_new");
  return v;
}

Bytes encodeItem(const void* value, const ASN1_ITEM* item) {
  unsigned char* out = nullptr;
  const int len = ASN1_item_i2d(static_cast<const ASN1_VALUE*>(value), &out, item);
  if (len <= 0 || !out) ossl::fail(ErrorCode::unspecifiedFailure, std::string("DER encoding of ") + item->sname);
  Bytes der(out, out + len);
  OPENSSL_free(out);
  return der;
}

void checkDerShape(ByteView der) {
  if (der.empty()) bad("empty input");
  if (der.size() > 0x7fffffff) bad("input too large");
  // Exactly one top-level element: the walk covers all bytes, the first element must span them.
  const unsigned char* p = der.data();
  long contentLength = 0;
  int tag = 0;
  int cls = 0;
  const int r = ASN1_get_object(&p, &contentLength, &tag, &cls, static_cast<long>(der.size()));
  if (r & 0x80) malformedElement();
  if (r & 0x01) bad("BER indefinite length");
  if ((p - der.data()) + contentLength != static_cast<long>(der.size())) bad("trailing bytes after DER element");
  walk(der.data(), static_cast<long>(der.size()), 0);
}

void* decodeStrictRaw(ByteView der, const ASN1_ITEM* item, std::size_t maxSize, const char* what) {
  if (der.size() > maxSize)
    throw ProtocolError(ErrorCode::messageTooBig,
                        std::string(what) + ": " + std::to_string(der.size()) + " bytes > limit " +
                            std::to_string(maxSize));
  checkDerShape(der);
  const unsigned char* p = der.data();
  ASN1_VALUE* v = ASN1_item_d2i(nullptr, &p, static_cast<long>(der.size()), item);
  if (!v) ossl::fail(ErrorCode::decodingFailure, std::string(what) + ": does not decode");
  ItemDeleter guard{item};
  std::unique_ptr<ASN1_VALUE, ItemDeleter> owned(v, guard);
  if (p != der.data() + der.size()) bad("trailing bytes");
  unsigned char* out = nullptr;
  const int len = ASN1_item_i2d(v, &out, item);
  if (len <= 0 || !out) ossl::fail(ErrorCode::decodingFailure, std::string(what) + ": does not re-encode");
  const bool same = static_cast<std::size_t>(len) == der.size() &&
                    std::equal(der.begin(), der.end(), out);
  OPENSSL_free(out);
  if (!same) throw ProtocolError(ErrorCode::decodingFailure, std::string(what) + ": not DER (re-encoding differs)");
  return owned.release();
}

}  // namespace setpay::protocol::asn1
