#include "protocol/mobile/codec.hpp"

#include <openssl/asn1.h>

#include "protocol/asn1/fields.hpp"
#include "protocol/asn1/strict_der.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/mobile/field_readers.hpp"
#include "protocol/mobile/mobile_asn1.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol::mobile {

namespace a = mobile::asn1;
using namespace fields;  // field_readers.hpp: this file's vocabulary
using protocol::asn1::Owned;

namespace {

[[noreturn]] void bad(const std::string& why) { throw ProtocolError(ErrorCode::decodingFailure, why); }

template <class T>
T* alloc(const ASN1_ITEM* item) {
  return static_cast<T*>(protocol::asn1::newItemRaw(item));
}

// ---- setters

void setOctets(ASN1_OCTET_STRING*& f, ByteView v) { protocol::asn1::setOctets(f, v); }
void setText(ASN1_STRING*& f, int type, std::string_view v) { protocol::asn1::setText(f, type, v); }
void setInt(ASN1_INTEGER*& f, std::int64_t v) { protocol::asn1::setInteger(f, v); }
void setEnum(ASN1_ENUMERATED*& f, std::int64_t v) { protocol::asn1::setEnumerated(f, v); }

// ---- Binding

void put(const Binding& v, a::Binding& c) {
  setInt(c.version, kVersion);
  setOctets(c.xid, v.xid);
  setOctets(c.purchaseNonce, v.purchaseNonce);
  setOctets(c.terminalID, v.terminalID);
  protocol::asn1::setDate(c.date, v.date);
}
Binding get(const a::Binding& c) {
  const std::int64_t version = protocol::asn1::integer(c.version, "Binding.version");
  if (version < kVersion) throw ProtocolError(ErrorCode::versionTooOld, "mobile message version " + std::to_string(version));
  if (version > kVersion) throw ProtocolError(ErrorCode::versionTooNew, "mobile message version " + std::to_string(version));
  Binding v;
  v.xid = octets(c.xid, protocol::limits::nonce, protocol::limits::nonce, "Binding.xid");
  v.purchaseNonce = octets(c.purchaseNonce, limits::nonceMin, limits::nonceMax, "Binding.purchaseNonce");
  v.terminalID = octets(c.terminalID, limits::terminalID, limits::terminalID, "Binding.terminalID");
  v.date = protocol::asn1::date(c.date, "Binding.date");
  return v;
}

// ---- d

void put(const SignatureRequest& v, a::SignatureRequest& c) {
  put(v.binding, *c.binding);
  setText(c.profile, V_ASN1_VISIBLESTRING, v.profile == ProfileId::set1 ? "set1" : "modern");
  setEnum(c.mode, static_cast<std::int64_t>(v.mode));
  protocol::asn1::setAny(c.pInitRes, v.pInitRes, "SignatureRequest.pInitRes");
  setText(c.brandID, V_ASN1_VISIBLESTRING, v.brandID);
  setText(c.bin, V_ASN1_NUMERICSTRING, v.bin);
  setOctets(c.rrpid, v.rrpid);
  setOctets(c.od, v.od);
  protocol::asn1::setAny(c.purchAmt, protocol::encode(v.purchAmt), "SignatureRequest.purchAmt");
  setOctets(c.odSalt, v.odSalt);
}
SignatureRequest get(const a::SignatureRequest& c) {
  SignatureRequest v;
  v.binding = get(*c.binding);
  const auto profile = AlgorithmProfile::parse(visible(c.profile, 16, "SignatureRequest.profile"));
  if (!profile) bad("SignatureRequest.profile: not set1 or modern");
  v.profile = *profile;
  v.mode = static_cast<CardMode>(enumerated(c.mode, 1, "SignatureRequest.mode"));
  v.pInitRes = setValue(c.pInitRes, "SignatureRequest.pInitRes");
  v.brandID = visible(c.brandID, protocol::limits::brandIdMax, "SignatureRequest.brandID");
  v.bin = digits(c.bin, 6, "SignatureRequest.bin");
  v.rrpid = octets(c.rrpid, protocol::limits::nonce, protocol::limits::nonce, "SignatureRequest.rrpid");
  v.od = octets(c.od, 0, protocol::limits::odMax, "SignatureRequest.od");
  v.purchAmt = setValueOf<CurrencyAmount>(c.purchAmt, "SignatureRequest.purchAmt");
  v.odSalt = octets(c.odSalt, protocol::limits::nonce, protocol::limits::nonce, "SignatureRequest.odSalt");
  return v;
}

// ---- e

void put(const Refusal& v, a::Refusal& c) {
  setEnum(c.reason, static_cast<std::int64_t>(v.reason));
  if (v.pinTriesLeft) setInt(c.pinTriesLeft, *v.pinTriesLeft);
  if (v.errorCode) setInt(c.errorCode, static_cast<int>(*v.errorCode));
  if (v.detail) setText(c.detail, V_ASN1_VISIBLESTRING, *v.detail);
}
Refusal get(const a::Refusal& c) {
  Refusal v;
  v.reason = static_cast<RefusalReason>(enumerated(c.reason, static_cast<int>(RefusalReason::modeRefused), "Refusal.reason"));
  if (c.pinTriesLeft) v.pinTriesLeft = static_cast<int>(ranged(c.pinTriesLeft, 0, limits::pinTriesMax, "Refusal.pinTriesLeft"));
  if (c.errorCode) v.errorCode = errorCode(c.errorCode, "Refusal.errorCode");
  v.detail = optVisible(c.detail, limits::detailMax, "Refusal.detail");
  return v;
}

void put(const SignatureResponse& v, a::SignatureResponse& c) {
  put(v.binding, *c.binding);
  setOctets(c.dDigest, v.dDigest);
  a::SignatureAnswer& answer = *c.answer;
  if (const auto* s = std::get_if<SealedPI>(&v.answer)) {
    answer.type = a::kAnswerSealedPI;
    answer.value.sealedPI = alloc<a::SealedPI>(a::SealedPI_it());
    protocol::asn1::setAny(answer.value.sealedPI->piDualSigned, protocol::encode(s->piDualSigned), "SealedPI.piDualSigned");
    protocol::asn1::setAny(answer.value.sealedPI->hPIData, s->hPIData, "SealedPI.hPIData");
  } else if (const auto* d = std::get_if<CardData>(&v.answer)) {
    answer.type = a::kAnswerCardData;
    answer.value.cardData = alloc<a::CardData>(a::CardData_it());
    protocol::asn1::setAny(answer.value.cardData->piHead, protocol::encode(d->piHead), "CardData.piHead");
    protocol::asn1::setAny(answer.value.cardData->panData, protocol::encode(d->panData), "CardData.panData");
    protocol::asn1::setAny(answer.value.cardData->piSignature, d->piSignature, "CardData.piSignature");
  } else {
    answer.type = a::kAnswerRefusal;
    answer.value.refusal = alloc<a::Refusal>(a::Refusal_it());
    put(std::get<Refusal>(v.answer), *answer.value.refusal);
  }
}
SignatureResponse get(const a::SignatureResponse& c) {
  SignatureResponse v;
  v.binding = get(*c.binding);
  v.dDigest = octets(c.dDigest, limits::digest, limits::digest, "SignatureResponse.dDigest");
  const a::SignatureAnswer& answer = *c.answer;
  switch (answer.type) {
    case a::kAnswerSealedPI:
      v.answer = SealedPI{setValueOf<PIDualSigned>(answer.value.sealedPI->piDualSigned, "SealedPI.piDualSigned"),
                          setValue(answer.value.sealedPI->hPIData, "SealedPI.hPIData")};
      break;
    case a::kAnswerCardData:
      v.answer = CardData{setValueOf<PIHead>(answer.value.cardData->piHead, "CardData.piHead"),
                          setValueOf<PANData>(answer.value.cardData->panData, "CardData.panData"),
                          setValue(answer.value.cardData->piSignature, "CardData.piSignature")};
      break;
    case a::kAnswerRefusal:
      v.answer = get(*answer.value.refusal);
      break;
    default:
      bad("SignatureAnswer: unknown alternative");
  }
  return v;
}

// ---- f

void put(const PurchaseConfirmation& v, a::PurchaseConfirmation& c) {
  put(v.binding, *c.binding);
  if (v.eDigest) setOctets(c.eDigest, *v.eDigest);
  setEnum(c.outcome, static_cast<std::int64_t>(v.outcome));
  protocol::asn1::setAny(c.purchAmt, protocol::encode(v.purchAmt), "PurchaseConfirmation.purchAmt");
  setText(c.merchantName, V_ASN1_UTF8STRING, v.merchantName);
  if (v.authCode) setInt(c.authCode, static_cast<int>(*v.authCode));
  if (v.approvalCode) setText(c.approvalCode, V_ASN1_VISIBLESTRING, *v.approvalCode);
  if (v.errorCode) setInt(c.errorCode, static_cast<int>(*v.errorCode));
  if (v.walletReason) setEnum(c.walletReason, static_cast<std::int64_t>(*v.walletReason));
  if (v.detail) setText(c.detail, V_ASN1_VISIBLESTRING, *v.detail);
}
PurchaseConfirmation get(const a::PurchaseConfirmation& c) {
  PurchaseConfirmation v;
  v.binding = get(*c.binding);
  if (c.eDigest) v.eDigest = octets(c.eDigest, limits::digest, limits::digest, "PurchaseConfirmation.eDigest");
  v.outcome = static_cast<Outcome>(enumerated(c.outcome, static_cast<int>(Outcome::refused), "PurchaseConfirmation.outcome"));
  v.purchAmt = setValueOf<CurrencyAmount>(c.purchAmt, "PurchaseConfirmation.purchAmt");
  v.merchantName = displayText(c.merchantName, limits::merchantNameMax, "PurchaseConfirmation.merchantName");
  if (c.authCode)
    v.authCode = static_cast<AuthCode>(
        ranged(c.authCode, 0, static_cast<int>(AuthCode::cardMerchBrandMismatch), "PurchaseConfirmation.authCode"));
  v.approvalCode = optVisible(c.approvalCode, limits::approvalCodeMax, "PurchaseConfirmation.approvalCode");
  if (c.errorCode) v.errorCode = errorCode(c.errorCode, "PurchaseConfirmation.errorCode");
  if (c.walletReason)
    v.walletReason = static_cast<WalletReason>(
        enumerated(c.walletReason, static_cast<int>(WalletReason::terminalTimeout), "PurchaseConfirmation.walletReason"));
  v.detail = optVisible(c.detail, limits::detailMax, "PurchaseConfirmation.detail");
  return v;
}

// ---- content

void put(const Content& v, a::MobileContent& c) {
  if (const auto* d = std::get_if<SignatureRequest>(&v)) {
    c.type = a::kContentD;
    c.value.d = alloc<a::SignatureRequest>(a::SignatureRequest_it());
    put(*d, *c.value.d);
  } else if (const auto* e = std::get_if<SignatureResponse>(&v)) {
    c.type = a::kContentE;
    c.value.e = alloc<a::SignatureResponse>(a::SignatureResponse_it());
    put(*e, *c.value.e);
  } else {
    c.type = a::kContentF;
    c.value.f = alloc<a::PurchaseConfirmation>(a::PurchaseConfirmation_it());
    put(std::get<PurchaseConfirmation>(v), *c.value.f);
  }
}
Content get(const a::MobileContent& c) {
  switch (c.type) {
    case a::kContentD: return get(*c.value.d);
    case a::kContentE: return get(*c.value.e);
    case a::kContentF: return get(*c.value.f);
    default: bad("MobileContent: unknown alternative");
  }
}

}  // namespace

