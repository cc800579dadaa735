#include <algorithm>
#include <limits>

#include "protocol/redirect/base64.hpp"
#include "protocol/redirect/envelope.hpp"
#include "protocol/redirect/envelope_fields.hpp"
#include "protocol/redirect/redirect_error.hpp"
#include "protocol/redirect/schema_compiled.hpp"
#include "protocol/redirect/utc_time.hpp"
#include "protocol/text/scrub.hpp"

namespace setpay::protocol {

namespace {

using xml::sv;
using xml::x;

[[noreturn]] void fail(RedirectReason r, const std::string& why) { throw RedirectError(r, why); }
[[noreturn]] void badField(const std::string& why) { fail(RedirectReason::badField, why); }

// libxml2's own message, made printable and short (it may quote markup the peer sent).
std::string shortSafe(std::string_view message) {
  std::string s = safeText(message);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  if (s.size() > 200) s = s.substr(0, 200) + "...";
  return s;
}

struct SchemaErrors {
  std::string first;
};

bool isPasswordNode(const xmlNode* n) {
  for (; n; n = n->parent)
    if (n->type == XML_ELEMENT_NODE && sv(n->name) == "WalletPassword") return true;
  return false;
}

void collectSchemaError(void* userData, xmlErrorPtr error) {
  auto* errors = static_cast<SchemaErrors*>(userData);
  if (!errors->first.empty() || !error) return;
  const auto* node = static_cast<const xmlNode*>(error->node);
  // Facet errors quote the value: never let a wallet password reach an error text (and so a log).
  if (isPasswordNode(node)) {
    errors->first = "line " + std::to_string(error->line) + ": WalletPassword is not valid (value not shown)";
    return;
  }
  errors->first = "line " + std::to_string(error->line) + ": " + shortSafe(error->message ? error->message : "?");
}

// Text and CDATA children (comments and PIs skipped, as the schema validator does).
std::string textOf(const xmlNode* n) {
  std::string out;
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
      out.append(sv(c->content));
    else if (c->type != XML_COMMENT_NODE && c->type != XML_PI_NODE)
      badField(std::string(sv(n->name)) + ": unexpected content");
  }
  return out;
}

std::string attribute(const xmlNode* n, const char* attr) {
  xml::OwnedString v(xmlGetNoNsProp(n, x(attr)));
  if (!v) badField(std::string(sv(n->name)) + ": no " + attr);
  return std::string(sv(v.get()));
}

// The element children in document order (the schema fixed which and in what order).
std::vector<const xmlNode*> elements(const xmlNode* parent) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  return out;
}

bool named(const xmlNode* n, std::string_view local) {
  return n && sv(n->name) == local && n->ns && sv(n->ns->href) == redirectNamespace;
}

const xmlNode* child(const std::vector<const xmlNode*>& kids, std::size_t& at, std::string_view local, bool required) {
  if (at < kids.size() && named(kids[at], local)) return kids[at++];
  if (required) badField("missing " + std::string(local));
  return nullptr;
}

Bytes base64Field(const xmlNode* n, std::size_t maxBytes) {
  auto b = base64Decode(textOf(n), maxBytes);
  if (!b) badField(std::string(sv(n->name)) + ": not canonical base64 or too long");
  return std::move(*b);
}

xml::Doc parseXml(std::string_view text) {
  // A DTD is never needed here, and refusing it before libxml2 sees it leaves no entity machinery to
  // abuse (the encoding is forced to UTF-8 below, so this byte search cannot be dodged by UTF-16).
  if (text.find("<!DOCTYPE") != std::string_view::npos || text.find("<!ENTITY") != std::string_view::npos)
    fail(RedirectReason::badXml, "DTD not allowed");
  xml::ParserCtxt ctxt(xmlNewParserCtxt());
  if (!ctxt) fail(RedirectReason::badXml, "no parser context");
  // NONET: fetch nothing; no NOENT, no DTDLOAD, no HUGE (libxml2's own size limits stay on).
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  xml::Doc doc(xmlCtxtReadMemory(ctxt.get(), text.data(), static_cast<int>(text.size()), "message-c", "UTF-8", options));
  if (!doc || !ctxt->wellFormed) {
    const xmlError* e = xmlCtxtGetLastError(ctxt.get());
    fail(RedirectReason::badXml, e && e->message ? "line " + std::to_string(e->line) + ": " + shortSafe(e->message)
                                                 : std::string("not well-formed"));
  }
  if (doc->intSubset || doc->extSubset) fail(RedirectReason::badXml, "DTD not allowed");
  return doc;
}

