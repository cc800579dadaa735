// Typed <-> template struct for the purchase phase: PInitReq … PReq.
#include "protocol/messages/convert_support.hpp"

namespace setpay::protocol::convert {

void put(const PInitReq& v, asn1::PInitReq& c) {
  asn1::setOctets(c.rrpid, v.rrpid);
  setVisible(c.language, v.language);
  asn1::setOctets(c.localIDC, v.localIDC);
  if (v.localIDM) asn1::setOctets(c.localIDM, *v.localIDM);
  asn1::setOctets(c.challC, v.challC);
  setVisible(c.brandID, v.brandID);
  setNumeric(c.bin, v.bin);
  putOpt(v.thumbs, c.thumbs, asn1::Thumbs_it());
  putExts(v.piRqExtensions, c.piRqExtensions);
}
PInitReq get(const asn1::PInitReq& c) {
  PInitReq v;
  v.rrpid = fixed(c.rrpid, limits::nonce, "PInitReq.rrpid");
  v.language = visible(c.language, 1, limits::languageMax, "PInitReq.language");
  v.localIDC = sized(c.localIDC, 1, limits::localIdMax, "PInitReq.localID-C");
  if (c.localIDM) v.localIDM = sized(c.localIDM, 1, limits::localIdMax, "PInitReq.localID-M");
  v.challC = fixed(c.challC, limits::nonce, "PInitReq.chall-C");
  v.brandID = brandID(c.brandID);
  v.bin = numeric(c.bin, 6, 6, "PInitReq.bin");
  v.thumbs = getOpt<Thumbs>(c.thumbs);
  v.piRqExtensions = getExts(c.piRqExtensions, "PInitReq.piRqExtensions");
  return v;
}

void put(const PInitResData& v, asn1::PInitResData& c) {
  put(v.transIDs, *c.transIDs);
  asn1::setOctets(c.rrpid, v.rrpid);
  asn1::setOctets(c.challC, v.challC);
  asn1::setOctets(c.challM, v.challM);
  putOptAny(v.brandCRLIdentifier, c.brandCRLIdentifier, "PInitResData.brandCRLIdentifier");
  asn1::setAny(c.peThumb, v.peThumb, "PInitResData.peThumb");
  putOpt(v.thumbs, c.thumbs, asn1::Thumbs_it());
  putExts(v.piRsExtensions, c.piRsExtensions);
}
PInitResData get(const asn1::PInitResData& c) {
  PInitResData v;
  v.transIDs = get(*c.transIDs);
  v.rrpid = fixed(c.rrpid, limits::nonce, "PInitResData.rrpid");
  v.challC = fixed(c.challC, limits::nonce, "PInitResData.chall-C");
  v.challM = fixed(c.challM, limits::nonce, "PInitResData.chall-M");
  v.brandCRLIdentifier = getOptAny(c.brandCRLIdentifier, "PInitResData.brandCRLIdentifier");
  v.peThumb = ddDer(c.peThumb, NID_pkcs7_data, "PInitResData.peThumb");
  v.thumbs = getOpt<Thumbs>(c.thumbs);
  v.piRsExtensions = getExts(c.piRsExtensions, "PInitResData.piRsExtensions");
  return v;
}

void put(const HODInput& v, asn1::HODInput& c) {
  asn1::setOctets(c.od, v.od);
  put(v.purchAmt, *c.purchAmt);
  asn1::setOctets(c.odSalt, v.odSalt);
  putOpt(v.installRecurData, c.installRecurData, asn1::InstallRecurData_it());
  putExts(v.odExtensions, c.odExtensions);
}
HODInput get(const asn1::HODInput& c) {
  HODInput v;
  v.od = sized(c.od, 0, limits::odMax, "HODInput.od");
  v.purchAmt = get(*c.purchAmt);
  v.odSalt = fixed(c.odSalt, limits::nonce, "HODInput.odSalt");
  v.installRecurData = getOpt<InstallRecurData>(c.installRecurData);
  v.odExtensions = getExts(c.odExtensions, "HODInput.odExtensions");
  return v;
}

void put(const OIData& v, asn1::OIData& c) {
  put(v.transIDs, *c.transIDs);
  asn1::setOctets(c.rrpid, v.rrpid);
  asn1::setOctets(c.challC, v.challC);
  asn1::setAny(c.hod, v.hod, "OIData.hod");
  asn1::setOctets(c.odSalt, v.odSalt);
  if (v.challM) asn1::setOctets(c.challM, *v.challM);
  setVisible(c.brandID, v.brandID);
  setNumeric(c.bin, v.bin);
  if (!v.odExtOIDs.empty()) {
    c.odExtOIDs = sk_ASN1_OBJECT_new_null();
    if (!c.odExtOIDs) ossl::fail(ErrorCode::unspecifiedFailure, "sk_new");
    for (const auto& oid : v.odExtOIDs) {
      ASN1_OBJECT* o = asn1::objectFromText(oid);
      if (!sk_ASN1_OBJECT_push(c.odExtOIDs, o)) {
        ASN1_OBJECT_free(o);
        ossl::fail(ErrorCode::unspecifiedFailure, "sk_push");
      }
    }
  }
  putExts(v.oiExtensions, c.oiExtensions);
}
OIData get(const asn1::OIData& c) {
  OIData v;
  v.transIDs = get(*c.transIDs);
  v.rrpid = fixed(c.rrpid, limits::nonce, "OIData.rrpid");
  v.challC = fixed(c.challC, limits::nonce, "OIData.chall-C");
  v.hod = ddDer(c.hod, NID_setct_HODInput, "OIData.hod");
  v.odSalt = fixed(c.odSalt, limits::nonce, "OIData.odSalt");
  if (c.challM) v.challM = fixed(c.challM, limits::nonce, "OIData.chall-M");
  v.brandID = brandID(c.brandID);
  v.bin = numeric(c.bin, 6, 6, "OIData.bin");
  if (c.odExtOIDs) {
    const int n = sk_ASN1_OBJECT_num(c.odExtOIDs);
    if (n <= 0 || static_cast<std::size_t>(n) > limits::listMax) bad("OIData.odExtOIDs: bad count");
    for (int k = 0; k < n; ++k) v.odExtOIDs.push_back(asn1::oidText(sk_ASN1_OBJECT_value(c.odExtOIDs, k)));
  }
  v.oiExtensions = getExts(c.oiExtensions, "OIData.oiExtensions");
  return v;
}

void put(const PIHead& v, asn1::PIHead& c) {
  put(v.transIDs, *c.transIDs);
  asn1::setAny(c.inputs->hod, v.hod, "PIHead.inputs.hod");
  put(v.purchAmt, *c.inputs->purchAmt);
  setVisible(c.merchantID, v.merchantID);
  putOpt(v.installRecurData, c.installRecurData, asn1::InstallRecurData_it());
  asn1::setOctets(c.transStain, v.transStain);
  setVisible(c.swIdent, v.swIdent);
  putOpt(v.acqBackKeyData, c.acqBackKeyData, asn1::BackKeyData_it());
  putExts(v.piExtensions, c.piExtensions);
}
PIHead get(const asn1::PIHead& c) {
  PIHead v;
  v.transIDs = get(*c.transIDs);
  v.hod = ddDer(c.inputs->hod, NID_setct_HODInput, "PIHead.inputs.hod");
  v.purchAmt = get(*c.inputs->purchAmt);
  v.merchantID = visible(c.merchantID, 1, limits::merchantIdMax, "PIHead.merchantID");
  v.installRecurData = getOpt<InstallRecurData>(c.installRecurData);
  v.transStain = sized(c.transStain, 20, 64, "PIHead.transStain");
  v.swIdent = visible(c.swIdent, 1, limits::swIdentMax, "PIHead.swIdent");
  v.acqBackKeyData = getOpt<BackKeyData>(c.acqBackKeyData);
  v.piExtensions = getExts(c.piExtensions, "PIHead.piExtensions");
  return v;
}

void put(const PANData& v, asn1::PANData& c) {
  setNumeric(c.pan, v.pan);
  setNumeric(c.cardExpiry, v.cardExpiry);
  asn1::setOctets(c.panSecret, v.panSecret);
  asn1::setOctets(c.exNonce, v.exNonce);
}
std::string cardExpiry(const ASN1_STRING* s, const char* what) {
  std::string e = numeric(s, 6, 6, what);
  const int month = std::stoi(e.substr(4, 2));
  if (month < 1 || month > 12) bad(std::string(what) + ": month must be 01..12");
  return e;
}
PANData get(const asn1::PANData& c) {
  PANData v;
  v.pan = numeric(c.pan, 12, limits::panMax, "PANData.pan");
  v.cardExpiry = cardExpiry(c.cardExpiry, "PANData.cardExpiry");
  v.panSecret = fixed(c.panSecret, limits::nonce, "PANData.panSecret");
  v.exNonce = fixed(c.exNonce, limits::nonce, "PANData.exNonce");
  return v;
}

void put(const PANToken& v, asn1::PANToken& c) {
  setNumeric(c.pan, v.pan);
  setNumeric(c.cardExpiry, v.cardExpiry);
  asn1::setOctets(c.exNonce, v.exNonce);
}
PANToken get(const asn1::PANToken& c) {
  PANToken v;
  v.pan = numeric(c.pan, 12, limits::panMax, "PANToken.pan");
  v.cardExpiry = cardExpiry(c.cardExpiry, "PANToken.cardExpiry");
  v.exNonce = fixed(c.exNonce, limits::nonce, "PANToken.exNonce");
  return v;
}

void put(const PIData& v, asn1::PIData& c) {
  put(v.piHead, *c.piHead);
  put(v.panData, *c.panData);
}
PIData get(const asn1::PIData& c) { return PIData{get(*c.piHead), get(*c.panData)}; }

void put(const PIDataUnsigned& v, asn1::PIDataUnsigned& c) {
  put(v.piHead, *c.piHead);
  put(v.panToken, *c.panToken);
}
PIDataUnsigned get(const asn1::PIDataUnsigned& c) { return PIDataUnsigned{get(*c.piHead), get(*c.panToken)}; }

void put(const PI_TBS& v, asn1::PI_TBS& c) {
  asn1::setAny(c.hPIData, v.hPIData, "PI-TBS.hPIData");
  asn1::setAny(c.hOIData, v.hOIData, "PI-TBS.hOIData");
}
PI_TBS get(const asn1::PI_TBS& c) {
  return PI_TBS{ddDer(c.hPIData, NID_setct_PIData, "PI-TBS.hPIData"),
                ddDer(c.hOIData, NID_setct_OIData, "PI-TBS.hOIData")};
}

void put(const PI_OILink& v, asn1::PI_OILink& c) {
  put(v.piHead, *c.piHead);
  asn1::setAny(c.hOIData, v.hOIData, "PI-OILink.hOIData");
}
PI_OILink get(const asn1::PI_OILink& c) {
  return PI_OILink{get(*c.piHead), ddDer(c.hOIData, NID_setct_OIData, "PI-OILink.hOIData")};
}

void put(const PIDualSigned& v, asn1::PIDualSigned& c) {
  asn1::setAny(c.piSignature, v.piSignature, "PIDualSigned.piSignature");
  asn1::setAny(c.exPIData, v.exPIData, "PIDualSigned.exPIData");
}
PIDualSigned get(const asn1::PIDualSigned& c) {
  return PIDualSigned{opDer(c.piSignature, "PIDualSigned.piSignature"), opDer(c.exPIData, "PIDualSigned.exPIData")};
}

void put(const PReq& v, asn1::PReq& c) {
  if (const auto* d = std::get_if<PReqDualSigned>(&v.value)) {
    c.type = 0;
    c.value.pReqDualSigned = alloc<asn1::PReqDualSigned>(asn1::PReqDualSigned_it());
    put(d->piDualSigned, *c.value.pReqDualSigned->piDualSigned);
    put(d->oiData, *c.value.pReqDualSigned->oiDualSigned->oiData);
    asn1::setAny(c.value.pReqDualSigned->oiDualSigned->hPIData, d->hPIData, "OIDualSigned.hPIData");
  } else {
    const auto& u = std::get<PReqUnsigned>(v.value);
    c.type = 1;
    c.value.pReqUnsigned = alloc<asn1::PReqUnsigned>(asn1::PReqUnsigned_it());
    asn1::setAny(c.value.pReqUnsigned->piUnsigned, u.piUnsigned.exhEnvelope, "PReqUnsigned.piUnsigned");
    put(u.oiData, *c.value.pReqUnsigned->oiUnsigned->oiData);
    asn1::setAny(c.value.pReqUnsigned->oiUnsigned->hPIDataUnsigned, u.hPIDataUnsigned,
                 "OIUnsigned.hPIDataUnsigned");
  }
}
PReq get(const asn1::PReq& c) {
  if (c.type == 0) {
    const auto& d = *c.value.pReqDualSigned;
    return PReq{PReqDualSigned{get(*d.piDualSigned), get(*d.oiDualSigned->oiData),
                               ddDer(d.oiDualSigned->hPIData, NID_setct_PIData, "OIDualSigned.hPIData")}};
  }
  const auto& u = *c.value.pReqUnsigned;
  return PReq{PReqUnsigned{PIUnsigned{opDer(u.piUnsigned, "PReqUnsigned.piUnsigned")}, get(*u.oiUnsigned->oiData),
                           ddDer(u.oiUnsigned->hPIDataUnsigned, NID_setct_PIDataUnsigned, "OIUnsigned.hPIDataUnsigned")}};
}

}  // namespace setpay::protocol::convert
