// Typed <-> template struct for the payment phase: PRes/InqReq, AuthReq/AuthRes, CapReq/CapRes, Error,
// and the MessageWrapper.
#include "protocol/messages/convert_support.hpp"

namespace setpay::protocol::convert {

namespace {
constexpr std::int64_t intMax = 2147483647;
}

void put(const FloatingPoint& v, asn1::FloatingPoint& c) {
  asn1::setInteger(c.mantissa, v.mantissa);
  asn1::setInteger(c.exponent10, v.exponent10);
}
FloatingPoint get(const asn1::FloatingPoint& c) {
  return FloatingPoint{ranged(c.mantissa, -999999999999999999LL, 999999999999999999LL, "FloatingPoint.mantissa"),
                       static_cast<int>(ranged(c.exponent10, -30, 30, "FloatingPoint.exponent10"))};
}

void put(const CurrConv& v, asn1::CurrConv& c) {
  put(v.currConvRate, *c.currConvRate);
  asn1::setInteger(c.cardCurr, v.cardCurr);
}
CurrConv get(const asn1::CurrConv& c) {
  return CurrConv{get(*c.currConvRate), static_cast<int>(ranged(c.cardCurr, 1, 999, "CurrConv.cardCurr"))};
}

void put(const Results& v, asn1::Results& c) {
  putOptAny(v.acqCardMsg, c.acqCardMsg, "Results.acqCardMsg");
  if (v.authStatus) {
    c.authStatus = alloc<asn1::AuthStatus>(asn1::AuthStatus_it());
    asn1::setDate(c.authStatus->authDate, v.authStatus->authDate);
    asn1::setEnumerated(c.authStatus->authCode, static_cast<int>(v.authStatus->authCode));
    put(v.authStatus->authRatio, *c.authStatus->authRatio);
    putOpt(v.authStatus->currConv, c.authStatus->currConv, asn1::CurrConv_it());
  }
  if (v.capStatus) {
    c.capStatus = alloc<asn1::CapStatus>(asn1::CapStatus_it());
    asn1::setDate(c.capStatus->capDate, v.capStatus->capDate);
    asn1::setEnumerated(c.capStatus->capCode, static_cast<int>(v.capStatus->capCode));
    put(v.capStatus->capRatio, *c.capStatus->capRatio);
  }
}
Results get(const asn1::Results& c) {
  Results v;
  v.acqCardMsg = getOptAny(c.acqCardMsg, "Results.acqCardMsg");
  if (c.authStatus) {
    AuthStatus a;
    a.authDate = asn1::date(c.authStatus->authDate, "AuthStatus.authDate");
    a.authCode = static_cast<AuthCode>(rangedEnum(c.authStatus->authCode, 0, 16, "AuthStatus.authCode"));
    a.authRatio = get(*c.authStatus->authRatio);
    a.currConv = getOpt<CurrConv>(c.authStatus->currConv);
    v.authStatus = a;
  }
  if (c.capStatus) {
    CapStatus s;
    s.capDate = asn1::date(c.capStatus->capDate, "CapStatus.capDate");
    s.capCode = static_cast<CapCode>(rangedEnum(c.capStatus->capCode, 0, 10, "CapStatus.capCode"));
    s.capRatio = get(*c.capStatus->capRatio);
    v.capStatus = s;
  }
  return v;
}

void put(const PResPayload& v, asn1::PResPayload& c) {
  asn1::setEnumerated(c.completionCode, static_cast<int>(v.completionCode));
  putOpt(v.results, c.results, asn1::Results_it());
  putExts(v.pRsExtensions, c.pRsExtensions);
}
PResPayload get(const asn1::PResPayload& c) {
  PResPayload v;
  v.completionCode = static_cast<CompletionCode>(rangedEnum(c.completionCode, 0, 6, "PResPayload.completionCode"));
  v.results = getOpt<Results>(c.results);
  v.pRsExtensions = getExts(c.pRsExtensions, "PResPayload.pRsExtensions");
  return v;
}

void put(const PResData& v, asn1::PResData& c) {
  put(v.transIDs, *c.transIDs);
  asn1::setOctets(c.rrpid, v.rrpid);
  asn1::setOctets(c.challC, v.challC);
  putOptAny(v.brandCRLIdentifier, c.brandCRLIdentifier, "PResData.brandCRLIdentifier");
  putList<asn1::PResPayload>(v.pResPayloadSeq, c.pResPayloadSeq, asn1::PResPayload_it());
}
PResData get(const asn1::PResData& c) {
  PResData v;
  v.transIDs = get(*c.transIDs);
  v.rrpid = fixed(c.rrpid, limits::nonce, "PResData.rrpid");
  v.challC = fixed(c.challC, limits::nonce, "PResData.chall-C");
  v.brandCRLIdentifier = getOptAny(c.brandCRLIdentifier, "PResData.brandCRLIdentifier");
  v.pResPayloadSeq = getList<PResPayload, asn1::PResPayload>(c.pResPayloadSeq, "PResData.pResPayloadSeq");
  return v;
}

void put(const InqReqData& v, asn1::InqReqData& c) {
  put(v.transIDs, *c.transIDs);
  asn1::setOctets(c.rrpid, v.rrpid);
  asn1::setOctets(c.challC2, v.challC2);
  putExts(v.inqRqExtensions, c.inqRqExtensions);
}
InqReqData get(const asn1::InqReqData& c) {
  InqReqData v;
  v.transIDs = get(*c.transIDs);
  v.rrpid = fixed(c.rrpid, limits::nonce, "InqReqData.rrpid");
  v.challC2 = fixed(c.challC2, limits::nonce, "InqReqData.chall-C2");
  v.inqRqExtensions = getExts(c.inqRqExtensions, "InqReqData.inqRqExtensions");
  return v;
}

void put(const InqReq& v, asn1::InqReq& c) {
  if (const auto* s = std::get_if<Bytes>(&v.value)) {
    c.type = 0;
    c.value.inqReqSigned = nullptr;
    asn1::setAny(c.value.inqReqSigned, *s, "InqReq.inqReqSigned");
  } else {
    c.type = 1;
    c.value.inqReqUnsigned = alloc<asn1::InqReqData>(asn1::InqReqData_it());
    put(std::get<InqReqData>(v.value), *c.value.inqReqUnsigned);
  }
}
InqReq get(const asn1::InqReq& c) {
  if (c.type == 0) return InqReq{opDer(c.value.inqReqSigned, "InqReq.inqReqSigned")};
  return InqReq{get(*c.value.inqReqUnsigned)};
}

void put(const MerTermIDs& v, asn1::MerTermIDs& c) {
  setVisible(c.merchantID, v.merchantID);
  putOptText(v.terminalID, c.terminalID);
  putOptInt(v.agentNum, c.agentNum);
  putOptInt(v.chainNum, c.chainNum);
  putOptInt(v.storeNum, c.storeNum);
}
MerTermIDs get(const asn1::MerTermIDs& c) {
  MerTermIDs v;
  v.merchantID = visible(c.merchantID, 1, limits::merchantIdMax, "MerTermIDs.merchantID");
  v.terminalID = getOptText(c.terminalID, 48, "MerTermIDs.terminalID");
  v.agentNum = getOptInt(c.agentNum, 0, intMax, "MerTermIDs.agentNum");
  v.chainNum = getOptInt(c.chainNum, 0, intMax, "MerTermIDs.chainNum");
  v.storeNum = getOptInt(c.storeNum, 0, intMax, "MerTermIDs.storeNum");
  return v;
}

void put(const RRTags& v, asn1::RRTags& c) {
  asn1::setOctets(c.rrpid, v.rrpid);
  put(v.merTermIDs, *c.merTermIDs);
  asn1::setDate(c.date, v.date);
}
RRTags get(const asn1::RRTags& c) {
  return RRTags{fixed(c.rrpid, limits::nonce, "RRTags.rrpid"), get(*c.merTermIDs), asn1::date(c.date, "RRTags.date")};
}

void put(const AuthTags& v, asn1::AuthTags& c) {
  put(v.authRRTags, *c.authRRTags);
  put(v.transIDs, *c.transIDs);
  putOptInt(v.authRetNum, c.authRetNum);
}
AuthTags get(const asn1::AuthTags& c) {
  return AuthTags{get(*c.authRRTags), get(*c.transIDs), getOptInt(c.authRetNum, 0, intMax, "AuthTags.authRetNum")};
}

void put(const CheckDigests& v, asn1::CheckDigests& c) {
  asn1::setAny(c.hOIData, v.hOIData, "CheckDigests.hOIData");
  asn1::setAny(c.hod2, v.hod2, "CheckDigests.hod2");
}
CheckDigests get(const asn1::CheckDigests& c) {
  return CheckDigests{ddDer(c.hOIData, NID_setct_OIData, "CheckDigests.hOIData"),
                      ddDer(c.hod2, NID_setct_HODInput, "CheckDigests.hod2")};
}

void put(const AuthReqPayload& v, asn1::AuthReqPayload& c) {
  c.subsequentAuthInd = v.subsequentAuthInd ? 0xff : 0;
  put(v.authReqAmt, *c.authReqAmt);
  if (v.avsData) {
    c.avsData = alloc<asn1::AVSData>(asn1::AVSData_it());
    putOptText(v.avsData->streetAddress, c.avsData->streetAddress);
    asn1::Location& l = *c.avsData->location;
    asn1::setInteger(l.countryCode, v.avsData->location.countryCode);
    putOptText(v.avsData->location.city, l.city);
    putOptText(v.avsData->location.stateProvince, l.stateProvince);
    putOptText(v.avsData->location.postalCode, l.postalCode);
  }
  c.requestCardTypeInd = v.requestCardTypeInd ? 0xff : 0;
  putOpt(v.installRecurData, c.installRecurData, asn1::InstallRecurData_it());
  if (v.merchData.merchCatCode) setNumeric(c.merchData->merchCatCode, *v.merchData.merchCatCode);
  putOptInt(v.merchData.merchGroup, c.merchData->merchGroup);
  putExts(v.aRqExtensions, c.aRqExtensions);
}
AuthReqPayload get(const asn1::AuthReqPayload& c) {
  AuthReqPayload v;
  v.subsequentAuthInd = c.subsequentAuthInd != 0;
  v.authReqAmt = get(*c.authReqAmt);
  if (c.avsData) {
    AVSData a;
    a.streetAddress = getOptText(c.avsData->streetAddress, limits::textMax, "AVSData.streetAddress");
    const asn1::Location& l = *c.avsData->location;
    a.location.countryCode = static_cast<int>(ranged(l.countryCode, 1, 999, "Location.countryCode"));
    a.location.city = getOptText(l.city, 64, "Location.city");
    a.location.stateProvince = getOptText(l.stateProvince, 64, "Location.stateProvince");
    a.location.postalCode = getOptText(l.postalCode, 16, "Location.postalCode");
    v.avsData = a;
  }
  v.requestCardTypeInd = c.requestCardTypeInd != 0;
  v.installRecurData = getOpt<InstallRecurData>(c.installRecurData);
  if (c.merchData->merchCatCode) v.merchData.merchCatCode = numeric(c.merchData->merchCatCode, 4, 4, "MerchData.merchCatCode");
  v.merchData.merchGroup = getOptInt(c.merchData->merchGroup, 0, 255, "MerchData.merchGroup");
  v.aRqExtensions = getExts(c.aRqExtensions, "AuthReqPayload.aRqExtensions");
  return v;
}

void put(const AuthReqItem& v, asn1::AuthReqItem& c) {
  put(v.authTags, *c.authTags);
  putOpt(v.checkDigests, c.checkDigests, asn1::CheckDigests_it());
  put(v.authReqPayload, *c.authReqPayload);
}
AuthReqItem get(const asn1::AuthReqItem& c) {
  return AuthReqItem{get(*c.authTags), getOpt<CheckDigests>(c.checkDigests), get(*c.authReqPayload)};
}

void put(const AuthReqData& v, asn1::AuthReqData& c) {
  put(v.authReqItem, *c.authReqItem);
  putOpt(v.mThumbs, c.mThumbs, asn1::Thumbs_it());
  c.captureNow = v.captureNow ? 0xff : 0;
}
AuthReqData get(const asn1::AuthReqData& c) {
  return AuthReqData{get(*c.authReqItem), getOpt<Thumbs>(c.mThumbs), c.captureNow != 0};
}

void put(const PI& v, asn1::PI& c) {
  if (const auto* u = std::get_if<PIUnsigned>(&v.value)) {
    c.type = 0;
    c.value.piUnsigned = nullptr;
    asn1::setAny(c.value.piUnsigned, u->exhEnvelope, "PI.piUnsigned");
  } else if (const auto* d = std::get_if<PIDualSigned>(&v.value)) {
    c.type = 1;
    c.value.piDualSigned = alloc<asn1::PIDualSigned>(asn1::PIDualSigned_it());
    put(*d, *c.value.piDualSigned);
  } else {
    c.type = 2;
    c.value.authToken = nullptr;
    asn1::setAny(c.value.authToken, std::get<AuthToken>(v.value).encX, "PI.authToken");
  }
}
PI get(const asn1::PI& c) {
  if (c.type == 0) return PI{PIUnsigned{opDer(c.value.piUnsigned, "PI.piUnsigned")}};
  if (c.type == 1) return PI{get(*c.value.piDualSigned)};
  return PI{AuthToken{opDer(c.value.authToken, "PI.authToken")}};
}

void put(const ResponseData& v, asn1::ResponseData& c) {
  if (v.authValCodes) {
    c.authValCodes = alloc<asn1::AuthValCodes>(asn1::AuthValCodes_it());
    putOptText(v.authValCodes->approvalCode, c.authValCodes->approvalCode);
    putOptInt(v.authValCodes->authCharInd, c.authValCodes->authCharInd);
    putOptText(v.authValCodes->validationCode, c.authValCodes->validationCode);
    putOptInt(v.authValCodes->marketSpecDataID, c.authValCodes->marketSpecDataID);
  }
  putOptInt(v.respReason, c.respReason);
  putOptInt(v.cardType, c.cardType);
  putOptInt(v.avsResult, c.avsResult);
  if (v.logRefID) asn1::setOctets(c.logRefID, *v.logRefID);
}
ResponseData get(const asn1::ResponseData& c) {
  ResponseData v;
  if (c.authValCodes) {
    AuthValCodes a;
    a.approvalCode = getOptText(c.authValCodes->approvalCode, 6, "AuthValCodes.approvalCode");
    a.authCharInd = getOptInt(c.authValCodes->authCharInd, 0, 255, "AuthValCodes.authCharInd");
    a.validationCode = getOptText(c.authValCodes->validationCode, 4, "AuthValCodes.validationCode");
    a.marketSpecDataID = getOptInt(c.authValCodes->marketSpecDataID, 0, 255, "AuthValCodes.marketSpecDataID");
    v.authValCodes = a;
  }
  v.respReason = getOptInt(c.respReason, 0, 255, "ResponseData.respReason");
  v.cardType = getOptInt(c.cardType, 0, 255, "ResponseData.cardType");
  v.avsResult = getOptInt(c.avsResult, 0, 255, "ResponseData.avsResult");
  if (c.logRefID) v.logRefID = sized(c.logRefID, 1, 32, "ResponseData.logRefID");
  return v;
}

void put(const AuthHeader& v, asn1::AuthHeader& c) {
  put(v.authAmt, *c.authAmt);
  asn1::setEnumerated(c.authCode, static_cast<int>(v.authCode));
  put(v.responseData, *c.responseData);
  putOpt(v.currConv, c.currConv, asn1::CurrConv_it());
}
AuthHeader get(const asn1::AuthHeader& c) {
  return AuthHeader{get(*c.authAmt), static_cast<AuthCode>(rangedEnum(c.authCode, 0, 16, "AuthHeader.authCode")),
                    get(*c.responseData), getOpt<CurrConv>(c.currConv)};
}

void put(const CapResPayload& v, asn1::CapResPayload& c) {
  asn1::setEnumerated(c.capCode, static_cast<int>(v.capCode));
  put(v.capAmt, *c.capAmt);
  putOptInt(v.batchID, c.batchID);
  putOptInt(v.batchSequenceNum, c.batchSequenceNum);
  putExts(v.cRsPayExtensions, c.cRsPayExtensions);
}
CapResPayload get(const asn1::CapResPayload& c) {
  CapResPayload v;
  v.capCode = static_cast<CapCode>(rangedEnum(c.capCode, 0, 10, "CapResPayload.capCode"));
  v.capAmt = get(*c.capAmt);
  v.batchID = getOptInt(c.batchID, 0, intMax, "CapResPayload.batchID");
  v.batchSequenceNum = getOptInt(c.batchSequenceNum, 0, intMax, "CapResPayload.batchSequenceNum");
  v.cRsPayExtensions = getExts(c.cRsPayExtensions, "CapResPayload.cRsPayExtensions");
  return v;
}

void put(const AuthResPayload& v, asn1::AuthResPayload& c) {
  put(v.authHeader, *c.authHeader);
  putOpt(v.capResPayload, c.capResPayload, asn1::CapResPayload_it());
  putExts(v.aRsExtensions, c.aRsExtensions);
}
AuthResPayload get(const asn1::AuthResPayload& c) {
  return AuthResPayload{get(*c.authHeader), getOpt<CapResPayload>(c.capResPayload),
                        getExts(c.aRsExtensions, "AuthResPayload.aRsExtensions")};
}

void put(const AuthResData& v, asn1::AuthResData& c) {
  put(v.authTags, *c.authTags);
  putOptAny(v.brandCRLIdentifier, c.brandCRLIdentifier, "AuthResData.brandCRLIdentifier");
  putOptAny(v.peThumb, c.peThumb, "AuthResData.peThumb");
  put(v.authResPayload, *c.authResPayload);
}
AuthResData get(const asn1::AuthResData& c) {
  return AuthResData{get(*c.authTags), getOptAny(c.brandCRLIdentifier, "AuthResData.brandCRLIdentifier"),
                     getOptThumb(c.peThumb, "AuthResData.peThumb"), get(*c.authResPayload)};
}

void put(const CapToken& v, asn1::CapToken& c) {
  switch (v.kind) {
    case CapToken::Kind::enc:
      c.type = 0;
      c.value.enc = nullptr;
      asn1::setAny(c.value.enc, v.der, "CapToken.enc");
      break;
    case CapToken::Kind::encX:
      c.type = 1;
      c.value.encX = nullptr;
      asn1::setAny(c.value.encX, v.der, "CapToken.encX");
      break;
    case CapToken::Kind::null:
      c.type = 2;
      c.value.null = ASN1_NULL_new();
      if (!c.value.null) ossl::fail(ErrorCode::unspecifiedFailure, "ASN1_NULL_new");
      break;
  }
}
CapToken get(const asn1::CapToken& c) {
  if (c.type == 0) return CapToken{CapToken::Kind::enc, opDer(c.value.enc, "CapToken.enc")};
  if (c.type == 1) return CapToken{CapToken::Kind::encX, opDer(c.value.encX, "CapToken.encX")};
  return CapToken{CapToken::Kind::null, {}};
}

void put(const AuthResBaggage& v, asn1::AuthResBaggage& c) {
  putOpt(v.capToken, c.capToken, asn1::CapToken_it());
  putOptAny(v.acqCardMsg, c.acqCardMsg, "AuthResBaggage.acqCardMsg");
  if (v.authToken) asn1::setAny(c.authToken, v.authToken->encX, "AuthResBaggage.authToken");
}
AuthResBaggage get(const asn1::AuthResBaggage& c) {
  AuthResBaggage v;
  v.capToken = getOpt<CapToken>(c.capToken);
  v.acqCardMsg = getOptAny(c.acqCardMsg, "AuthResBaggage.acqCardMsg");
  if (c.authToken) v.authToken = AuthToken{opDer(c.authToken, "AuthResBaggage.authToken")};
  return v;
}

void put(const CapTokenData& v, asn1::CapTokenData& c) {
  asn1::setOctets(c.authRRPID, v.authRRPID);
  put(v.authAmt, *c.authAmt);
  asn1::setOctets(c.tokenOpaque, v.tokenOpaque);
}
CapTokenData get(const asn1::CapTokenData& c) {
  return CapTokenData{fixed(c.authRRPID, limits::nonce, "CapTokenData.authRRPID"), get(*c.authAmt),
                      sized(c.tokenOpaque, 0, limits::opaqueMax, "CapTokenData.tokenOpaque")};
}

void put(const AuthTokenData& v, asn1::AuthTokenData& c) {
  put(v.transIDs, *c.transIDs);
  put(v.purchAmt, *c.purchAmt);
  setVisible(c.merchantID, v.merchantID);
  putOpt(v.acqBackKeyData, c.acqBackKeyData, asn1::BackKeyData_it());
  putOpt(v.installRecurData, c.installRecurData, asn1::InstallRecurData_it());
  putOptInt(v.recurringCount, c.recurringCount);
  asn1::setDate(c.prevAuthDateTime, v.prevAuthDateTime);
  put(v.totalAuthAmount, *c.totalAuthAmount);
  asn1::setOctets(c.authTokenOpaque, v.authTokenOpaque);
}
AuthTokenData get(const asn1::AuthTokenData& c) {
  AuthTokenData v;
  v.transIDs = get(*c.transIDs);
  v.purchAmt = get(*c.purchAmt);
  v.merchantID = visible(c.merchantID, 1, limits::merchantIdMax, "AuthTokenData.merchantID");
  v.acqBackKeyData = getOpt<BackKeyData>(c.acqBackKeyData);
  v.installRecurData = getOpt<InstallRecurData>(c.installRecurData);
  v.recurringCount = getOptInt(c.recurringCount, 0, intMax, "AuthTokenData.recurringCount");
  v.prevAuthDateTime = asn1::date(c.prevAuthDateTime, "AuthTokenData.prevAuthDateTime");
  v.totalAuthAmount = get(*c.totalAuthAmount);
  v.authTokenOpaque = sized(c.authTokenOpaque, 0, limits::opaqueMax, "AuthTokenData.authTokenOpaque");
  return v;
}

void put(const CapPayload& v, asn1::CapPayload& c) {
  asn1::setDate(c.capDate, v.capDate);
  put(v.capReqAmt, *c.capReqAmt);
  putOpt(v.authReqItem, c.authReqItem, asn1::AuthReqItem_it());
  putOpt(v.authResPayload, c.authResPayload, asn1::AuthResPayload_it());
  putExts(v.cPayExtensions, c.cPayExtensions);
}
CapPayload get(const asn1::CapPayload& c) {
  return CapPayload{asn1::date(c.capDate, "CapPayload.capDate"), get(*c.capReqAmt),
                    getOpt<AuthReqItem>(c.authReqItem), getOpt<AuthResPayload>(c.authResPayload),
                    getExts(c.cPayExtensions, "CapPayload.cPayExtensions")};
}

void put(const CapItem& v, asn1::CapItem& c) {
  put(v.transIDs, *c.transIDs);
  asn1::setOctets(c.authRRPID, v.authRRPID);
  put(v.capPayload, *c.capPayload);
  putExts(v.capItemExtensions, c.capItemExtensions);
}
CapItem get(const asn1::CapItem& c) {
  return CapItem{get(*c.transIDs), fixed(c.authRRPID, limits::nonce, "CapItem.authRRPID"), get(*c.capPayload),
                 getExts(c.capItemExtensions, "CapItem.capItemExtensions")};
}

void put(const CapReqData& v, asn1::CapReqData& c) {
  put(v.capRRTags, *c.capRRTags);
  putOpt(v.mThumbs, c.mThumbs, asn1::Thumbs_it());
  putList<asn1::CapItem>(v.capItemSeq, c.capItemSeq, asn1::CapItem_it());
  putExts(v.cRqExtensions, c.cRqExtensions);
}
CapReqData get(const asn1::CapReqData& c) {
  return CapReqData{get(*c.capRRTags), getOpt<Thumbs>(c.mThumbs),
                    getList<CapItem, asn1::CapItem>(c.capItemSeq, "CapReqData.capItemSeq"),
                    getExts(c.cRqExtensions, "CapReqData.cRqExtensions")};
}

void put(const CapTokenSeq& v, OPENSSL_STACK& c) {
  OPENSSL_STACK* p = &c;
  putList<asn1::CapToken>(v.capTokens, p, asn1::CapToken_it());
}
CapTokenSeq get(const OPENSSL_STACK& c) {
  return CapTokenSeq{getList<CapToken, asn1::CapToken>(&c, "CapTokenSeq")};
}

void put(const CapResItem& v, asn1::CapResItem& c) {
  put(v.transIDs, *c.transIDs);
  asn1::setOctets(c.authRRPID, v.authRRPID);
  put(v.capResPayload, *c.capResPayload);
}
CapResItem get(const asn1::CapResItem& c) {
  return CapResItem{get(*c.transIDs), fixed(c.authRRPID, limits::nonce, "CapResItem.authRRPID"), get(*c.capResPayload)};
}

void put(const CapResData& v, asn1::CapResData& c) {
  put(v.capRRTags, *c.capRRTags);
  putOptAny(v.brandCRLIdentifier, c.brandCRLIdentifier, "CapResData.brandCRLIdentifier");
  putOptAny(v.peThumb, c.peThumb, "CapResData.peThumb");
  putList<asn1::CapResItem>(v.capResItemSeq, c.capResItemSeq, asn1::CapResItem_it());
  putExts(v.cRsExtensions, c.cRsExtensions);
}
CapResData get(const asn1::CapResData& c) {
  return CapResData{get(*c.capRRTags), getOptAny(c.brandCRLIdentifier, "CapResData.brandCRLIdentifier"),
                    getOptThumb(c.peThumb, "CapResData.peThumb"),
                    getList<CapResItem, asn1::CapResItem>(c.capResItemSeq, "CapResData.capResItemSeq"),
                    getExts(c.cRsExtensions, "CapResData.cRsExtensions")};
}

void put(const ErrorTBS& v, asn1::ErrorTBS& c) {
  asn1::setEnumerated(c.errorCode, v.errorCode);
  asn1::setOctets(c.errorNonce, v.errorNonce);
  if (v.errorOID) c.errorOID = asn1::objectFromText(*v.errorOID);
  putOptAny(v.errorThumb, c.errorThumb, "ErrorTBS.errorThumb");
  asn1::ErrorMsg& m = *c.errorMsg;
  if (const auto* h = std::get_if<MessageHeader>(&v.errorMsg)) {
    m.type = 0;
    m.value.messageHeader = alloc<asn1::MessageHeader>(asn1::MessageHeader_it());
    put(*h, *m.value.messageHeader);
  } else {
    m.type = 1;
    m.value.badWrapper = nullptr;
    asn1::setOctets(m.value.badWrapper, std::get<Bytes>(v.errorMsg));
  }
  putExts(v.errorTBSExtensions, c.errorTBSExtensions);
}
ErrorTBS get(const asn1::ErrorTBS& c) {
  ErrorTBS v;
  v.errorCode = static_cast<int>(rangedEnum(c.errorCode, 0, 1000, "ErrorTBS.errorCode"));
  v.errorNonce = fixed(c.errorNonce, limits::nonce, "ErrorTBS.errorNonce");
  if (c.errorOID) v.errorOID = asn1::oidText(c.errorOID);
  v.errorThumb = getOptThumb(c.errorThumb, "ErrorTBS.errorThumb");
  if (c.errorMsg->type == 0) {
    v.errorMsg = get(*c.errorMsg->value.messageHeader);
  } else {
    Bytes w = asn1::octets(c.errorMsg->value.badWrapper);
    if (w.size() > limits::badWrapper) throw ProtocolError(ErrorCode::messageTooBig, "ErrorMsg.badWrapper > 20000 octets");
    if (w.empty()) bad("ErrorMsg.badWrapper: empty");
    v.errorMsg = std::move(w);
  }
  v.errorTBSExtensions = getExts(c.errorTBSExtensions, "ErrorTBS.errorTBSExtensions");
  return v;
}

void put(const Error& v, asn1::Error& c) {
  if (const auto* s = std::get_if<Bytes>(&v.value)) {
    c.type = 0;
    c.value.signedError = nullptr;
    asn1::setAny(c.value.signedError, *s, "Error.signedError");
  } else {
    c.type = 1;
    c.value.unsignedError = alloc<asn1::ErrorTBS>(asn1::ErrorTBS_it());
    put(std::get<ErrorTBS>(v.value), *c.value.unsignedError);
  }
}
Error get(const asn1::Error& c) {
  if (c.type == 0) return Error{opDer(c.value.signedError, "Error.signedError")};
  return Error{get(*c.value.unsignedError)};
}

namespace {
template <class M>
void putSealed(ASN1_TYPE*& field, const Bytes& der, const char* what) {
  field = nullptr;
  asn1::setAny(field, der, what);
}
void putEncB(asn1::EncBChoice*& field, bool x, const Bytes& der, const char* what) {
  field = alloc<asn1::EncBChoice>(asn1::EncBChoice_it());
  field->type = x ? 1 : 0;
  field->value.encB = nullptr;
  asn1::setAny(field->value.encB, der, what);
}
}  // namespace

void put(const MessageWrapper& v, asn1::MessageWrapper& c) {
  put(v.messageHeader, *c.messageHeader);
  asn1::Message& m = *c.message;
  m.type = static_cast<int>(v.message.index());
  std::visit(
      [&m](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, PInitReq>) {
          m.value.purchaseInitRequest = alloc<asn1::PInitReq>(asn1::PInitReq_it());
          put(x, *m.value.purchaseInitRequest);
        } else if constexpr (std::is_same_v<T, PInitRes>) {
          putSealed<T>(m.value.purchaseInitResponse, x.signedData, "PInitRes");
        } else if constexpr (std::is_same_v<T, PReq>) {
          m.value.purchaseRequest = alloc<asn1::PReq>(asn1::PReq_it());
          put(x, *m.value.purchaseRequest);
        } else if constexpr (std::is_same_v<T, PRes>) {
          putSealed<T>(m.value.purchaseResponse, x.signedData, "PRes");
        } else if constexpr (std::is_same_v<T, InqReq>) {
          m.value.inquiryRequest = alloc<asn1::InqReq>(asn1::InqReq_it());
          put(x, *m.value.inquiryRequest);
        } else if constexpr (std::is_same_v<T, InqRes>) {
          putSealed<T>(m.value.inquiryResponse, x.signedData, "InqRes");
        } else if constexpr (std::is_same_v<T, AuthReq>) {
          putSealed<T>(m.value.authorizationRequest, x.encB, "AuthReq");
        } else if constexpr (std::is_same_v<T, AuthRes>) {
          putEncB(m.value.authorizationResponse, x.withPANToken, x.der, "AuthRes");
        } else if constexpr (std::is_same_v<T, CapReq>) {
          putEncB(m.value.captureRequest, x.withPANToken, x.der, "CapReq");
        } else if constexpr (std::is_same_v<T, CapRes>) {
          putSealed<T>(m.value.captureResponse, x.enc, "CapRes");
        } else {
          m.value.error = alloc<asn1::Error>(asn1::Error_it());
          put(x, *m.value.error);
        }
      },
      v.message);
  putExts(v.mwExtensions, c.mwExtensions);
}

