// OpenSSL ASN.1 templates: PRes/InqReq, AuthReq/AuthRes, CapReq/CapRes, Error and MessageWrapper.
// Module tagging is IMPLICIT (Book 3); tags on CHOICE-typed or ANY fields are EXPLICIT. Choices
// beyond the notes are recorded in ../SPEC-CHOICES.md "## messages".
#include "protocol/asn1/set_asn1.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Winvalid-offsetof"

namespace setpay::protocol::asn1 {

// FloatingPoint ::= SEQUENCE { mantissa INTEGER, exponent10 INTEGER }   -- ratios, conversion rates
ASN1_SEQUENCE(FloatingPoint) = {
  ASN1_SIMPLE(FloatingPoint, mantissa, ASN1_INTEGER),
  ASN1_SIMPLE(FloatingPoint, exponent10, ASN1_INTEGER),
} ASN1_SEQUENCE_END(FloatingPoint)

// CurrConv ::= SEQUENCE { currConvRate FloatingPoint, cardCurr INTEGER (1..999) }
ASN1_SEQUENCE(CurrConv) = {
  ASN1_SIMPLE(CurrConv, currConvRate, FloatingPoint),
  ASN1_SIMPLE(CurrConv, cardCurr, ASN1_INTEGER),
} ASN1_SEQUENCE_END(CurrConv)

// AuthStatus ::= SEQUENCE { authDate Date, authCode AuthCode, authRatio FloatingPoint, currConv [0] OPTIONAL }
ASN1_SEQUENCE(AuthStatus) = {
  ASN1_SIMPLE(AuthStatus, authDate, ASN1_GENERALIZEDTIME),
  ASN1_SIMPLE(AuthStatus, authCode, ASN1_ENUMERATED),
  ASN1_SIMPLE(AuthStatus, authRatio, FloatingPoint),
  ASN1_IMP_OPT(AuthStatus, currConv, CurrConv, 0),
} ASN1_SEQUENCE_END(AuthStatus)

// CapStatus ::= SEQUENCE { capDate Date, capCode CapCode, capRatio FloatingPoint }
ASN1_SEQUENCE(CapStatus) = {
  ASN1_SIMPLE(CapStatus, capDate, ASN1_GENERALIZEDTIME),
  ASN1_SIMPLE(CapStatus, capCode, ASN1_ENUMERATED),
  ASN1_SIMPLE(CapStatus, capRatio, FloatingPoint),
} ASN1_SEQUENCE_END(CapStatus)

// Results ::= SEQUENCE { acqCardMsg [0] EXPLICIT AcqCardMsg OPTIONAL, authStatus [1] AuthStatus OPTIONAL,
//                        capStatus [2] CapStatus OPTIONAL }
ASN1_SEQUENCE(Results) = {
  ASN1_EXP_OPT(Results, acqCardMsg, ASN1_ANY, 0),
  ASN1_IMP_OPT(Results, authStatus, AuthStatus, 1),
  ASN1_IMP_OPT(Results, capStatus, CapStatus, 2),
} ASN1_SEQUENCE_END(Results)

// PResPayload ::= SEQUENCE { completionCode CompletionCode, results Results OPTIONAL,
//                            pRsExtensions [0] MsgExtensions OPTIONAL }
ASN1_SEQUENCE(PResPayload) = {
  ASN1_SIMPLE(PResPayload, completionCode, ASN1_ENUMERATED),
  ASN1_OPT(PResPayload, results, Results),
  ASN1_IMP_SEQUENCE_OF_OPT(PResPayload, pRsExtensions, X509_EXTENSION, 0),
} ASN1_SEQUENCE_END(PResPayload)

// PResData ::= SEQUENCE { transIDs, rrpid, chall-C, brandCRLIdentifier [0] EXPLICIT OPTIONAL,
//                         pResPayloadSeq SEQUENCE SIZE(1..MAX) OF PResPayload }
ASN1_SEQUENCE(PResData) = {
  ASN1_SIMPLE(PResData, transIDs, TransIDs),
  ASN1_SIMPLE(PResData, rrpid, ASN1_OCTET_STRING),
  ASN1_SIMPLE(PResData, challC, ASN1_OCTET_STRING),
  ASN1_EXP_OPT(PResData, brandCRLIdentifier, ASN1_ANY, 0),
  ASN1_SEQUENCE_OF(PResData, pResPayloadSeq, PResPayload),
} ASN1_SEQUENCE_END(PResData)

// InqReqData ::= SEQUENCE { transIDs, rrpid, chall-C2 Challenge, inqRqExtensions [0] OPTIONAL }
ASN1_SEQUENCE(InqReqData) = {
  ASN1_SIMPLE(InqReqData, transIDs, TransIDs),
  ASN1_SIMPLE(InqReqData, rrpid, ASN1_OCTET_STRING),
  ASN1_SIMPLE(InqReqData, challC2, ASN1_OCTET_STRING),
  ASN1_IMP_SEQUENCE_OF_OPT(InqReqData, inqRqExtensions, X509_EXTENSION, 0),
} ASN1_SEQUENCE_END(InqReqData)

// InqReq ::= CHOICE { inqReqSigned [0] EXPLICIT S{C, InqReqData}, inqReqUnsigned [1] EXPLICIT InqReqData }
ASN1_CHOICE(InqReq) = {
  ASN1_EXP(InqReq, value.inqReqSigned, ASN1_ANY, 0),
  ASN1_EXP(InqReq, value.inqReqUnsigned, InqReqData, 1),
} ASN1_CHOICE_END(InqReq)

// MerTermIDs ::= SEQUENCE { merchantID, terminalID [0] EXPLICIT TerminalID OPTIONAL, agentNum [1] OPTIONAL,
//                           chainNum [2] OPTIONAL, storeNum [3] OPTIONAL }   -- TerminalID: a SETString
ASN1_SEQUENCE(MerTermIDs) = {
  ASN1_SIMPLE(MerTermIDs, merchantID, ASN1_VISIBLESTRING),
  ASN1_EXP_OPT(MerTermIDs, terminalID, ASN1_VISIBLESTRING, 0),
  ASN1_IMP_OPT(MerTermIDs, agentNum, ASN1_INTEGER, 1),
  ASN1_IMP_OPT(MerTermIDs, chainNum, ASN1_INTEGER, 2),
  ASN1_IMP_OPT(MerTermIDs, storeNum, ASN1_INTEGER, 3),
} ASN1_SEQUENCE_END(MerTermIDs)

// RRTags ::= SEQUENCE { rrpid RRPID, merTermIDs MerTermIDs, date Date }
ASN1_SEQUENCE(RRTags) = {
  ASN1_SIMPLE(RRTags, rrpid, ASN1_OCTET_STRING),
  ASN1_SIMPLE(RRTags, merTermIDs, MerTermIDs),
  ASN1_SIMPLE(RRTags, date, ASN1_GENERALIZEDTIME),
} ASN1_SEQUENCE_END(RRTags)

// AuthTags ::= SEQUENCE { authRRTags RRTags, transIDs TransIDs, authRetNum [0] INTEGER OPTIONAL }
ASN1_SEQUENCE(AuthTags) = {
  ASN1_SIMPLE(AuthTags, authRRTags, RRTags),
  ASN1_SIMPLE(AuthTags, transIDs, TransIDs),
  ASN1_IMP_OPT(AuthTags, authRetNum, ASN1_INTEGER, 0),
} ASN1_SEQUENCE_END(AuthTags)

// CheckDigests ::= SEQUENCE { hOIData DD{OIData}, hod2 DD{HODInput} }
ASN1_SEQUENCE(CheckDigests) = {
  ASN1_SIMPLE(CheckDigests, hOIData, ASN1_ANY),
  ASN1_SIMPLE(CheckDigests, hod2, ASN1_ANY),
} ASN1_SEQUENCE_END(CheckDigests)

// Location ::= SEQUENCE { countryCode INTEGER (1..999), city [0] EXPLICIT SETString OPTIONAL,
//                         stateProvince [1] EXPLICIT SETString OPTIONAL, postalCode [2] EXPLICIT SETString OPTIONAL }
ASN1_SEQUENCE(Location) = {
  ASN1_SIMPLE(Location, countryCode, ASN1_INTEGER),
  ASN1_EXP_OPT(Location, city, ASN1_VISIBLESTRING, 0),
  ASN1_EXP_OPT(Location, stateProvince, ASN1_VISIBLESTRING, 1),
  ASN1_EXP_OPT(Location, postalCode, ASN1_VISIBLESTRING, 2),
} ASN1_SEQUENCE_END(Location)

// AVSData ::= SEQUENCE { streetAddress [0] EXPLICIT SETString OPTIONAL, location Location }
ASN1_SEQUENCE(AVSData) = {
  ASN1_EXP_OPT(AVSData, streetAddress, ASN1_VISIBLESTRING, 0),
  ASN1_SIMPLE(AVSData, location, Location),
} ASN1_SEQUENCE_END(AVSData)

// MerchData ::= SEQUENCE { merchCatCode [0] NumericString (SIZE(4)) OPTIONAL, merchGroup [1] INTEGER OPTIONAL }
ASN1_SEQUENCE(MerchData) = {
  ASN1_IMP_OPT(MerchData, merchCatCode, NumericString, 0),
  ASN1_IMP_OPT(MerchData, merchGroup, ASN1_INTEGER, 1),
} ASN1_SEQUENCE_END(MerchData)

// AuthReqPayload ::= SEQUENCE { subsequentAuthInd BOOLEAN DEFAULT FALSE, authReqAmt CurrencyAmount,
//   avsData [0] AVSData OPTIONAL, requestCardTypeInd BOOLEAN DEFAULT FALSE, installRecurData [1] OPTIONAL,
//   merchData MerchData, aRqExtensions [2] MsgExtensions OPTIONAL }
// FBOOLEAN: FALSE is never written (DER); an encoded FALSE does not re-encode and is refused.
ASN1_SEQUENCE(AuthReqPayload) = {
  ASN1_OPT(AuthReqPayload, subsequentAuthInd, ASN1_FBOOLEAN),
  ASN1_SIMPLE(AuthReqPayload, authReqAmt, CurrencyAmount),
  ASN1_IMP_OPT(AuthReqPayload, avsData, AVSData, 0),
  ASN1_OPT(AuthReqPayload, requestCardTypeInd, ASN1_FBOOLEAN),
  ASN1_IMP_OPT(AuthReqPayload, installRecurData, InstallRecurData, 1),
  ASN1_SIMPLE(AuthReqPayload, merchData, MerchData),
  ASN1_IMP_SEQUENCE_OF_OPT(AuthReqPayload, aRqExtensions, X509_EXTENSION, 2),
} ASN1_SEQUENCE_END(AuthReqPayload)

// AuthReqItem ::= SEQUENCE { authTags AuthTags, checkDigests [0] CheckDigests OPTIONAL, authReqPayload }
ASN1_SEQUENCE(AuthReqItem) = {
  ASN1_SIMPLE(AuthReqItem, authTags, AuthTags),
  ASN1_IMP_OPT(AuthReqItem, checkDigests, CheckDigests, 0),
  ASN1_SIMPLE(AuthReqItem, authReqPayload, AuthReqPayload),
} ASN1_SEQUENCE_END(AuthReqItem)

// AuthReqData ::= SEQUENCE { authReqItem AuthReqItem, mThumbs [0] EXPLICIT Thumbs OPTIONAL,
//                            captureNow BOOLEAN }
ASN1_SEQUENCE(AuthReqData) = {
  ASN1_SIMPLE(AuthReqData, authReqItem, AuthReqItem),
  ASN1_EXP_OPT(AuthReqData, mThumbs, Thumbs, 0),
  ASN1_SIMPLE(AuthReqData, captureNow, ASN1_BOOLEAN),
} ASN1_SEQUENCE_END(AuthReqData)

// PI ::= CHOICE { piUnsigned [0] EXPLICIT PIUnsigned, piDualSigned [1] EXPLICIT PIDualSigned,
//                 authToken [2] EXPLICIT AuthToken }
ASN1_CHOICE(PI) = {
  ASN1_EXP(PI, value.piUnsigned, ASN1_ANY, 0),
  ASN1_EXP(PI, value.piDualSigned, PIDualSigned, 1),
  ASN1_EXP(PI, value.authToken, ASN1_ANY, 2),
} ASN1_CHOICE_END(PI)

// AuthValCodes ::= SEQUENCE { approvalCode [0] OPTIONAL, authCharInd [1] OPTIONAL,
//                             validationCode [2] OPTIONAL, marketSpecDataID [3] OPTIONAL }
ASN1_SEQUENCE(AuthValCodes) = {
  ASN1_IMP_OPT(AuthValCodes, approvalCode, ASN1_VISIBLESTRING, 0),
  ASN1_IMP_OPT(AuthValCodes, authCharInd, ASN1_INTEGER, 1),
  ASN1_IMP_OPT(AuthValCodes, validationCode, ASN1_VISIBLESTRING, 2),
  ASN1_IMP_OPT(AuthValCodes, marketSpecDataID, ASN1_INTEGER, 3),
} ASN1_SEQUENCE_END(AuthValCodes)

// ResponseData ::= SEQUENCE { authValCodes [0] OPTIONAL, respReason [1] OPTIONAL, cardType [2] OPTIONAL,
//                             avsResult [3] OPTIONAL, logRefID [4] OCTET STRING OPTIONAL }
ASN1_SEQUENCE(ResponseData) = {
  ASN1_IMP_OPT(ResponseData, authValCodes, AuthValCodes, 0),
  ASN1_IMP_OPT(ResponseData, respReason, ASN1_INTEGER, 1),
  ASN1_IMP_OPT(ResponseData, cardType, ASN1_INTEGER, 2),
  ASN1_IMP_OPT(ResponseData, avsResult, ASN1_INTEGER, 3),
  ASN1_IMP_OPT(ResponseData, logRefID, ASN1_OCTET_STRING, 4),
} ASN1_SEQUENCE_END(ResponseData)

// AuthHeader ::= SEQUENCE { authAmt CurrencyAmount, authCode AuthCode, responseData ResponseData,
//                           currConv [0] CurrConv OPTIONAL }
ASN1_SEQUENCE(AuthHeader) = {
  ASN1_SIMPLE(AuthHeader, authAmt, CurrencyAmount),
  ASN1_SIMPLE(AuthHeader, authCode, ASN1_ENUMERATED),
  ASN1_SIMPLE(AuthHeader, responseData, ResponseData),
  ASN1_IMP_OPT(AuthHeader, currConv, CurrConv, 0),
} ASN1_SEQUENCE_END(AuthHeader)

// CapResPayload ::= SEQUENCE { capCode CapCode, capAmt CurrencyAmount, batchID [0] OPTIONAL,
//                              batchSequenceNum [1] OPTIONAL, cRsPayExtensions [2] OPTIONAL }
ASN1_SEQUENCE(CapResPayload) = {
  ASN1_SIMPLE(CapResPayload, capCode, ASN1_ENUMERATED),
  ASN1_SIMPLE(CapResPayload, capAmt, CurrencyAmount),
  ASN1_IMP_OPT(CapResPayload, batchID, ASN1_INTEGER, 0),
  ASN1_IMP_OPT(CapResPayload, batchSequenceNum, ASN1_INTEGER, 1),
  ASN1_IMP_SEQUENCE_OF_OPT(CapResPayload, cRsPayExtensions, X509_EXTENSION, 2),
} ASN1_SEQUENCE_END(CapResPayload)

// AuthResPayload ::= SEQUENCE { authHeader AuthHeader, capResPayload [0] CapResPayload OPTIONAL,
//                               aRsExtensions [1] MsgExtensions OPTIONAL }
ASN1_SEQUENCE(AuthResPayload) = {
  ASN1_SIMPLE(AuthResPayload, authHeader, AuthHeader),
  ASN1_IMP_OPT(AuthResPayload, capResPayload, CapResPayload, 0),
  ASN1_IMP_SEQUENCE_OF_OPT(AuthResPayload, aRsExtensions, X509_EXTENSION, 1),
} ASN1_SEQUENCE_END(AuthResPayload)

// AuthResData ::= SEQUENCE { authTags, brandCRLIdentifier [0] EXPLICIT OPTIONAL,
//                            peThumb [1] EXPLICIT CertThumb OPTIONAL, authResPayload }
ASN1_SEQUENCE(AuthResData) = {
  ASN1_SIMPLE(AuthResData, authTags, AuthTags),
  ASN1_EXP_OPT(AuthResData, brandCRLIdentifier, ASN1_ANY, 0),
  ASN1_EXP_OPT(AuthResData, peThumb, ASN1_ANY, 1),
  ASN1_SIMPLE(AuthResData, authResPayload, AuthResPayload),
} ASN1_SEQUENCE_END(AuthResData)

// CapToken ::= CHOICE { enc [0] EXPLICIT Enc{P,P,CapTokenData}, encX [1] EXPLICIT EncX{…}, null [2] NULL }
ASN1_CHOICE(CapToken) = {
  ASN1_EXP(CapToken, value.enc, ASN1_ANY, 0),
  ASN1_EXP(CapToken, value.encX, ASN1_ANY, 1),
  ASN1_IMP(CapToken, value.null, ASN1_NULL, 2),
} ASN1_CHOICE_END(CapToken)

// AuthResBaggage ::= SEQUENCE { capToken [0] EXPLICIT CapToken OPTIONAL,
//   acqCardMsg [1] EXPLICIT AcqCardMsg OPTIONAL, authToken [2] EXPLICIT AuthToken OPTIONAL }
ASN1_SEQUENCE(AuthResBaggage) = {
  ASN1_EXP_OPT(AuthResBaggage, capToken, CapToken, 0),
  ASN1_EXP_OPT(AuthResBaggage, acqCardMsg, ASN1_ANY, 1),
  ASN1_EXP_OPT(AuthResBaggage, authToken, ASN1_ANY, 2),
} ASN1_SEQUENCE_END(AuthResBaggage)

// CapTokenData ::= SEQUENCE { authRRPID RRPID, authAmt CurrencyAmount, tokenOpaque OCTET STRING }
ASN1_SEQUENCE(CapTokenData) = {
  ASN1_SIMPLE(CapTokenData, authRRPID, ASN1_OCTET_STRING),
  ASN1_SIMPLE(CapTokenData, authAmt, CurrencyAmount),
  ASN1_SIMPLE(CapTokenData, tokenOpaque, ASN1_OCTET_STRING),
} ASN1_SEQUENCE_END(CapTokenData)

// AuthTokenData ::= SEQUENCE { transIDs, purchAmt, merchantID, acqBackKeyData [0] OPTIONAL,
//   installRecurData [1] OPTIONAL, recurringCount [2] INTEGER OPTIONAL, prevAuthDateTime Date,
//   totalAuthAmount CurrencyAmount, authTokenOpaque OCTET STRING }
ASN1_SEQUENCE(AuthTokenData) = {
  ASN1_SIMPLE(AuthTokenData, transIDs, TransIDs),
  ASN1_SIMPLE(AuthTokenData, purchAmt, CurrencyAmount),
  ASN1_SIMPLE(AuthTokenData, merchantID, ASN1_VISIBLESTRING),
  ASN1_IMP_OPT(AuthTokenData, acqBackKeyData, BackKeyData, 0),
  ASN1_IMP_OPT(AuthTokenData, installRecurData, InstallRecurData, 1),
  ASN1_IMP_OPT(AuthTokenData, recurringCount, ASN1_INTEGER, 2),
  ASN1_SIMPLE(AuthTokenData, prevAuthDateTime, ASN1_GENERALIZEDTIME),
  ASN1_SIMPLE(AuthTokenData, totalAuthAmount, CurrencyAmount),
  ASN1_SIMPLE(AuthTokenData, authTokenOpaque, ASN1_OCTET_STRING),
} ASN1_SEQUENCE_END(AuthTokenData)

// AuthRes / CapReq ::= CHOICE { encB [0] EXPLICIT EncB{…}, encBX [1] EXPLICIT EncBX{…, PANToken} }
ASN1_CHOICE(EncBChoice) = {
  ASN1_EXP(EncBChoice, value.encB, ASN1_ANY, 0),
  ASN1_EXP(EncBChoice, value.encBX, ASN1_ANY, 1),
} ASN1_CHOICE_END(EncBChoice)

// CapPayload ::= SEQUENCE { capDate Date, capReqAmt CurrencyAmount, authReqItem [0] OPTIONAL,
//                           authResPayload [1] OPTIONAL, cPayExtensions [2] OPTIONAL }
ASN1_SEQUENCE(CapPayload) = {
  ASN1_SIMPLE(CapPayload, capDate, ASN1_GENERALIZEDTIME),
  ASN1_SIMPLE(CapPayload, capReqAmt, CurrencyAmount),
  ASN1_IMP_OPT(CapPayload, authReqItem, AuthReqItem, 0),
  ASN1_IMP_OPT(CapPayload, authResPayload, AuthResPayload, 1),
  ASN1_IMP_SEQUENCE_OF_OPT(CapPayload, cPayExtensions, X509_EXTENSION, 2),
} ASN1_SEQUENCE_END(CapPayload)

// CapItem ::= SEQUENCE { transIDs, authRRPID RRPID, capPayload CapPayload, capItemExtensions [0] OPTIONAL }
ASN1_SEQUENCE(CapItem) = {
  ASN1_SIMPLE(CapItem, transIDs, TransIDs),
  ASN1_SIMPLE(CapItem, authRRPID, ASN1_OCTET_STRING),
  ASN1_SIMPLE(CapItem, capPayload, CapPayload),
  ASN1_IMP_SEQUENCE_OF_OPT(CapItem, capItemExtensions, X509_EXTENSION, 0),
} ASN1_SEQUENCE_END(CapItem)

// CapReqData ::= SEQUENCE { capRRTags RRTags, mThumbs [0] EXPLICIT Thumbs OPTIONAL,
//                           capItemSeq SEQUENCE SIZE(1..MAX) OF CapItem, cRqExtensions [1] OPTIONAL }
ASN1_SEQUENCE(CapReqData) = {
  ASN1_SIMPLE(CapReqData, capRRTags, RRTags),
  ASN1_EXP_OPT(CapReqData, mThumbs, Thumbs, 0),
  ASN1_SEQUENCE_OF(CapReqData, capItemSeq, CapItem),
  ASN1_IMP_SEQUENCE_OF_OPT(CapReqData, cRqExtensions, X509_EXTENSION, 1),
} ASN1_SEQUENCE_END(CapReqData)

// CapTokenSeq ::= SEQUENCE SIZE(1..MAX) OF CapToken   -- one slot per CapItem, in order
ASN1_ITEM_TEMPLATE(CapTokenSeq) =
  ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, CapTokenSeq, CapToken)
