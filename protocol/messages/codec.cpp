#include "protocol/messages/codec.hpp"

#include "protocol/messages/convert_support.hpp"

namespace setpay::protocol {

namespace {

// Which template struct and item each typed value maps to.
template <class T> struct Asn1Of;
#define SETPAY_ASN1_OF(T)                                          \
  template <> struct Asn1Of<T> {                                   \
    using C = asn1::T;                                             \
    static const ASN1_ITEM* item() { return asn1::T##_it(); }      \
    static constexpr const char* name = #T;                        \
  };
SETPAY_ASN1_OF(CurrencyAmount)
SETPAY_ASN1_OF(TransIDs)
SETPAY_ASN1_OF(Thumbs)
SETPAY_ASN1_OF(InstallRecurData)
SETPAY_ASN1_OF(MessageHeader)
SETPAY_ASN1_OF(PInitReq)
SETPAY_ASN1_OF(PInitResData)
SETPAY_ASN1_OF(HODInput)
SETPAY_ASN1_OF(OIData)
SETPAY_ASN1_OF(PIHead)
SETPAY_ASN1_OF(PANData)
SETPAY_ASN1_OF(PANToken)
SETPAY_ASN1_OF(PIData)
SETPAY_ASN1_OF(PIDataUnsigned)
SETPAY_ASN1_OF(PI_TBS)
SETPAY_ASN1_OF(PI_OILink)
SETPAY_ASN1_OF(PIDualSigned)
SETPAY_ASN1_OF(PReq)
SETPAY_ASN1_OF(PResData)
SETPAY_ASN1_OF(PResPayload)
SETPAY_ASN1_OF(InqReqData)
SETPAY_ASN1_OF(InqReq)
SETPAY_ASN1_OF(AuthReqData)
SETPAY_ASN1_OF(AuthReqItem)
SETPAY_ASN1_OF(PI)
SETPAY_ASN1_OF(AuthResData)
SETPAY_ASN1_OF(AuthResPayload)
SETPAY_ASN1_OF(AuthResBaggage)
SETPAY_ASN1_OF(CapTokenData)
SETPAY_ASN1_OF(AuthTokenData)
SETPAY_ASN1_OF(CapReqData)
SETPAY_ASN1_OF(CapResData)
SETPAY_ASN1_OF(CapResPayload)
SETPAY_ASN1_OF(ErrorTBS)
SETPAY_ASN1_OF(Error)
SETPAY_ASN1_OF(MessageWrapper)
SETPAY_ASN1_OF(MerchantIdentity)
#undef SETPAY_ASN1_OF
template <> struct Asn1Of<CapTokenSeq> {
  using C = OPENSSL_STACK;
  static const ASN1_ITEM* item() { return asn1::CapTokenSeq_it(); }
  static constexpr const char* name = "CapTokenSeq";
};

template <class T>
T decodeUnchecked(ByteView der, std::size_t maxSize) {
  using A = Asn1Of<T>;
  auto c = asn1::decodeStrict<typename A::C>(der, A::item(), maxSize, A::name);
  return convert::get(*c);
}

// Plaintext parts of a wrapper that can be matched against the header without opening anything.
void checkPlainWrapper(const MessageWrapper& w) {
  checkVersion(w.messageHeader);
  if (const auto* r = std::get_if<PInitReq>(&w.message)) {
    // PInitReq has no TransIDs yet (no XID): match what it has, rrpid and the LIDs.
    const MessageHeader& h = w.messageHeader;
    if (h.messageIDs && h.messageIDs->xid)
      throw ProtocolError(ErrorCode::wrapperMsgMismatch, "PInitReq header carries an XID");
    if (h.rrpid && *h.rrpid != r->rrpid) throw ProtocolError(ErrorCode::wrapperMsgMismatch, "rrpid");
    if (h.messageIDs) {
      if (h.messageIDs->lidC && *h.messageIDs->lidC != r->localIDC)
        throw ProtocolError(ErrorCode::wrapperMsgMismatch, "lid-C");
      if (h.messageIDs->lidM && h.messageIDs->lidM != r->localIDM)
        throw ProtocolError(ErrorCode::wrapperMsgMismatch, "lid-M");
    }
  } else if (const auto* p = std::get_if<PReq>(&w.message)) {
    const OIData& oi = std::visit([](const auto& x) -> const OIData& { return x.oiData; }, p->value);
    checkWrapperMatches(w.messageHeader, &oi.rrpid, &oi.transIDs);
  } else if (const auto* q = std::get_if<InqReq>(&w.message)) {
    if (const auto* d = std::get_if<InqReqData>(&q->value)) checkWrapperMatches(w.messageHeader, &d->rrpid, &d->transIDs);
  }
}

}  // namespace

// A well-formed DER wrapper whose Message alternative we do not implement is messageNotSupported (the
// sender may retry with another), not decodingFailure.
template <class T>
T decodeOrUnsupported(ByteView der, std::size_t maxSize) {
  try {
    return decodeUnchecked<T>(der, maxSize);
  } catch (const ProtocolError& e) {
    if constexpr (std::is_same_v<T, MessageWrapper>) {
      const auto tag = e.code() == ErrorCode::decodingFailure ? messageChoiceTag(der) : std::nullopt;
      if (tag && !knownMessageChoiceTag(*tag)) {
        asn1::checkDerShape(der);  // otherwise valid DER only
        throw ProtocolError(ErrorCode::messageNotSupported, "Message alternative [" + std::to_string(*tag) + "]");
      }
    }
    throw;
  }
}

template <class T>
T decode(ByteView der, std::size_t maxSize) {
  T v = decodeOrUnsupported<T>(der, maxSize);
  if constexpr (std::is_same_v<T, MessageWrapper>) checkPlainWrapper(v);
  return v;
}

template <class T>
Bytes encode(const T& value) {
  using A = Asn1Of<T>;
  auto c = asn1::newItem<typename A::C>(A::item());
  convert::put(value, *c);
  Bytes der = asn1::encodeItem(c.get(), A::item());
  // Refuse to emit what a strict receiver would refuse (limits, digits, sizes…): the receiver's own
  // checks run on the value as built, and the bytes get the receiver's DER-shape walk (it catches a
  // non-DER value carried inside an ANY). The template decode and re-encoding comparison are not
  // repeated: OpenSSL's i2d writes DER (SPEC-CHOICES "Strictness").
  asn1::checkDerShape(der);
  (void)convert::get(*c);
  return der;
}

#define SETPAY_INSTANTIATE(T)                          \
  template Bytes encode<T>(const T&);                  \
  template T decode<T>(ByteView, std::size_t);
SETPAY_INSTANTIATE(CurrencyAmount)
SETPAY_INSTANTIATE(TransIDs)
SETPAY_INSTANTIATE(Thumbs)
SETPAY_INSTANTIATE(InstallRecurData)
SETPAY_INSTANTIATE(MessageHeader)
SETPAY_INSTANTIATE(PInitReq)
SETPAY_INSTANTIATE(PInitResData)
SETPAY_INSTANTIATE(HODInput)
SETPAY_INSTANTIATE(OIData)
SETPAY_INSTANTIATE(PIHead)
SETPAY_INSTANTIATE(PANData)
SETPAY_INSTANTIATE(PANToken)
SETPAY_INSTANTIATE(PIData)
SETPAY_INSTANTIATE(PIDataUnsigned)
SETPAY_INSTANTIATE(PI_TBS)
SETPAY_INSTANTIATE(PI_OILink)
SETPAY_INSTANTIATE(PIDualSigned)
SETPAY_INSTANTIATE(PReq)
SETPAY_INSTANTIATE(PResData)
SETPAY_INSTANTIATE(PResPayload)
SETPAY_INSTANTIATE(InqReqData)
SETPAY_INSTANTIATE(InqReq)
SETPAY_INSTANTIATE(AuthReqData)
SETPAY_INSTANTIATE(AuthReqItem)
SETPAY_INSTANTIATE(PI)
SETPAY_INSTANTIATE(AuthResData)
SETPAY_INSTANTIATE(AuthResPayload)
SETPAY_INSTANTIATE(AuthResBaggage)
SETPAY_INSTANTIATE(CapTokenData)
SETPAY_INSTANTIATE(AuthTokenData)
SETPAY_INSTANTIATE(CapReqData)
SETPAY_INSTANTIATE(CapTokenSeq)
SETPAY_INSTANTIATE(CapResData)
SETPAY_INSTANTIATE(CapResPayload)
SETPAY_INSTANTIATE(ErrorTBS)
SETPAY_INSTANTIATE(Error)
SETPAY_INSTANTIATE(MessageWrapper)
SETPAY_INSTANTIATE(MerchantIdentity)
#undef SETPAY_INSTANTIATE

}  // namespace setpay::protocol