MessageWrapper get(const asn1::MessageWrapper& c) {
  MessageWrapper v;
  v.messageHeader = get(*c.messageHeader);
  const asn1::Message& m = *c.message;
  switch (m.type) {
    case asn1::altPInitReq: v.message = get(*m.value.purchaseInitRequest); break;
    case asn1::altPInitRes: v.message = PInitRes{opDer(m.value.purchaseInitResponse, "PInitRes")}; break;
    case asn1::altPReq: v.message = get(*m.value.purchaseRequest); break;
    case asn1::altPRes: v.message = PRes{opDer(m.value.purchaseResponse, "PRes")}; break;
    case asn1::altInqReq: v.message = get(*m.value.inquiryRequest); break;
    case asn1::altInqRes: v.message = InqRes{opDer(m.value.inquiryResponse, "InqRes")}; break;
    case asn1::altAuthReq: v.message = AuthReq{opDer(m.value.authorizationRequest, "AuthReq")}; break;
    case asn1::altAuthRes: {
      const asn1::EncBChoice& e = *m.value.authorizationResponse;
      v.message = AuthRes{e.type == 1, opDer(e.value.encB, "AuthRes")};
      break;
    }
    case asn1::altCapReq: {
      const asn1::EncBChoice& e = *m.value.captureRequest;
      v.message = CapReq{e.type == 1, opDer(e.value.encB, "CapReq")};
      break;
    }
    case asn1::altCapRes: v.message = CapRes{opDer(m.value.captureResponse, "CapRes")}; break;
    case asn1::altError: v.message = get(*m.value.error); break;
    default: throw ProtocolError(ErrorCode::messageNotSupported, "unknown Message alternative");
  }
  v.mwExtensions = getExts(c.mwExtensions, "MessageWrapper.mwExtensions");
  return v;
}

}  // namespace setpay::protocol::convert