ASN1_ITEM_TEMPLATE_END(CapTokenSeq)

// CapResItem ::= SEQUENCE { transIDs, authRRPID RRPID, capResPayload CapResPayload }
ASN1_SEQUENCE(CapResItem) = {
  ASN1_SIMPLE(CapResItem, transIDs, TransIDs),
  ASN1_SIMPLE(CapResItem, authRRPID, ASN1_OCTET_STRING),
  ASN1_SIMPLE(CapResItem, capResPayload, CapResPayload),
} ASN1_SEQUENCE_END(CapResItem)

// CapResData ::= SEQUENCE { capRRTags, brandCRLIdentifier [0] EXPLICIT OPTIONAL,
//   peThumb [1] EXPLICIT OPTIONAL, capResItemSeq SEQUENCE SIZE(1..MAX) OF CapResItem, cRsExtensions [2] OPTIONAL }
ASN1_SEQUENCE(CapResData) = {
  ASN1_SIMPLE(CapResData, capRRTags, RRTags),
  ASN1_EXP_OPT(CapResData, brandCRLIdentifier, ASN1_ANY, 0),
  ASN1_EXP_OPT(CapResData, peThumb, ASN1_ANY, 1),
  ASN1_SEQUENCE_OF(CapResData, capResItemSeq, CapResItem),
  ASN1_IMP_SEQUENCE_OF_OPT(CapResData, cRsExtensions, X509_EXTENSION, 2),
} ASN1_SEQUENCE_END(CapResData)

