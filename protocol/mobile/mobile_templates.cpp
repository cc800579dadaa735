// OpenSSL ASN.1 templates of the mobile messages d, e, f (ASN.1 above each one; meaning of every field
// in protocol/MOBILE-MESSAGES.md). Module tagging IMPLICIT, CHOICE alternatives of the outer content
// EXPLICIT, as in the SET templates (protocol/asn1/purchase_templates.cpp). Macro warnings silenced here.
#include "protocol/asn1/set_asn1.hpp"
#include "protocol/mobile/mobile_asn1.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Winvalid-offsetof"

namespace setpay::protocol::mobile::asn1 {

using setpay::protocol::asn1::NumericString_it;

// Binding ::= SEQUENCE { version INTEGER (1), xid XID, purchaseNonce OCTET STRING (SIZE(16..32)),
//                        terminalID OCTET STRING (SIZE(32)), date GeneralizedTime }
ASN1_SEQUENCE(Binding) = {
  ASN1_SIMPLE(Binding, version, ASN1_INTEGER),
  ASN1_SIMPLE(Binding, xid, ASN1_OCTET_STRING),
  ASN1_SIMPLE(Binding, purchaseNonce, ASN1_OCTET_STRING),
  ASN1_SIMPLE(Binding, terminalID, ASN1_OCTET_STRING),
  ASN1_SIMPLE(Binding, date, ASN1_GENERALIZEDTIME),
} ASN1_SEQUENCE_END(Binding)

// SignatureRequest ::= SEQUENCE {                                   -- d
//   binding Binding, profile VisibleString, mode ENUMERATED { sealedPI(0), cardData(1) },
//   pInitRes ContentInfo, brandID BrandID, bin BIN, rrpid RRPID, od OCTET STRING (SIZE(0..8192)),
//   purchAmt CurrencyAmount, odSalt Nonce }
ASN1_SEQUENCE(SignatureRequest) = {
  ASN1_SIMPLE(SignatureRequest, binding, Binding),
  ASN1_SIMPLE(SignatureRequest, profile, ASN1_VISIBLESTRING),
  ASN1_SIMPLE(SignatureRequest, mode, ASN1_ENUMERATED),
  ASN1_SIMPLE(SignatureRequest, pInitRes, ASN1_ANY),
  ASN1_SIMPLE(SignatureRequest, brandID, ASN1_VISIBLESTRING),
  ASN1_SIMPLE(SignatureRequest, bin, NumericString),
  ASN1_SIMPLE(SignatureRequest, rrpid, ASN1_OCTET_STRING),
  ASN1_SIMPLE(SignatureRequest, od, ASN1_OCTET_STRING),
  ASN1_SIMPLE(SignatureRequest, purchAmt, ASN1_ANY),
  ASN1_SIMPLE(SignatureRequest, odSalt, ASN1_OCTET_STRING),
} ASN1_SEQUENCE_END(SignatureRequest)

// SealedPI ::= SEQUENCE { piDualSigned PIDualSigned, hPIData DD }
ASN1_SEQUENCE(SealedPI) = {
  ASN1_SIMPLE(SealedPI, piDualSigned, ASN1_ANY),
  ASN1_SIMPLE(SealedPI, hPIData, ASN1_ANY),
} ASN1_SEQUENCE_END(SealedPI)

// CardData ::= SEQUENCE { piHead PIHead, panData PANData, piSignature ContentInfo -- SO(C, PI-TBS) }
ASN1_SEQUENCE(CardData) = {
  ASN1_SIMPLE(CardData, piHead, ASN1_ANY),
  ASN1_SIMPLE(CardData, panData, ASN1_ANY),
  ASN1_SIMPLE(CardData, piSignature, ASN1_ANY),
} ASN1_SEQUENCE_END(CardData)

// Refusal ::= SEQUENCE { reason ENUMERATED, pinTriesLeft [0] INTEGER (0..15) OPTIONAL,
//                        errorCode [1] INTEGER OPTIONAL, detail [2] VisibleString OPTIONAL }
ASN1_SEQUENCE(Refusal) = {
  ASN1_SIMPLE(Refusal, reason, ASN1_ENUMERATED),
  ASN1_IMP_OPT(Refusal, pinTriesLeft, ASN1_INTEGER, 0),
  ASN1_IMP_OPT(Refusal, errorCode, ASN1_INTEGER, 1),
  ASN1_IMP_OPT(Refusal, detail, ASN1_VISIBLESTRING, 2),
} ASN1_SEQUENCE_END(Refusal)

// SignatureAnswer ::= CHOICE { sealedPI [0] SealedPI, cardData [1] CardData, refusal [2] Refusal }
ASN1_CHOICE(SignatureAnswer) = {
  ASN1_IMP(SignatureAnswer, value.sealedPI, SealedPI, 0),
  ASN1_IMP(SignatureAnswer, value.cardData, CardData, 1),
  ASN1_IMP(SignatureAnswer, value.refusal, Refusal, 2),
} ASN1_CHOICE_END(SignatureAnswer)

// SignatureResponse ::= SEQUENCE { binding Binding, dDigest OCTET STRING (SIZE(32)),   -- e
//                                  answer SignatureAnswer }
ASN1_SEQUENCE(SignatureResponse) = {
  ASN1_SIMPLE(SignatureResponse, binding, Binding),
  ASN1_SIMPLE(SignatureResponse, dDigest, ASN1_OCTET_STRING),
  ASN1_SIMPLE(SignatureResponse, answer, SignatureAnswer),
} ASN1_SEQUENCE_END(SignatureResponse)

// PurchaseConfirmation ::= SEQUENCE {                               -- f
//   binding Binding, eDigest [0] OCTET STRING (SIZE(32)) OPTIONAL,
//   outcome ENUMERATED { approved(0), declined(1), failed(2), refused(3) },
//   purchAmt CurrencyAmount, merchantName UTF8String (SIZE(1..256)),
//   authCode [1] INTEGER OPTIONAL, approvalCode [2] VisibleString OPTIONAL, errorCode [3] INTEGER OPTIONAL,
//   walletReason [4] ENUMERATED OPTIONAL, detail [5] VisibleString OPTIONAL }
ASN1_SEQUENCE(PurchaseConfirmation) = {
  ASN1_SIMPLE(PurchaseConfirmation, binding, Binding),
  ASN1_IMP_OPT(PurchaseConfirmation, eDigest, ASN1_OCTET_STRING, 0),
  ASN1_SIMPLE(PurchaseConfirmation, outcome, ASN1_ENUMERATED),
  ASN1_SIMPLE(PurchaseConfirmation, purchAmt, ASN1_ANY),
  ASN1_SIMPLE(PurchaseConfirmation, merchantName, ASN1_UTF8STRING),
  ASN1_IMP_OPT(PurchaseConfirmation, authCode, ASN1_INTEGER, 1),
  ASN1_IMP_OPT(PurchaseConfirmation, approvalCode, ASN1_VISIBLESTRING, 2),
  ASN1_IMP_OPT(PurchaseConfirmation, errorCode, ASN1_INTEGER, 3),
  ASN1_IMP_OPT(PurchaseConfirmation, walletReason, ASN1_ENUMERATED, 4),
  ASN1_IMP_OPT(PurchaseConfirmation, detail, ASN1_VISIBLESTRING, 5),
} ASN1_SEQUENCE_END(PurchaseConfirmation)

// MobileContent ::= CHOICE { signatureRequest [0] EXPLICIT SignatureRequest,       -- d
//                            signatureResponse [1] EXPLICIT SignatureResponse,     -- e
//                            purchaseConfirmation [2] EXPLICIT PurchaseConfirmation } -- f
ASN1_CHOICE(MobileContent) = {
  ASN1_EXP(MobileContent, value.d, SignatureRequest, 0),
  ASN1_EXP(MobileContent, value.e, SignatureResponse, 1),
  ASN1_EXP(MobileContent, value.f, PurchaseConfirmation, 2),
} ASN1_CHOICE_END(MobileContent)

// MobileMessage ::= SEQUENCE { content MobileContent, signature OCTET STRING (SIZE(1..512)) }
ASN1_SEQUENCE(MobileMessage) = {
  ASN1_SIMPLE(MobileMessage, content, MobileContent),
  ASN1_SIMPLE(MobileMessage, signature, ASN1_OCTET_STRING),
} ASN1_SEQUENCE_END(MobileMessage)

}  // namespace setpay::protocol::mobile::asn1

#pragma GCC diagnostic pop