Bytes encodeContent(const Content& value) {
  auto c = protocol::asn1::newItem<a::MobileContent>(a::MobileContent_it());
  put(value, *c);
  Bytes der = protocol::asn1::encodeItem(c.get(), a::MobileContent_it());
  // Refuse to send what a strict receiver would refuse (limits, character sets, sizes).
  auto back = protocol::asn1::decodeStrict<a::MobileContent>(der, a::MobileContent_it(), limits::message, "MobileContent");
  (void)get(*back);
  return der;
}

DecodedMessage decodeMessage(ByteView der) {
  auto m = protocol::asn1::decodeStrict<a::MobileMessage>(der, a::MobileMessage_it(), limits::message, "MobileMessage");
  DecodedMessage out;
  out.signature = octets(m->signature, 1, limits::signatureMax, "MobileMessage.signature");
  // DER is canonical and the whole message re-encoded identically, so this is the content as received.
  out.contentDer = protocol::asn1::encodeItem(m->content, a::MobileContent_it());
  out.content = get(*m->content);
  return out;
}

Bytes encodeMessage(ByteView contentDer, ByteView signature) {
  auto m = protocol::asn1::newItem<a::MobileMessage>(a::MobileMessage_it());
  ASN1_item_free(reinterpret_cast<ASN1_VALUE*>(m->content), a::MobileContent_it());
  m->content = nullptr;
  m->content = protocol::asn1::decodeStrict<a::MobileContent>(contentDer, a::MobileContent_it(), limits::message,
                                                              "MobileContent")
                   .release();
  setOctets(m->signature, signature);
  return protocol::asn1::encodeItem(m.get(), a::MobileMessage_it());
}

}  // namespace setpay::protocol::mobile
