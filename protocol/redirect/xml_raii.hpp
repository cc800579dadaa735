// Internal to protocol/redirect: RAII owners for the libxml2 objects message c uses, and the one place
// libxml2's (char-typed) strings are converted. Not installed for other areas.
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include <string>
#include <string_view>

#include "protocol/openssl.hpp"  // ossl::Owned: the same deleter template for libxml2 objects

namespace setpay::protocol::xml {

using Doc = ossl::Owned<xmlDoc, xmlFreeDoc>;
using ParserCtxt = ossl::Owned<xmlParserCtxt, xmlFreeParserCtxt>;
using SchemaParserCtxt = ossl::Owned<xmlSchemaParserCtxt, xmlSchemaFreeParserCtxt>;
using Schema = ossl::Owned<xmlSchema, xmlSchemaFree>;
using SchemaValidCtxt = ossl::Owned<xmlSchemaValidCtxt, xmlSchemaFreeValidCtxt>;

// xmlChar* allocated by libxml2 (xmlNodeGetContent, xmlGetNsProp, xmlDocDumpMemory …).
struct XmlFree {
  void operator()(xmlChar* p) const noexcept {
    if (p) xmlFree(p);
  }
};
using OwnedString = std::unique_ptr<xmlChar, XmlFree>;

inline const xmlChar* x(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
inline std::string_view sv(const xmlChar* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

}  // namespace setpay::protocol::xml
