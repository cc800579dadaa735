// OpenSSL ASN.1 templates: SET base types, MessageHeader, PInitReq/PInitResData and the PReq family.
// Module tagging is IMPLICIT (Book 3); tags on CHOICE-typed or ANY fields are EXPLICIT. Choices
// beyond the notes are recorded in ../SPEC-CHOICES.md "## messages". Macro-heavy: warnings that the
// OpenSSL macros trip are silenced here only.
#include "protocol/asn1/set_asn1.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Winvalid-offsetof"

namespace setpay::protocol::asn1 {

IMPLEMENT_ASN1_TYPE_ex(NumericString, ASN1_NUMERICSTRING, sizeof(ASN1_STRING))

// CurrencyAmount ::= SEQUENCE { currency INTEGER (1..999), amount INTEGER (0..MAX), amtExp10 INTEGER }
ASN1_SEQUENCE(CurrencyAmount) = {
  ASN1_SIMPLE(CurrencyAmount, currency, ASN1_INTEGER),
  ASN1_SIMPLE(CurrencyAmount, amount, ASN1_INTEGER),
  ASN1_SIMPLE(CurrencyAmount, amtExp10, ASN1_INTEGER),
} ASN1_SEQUENCE_END(CurrencyAmount)

// TransIDs ::= SEQUENCE { lid-C LocalID, lid-M [0] LocalID OPTIONAL, xid XID, pReqDate Date,
//                         paySysID [1] EXPLICIT PaySysID OPTIONAL, language Language }
// PaySysID is a SETString, a CHOICE: its tag is EXPLICIT (SPEC-CHOICES "SETString under a tag").
ASN1_SEQUENCE(TransIDs) = {
  ASN1_SIMPLE(TransIDs, lidC, ASN1_OCTET_STRING),
  ASN1_IMP_OPT(TransIDs, lidM, ASN1_OCTET_STRING, 0),
  ASN1_SIMPLE(TransIDs, xid, ASN1_OCTET_STRING),
  ASN1_SIMPLE(TransIDs, pReqDate, ASN1_GENERALIZEDTIME),
  ASN1_EXP_OPT(TransIDs, paySysID, ASN1_VISIBLESTRING, 1),
  ASN1_SIMPLE(TransIDs, language, ASN1_VISIBLESTRING),
} ASN1_SEQUENCE_END(TransIDs)

// Thumbs ::= SEQUENCE { certThumbs [0] SEQUENCE OF DD OPTIONAL, crlThumbs [1] … OPTIONAL,
//                       brandCRLIdentifierThumbs [2] … OPTIONAL }   (each thumb = DD(DER))
ASN1_SEQUENCE(Thumbs) = {
  ASN1_IMP_SEQUENCE_OF_OPT(Thumbs, certThumbs, ASN1_ANY, 0),
  ASN1_IMP_SEQUENCE_OF_OPT(Thumbs, crlThumbs, ASN1_ANY, 1),
  ASN1_IMP_SEQUENCE_OF_OPT(Thumbs, brandCRLIdentifierThumbs, ASN1_ANY, 2),
} ASN1_SEQUENCE_END(Thumbs)

// Recurring ::= SEQUENCE { recurringFrequency INTEGER (1..365), recurringExpiry Date }
ASN1_SEQUENCE(Recurring) = {
  ASN1_SIMPLE(Recurring, recurringFrequency, ASN1_INTEGER),
  ASN1_SIMPLE(Recurring, recurringExpiry, ASN1_GENERALIZEDTIME),
} ASN1_SEQUENCE_END(Recurring)

// InstallRecurInd ::= CHOICE { installTotalTrans [0] INTEGER (2..MAX), recurring [1] Recurring }
ASN1_CHOICE(InstallRecurInd) = {
  ASN1_IMP(InstallRecurInd, value.installTotalTrans, ASN1_INTEGER, 0),
  ASN1_IMP(InstallRecurInd, value.recurring, Recurring, 1),
} ASN1_CHOICE_END(InstallRecurInd)

// InstallRecurData ::= SEQUENCE { installRecurInd InstallRecurInd, irExtensions [0] MsgExtensions OPTIONAL }
ASN1_SEQUENCE(InstallRecurData) = {
  ASN1_SIMPLE(InstallRecurData, installRecurInd, InstallRecurInd),
  ASN1_IMP_SEQUENCE_OF_OPT(InstallRecurData, irExtensions, X509_EXTENSION, 0),
} ASN1_SEQUENCE_END(InstallRecurData)

// BackKeyData ::= SEQUENCE { backAlgID AlgorithmIdentifier, backKey OCTET STRING }
ASN1_SEQUENCE(BackKeyData) = {
  ASN1_SIMPLE(BackKeyData, backAlgID, X509_ALGOR),
  ASN1_SIMPLE(BackKeyData, backKey, ASN1_OCTET_STRING),
} ASN1_SEQUENCE_END(BackKeyData)

// MessageIDs ::= SEQUENCE { lid-C [0] LocalID OPTIONAL, lid-M [1] LocalID OPTIONAL, xID [2] XID OPTIONAL }
ASN1_SEQUENCE(MessageIDs) = {
  ASN1_IMP_OPT(MessageIDs, lidC, ASN1_OCTET_STRING, 0),
  ASN1_IMP_OPT(MessageIDs, lidM, ASN1_OCTET_STRING, 1),
  ASN1_IMP_OPT(MessageIDs, xid, ASN1_OCTET_STRING, 2),
} ASN1_SEQUENCE_END(MessageIDs)

// MessageHeader ::= SEQUENCE { version INTEGER (1), revision INTEGER DEFAULT 0, date Date,
//                   messageIDs [0] MessageIDs OPTIONAL, rrpid [1] RRPID OPTIONAL, swIdent SWIdent }
ASN1_SEQUENCE(MessageHeader) = {
  ASN1_SIMPLE(MessageHeader, version, ASN1_INTEGER),
  ASN1_OPT(MessageHeader, revision, ASN1_INTEGER),
  ASN1_SIMPLE(MessageHeader, date, ASN1_GENERALIZEDTIME),
  ASN1_IMP_OPT(MessageHeader, messageIDs, MessageIDs, 0),
  ASN1_IMP_OPT(MessageHeader, rrpid, ASN1_OCTET_STRING, 1),
  ASN1_SIMPLE(MessageHeader, swIdent, ASN1_VISIBLESTRING),
} ASN1_SEQUENCE_END(MessageHeader)

// PInitReq ::= SEQUENCE { rrpid, language, localID-C, localID-M [0] OPTIONAL, chall-C, brandID, bin,
//                         thumbs [1] EXPLICIT Thumbs OPTIONAL, piRqExtensions [2] MsgExtensions OPTIONAL }
ASN1_SEQUENCE(PInitReq) = {
  ASN1_SIMPLE(PInitReq, rrpid, ASN1_OCTET_STRING),
  ASN1_SIMPLE(PInitReq, language, ASN1_VISIBLESTRING),
  ASN1_SIMPLE(PInitReq, localIDC, ASN1_OCTET_STRING),
  ASN1_IMP_OPT(PInitReq, localIDM, ASN1_OCTET_STRING, 0),
  ASN1_SIMPLE(PInitReq, challC, ASN1_OCTET_STRING),
  ASN1_SIMPLE(PInitReq, brandID, ASN1_VISIBLESTRING),
  ASN1_SIMPLE(PInitReq, bin, NumericString),
  ASN1_EXP_OPT(PInitReq, thumbs, Thumbs, 1),
  ASN1_IMP_SEQUENCE_OF_OPT(PInitReq, piRqExtensions, X509_EXTENSION, 2),
} ASN1_SEQUENCE_END(PInitReq)

// PInitResData ::= SEQUENCE { transIDs, rrpid, chall-C, chall-M,
//   brandCRLIdentifier [0] EXPLICIT BrandCRLIdentifier OPTIONAL, peThumb [1] EXPLICIT CertThumb,
//   thumbs [2] EXPLICIT Thumbs OPTIONAL, piRsExtensions [3] MsgExtensions OPTIONAL }
ASN1_SEQUENCE(PInitResData) = {
  ASN1_SIMPLE(PInitResData, transIDs, TransIDs),
  ASN1_SIMPLE(PInitResData, rrpid, ASN1_OCTET_STRING),
  ASN1_SIMPLE(PInitResData, challC, ASN1_OCTET_STRING),
  ASN1_SIMPLE(PInitResData, challM, ASN1_OCTET_STRING),
  ASN1_EXP_OPT(PInitResData, brandCRLIdentifier, ASN1_ANY, 0),
  ASN1_EXP(PInitResData, peThumb, ASN1_ANY, 1),
  ASN1_EXP_OPT(PInitResData, thumbs, Thumbs, 2),
  ASN1_IMP_SEQUENCE_OF_OPT(PInitResData, piRsExtensions, X509_EXTENSION, 3),
} ASN1_SEQUENCE_END(PInitResData)

// HODInput ::= SEQUENCE { od OCTET STRING, purchAmt CurrencyAmount, odSalt Nonce,
//   installRecurData [0] InstallRecurData OPTIONAL, odExtensions [1] MsgExtensions OPTIONAL }
ASN1_SEQUENCE(HODInput) = {
  ASN1_SIMPLE(HODInput, od, ASN1_OCTET_STRING),
  ASN1_SIMPLE(HODInput, purchAmt, CurrencyAmount),
  ASN1_SIMPLE(HODInput, odSalt, ASN1_OCTET_STRING),
  ASN1_IMP_OPT(HODInput, installRecurData, InstallRecurData, 0),
  ASN1_IMP_SEQUENCE_OF_OPT(HODInput, odExtensions, X509_EXTENSION, 1),
} ASN1_SEQUENCE_END(HODInput)

// OIData ::= SEQUENCE { transIDs, rrpid, chall-C, hod HOD (=DD(HODInput)), odSalt, chall-M [0] OPTIONAL,
//   brandID, bin, odExtOIDs [1] SEQUENCE OF OBJECT IDENTIFIER OPTIONAL, oiExtensions [2] OPTIONAL }
ASN1_SEQUENCE(OIData) = {
  ASN1_SIMPLE(OIData, transIDs, TransIDs),
  ASN1_SIMPLE(OIData, rrpid, ASN1_OCTET_STRING),
  ASN1_SIMPLE(OIData, challC, ASN1_OCTET_STRING),
  ASN1_SIMPLE(OIData, hod, ASN1_ANY),
  ASN1_SIMPLE(OIData, odSalt, ASN1_OCTET_STRING),
  ASN1_IMP_OPT(OIData, challM, ASN1_OCTET_STRING, 0),
  ASN1_SIMPLE(OIData, brandID, ASN1_VISIBLESTRING),
  ASN1_SIMPLE(OIData, bin, NumericString),
  ASN1_IMP_SEQUENCE_OF_OPT(OIData, odExtOIDs, ASN1_OBJECT, 1),
  ASN1_IMP_SEQUENCE_OF_OPT(OIData, oiExtensions, X509_EXTENSION, 2),
} ASN1_SEQUENCE_END(OIData)

// Inputs ::= SEQUENCE { hod HOD, purchAmt CurrencyAmount }
ASN1_SEQUENCE(Inputs) = {
  ASN1_SIMPLE(Inputs, hod, ASN1_ANY),
  ASN1_SIMPLE(Inputs, purchAmt, CurrencyAmount),
} ASN1_SEQUENCE_END(Inputs)

// PIHead ::= SEQUENCE { transIDs, inputs, merchantID, installRecurData [0] OPTIONAL, transStain,
//   swIdent, acqBackKeyData [1] BackKeyData OPTIONAL, piExtensions [2] MsgExtensions OPTIONAL }
ASN1_SEQUENCE(PIHead) = {
  ASN1_SIMPLE(PIHead, transIDs, TransIDs),
  ASN1_SIMPLE(PIHead, inputs, Inputs),
  ASN1_SIMPLE(PIHead, merchantID, ASN1_VISIBLESTRING),
  ASN1_IMP_OPT(PIHead, installRecurData, InstallRecurData, 0),
  ASN1_SIMPLE(PIHead, transStain, ASN1_OCTET_STRING),
  ASN1_SIMPLE(PIHead, swIdent, ASN1_VISIBLESTRING),
  ASN1_IMP_OPT(PIHead, acqBackKeyData, BackKeyData, 1),
  ASN1_IMP_SEQUENCE_OF_OPT(PIHead, piExtensions, X509_EXTENSION, 2),
} ASN1_SEQUENCE_END(PIHead)

// PANData ::= SEQUENCE { pan PAN, cardExpiry CardExpiry, panSecret Secret, exNonce Nonce }
ASN1_SEQUENCE(PANData) = {
  ASN1_SIMPLE(PANData, pan, NumericString),
  ASN1_SIMPLE(PANData, cardExpiry, NumericString),
  ASN1_SIMPLE(PANData, panSecret, ASN1_OCTET_STRING),
  ASN1_SIMPLE(PANData, exNonce, ASN1_OCTET_STRING),
} ASN1_SEQUENCE_END(PANData)

// PANToken ::= SEQUENCE { pan PAN, cardExpiry CardExpiry, exNonce Nonce }
ASN1_SEQUENCE(PANToken) = {
  ASN1_SIMPLE(PANToken, pan, NumericString),
  ASN1_SIMPLE(PANToken, cardExpiry, NumericString),
  ASN1_SIMPLE(PANToken, exNonce, ASN1_OCTET_STRING),
} ASN1_SEQUENCE_END(PANToken)

// PIData ::= SEQUENCE { piHead PIHead, panData PANData }
ASN1_SEQUENCE(PIData) = {
  ASN1_SIMPLE(PIData, piHead, PIHead),
  ASN1_SIMPLE(PIData, panData, PANData),
} ASN1_SEQUENCE_END(PIData)

// PIDataUnsigned ::= SEQUENCE { piHead PIHead, panToken PANToken }
ASN1_SEQUENCE(PIDataUnsigned) = {
  ASN1_SIMPLE(PIDataUnsigned, piHead, PIHead),
  ASN1_SIMPLE(PIDataUnsigned, panToken, PANToken),
} ASN1_SEQUENCE_END(PIDataUnsigned)

// PI-TBS ::= SEQUENCE { hPIData DD{PIData}, hOIData DD{OIData} }
ASN1_SEQUENCE(PI_TBS) = {
  ASN1_SIMPLE(PI_TBS, hPIData, ASN1_ANY),
  ASN1_SIMPLE(PI_TBS, hOIData, ASN1_ANY),
} ASN1_SEQUENCE_END(PI_TBS)

// PI-OILink ::= L{PIHead, OIData} = SEQUENCE { piHead PIHead, hOIData DD{OIData} }
ASN1_SEQUENCE(PI_OILink) = {
  ASN1_SIMPLE(PI_OILink, piHead, PIHead),
  ASN1_SIMPLE(PI_OILink, hOIData, ASN1_ANY),
} ASN1_SEQUENCE_END(PI_OILink)

// PIDualSigned ::= SEQUENCE { piSignature SO{C, PI-TBS}, exPIData EX{P, PI-OILink, PANData} }
ASN1_SEQUENCE(PIDualSigned) = {
  ASN1_SIMPLE(PIDualSigned, piSignature, ASN1_ANY),
  ASN1_SIMPLE(PIDualSigned, exPIData, ASN1_ANY),
} ASN1_SEQUENCE_END(PIDualSigned)

// OIDualSigned ::= L{OIData, PIData} = SEQUENCE { oiData OIData, hPIData DD{PIData} }
ASN1_SEQUENCE(OIDualSigned) = {
  ASN1_SIMPLE(OIDualSigned, oiData, OIData),
  ASN1_SIMPLE(OIDualSigned, hPIData, ASN1_ANY),
} ASN1_SEQUENCE_END(OIDualSigned)

// PReqDualSigned ::= SEQUENCE { piDualSigned PIDualSigned, oiDualSigned OIDualSigned }
ASN1_SEQUENCE(PReqDualSigned) = {
  ASN1_SIMPLE(PReqDualSigned, piDualSigned, PIDualSigned),
  ASN1_SIMPLE(PReqDualSigned, oiDualSigned, OIDualSigned),
} ASN1_SEQUENCE_END(PReqDualSigned)

// OIUnsigned ::= L{OIData, PIDataUnsigned}
ASN1_SEQUENCE(OIUnsigned) = {
  ASN1_SIMPLE(OIUnsigned, oiData, OIData),
  ASN1_SIMPLE(OIUnsigned, hPIDataUnsigned, ASN1_ANY),
} ASN1_SEQUENCE_END(OIUnsigned)

// PReqUnsigned ::= SEQUENCE { piUnsigned EXH{P, PI-OILink, PANToken}, oiUnsigned OIUnsigned }
ASN1_SEQUENCE(PReqUnsigned) = {
  ASN1_SIMPLE(PReqUnsigned, piUnsigned, ASN1_ANY),
  ASN1_SIMPLE(PReqUnsigned, oiUnsigned, OIUnsigned),
} ASN1_SEQUENCE_END(PReqUnsigned)

// PReq ::= CHOICE { pReqDualSigned [0] EXPLICIT PReqDualSigned, pReqUnsigned [1] EXPLICIT PReqUnsigned }
ASN1_CHOICE(PReq) = {
  ASN1_EXP(PReq, value.pReqDualSigned, PReqDualSigned, 0),
  ASN1_EXP(PReq, value.pReqUnsigned, PReqUnsigned, 1),
} ASN1_CHOICE_END(PReq)

}  // namespace setpay::protocol::asn1

#pragma GCC diagnostic pop
