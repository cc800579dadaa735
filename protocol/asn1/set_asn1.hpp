// C structures behind the OpenSSL ASN.1 templates of the SET purchase messages (templates in
// *_templates.cpp; the ASN.1 each one implements is written above its template). Typed C++ values
// live in protocol/messages/; these structs are only the bridge to OpenSSL's DER codec.
// Opaque operator outputs (SignedData, EnvelopedData, DigestedData, EncB…) are ASN1_TYPE* (ANY,
// must be a SEQUENCE): protocol/crypto decodes them strictly when a message is opened.
#pragma once

#include <openssl/asn1.h>
#include <openssl/asn1t.h>
#include <openssl/x509.h>

namespace setpay::protocol::asn1 {

// SET's NumericString (BIN, PAN, CardExpiry, MerchCatCode): OpenSSL has no item for it.
DECLARE_ASN1_ITEM(NumericString)

using MsgExtensions = STACK_OF(X509_EXTENSION);  // SEQUENCE OF X509-style Extension

struct CurrencyAmount {
  ASN1_INTEGER* currency;
  ASN1_INTEGER* amount;
  ASN1_INTEGER* amtExp10;
};
struct TransIDs {
  ASN1_OCTET_STRING* lidC;
  ASN1_OCTET_STRING* lidM;  // optional
  ASN1_OCTET_STRING* xid;
  ASN1_GENERALIZEDTIME* pReqDate;
  ASN1_STRING* paySysID;  // optional
  ASN1_STRING* language;
};
struct Thumbs {
  STACK_OF(ASN1_TYPE)* certThumbs;   // optional
  STACK_OF(ASN1_TYPE)* crlThumbs;    // optional
  STACK_OF(ASN1_TYPE)* brandCRLIdentifierThumbs;  // optional
};
struct Recurring {
  ASN1_INTEGER* recurringFrequency;
  ASN1_GENERALIZEDTIME* recurringExpiry;
};
struct InstallRecurInd {
  int type;
  union {
    ASN1_INTEGER* installTotalTrans;
    Recurring* recurring;
  } value;
};
struct InstallRecurData {
  InstallRecurInd* installRecurInd;
  MsgExtensions* irExtensions;  // optional
};
struct BackKeyData {
  X509_ALGOR* backAlgID;
  ASN1_OCTET_STRING* backKey;
};
struct MessageIDs {
  ASN1_OCTET_STRING* lidC;  // optional
  ASN1_OCTET_STRING* lidM;  // optional
  ASN1_OCTET_STRING* xid;   // optional
};
struct MessageHeader {
  ASN1_INTEGER* version;
  ASN1_INTEGER* revision;  // DEFAULT 0: absent when 0
  ASN1_GENERALIZEDTIME* date;
  MessageIDs* messageIDs;     // optional
  ASN1_OCTET_STRING* rrpid;   // optional
  ASN1_STRING* swIdent;
};

// ---- purchase initialisation
struct PInitReq {
  ASN1_OCTET_STRING* rrpid;
  ASN1_STRING* language;
  ASN1_OCTET_STRING* localIDC;
  ASN1_OCTET_STRING* localIDM;  // optional
  ASN1_OCTET_STRING* challC;
  ASN1_STRING* brandID;
  ASN1_STRING* bin;
  Thumbs* thumbs;                 // optional
  MsgExtensions* piRqExtensions;  // optional
};
struct PInitResData {
  TransIDs* transIDs;
  ASN1_OCTET_STRING* rrpid;
  ASN1_OCTET_STRING* challC;
  ASN1_OCTET_STRING* challM;
  ASN1_TYPE* brandCRLIdentifier;  // optional
  ASN1_TYPE* peThumb;
  Thumbs* thumbs;                 // optional
  MsgExtensions* piRsExtensions;  // optional
};

// ---- purchase request
struct HODInput {
  ASN1_OCTET_STRING* od;
  CurrencyAmount* purchAmt;
  ASN1_OCTET_STRING* odSalt;
  InstallRecurData* installRecurData;  // optional
  MsgExtensions* odExtensions;         // optional
};
struct OIData {
  TransIDs* transIDs;
  ASN1_OCTET_STRING* rrpid;
  ASN1_OCTET_STRING* challC;
  ASN1_TYPE* hod;
  ASN1_OCTET_STRING* odSalt;
  ASN1_OCTET_STRING* challM;  // optional
  ASN1_STRING* brandID;
  ASN1_STRING* bin;
  STACK_OF(ASN1_OBJECT)* odExtOIDs;  // optional
  MsgExtensions* oiExtensions;       // optional
};
struct Inputs {
  ASN1_TYPE* hod;
  CurrencyAmount* purchAmt;
};
struct PIHead {
  TransIDs* transIDs;
  Inputs* inputs;
  ASN1_STRING* merchantID;
  InstallRecurData* installRecurData;  // optional
  ASN1_OCTET_STRING* transStain;
  ASN1_STRING* swIdent;
  BackKeyData* acqBackKeyData;  // optional
  MsgExtensions* piExtensions;  // optional
};
struct PANData {
  ASN1_STRING* pan;
  ASN1_STRING* cardExpiry;
  ASN1_OCTET_STRING* panSecret;
  ASN1_OCTET_STRING* exNonce;
};
struct PANToken {
  ASN1_STRING* pan;
  ASN1_STRING* cardExpiry;
  ASN1_OCTET_STRING* exNonce;
};
struct PIData {
  PIHead* piHead;
  PANData* panData;
};
struct PIDataUnsigned {
  PIHead* piHead;
  PANToken* panToken;
};
struct PI_TBS {
  ASN1_TYPE* hPIData;
  ASN1_TYPE* hOIData;
};
struct PI_OILink {  // L(PIHead, OIData)
  PIHead* piHead;
  ASN1_TYPE* hOIData;
};
struct PIDualSigned {
  ASN1_TYPE* piSignature;  // SO(C, PI-TBS)
  ASN1_TYPE* exPIData;     // EX(P, PI-OILink, PANData)
};
struct OIDualSigned {  // L(OIData, PIData)
  OIData* oiData;
  ASN1_TYPE* hPIData;
};
struct PReqDualSigned {
  PIDualSigned* piDualSigned;
  OIDualSigned* oiDualSigned;
};
struct OIUnsigned {  // L(OIData, PIDataUnsigned)
  OIData* oiData;
  ASN1_TYPE* hPIDataUnsigned;
};
struct PReqUnsigned {
  ASN1_TYPE* piUnsigned;  // EXH(P, PI-OILink, PANToken)
  OIUnsigned* oiUnsigned;
};
struct PReq {
  int type;
  union {
    PReqDualSigned* pReqDualSigned;
    PReqUnsigned* pReqUnsigned;
  } value;
};

// ---- purchase response and inquiry
struct FloatingPoint {  // mantissa × 10^exponent10 (ratios, conversion rates)
  ASN1_INTEGER* mantissa;
  ASN1_INTEGER* exponent10;
};
struct CurrConv {
  FloatingPoint* currConvRate;
  ASN1_INTEGER* cardCurr;
};
struct AuthStatus {
  ASN1_GENERALIZEDTIME* authDate;
  ASN1_ENUMERATED* authCode;
  FloatingPoint* authRatio;
  CurrConv* currConv;  // optional
};
struct CapStatus {
  ASN1_GENERALIZEDTIME* capDate;
  ASN1_ENUMERATED* capCode;
  FloatingPoint* capRatio;
};
struct Results {
  ASN1_TYPE* acqCardMsg;   // optional
  AuthStatus* authStatus;  // optional
  CapStatus* capStatus;    // optional
};
struct PResPayload {
  ASN1_ENUMERATED* completionCode;
  Results* results;              // optional
  MsgExtensions* pRsExtensions;  // optional
};
struct PResData {
  TransIDs* transIDs;
  ASN1_OCTET_STRING* rrpid;
  ASN1_OCTET_STRING* challC;
  ASN1_TYPE* brandCRLIdentifier;  // optional
  OPENSSL_STACK* pResPayloadSeq;
};
struct InqReqData {
  TransIDs* transIDs;
  ASN1_OCTET_STRING* rrpid;
  ASN1_OCTET_STRING* challC2;
  MsgExtensions* inqRqExtensions;  // optional
};
struct InqReq {
  int type;
  union {
    ASN1_TYPE* inqReqSigned;  // S(C, InqReqData)
    InqReqData* inqReqUnsigned;
  } value;
};

// ---- authorization
struct MerTermIDs {
  ASN1_STRING* merchantID;
  ASN1_STRING* terminalID;  // optional
  ASN1_INTEGER* agentNum;   // optional
  ASN1_INTEGER* chainNum;   // optional
  ASN1_INTEGER* storeNum;   // optional
};
struct RRTags {
  ASN1_OCTET_STRING* rrpid;
  MerTermIDs* merTermIDs;
  ASN1_GENERALIZEDTIME* date;
};
struct AuthTags {
  RRTags* authRRTags;
  TransIDs* transIDs;
  ASN1_INTEGER* authRetNum;  // optional
};
struct CheckDigests {
  ASN1_TYPE* hOIData;
  ASN1_TYPE* hod2;
};
struct Location {
  ASN1_INTEGER* countryCode;
  ASN1_STRING* city;           // optional
  ASN1_STRING* stateProvince;  // optional
  ASN1_STRING* postalCode;     // optional
};
struct AVSData {
  ASN1_STRING* streetAddress;  // optional
  Location* location;
};
struct MerchData {
  ASN1_STRING* merchCatCode;  // optional
  ASN1_INTEGER* merchGroup;   // optional
};
struct AuthReqPayload {
  ASN1_BOOLEAN subsequentAuthInd;
  CurrencyAmount* authReqAmt;
  AVSData* avsData;  // optional
  ASN1_BOOLEAN requestCardTypeInd;
  InstallRecurData* installRecurData;  // optional
  MerchData* merchData;
  MsgExtensions* aRqExtensions;  // optional
};
struct AuthReqItem {
  AuthTags* authTags;
  CheckDigests* checkDigests;  // optional
  AuthReqPayload* authReqPayload;
};
struct AuthReqData {
  AuthReqItem* authReqItem;
  Thumbs* mThumbs;  // optional
  ASN1_BOOLEAN captureNow;
};
struct PI {
  int type;
  union {
    ASN1_TYPE* piUnsigned;
    PIDualSigned* piDualSigned;
    ASN1_TYPE* authToken;
  } value;
};
struct AuthValCodes {
  ASN1_STRING* approvalCode;      // optional
  ASN1_INTEGER* authCharInd;      // optional
  ASN1_STRING* validationCode;    // optional
  ASN1_INTEGER* marketSpecDataID; // optional
};
struct ResponseData {
  AuthValCodes* authValCodes;  // optional
  ASN1_INTEGER* respReason;    // optional
  ASN1_INTEGER* cardType;      // optional
  ASN1_INTEGER* avsResult;     // optional
  ASN1_OCTET_STRING* logRefID; // optional
};
struct AuthHeader {
  CurrencyAmount* authAmt;
  ASN1_ENUMERATED* authCode;
  ResponseData* responseData;
  CurrConv* currConv;  // optional
};
struct CapResPayload {
  ASN1_ENUMERATED* capCode;
  CurrencyAmount* capAmt;
  ASN1_INTEGER* batchID;           // optional
  ASN1_INTEGER* batchSequenceNum;  // optional
  MsgExtensions* cRsPayExtensions; // optional
};
struct AuthResPayload {
  AuthHeader* authHeader;
  CapResPayload* capResPayload;  // optional
  MsgExtensions* aRsExtensions;  // optional
};
struct AuthResData {
  AuthTags* authTags;
  ASN1_TYPE* brandCRLIdentifier;  // optional
  ASN1_TYPE* peThumb;             // optional
  AuthResPayload* authResPayload;
};
struct CapToken {
  int type;
  union {
    ASN1_TYPE* enc;   // Enc(P, P, CapTokenData)
    ASN1_TYPE* encX;  // EncX(P, P, CapTokenData, PANToken)
    ASN1_NULL* null;
  } value;
};
struct AuthResBaggage {
  CapToken* capToken;     // optional
  ASN1_TYPE* acqCardMsg;  // optional
  ASN1_TYPE* authToken;   // optional
};
struct CapTokenData {
  ASN1_OCTET_STRING* authRRPID;
  CurrencyAmount* authAmt;
  ASN1_OCTET_STRING* tokenOpaque;
};
struct AuthTokenData {
  TransIDs* transIDs;
  CurrencyAmount* purchAmt;
  ASN1_STRING* merchantID;
  BackKeyData* acqBackKeyData;         // optional
  InstallRecurData* installRecurData;  // optional
  ASN1_INTEGER* recurringCount;        // optional
  ASN1_GENERALIZEDTIME* prevAuthDateTime;
  CurrencyAmount* totalAuthAmount;
  ASN1_OCTET_STRING* authTokenOpaque;
};
struct EncBChoice {  // AuthRes, CapReq: EncB(…) | EncBX(…, PANToken)
  int type;
  union {
    ASN1_TYPE* encB;
    ASN1_TYPE* encBX;
  } value;
};

// ---- capture
struct CapPayload {
  ASN1_GENERALIZEDTIME* capDate;
  CurrencyAmount* capReqAmt;
  AuthReqItem* authReqItem;        // optional
  AuthResPayload* authResPayload;  // optional
  MsgExtensions* cPayExtensions;   // optional
};
struct CapItem {
  TransIDs* transIDs;
  ASN1_OCTET_STRING* authRRPID;
  CapPayload* capPayload;
  MsgExtensions* capItemExtensions;  // optional
};
struct CapReqData {
  RRTags* capRRTags;
  Thumbs* mThumbs;  // optional
  OPENSSL_STACK* capItemSeq;
  MsgExtensions* cRqExtensions;  // optional
};
using CapTokenSeq = OPENSSL_STACK;  // SEQUENCE OF CapToken (an item template: no wrapper struct)
struct CapResItem {
  TransIDs* transIDs;
  ASN1_OCTET_STRING* authRRPID;
  CapResPayload* capResPayload;
};
struct CapResData {
  RRTags* capRRTags;
  ASN1_TYPE* brandCRLIdentifier;  // optional
  ASN1_TYPE* peThumb;             // optional
  OPENSSL_STACK* capResItemSeq;
  MsgExtensions* cRsExtensions;  // optional
};

// ---- error and wrapper
struct ErrorMsg {
  int type;
  union {
    MessageHeader* messageHeader;
    ASN1_OCTET_STRING* badWrapper;
  } value;
};
struct ErrorTBS {
  ASN1_ENUMERATED* errorCode;
  ASN1_OCTET_STRING* errorNonce;
  ASN1_OBJECT* errorOID;  // optional
  ASN1_TYPE* errorThumb;  // optional
  ErrorMsg* errorMsg;
  MsgExtensions* errorTBSExtensions;  // optional
};
struct Error {
  int type;
  union {
    ASN1_TYPE* signedError;  // S(EE, ErrorTBS)
    ErrorTBS* unsignedError;
  } value;
};
struct Message {
  int type;  // index of the alternative, see messageTag() in messages/wrapper.cpp
  union {
    PInitReq* purchaseInitRequest;
    ASN1_TYPE* purchaseInitResponse;
    PReq* purchaseRequest;
    ASN1_TYPE* purchaseResponse;
    InqReq* inquiryRequest;
    ASN1_TYPE* inquiryResponse;
    ASN1_TYPE* authorizationRequest;
    EncBChoice* authorizationResponse;
    EncBChoice* captureRequest;
    ASN1_TYPE* captureResponse;
    Error* error;
  } value;
};
struct MessageWrapper {
  MessageHeader* messageHeader;
  Message* message;
  MsgExtensions* mwExtensions;  // optional
};

// Alternative indices of the CHOICE types (order of the templates).
enum MessageAlt {
  altPInitReq, altPInitRes, altPReq, altPRes, altInqReq, altInqRes, altAuthReq, altAuthRes,
  altCapReq, altCapRes, altError
};

DECLARE_ASN1_ITEM(CurrencyAmount)
DECLARE_ASN1_ITEM(TransIDs)
DECLARE_ASN1_ITEM(Thumbs)
DECLARE_ASN1_ITEM(Recurring)
DECLARE_ASN1_ITEM(InstallRecurInd)
DECLARE_ASN1_ITEM(InstallRecurData)
DECLARE_ASN1_ITEM(BackKeyData)
DECLARE_ASN1_ITEM(MessageIDs)
DECLARE_ASN1_ITEM(MessageHeader)
DECLARE_ASN1_ITEM(PInitReq)
DECLARE_ASN1_ITEM(PInitResData)
DECLARE_ASN1_ITEM(HODInput)
DECLARE_ASN1_ITEM(OIData)
DECLARE_ASN1_ITEM(Inputs)
DECLARE_ASN1_ITEM(PIHead)
DECLARE_ASN1_ITEM(PANData)
DECLARE_ASN1_ITEM(PANToken)
DECLARE_ASN1_ITEM(PIData)
DECLARE_ASN1_ITEM(PIDataUnsigned)
DECLARE_ASN1_ITEM(PI_TBS)
DECLARE_ASN1_ITEM(PI_OILink)
DECLARE_ASN1_ITEM(PIDualSigned)
DECLARE_ASN1_ITEM(OIDualSigned)
DECLARE_ASN1_ITEM(PReqDualSigned)
DECLARE_ASN1_ITEM(OIUnsigned)
DECLARE_ASN1_ITEM(PReqUnsigned)
DECLARE_ASN1_ITEM(PReq)
DECLARE_ASN1_ITEM(FloatingPoint)
DECLARE_ASN1_ITEM(CurrConv)
DECLARE_ASN1_ITEM(AuthStatus)
DECLARE_ASN1_ITEM(CapStatus)
DECLARE_ASN1_ITEM(Results)
DECLARE_ASN1_ITEM(PResPayload)
DECLARE_ASN1_ITEM(PResData)
DECLARE_ASN1_ITEM(InqReqData)
DECLARE_ASN1_ITEM(InqReq)
DECLARE_ASN1_ITEM(MerTermIDs)
DECLARE_ASN1_ITEM(RRTags)
DECLARE_ASN1_ITEM(AuthTags)
DECLARE_ASN1_ITEM(CheckDigests)
DECLARE_ASN1_ITEM(Location)
DECLARE_ASN1_ITEM(AVSData)
DECLARE_ASN1_ITEM(MerchData)
DECLARE_ASN1_ITEM(AuthReqPayload)
DECLARE_ASN1_ITEM(AuthReqItem)
DECLARE_ASN1_ITEM(AuthReqData)
DECLARE_ASN1_ITEM(PI)
DECLARE_ASN1_ITEM(AuthValCodes)
DECLARE_ASN1_ITEM(ResponseData)
DECLARE_ASN1_ITEM(AuthHeader)
DECLARE_ASN1_ITEM(CapResPayload)
DECLARE_ASN1_ITEM(AuthResPayload)
DECLARE_ASN1_ITEM(AuthResData)
DECLARE_ASN1_ITEM(CapToken)
DECLARE_ASN1_ITEM(AuthResBaggage)
DECLARE_ASN1_ITEM(CapTokenData)
DECLARE_ASN1_ITEM(AuthTokenData)
DECLARE_ASN1_ITEM(EncBChoice)
DECLARE_ASN1_ITEM(CapPayload)
DECLARE_ASN1_ITEM(CapItem)
DECLARE_ASN1_ITEM(CapReqData)
DECLARE_ASN1_ITEM(CapTokenSeq)
DECLARE_ASN1_ITEM(CapResItem)
DECLARE_ASN1_ITEM(CapResData)
DECLARE_ASN1_ITEM(ErrorMsg)
DECLARE_ASN1_ITEM(ErrorTBS)
DECLARE_ASN1_ITEM(Error)
DECLARE_ASN1_ITEM(Message)
DECLARE_ASN1_ITEM(MessageWrapper)

}  // namespace setpay::protocol::asn1

namespace setpay::protocol::asn1 {
// setpay hardening extension value (messages/hardening.hpp):
// MerchantIdentity ::= SEQUENCE { merchantSignatureThumb DD{Cert-MS}, merchantID MerchantID }
struct MerchantIdentity {
  ASN1_TYPE* merchantSignatureThumb;
  ASN1_STRING* merchantID;
};
DECLARE_ASN1_ITEM(MerchantIdentity)
}  // namespace setpay::protocol::asn1
