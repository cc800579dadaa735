// Internal: typed value <-> OpenSSL template struct, one put/get pair per type. get() validates every
// field limit (decodingFailure) and rejects unknown critical extensions (unrecognizedExtension).
#pragma once

#include "protocol/asn1/set_asn1.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/messages/payment.hpp"
#include "protocol/messages/wrapper.hpp"

namespace setpay::protocol::convert {

#define SETPAY_CONVERT(T)             \
  void put(const T& v, asn1::T& c);   \
  T get(const asn1::T& c);
SETPAY_CONVERT(CurrencyAmount)
SETPAY_CONVERT(TransIDs)
SETPAY_CONVERT(Thumbs)
SETPAY_CONVERT(InstallRecurData)
SETPAY_CONVERT(BackKeyData)
SETPAY_CONVERT(MessageIDs)
SETPAY_CONVERT(MessageHeader)
SETPAY_CONVERT(PInitReq)
SETPAY_CONVERT(PInitResData)
SETPAY_CONVERT(HODInput)
SETPAY_CONVERT(OIData)
SETPAY_CONVERT(PIHead)
SETPAY_CONVERT(PANData)
SETPAY_CONVERT(PANToken)
SETPAY_CONVERT(PIData)
SETPAY_CONVERT(PIDataUnsigned)
SETPAY_CONVERT(PI_TBS)
SETPAY_CONVERT(PI_OILink)
SETPAY_CONVERT(PIDualSigned)
SETPAY_CONVERT(PReq)
SETPAY_CONVERT(FloatingPoint)
SETPAY_CONVERT(CurrConv)
SETPAY_CONVERT(Results)
SETPAY_CONVERT(PResPayload)
SETPAY_CONVERT(PResData)
SETPAY_CONVERT(InqReqData)
SETPAY_CONVERT(InqReq)
SETPAY_CONVERT(MerTermIDs)
SETPAY_CONVERT(RRTags)
SETPAY_CONVERT(AuthTags)
SETPAY_CONVERT(CheckDigests)
SETPAY_CONVERT(AuthReqPayload)
SETPAY_CONVERT(AuthReqItem)
SETPAY_CONVERT(AuthReqData)
SETPAY_CONVERT(PI)
SETPAY_CONVERT(ResponseData)
SETPAY_CONVERT(AuthHeader)
SETPAY_CONVERT(CapResPayload)
SETPAY_CONVERT(AuthResPayload)
SETPAY_CONVERT(AuthResData)
SETPAY_CONVERT(CapToken)
SETPAY_CONVERT(AuthResBaggage)
SETPAY_CONVERT(CapTokenData)
SETPAY_CONVERT(AuthTokenData)
SETPAY_CONVERT(CapPayload)
SETPAY_CONVERT(CapItem)
SETPAY_CONVERT(CapReqData)
SETPAY_CONVERT(CapResItem)
SETPAY_CONVERT(CapResData)
SETPAY_CONVERT(ErrorTBS)
SETPAY_CONVERT(Error)
SETPAY_CONVERT(MessageWrapper)
SETPAY_CONVERT(MerchantIdentity)
#undef SETPAY_CONVERT
// CapTokenSeq is an item template (the value is the stack itself).
void put(const CapTokenSeq& v, OPENSSL_STACK& c);
CapTokenSeq get(const OPENSSL_STACK& c);

}  // namespace setpay::protocol::convert
