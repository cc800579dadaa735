// A named, indented tree of any value decoded with one of our templates, walked through the OpenSSL
// ASN1_ITEM/ASN1_TEMPLATE tables (field names are the template's). Every string and printable octet
// string goes through protocol::safeText (escaped, PANs masked); fields named "pan" are masked whole.
// Hooks let the caller render operator outputs (ANY), enumerations and whole sub-items.
#pragma once

#include <openssl/asn1t.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "protocol/bytes.hpp"

namespace setpay::protocol::asn1 {

struct TreeHooks {
  // An ANY field (DER of one element). `path` is the dotted field path ("message.purchaseRequest…").
  std::function<void(std::string& out, int indent, const std::string& path, ByteView der)> any;
  // Name of an ENUMERATED value by its field name; "" when unknown.
  std::function<std::string(std::string_view field, std::int64_t value)> enumName;
  // A whole sub-item rendered on one line (e.g. CurrencyAmount); "" to walk it field by field.
  std::function<std::string(const ASN1_ITEM* item, const ASN1_VALUE* value)> oneLine;
};

// Appends lines "<indent×2 spaces>name: value" for the value of `item` held in `value`.
void printTree(std::string& out, int indent, const std::string& name, const ASN1_ITEM* item,
               const ASN1_VALUE* value, const TreeHooks& hooks);

// Object identifier as "long-name (dotted)" or just dotted when OpenSSL does not know it.
std::string objectName(const ASN1_OBJECT* o);

}  // namespace setpay::protocol::asn1