// ErrorMsg ::= CHOICE { messageHeader [0] EXPLICIT MessageHeader,
//                       badWrapper [1] EXPLICIT OCTET STRING (SIZE(1..20000)) }
ASN1_CHOICE(ErrorMsg) = {
  ASN1_EXP(ErrorMsg, value.messageHeader, MessageHeader, 0),
  ASN1_EXP(ErrorMsg, value.badWrapper, ASN1_OCTET_STRING, 1),
} ASN1_CHOICE_END(ErrorMsg)

// ErrorTBS ::= SEQUENCE { errorCode ErrorCode, errorNonce Nonce, errorOID [0] OBJECT IDENTIFIER OPTIONAL,
//   errorThumb [1] EXPLICIT Thumb OPTIONAL, errorMsg [2] EXPLICIT ErrorMsg, errorTBSExtensions [3] OPTIONAL }
ASN1_SEQUENCE(ErrorTBS) = {
  ASN1_SIMPLE(ErrorTBS, errorCode, ASN1_ENUMERATED),
  ASN1_SIMPLE(ErrorTBS, errorNonce, ASN1_OCTET_STRING),
  ASN1_IMP_OPT(ErrorTBS, errorOID, ASN1_OBJECT, 0),
  ASN1_EXP_OPT(ErrorTBS, errorThumb, ASN1_ANY, 1),
  ASN1_EXP(ErrorTBS, errorMsg, ErrorMsg, 2),
  ASN1_IMP_SEQUENCE_OF_OPT(ErrorTBS, errorTBSExtensions, X509_EXTENSION, 3),
} ASN1_SEQUENCE_END(ErrorTBS)

