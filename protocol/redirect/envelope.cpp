#include "protocol/redirect/envelope.hpp"

#include <libxml/xmlstring.h>

#include <chrono>

#include "protocol/redirect/base64.hpp"
#include "protocol/redirect/envelope_fields.hpp"
#include "protocol/redirect/merchant_url.hpp"
#include "protocol/redirect/redirect_error.hpp"
#include "protocol/redirect/utc_time.hpp"
#include "protocol/redirect/xml_raii.hpp"
#include "protocol/wakeup/wakeup.hpp"

namespace setpay::protocol {

std::string_view token(SenderKind k) {
  switch (k) {
    case SenderKind::direct: return "direct";
    case SenderKind::relay: return "relay";
    case SenderKind::gatewayProxy: return "gateway-proxy";
    case SenderKind::onTerminal: return "on-terminal";
  }
  return "direct";
}

std::optional<SenderKind> senderKindFromToken(std::string_view t) {
  for (auto k : {SenderKind::direct, SenderKind::relay, SenderKind::gatewayProxy, SenderKind::onTerminal})
    if (token(k) == t) return k;
  return std::nullopt;
}

std::string_view token(SignatureAlgorithm a) {
  return a == SignatureAlgorithm::ecdsaP256Sha256 ? "ecdsa-p256-sha256" : "rsa-pkcs1-sha256";
}

std::optional<SignatureAlgorithm> signatureAlgorithmFromToken(std::string_view t) {
  for (auto a : {SignatureAlgorithm::ecdsaP256Sha256, SignatureAlgorithm::rsaPkcs1Sha256})
    if (token(a) == t) return a;
  return std::nullopt;
}

bool validSenderId(std::string_view id) {
  if (id.empty() || id.size() > redirect_limits::senderIdMax) return false;
  auto alnum = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(id.front())) return false;
  for (char c : id)
    if (!alnum(c) && c != '.' && c != '_' && c != ':' && c != '+' && c != '@' && c != '-') return false;
  return true;
}

bool validWalletPassword(std::string_view p) {
  if (p.empty() || p.size() > redirect_limits::passwordMax) return false;
  for (char c : p) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  const std::string nulTerminated(p);
  return xmlCheckUTF8(reinterpret_cast<const unsigned char*>(nulTerminated.c_str())) == 1;
}

void checkEnvelopeFields(const RedirectEnvelope& e) {
  auto bad = [](const std::string& why) { throw RedirectError(RedirectReason::badField, why); };
  if (!validSenderId(e.sender.id)) bad("Sender id");
  if (const auto problem = merchantUrlProblem(e.merchantUrl); !problem.empty()) bad("MerchantUrl: " + problem);
  if (e.wakeUp.empty() || e.wakeUp.size() > redirect_limits::wakeUpMax) bad("WakeUp: size");
  WakeUp w;
  try {
    w = parseWakeUp(std::string_view(reinterpret_cast<const char*>(e.wakeUp.data()), e.wakeUp.size()));
  } catch (const ProtocolError& err) {
    throw RedirectError(RedirectReason::wakeUpInvalid, err.what());
  }
  if (w.paymentUrl != e.merchantUrl)
    throw RedirectError(RedirectReason::merchantUrlMismatch, "MerchantUrl is not the wake-up's SET-Payment-URL");
  if (!e.auth) return;
  const ClientAuth& a = *e.auth;
  if (a.nonce.size() < redirect_limits::nonceMin || a.nonce.size() > redirect_limits::nonceMax) bad("Nonce: size");
  if (std::chrono::floor<std::chrono::seconds>(a.time) != a.time) bad("Time: not whole seconds");
  try {
    static_cast<void>(formatUtcSeconds(a.time));
  } catch (const ProtocolError&) {
    bad("Time: outside 1970..2200");
  }
  if (a.walletPassword && !validWalletPassword(*a.walletPassword)) bad("WalletPassword: length or characters");
  if (a.signature && (a.signature->value.size() < 8 || a.signature->value.size() > redirect_limits::signatureMax))
    bad("Signature: size");
}

