// Strict DER codec over OpenSSL ASN.1 items: size limit, DER shape (definite minimal lengths, no
// constructed strings), template decode, no trailing bytes, and decode→re-encode byte equality
// (OpenSSL's d2i accepts some BER). Every failure is ProtocolError(decodingFailure | messageTooBig).
#pragma once

#include <openssl/asn1.h>

#include <cstddef>
#include <memory>

#include "protocol/bytes.hpp"

namespace setpay::protocol::asn1 {

struct ItemDeleter {
  const ASN1_ITEM* item;
  void operator()(void* p) const noexcept {
    if (p) ASN1_item_free(static_cast<ASN1_VALUE*>(p), item);
  }
};
template <class T>
using Owned = std::unique_ptr<T, ItemDeleter>;

void* newItemRaw(const ASN1_ITEM* item);
template <class T>
Owned<T> newItem(const ASN1_ITEM* item) {
  return Owned<T>(static_cast<T*>(newItemRaw(item)), ItemDeleter{item});
}

// DER of a value of `item`.
Bytes encodeItem(const void* value, const ASN1_ITEM* item);

// Throws decodingFailure unless `der` is exactly one DER element tree: definite, minimally encoded
// lengths and tags, no constructed universal strings, nesting depth ≤ 64.
void checkDerShape(ByteView der);

void* decodeStrictRaw(ByteView der, const ASN1_ITEM* item, std::size_t maxSize, const char* what);
template <class T>
Owned<T> decodeStrict(ByteView der, const ASN1_ITEM* item, std::size_t maxSize, const char* what) {
  return Owned<T>(static_cast<T*>(decodeStrictRaw(der, item, maxSize, what)), ItemDeleter{item});
}

}  // namespace setpay::protocol::asn1