void validate(xmlDoc* doc, const RedirectSchema& schema) {
  xml::SchemaValidCtxt v(xmlSchemaNewValidCtxt(schema.compiled().schema.get()));
  if (!v) fail(RedirectReason::schemaInvalid, "no validation context");
  SchemaErrors errors;
  xmlSchemaSetValidStructuredErrors(v.get(), collectSchemaError, &errors);
  const int rc = xmlSchemaValidateDoc(v.get(), doc);
  if (rc != 0) fail(RedirectReason::schemaInvalid, errors.first.empty() ? "not valid" : errors.first);
}

}  // namespace

RedirectEnvelope parseEnvelope(std::string_view text, const RedirectSchema& schema) {
  if (text.size() > redirect_limits::envelopeMax)
    fail(RedirectReason::tooBig, std::to_string(text.size()) + " bytes (max " +
                                     std::to_string(redirect_limits::envelopeMax) + ")");
  const xml::Doc doc = parseXml(text);
  validate(doc.get(), schema);

  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!named(root, "RedirectedWakeUp")) badField("root is not RedirectedWakeUp in " + std::string(redirectNamespace));
  const auto kids = elements(root);
  std::size_t at = 0;

  const xmlNode* senderNode = child(kids, at, "Sender", true);
  const auto kind = senderKindFromToken(attribute(senderNode, "kind"));
  if (!kind) badField("Sender kind");
  Sender sender{*kind, attribute(senderNode, "id")};

  const auto msisdn = Msisdn::parse(textOf(child(kids, at, "Msisdn", true)));
  if (!msisdn) badField("Msisdn: not E.164");
  std::string merchantUrl = textOf(child(kids, at, "MerchantUrl", true));
  const xmlNode* wakeNode = child(kids, at, "WakeUp", true);
  if (attribute(wakeNode, "mediaType") != "application/set-payment-initiation") badField("WakeUp mediaType");
  RedirectEnvelope e{std::move(sender), *msisdn, std::move(merchantUrl),
                     base64Field(wakeNode, redirect_limits::wakeUpMax), std::nullopt};

  if (const xmlNode* authNode = child(kids, at, "ClientAuth", false)) {
    const auto authKids = elements(authNode);
    std::size_t k = 0;
    ClientAuth a;
    a.nonce = base64Field(child(authKids, k, "Nonce", true), redirect_limits::nonceMax);
    const auto time = parseUtcSeconds(textOf(child(authKids, k, "Time", true)));
    if (!time) badField("Time: not YYYY-MM-DDThh:mm:ssZ");
    a.time = *time;
    if (const xmlNode* p = child(authKids, k, "WalletPassword", false)) a.walletPassword = textOf(p);
    if (const xmlNode* s = child(authKids, k, "Signature", false)) {
      const auto alg = signatureAlgorithmFromToken(attribute(s, "alg"));
      if (!alg) badField("Signature alg");
      a.signature = EnvelopeSignature{*alg, base64Field(s, redirect_limits::signatureMax)};
    }
    if (k != authKids.size()) badField("unexpected element in ClientAuth");
    e.auth = std::move(a);
  }
  if (at != kids.size()) badField("unexpected element after WakeUp");
  checkEnvelopeFields(e);
  return e;
}

}  // namespace setpay::protocol