namespace {

void item(Bytes& out, ByteView b) {
  const auto n = static_cast<std::uint32_t>(b.size());
  out.push_back(static_cast<std::uint8_t>(n >> 24));
  out.push_back(static_cast<std::uint8_t>(n >> 16));
  out.push_back(static_cast<std::uint8_t>(n >> 8));
  out.push_back(static_cast<std::uint8_t>(n));
  out.insert(out.end(), b.begin(), b.end());
}
void item(Bytes& out, std::string_view s) { item(out, ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size())); }

}  // namespace

Bytes canonicalSignedBytes(const RedirectEnvelope& e, SignatureAlgorithm alg) {
  if (!e.auth) throw RedirectError(RedirectReason::unsigned_, "no client authentication data to sign");
  const ClientAuth& a = *e.auth;
  Bytes out;
  item(out, redirectNamespace);
  item(out, token(e.sender.kind));
  item(out, e.sender.id);
  item(out, e.msisdn.e164());
  item(out, e.merchantUrl);
  item(out, ByteView(e.wakeUp));
  item(out, ByteView(a.nonce));
  item(out, formatUtcSeconds(a.time));
  if (a.walletPassword) {
    out.push_back(0x01);
    item(out, *a.walletPassword);
  } else {
    out.push_back(0x00);
  }
  item(out, token(alg));
  return out;
}

std::string formatEnvelope(const RedirectEnvelope& e) {
  using xml::x;
  checkEnvelopeFields(e);
  xml::Doc doc(xmlNewDoc(x("1.0")));
  if (!doc) throw ProtocolError(ErrorCode::unspecifiedFailure, "message c: out of memory");
  xmlNodePtr root = xmlNewDocNode(doc.get(), nullptr, x("RedirectedWakeUp"), nullptr);
  xmlDocSetRootElement(doc.get(), root);
  const std::string nsHref(redirectNamespace);
  xmlNsPtr ns = xmlNewNs(root, x(nsHref.c_str()), nullptr);
  xmlSetNs(root, ns);
  xmlNewProp(root, x("version"), x("1"));

  // Attribute values below are tokens (no '&' or '<'); element text goes through xmlNewTextChild,
  // which escapes.
  xmlNodePtr sender = xmlNewChild(root, ns, x("Sender"), nullptr);
  xmlNewProp(sender, x("kind"), x(std::string(token(e.sender.kind)).c_str()));
  xmlNewProp(sender, x("id"), x(e.sender.id.c_str()));
  xmlNewTextChild(root, ns, x("Msisdn"), x(e.msisdn.e164().c_str()));
  xmlNewTextChild(root, ns, x("MerchantUrl"), x(e.merchantUrl.c_str()));
  xmlNodePtr wake = xmlNewTextChild(root, ns, x("WakeUp"), x(base64Encode(e.wakeUp).c_str()));
  xmlNewProp(wake, x("mediaType"), x("application/set-payment-initiation"));
  if (e.auth) {
    const ClientAuth& a = *e.auth;
    xmlNodePtr auth = xmlNewChild(root, ns, x("ClientAuth"), nullptr);
    xmlNewTextChild(auth, ns, x("Nonce"), x(base64Encode(a.nonce).c_str()));
    xmlNewTextChild(auth, ns, x("Time"), x(formatUtcSeconds(a.time).c_str()));
    if (a.walletPassword) xmlNewTextChild(auth, ns, x("WalletPassword"), x(a.walletPassword->c_str()));
    if (a.signature) {
      xmlNodePtr sig = xmlNewTextChild(auth, ns, x("Signature"), x(base64Encode(a.signature->value).c_str()));
      xmlNewProp(sig, x("alg"), x(std::string(token(a.signature->algorithm)).c_str()));
    }
  }
  xmlChar* raw = nullptr;
  int size = 0;
  xmlDocDumpFormatMemoryEnc(doc.get(), &raw, &size, "UTF-8", 1);
  xml::OwnedString text(raw);
  if (!text || size <= 0) throw ProtocolError(ErrorCode::unspecifiedFailure, "message c: serialisation failed");
  return std::string(reinterpret_cast<const char*>(text.get()), static_cast<std::size_t>(size));
}

}  // namespace setpay::protocol
