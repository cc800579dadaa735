// Typed <-> template struct for the shared SET types, plus the field validators all converters use.
#include "protocol/messages/convert_support.hpp"

#include <set>

#include "protocol/crypto/digest.hpp"
#include "protocol/messages/hardening.hpp"

#include <openssl/x509.h>

namespace setpay::protocol::convert {

void bad(const std::string& why) { throw ProtocolError(ErrorCode::decodingFailure, why); }

Bytes fixed(const ASN1_OCTET_STRING* s, std::size_t n, const char* what) {
  if (!s) bad(std::string(what) + ": missing");
  Bytes b = asn1::octets(s);
  if (b.size() != n) bad(std::string(what) + ": must be " + std::to_string(n) + " octets");
  return b;
}

Bytes sized(const ASN1_OCTET_STRING* s, std::size_t lo, std::size_t hi, const char* what) {
  if (!s) bad(std::string(what) + ": missing");
  Bytes b = asn1::octets(s);
  if (b.size() < lo || b.size() > hi)
    bad(std::string(what) + ": length " + std::to_string(b.size()) + " outside " + std::to_string(lo) + ".." +
        std::to_string(hi));
  return b;
}

std::string visible(const ASN1_STRING* s, std::size_t lo, std::size_t hi, const char* what) {
  if (!s) bad(std::string(what) + ": missing");
  std::string t = asn1::text(s);
  if (t.size() < lo || t.size() > hi) bad(std::string(what) + ": length outside limits");
  for (char ch : t)
    if (ch < 0x20 || ch > 0x7e) bad(std::string(what) + ": not a VisibleString");
  return t;
}

std::string numeric(const ASN1_STRING* s, std::size_t lo, std::size_t hi, const char* what) {
  if (!s) bad(std::string(what) + ": missing");
  std::string t = asn1::text(s);
  if (t.size() < lo || t.size() > hi) bad(std::string(what) + ": wrong number of digits");
  for (char ch : t)
    if (ch < '0' || ch > '9') bad(std::string(what) + ": digits only");
  return t;
}

std::int64_t ranged(const ASN1_INTEGER* i, std::int64_t lo, std::int64_t hi, const char* what) {
  const std::int64_t v = asn1::integer(i, what);
  if (v < lo || v > hi) bad(std::string(what) + ": value " + std::to_string(v) + " out of range");
  return v;
}

std::int64_t rangedEnum(const ASN1_ENUMERATED* e, std::int64_t lo, std::int64_t hi, const char* what) {
  const std::int64_t v = asn1::enumerated(e, what);
  if (v < lo || v > hi) bad(std::string(what) + ": unknown value " + std::to_string(v));
  return v;
}

Bytes opDer(const ASN1_TYPE* t, const char* what) {
  if (!t || ASN1_TYPE_get(t) != V_ASN1_SEQUENCE) bad(std::string(what) + ": must be a SEQUENCE");
  Bytes b = asn1::anyDer(t);
  if (b.size() > limits::operatorMax) throw ProtocolError(ErrorCode::messageTooBig, std::string(what) + ": too big");
  return b;
}

Bytes ddDer(const ASN1_TYPE* t, int contentTypeNid, const char* what) {
  Bytes b = opDer(t, what);
  checkDDShape(b, contentTypeNid, what);
  return b;
}

void setVisible(ASN1_STRING*& f, const std::string& v) { asn1::setText(f, V_ASN1_VISIBLESTRING, v); }
void setNumeric(ASN1_STRING*& f, const std::string& v) { asn1::setText(f, V_ASN1_NUMERICSTRING, v); }

std::string brandID(const ASN1_STRING* s) {
  std::string b = visible(s, 1, limits::brandIdMax, "BrandID");
  // brand[:product] — neither part empty, at most one colon (SPEC-CHOICES.md "## messages").
  const auto colon = b.find(':');
  if (colon == 0 || (colon != std::string::npos && (colon + 1 == b.size() || b.find(':', colon + 1) != std::string::npos)))
    bad("BrandID: must be brand[:product]");
  return b;
}

void putExts(const MsgExtensions& v, STACK_OF(X509_EXTENSION)*& f) {
  if (v.empty()) return;
  if (!f) f = sk_X509_EXTENSION_new_null();
  if (!f) ossl::fail(ErrorCode::unspecifiedFailure, "sk_new");
  for (const auto& x : v) {
    ossl::Object obj(asn1::objectFromText(x.extnID));
    ossl::OctetString value(ASN1_OCTET_STRING_new());
    if (!value) ossl::fail(ErrorCode::unspecifiedFailure, "ASN1_OCTET_STRING_new");
    ASN1_OCTET_STRING* raw = value.get();
    asn1::setOctets(raw, x.extnValue);
    X509_EXTENSION* e = X509_EXTENSION_create_by_OBJ(nullptr, obj.get(), x.critical ? 1 : 0, value.get());
    if (!e || !sk_X509_EXTENSION_push(f, e)) {
      X509_EXTENSION_free(e);
      ossl::fail(ErrorCode::unspecifiedFailure, "extension");
    }
  }
}

MsgExtensions getExts(const STACK_OF(X509_EXTENSION)* f, const char* what) {
  MsgExtensions out;
  if (!f) return out;
  const int n = sk_X509_EXTENSION_num(f);
  if (n <= 0) bad(std::string(what) + ": empty list must be absent");
  if (static_cast<std::size_t>(n) > limits::listMax) bad(std::string(what) + ": too many extensions");
  std::set<std::string> seen;
  for (int k = 0; k < n; ++k) {
    const X509_EXTENSION* e = sk_X509_EXTENSION_value(f, k);
    MsgExtension x;
    x.extnID = asn1::oidText(X509_EXTENSION_get_object(const_cast<X509_EXTENSION*>(e)));
    x.critical = X509_EXTENSION_get_critical(e) > 0;
    x.extnValue = asn1::octets(X509_EXTENSION_get_data(const_cast<X509_EXTENSION*>(e)));
    if (x.extnValue.size() > limits::opaqueMax) bad(std::string(what) + ": extension value too big");
    if (!seen.insert(x.extnID).second) bad(std::string(what) + ": duplicate extension " + x.extnID);
    if (x.critical && !isKnownExtension(x.extnID))
      throw ProtocolError(ErrorCode::unrecognizedExtension, std::string(what) + ": critical " + x.extnID);
    out.push_back(std::move(x));
  }
  return out;
}

void putAnyList(const std::vector<Bytes>& v, STACK_OF(ASN1_TYPE)*& f, const char* what) {
  if (v.empty()) return;
  if (!f) f = sk_ASN1_TYPE_new_null();
  if (!f) ossl::fail(ErrorCode::unspecifiedFailure, "sk_new");
  for (const auto& b : v) {
    ASN1_TYPE* t = nullptr;
    asn1::setAny(t, b, what);
    if (!sk_ASN1_TYPE_push(f, t)) {
      ASN1_TYPE_free(t);
      ossl::fail(ErrorCode::unspecifiedFailure, "sk_push");
    }
  }
}

std::vector<Bytes> getAnyList(const STACK_OF(ASN1_TYPE)* f, const char* what) {
  std::vector<Bytes> out;
  if (!f) return out;
  const int n = sk_ASN1_TYPE_num(f);
  if (n <= 0) bad(std::string(what) + ": empty list must be absent");
  if (static_cast<std::size_t>(n) > limits::listMax) bad(std::string(what) + ": too many entries");
  for (int k = 0; k < n; ++k) out.push_back(opDer(sk_ASN1_TYPE_value(f, k), what));
  return out;
}

std::vector<Bytes> getThumbList(const STACK_OF(ASN1_TYPE)* f, const char* what) {
  std::vector<Bytes> out = getAnyList(f, what);
  for (const auto& t : out) checkDDShape(t, NID_pkcs7_data, what);
  return out;
}

// ---- base types

void put(const CurrencyAmount& v, asn1::CurrencyAmount& c) {
  asn1::setInteger(c.currency, v.currency);
  asn1::setInteger(c.amount, v.amount);
  asn1::setInteger(c.amtExp10, v.amtExp10);
}
CurrencyAmount get(const asn1::CurrencyAmount& c) {
  CurrencyAmount v;
  v.currency = static_cast<int>(ranged(c.currency, 1, 999, "CurrencyAmount.currency"));
  v.amount = ranged(c.amount, 0, 999999999999999999LL, "CurrencyAmount.amount");
  v.amtExp10 = static_cast<int>(ranged(c.amtExp10, -12, 12, "CurrencyAmount.amtExp10"));
  return v;
}

void put(const TransIDs& v, asn1::TransIDs& c) {
  asn1::setOctets(c.lidC, v.lidC);
  if (v.lidM) asn1::setOctets(c.lidM, *v.lidM);
  asn1::setOctets(c.xid, v.xid);
  asn1::setDate(c.pReqDate, v.pReqDate);
  if (v.paySysID) setVisible(c.paySysID, *v.paySysID);
  setVisible(c.language, v.language);
}
TransIDs get(const asn1::TransIDs& c) {
  TransIDs v;
  v.lidC = sized(c.lidC, 1, limits::localIdMax, "TransIDs.lid-C");
  if (c.lidM) v.lidM = sized(c.lidM, 1, limits::localIdMax, "TransIDs.lid-M");
  v.xid = fixed(c.xid, limits::nonce, "TransIDs.xid");
  v.pReqDate = asn1::date(c.pReqDate, "TransIDs.pReqDate");
  if (c.paySysID) v.paySysID = visible(c.paySysID, 1, limits::paySysIdMax, "TransIDs.paySysID");
  v.language = visible(c.language, 1, limits::languageMax, "TransIDs.language");
  return v;
}

void put(const Thumbs& v, asn1::Thumbs& c) {
  putAnyList(v.certThumbs, c.certThumbs, "Thumbs.certThumbs");
  putAnyList(v.crlThumbs, c.crlThumbs, "Thumbs.crlThumbs");
  putAnyList(v.brandCRLIdentifierThumbs, c.brandCRLIdentifierThumbs, "Thumbs.brandCRLIdentifierThumbs");
}
Thumbs get(const asn1::Thumbs& c) {
  Thumbs v;
  v.certThumbs = getThumbList(c.certThumbs, "Thumbs.certThumbs");
  v.crlThumbs = getThumbList(c.crlThumbs, "Thumbs.crlThumbs");
  v.brandCRLIdentifierThumbs = getThumbList(c.brandCRLIdentifierThumbs, "Thumbs.brandCRLIdentifierThumbs");
  return v;
}

void put(const InstallRecurData& v, asn1::InstallRecurData& c) {
  asn1::InstallRecurInd& ind = *c.installRecurInd;
  if (const int* total = std::get_if<int>(&v.installRecurInd)) {
    ind.type = 0;
    asn1::setInteger(ind.value.installTotalTrans, *total);
  } else {
    const auto& r = std::get<Recurring>(v.installRecurInd);
    ind.type = 1;
    ind.value.recurring = alloc<asn1::Recurring>(asn1::Recurring_it());
    asn1::setInteger(ind.value.recurring->recurringFrequency, r.recurringFrequency);
    asn1::setDate(ind.value.recurring->recurringExpiry, r.recurringExpiry);
  }
  putExts(v.irExtensions, c.irExtensions);
}
InstallRecurData get(const asn1::InstallRecurData& c) {
  InstallRecurData v;
  const asn1::InstallRecurInd& ind = *c.installRecurInd;
  if (ind.type == 0) {
    v.installRecurInd = static_cast<int>(ranged(ind.value.installTotalTrans, 2, 999, "installTotalTrans"));
  } else {
    Recurring r;
    r.recurringFrequency = static_cast<int>(ranged(ind.value.recurring->recurringFrequency, 1, 365, "recurringFrequency"));
    r.recurringExpiry = asn1::date(ind.value.recurring->recurringExpiry, "recurringExpiry");
    v.installRecurInd = r;
  }
  v.irExtensions = getExts(c.irExtensions, "irExtensions");
  return v;
}

void put(const BackKeyData& v, asn1::BackKeyData& c) {
  ASN1_OBJECT* o = asn1::objectFromText(v.backAlgID);
  if (!X509_ALGOR_set0(c.backAlgID, o, V_ASN1_UNDEF, nullptr)) {
    ASN1_OBJECT_free(o);
    ossl::fail(ErrorCode::unspecifiedFailure, "X509_ALGOR_set0");
  }
  asn1::setOctets(c.backKey, v.backKey);
}
BackKeyData get(const asn1::BackKeyData& c) {
  BackKeyData v;
  const ASN1_OBJECT* o = nullptr;
  int ptype = 0;
  const void* pval = nullptr;
  X509_ALGOR_get0(&o, &ptype, &pval, c.backAlgID);
  if (ptype != V_ASN1_UNDEF) bad("BackKeyData.backAlgID: parameters must be absent");
  v.backAlgID = asn1::oidText(o);
  v.backKey = sized(c.backKey, 1, 64, "BackKeyData.backKey");
  return v;
}

void put(const MessageIDs& v, asn1::MessageIDs& c) {
  if (v.lidC) asn1::setOctets(c.lidC, *v.lidC);
  if (v.lidM) asn1::setOctets(c.lidM, *v.lidM);
  if (v.xid) asn1::setOctets(c.xid, *v.xid);
}
MessageIDs get(const asn1::MessageIDs& c) {
  MessageIDs v;
  if (c.lidC) v.lidC = sized(c.lidC, 1, limits::localIdMax, "MessageIDs.lid-C");
  if (c.lidM) v.lidM = sized(c.lidM, 1, limits::localIdMax, "MessageIDs.lid-M");
  if (c.xid) v.xid = fixed(c.xid, limits::nonce, "MessageIDs.xID");
  return v;
}

void put(const MessageHeader& v, asn1::MessageHeader& c) {
  asn1::setInteger(c.version, v.version);
  if (v.revision != 0) asn1::setInteger(c.revision, v.revision);  // DEFAULT 0 is never encoded (DER)
  asn1::setDate(c.date, v.date);
  putOpt(v.messageIDs, c.messageIDs, asn1::MessageIDs_it());
  if (v.rrpid) asn1::setOctets(c.rrpid, *v.rrpid);
  setVisible(c.swIdent, v.swIdent);
}
MessageHeader get(const asn1::MessageHeader& c) {
  MessageHeader v;
  v.version = static_cast<int>(ranged(c.version, -1000, 1000, "MessageHeader.version"));
  if (c.revision) {
    v.revision = static_cast<int>(ranged(c.revision, -1000, 1000, "MessageHeader.revision"));
    if (v.revision == 0) bad("MessageHeader.revision: DEFAULT value encoded (not DER)");
  }
  v.date = asn1::date(c.date, "MessageHeader.date");
  v.messageIDs = getOpt<MessageIDs>(c.messageIDs);
  if (c.rrpid) v.rrpid = fixed(c.rrpid, limits::nonce, "MessageHeader.rrpid");
  v.swIdent = visible(c.swIdent, 1, limits::swIdentMax, "MessageHeader.swIdent");
  return v;
}

void put(const MerchantIdentity& v, asn1::MerchantIdentity& c) {
  asn1::setAny(c.merchantSignatureThumb, v.merchantSignatureThumb, "MerchantIdentity.merchantSignatureThumb");
  setVisible(c.merchantID, v.merchantID);
}
MerchantIdentity get(const asn1::MerchantIdentity& c) {
  MerchantIdentity v;
  v.merchantSignatureThumb = ddDer(c.merchantSignatureThumb, NID_pkcs7_data, "MerchantIdentity.merchantSignatureThumb");
  v.merchantID = visible(c.merchantID, 1, limits::merchantIdMax, "MerchantIdentity.merchantID");
  return v;
}

}  // namespace setpay::protocol::convert