// Error ::= CHOICE { signedError [0] EXPLICIT S{EE, ErrorTBS}, unsignedError [1] EXPLICIT ErrorTBS }
ASN1_CHOICE(Error) = {
  ASN1_EXP(Error, value.signedError, ASN1_ANY, 0),
  ASN1_EXP(Error, value.unsignedError, ErrorTBS, 1),
} ASN1_CHOICE_END(Error)

// Message ::= CHOICE { purchaseInitRequest [0] EXPLICIT PInitReq, purchaseInitResponse [1] EXPLICIT PInitRes,
//   purchaseRequest [2] PReq, purchaseResponse [3] PRes, inquiryRequest [4] InqReq, inquiryResponse [5] InqRes,
//   authorizationRequest [6] AuthReq, authorizationResponse [7] AuthRes, captureRequest [10] CapReq,
//   captureResponse [11] CapRes, error [999] Error }      -- every alternative EXPLICIT
ASN1_CHOICE(Message) = {
  ASN1_EXP(Message, value.purchaseInitRequest, PInitReq, 0),
  ASN1_EXP(Message, value.purchaseInitResponse, ASN1_ANY, 1),
  ASN1_EXP(Message, value.purchaseRequest, PReq, 2),
  ASN1_EXP(Message, value.purchaseResponse, ASN1_ANY, 3),
  ASN1_EXP(Message, value.inquiryRequest, InqReq, 4),
  ASN1_EXP(Message, value.inquiryResponse, ASN1_ANY, 5),
  ASN1_EXP(Message, value.authorizationRequest, ASN1_ANY, 6),
  ASN1_EXP(Message, value.authorizationResponse, EncBChoice, 7),
  ASN1_EXP(Message, value.captureRequest, EncBChoice, 10),
  ASN1_EXP(Message, value.captureResponse, ASN1_ANY, 11),
  ASN1_EXP(Message, value.error, Error, 999),
} ASN1_CHOICE_END(Message)

// MessageWrapper ::= SEQUENCE { messageHeader MessageHeader, message [0] EXPLICIT Message,
//                               mwExtensions [1] MsgExtensions OPTIONAL }
ASN1_SEQUENCE(MessageWrapper) = {
  ASN1_SIMPLE(MessageWrapper, messageHeader, MessageHeader),
  ASN1_EXP(MessageWrapper, message, Message, 0),
  ASN1_IMP_SEQUENCE_OF_OPT(MessageWrapper, mwExtensions, X509_EXTENSION, 1),
} ASN1_SEQUENCE_END(MessageWrapper)

// setpay hardening: MerchantIdentity ::= SEQUENCE { merchantSignatureThumb DD, merchantID MerchantID }
ASN1_SEQUENCE(MerchantIdentity) = {
  ASN1_SIMPLE(MerchantIdentity, merchantSignatureThumb, ASN1_ANY),
  ASN1_SIMPLE(MerchantIdentity, merchantID, ASN1_VISIBLESTRING),
} ASN1_SEQUENCE_END(MerchantIdentity)

}  // namespace setpay::protocol::asn1

#pragma GCC diagnostic pop
