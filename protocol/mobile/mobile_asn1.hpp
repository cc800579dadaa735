// C structures behind the OpenSSL ASN.1 templates of the mobile messages d, e, f
// (protocol/MOBILE-MESSAGES.md gives the ASN.1 and the meaning of every field; the template for each
// structure is in mobile_templates.cpp). SET values carried inside (PInitRes, CurrencyAmount, PIHead,
// PANData, PIDualSigned, DD, SignedData) are ANY here and decoded strictly by protocol/messages' codec.
#pragma once

#include <openssl/asn1.h>
#include <openssl/asn1t.h>

namespace setpay::protocol::mobile::asn1 {

struct Binding {
  ASN1_INTEGER* version;
  ASN1_OCTET_STRING* xid;
  ASN1_OCTET_STRING* purchaseNonce;
  ASN1_OCTET_STRING* terminalID;
  ASN1_GENERALIZEDTIME* date;
};

struct SignatureRequest {  // d
  Binding* binding;
  ASN1_STRING* profile;     // VisibleString
  ASN1_ENUMERATED* mode;
  ASN1_TYPE* pInitRes;      // SignedData (ContentInfo) as the merchant sent it
  ASN1_STRING* brandID;     // VisibleString
  ASN1_STRING* bin;         // NumericString
  ASN1_OCTET_STRING* rrpid;
  ASN1_OCTET_STRING* od;
  ASN1_TYPE* purchAmt;      // CurrencyAmount
  ASN1_OCTET_STRING* odSalt;
};

struct SealedPI {
  ASN1_TYPE* piDualSigned;  // PIDualSigned
  ASN1_TYPE* hPIData;       // DD(PIData)
};
struct CardData {
  ASN1_TYPE* piHead;       // PIHead
  ASN1_TYPE* panData;      // PANData
  ASN1_TYPE* piSignature;  // SO(C, PI-TBS)
};
struct Refusal {
  ASN1_ENUMERATED* reason;
  ASN1_INTEGER* pinTriesLeft;  // optional
  ASN1_INTEGER* errorCode;     // optional
  ASN1_STRING* detail;         // optional VisibleString
};
struct SignatureAnswer {
  int type;
  union {
    SealedPI* sealedPI;
    CardData* cardData;
    Refusal* refusal;
  } value;
};
struct SignatureResponse {  // e
  Binding* binding;
  ASN1_OCTET_STRING* dDigest;
  SignatureAnswer* answer;
};

struct PurchaseConfirmation {  // f
  Binding* binding;
  ASN1_OCTET_STRING* eDigest;  // optional
  ASN1_ENUMERATED* outcome;
  ASN1_TYPE* purchAmt;         // CurrencyAmount
  ASN1_STRING* merchantName;   // UTF8String
  ASN1_INTEGER* authCode;      // optional
  ASN1_STRING* approvalCode;   // optional VisibleString
  ASN1_INTEGER* errorCode;     // optional
  ASN1_ENUMERATED* walletReason;  // optional
  ASN1_STRING* detail;         // optional VisibleString
};

struct MobileContent {
  int type;
  union {
    SignatureRequest* d;
    SignatureResponse* e;
    PurchaseConfirmation* f;
  } value;
};
struct MobileMessage {
  MobileContent* content;
  ASN1_OCTET_STRING* signature;
};

DECLARE_ASN1_ITEM(Binding)
DECLARE_ASN1_ITEM(SignatureRequest)
DECLARE_ASN1_ITEM(SealedPI)
DECLARE_ASN1_ITEM(CardData)
DECLARE_ASN1_ITEM(Refusal)
DECLARE_ASN1_ITEM(SignatureAnswer)
DECLARE_ASN1_ITEM(SignatureResponse)
DECLARE_ASN1_ITEM(PurchaseConfirmation)
DECLARE_ASN1_ITEM(MobileContent)
DECLARE_ASN1_ITEM(MobileMessage)

// CHOICE selectors (the index of the alternative in the template).
inline constexpr int kContentD = 0, kContentE = 1, kContentF = 2;
inline constexpr int kAnswerSealedPI = 0, kAnswerCardData = 1, kAnswerRefusal = 2;

}  // namespace setpay::protocol::mobile::asn1
