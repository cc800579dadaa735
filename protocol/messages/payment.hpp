// Typed payment-phase values: PResData, InqReqData, AuthReqData, PI, AuthResData, AuthResBaggage,
// CapTokenData, AuthTokenData, CapReqData, CapResData, ErrorTBS and the wire forms of the messages
// whose content is an operator output (PRes, AuthReq, AuthRes, CapReq, CapRes, Error).
#pragma once

#include "protocol/messages/purchase.hpp"

namespace setpay::protocol {

struct FloatingPoint {
  std::int64_t mantissa = 0;
  int exponent10 = 0;
  bool operator==(const FloatingPoint&) const = default;
};
struct CurrConv {
  FloatingPoint currConvRate;
  int cardCurr = 0;
  bool operator==(const CurrConv&) const = default;
};
struct AuthStatus {
  TimePoint authDate;
  AuthCode authCode = AuthCode::approved;
  FloatingPoint authRatio;
  std::optional<CurrConv> currConv;
  bool operator==(const AuthStatus&) const = default;
};
struct CapStatus {
  TimePoint capDate;
  CapCode capCode = CapCode::success;
  FloatingPoint capRatio;
  bool operator==(const CapStatus&) const = default;
};
struct Results {
  std::optional<Bytes> acqCardMsg;
  std::optional<AuthStatus> authStatus;
  std::optional<CapStatus> capStatus;
  bool operator==(const Results&) const = default;
};
struct PResPayload {
  CompletionCode completionCode = CompletionCode::orderReceived;
  std::optional<Results> results;
  MsgExtensions pRsExtensions;
  bool operator==(const PResPayload&) const = default;
};
struct PResData {
  TransIDs transIDs;
  Bytes rrpid;
  Bytes challC;
  std::optional<Bytes> brandCRLIdentifier;
  std::vector<PResPayload> pResPayloadSeq;
  bool operator==(const PResData&) const = default;
};
struct InqReqData {
  TransIDs transIDs;
  Bytes rrpid;
  Bytes challC2;
  MsgExtensions inqRqExtensions;
  bool operator==(const InqReqData&) const = default;
};

struct MerTermIDs {
  std::string merchantID;
  std::optional<std::string> terminalID;
  std::optional<std::int64_t> agentNum, chainNum, storeNum;
  bool operator==(const MerTermIDs&) const = default;
};
struct RRTags {
  Bytes rrpid;
  MerTermIDs merTermIDs;
  TimePoint date;
  bool operator==(const RRTags&) const = default;
};
struct AuthTags {
  RRTags authRRTags;
  TransIDs transIDs;
  std::optional<std::int64_t> authRetNum;
  bool operator==(const AuthTags&) const = default;
};
struct CheckDigests {
  Bytes hOIData, hod2;
  bool operator==(const CheckDigests&) const = default;
};
struct Location {
  int countryCode = 0;
  std::optional<std::string> city, stateProvince, postalCode;
  bool operator==(const Location&) const = default;
};
struct AVSData {
  std::optional<std::string> streetAddress;
  Location location;
  bool operator==(const AVSData&) const = default;
};
struct MerchData {
  std::optional<std::string> merchCatCode;  // 4 digits
  std::optional<std::int64_t> merchGroup;
  bool operator==(const MerchData&) const = default;
};
struct AuthReqPayload {
  bool subsequentAuthInd = false;
  CurrencyAmount authReqAmt;
  std::optional<AVSData> avsData;
  bool requestCardTypeInd = false;
  std::optional<InstallRecurData> installRecurData;
  MerchData merchData;
  MsgExtensions aRqExtensions;
  bool operator==(const AuthReqPayload&) const = default;
};
struct AuthReqItem {
  AuthTags authTags;
  std::optional<CheckDigests> checkDigests;
  AuthReqPayload authReqPayload;
  bool operator==(const AuthReqItem&) const = default;
};
struct AuthReqData {
  AuthReqItem authReqItem;
  std::optional<Thumbs> mThumbs;
  bool captureNow = false;
  bool operator==(const AuthReqData&) const = default;
};
struct PI {  // the baggage of AuthReq
  std::variant<PIUnsigned, PIDualSigned, AuthToken> value;
  bool operator==(const PI&) const = default;
};

struct AuthValCodes {
  std::optional<std::string> approvalCode;
  std::optional<std::int64_t> authCharInd;
  std::optional<std::string> validationCode;
  std::optional<std::int64_t> marketSpecDataID;
  bool operator==(const AuthValCodes&) const = default;
};
struct ResponseData {
  std::optional<AuthValCodes> authValCodes;
  std::optional<std::int64_t> respReason, cardType, avsResult;
  std::optional<Bytes> logRefID;
  bool operator==(const ResponseData&) const = default;
};
struct AuthHeader {
  CurrencyAmount authAmt;
  AuthCode authCode = AuthCode::approved;
  ResponseData responseData;
  std::optional<CurrConv> currConv;
  bool operator==(const AuthHeader&) const = default;
};
struct CapResPayload {
  CapCode capCode = CapCode::success;
  CurrencyAmount capAmt;
  std::optional<std::int64_t> batchID, batchSequenceNum;
  MsgExtensions cRsPayExtensions;
  bool operator==(const CapResPayload&) const = default;
};
struct AuthResPayload {
  AuthHeader authHeader;
  std::optional<CapResPayload> capResPayload;
  MsgExtensions aRsExtensions;
  bool operator==(const AuthResPayload&) const = default;
};
struct AuthResData {
  AuthTags authTags;
  std::optional<Bytes> brandCRLIdentifier;
  std::optional<Bytes> peThumb;
  AuthResPayload authResPayload;
  bool operator==(const AuthResData&) const = default;
};
struct CapToken {
  enum class Kind { enc, encX, null } kind = Kind::null;
  Bytes der;  // Enc / EncX output (empty for null)
  bool operator==(const CapToken&) const = default;
};
struct AuthResBaggage {
  std::optional<CapToken> capToken;
  std::optional<Bytes> acqCardMsg;
  std::optional<AuthToken> authToken;
  bool operator==(const AuthResBaggage&) const = default;
};
struct CapTokenData {
  Bytes authRRPID;
  CurrencyAmount authAmt;
  Bytes tokenOpaque;
  bool operator==(const CapTokenData&) const = default;
};
struct AuthTokenData {
  TransIDs transIDs;
  CurrencyAmount purchAmt;
  std::string merchantID;
  std::optional<BackKeyData> acqBackKeyData;
  std::optional<InstallRecurData> installRecurData;
  std::optional<std::int64_t> recurringCount;
  TimePoint prevAuthDateTime;
  CurrencyAmount totalAuthAmount;
  Bytes authTokenOpaque;
  bool operator==(const AuthTokenData&) const = default;
};

struct CapPayload {
  TimePoint capDate;
  CurrencyAmount capReqAmt;
  std::optional<AuthReqItem> authReqItem;
  std::optional<AuthResPayload> authResPayload;
  MsgExtensions cPayExtensions;
  bool operator==(const CapPayload&) const = default;
};
struct CapItem {
  TransIDs transIDs;
  Bytes authRRPID;
  CapPayload capPayload;
  MsgExtensions capItemExtensions;
  bool operator==(const CapItem&) const = default;
};
struct CapReqData {
  RRTags capRRTags;
  std::optional<Thumbs> mThumbs;
  std::vector<CapItem> capItemSeq;
  MsgExtensions cRqExtensions;
  bool operator==(const CapReqData&) const = default;
};
struct CapTokenSeq {
  std::vector<CapToken> capTokens;
  bool operator==(const CapTokenSeq&) const = default;
};
struct CapResItem {
  TransIDs transIDs;
  Bytes authRRPID;
  CapResPayload capResPayload;
  bool operator==(const CapResItem&) const = default;
};
struct CapResData {
  RRTags capRRTags;
  std::optional<Bytes> brandCRLIdentifier;
  std::optional<Bytes> peThumb;
  std::vector<CapResItem> capResItemSeq;
  MsgExtensions cRsExtensions;
  bool operator==(const CapResData&) const = default;
};

struct ErrorTBS {
  int errorCode = 0;  // protocol::ErrorCode value (kept as int: a peer may send one we don't know)
  Bytes errorNonce;
  std::optional<std::string> errorOID;
  std::optional<Bytes> errorThumb;
  std::variant<MessageHeader, Bytes> errorMsg;  // messageHeader | badWrapper (≤ 20 KB)
  MsgExtensions errorTBSExtensions;
  bool operator==(const ErrorTBS&) const = default;
};

// Wire forms of the messages whose content is one operator output (DER kept as is).
struct PInitRes { Bytes signedData; bool operator==(const PInitRes&) const = default; };  // S(M, PInitResData)
struct PRes { Bytes signedData; bool operator==(const PRes&) const = default; };          // S(M, PResData)
struct InqRes { Bytes signedData; bool operator==(const InqRes&) const = default; };      // same as PRes
struct InqReq {  // S(C, InqReqData) | InqReqData
  std::variant<Bytes, InqReqData> value;
  bool operator==(const InqReq&) const = default;
};
struct AuthReq { Bytes encB; bool operator==(const AuthReq&) const = default; };  // EncB(M,P,AuthReqData,PI)
struct AuthRes {  // EncB(P,M,AuthResData,AuthResBaggage) | EncBX(…, PANToken)
  bool withPANToken = false;
  Bytes der;
  bool operator==(const AuthRes&) const = default;
};
struct CapReq {  // EncB(M,P,CapReqData,CapTokenSeq) | EncBX(…, PANToken)
  bool withPANToken = false;
  Bytes der;
  bool operator==(const CapReq&) const = default;
};
struct CapRes { Bytes enc; bool operator==(const CapRes&) const = default; };  // Enc(P,M,CapResData)
struct Error {  // SignedError S(EE, ErrorTBS) | UnsignedError ErrorTBS
  std::variant<Bytes, ErrorTBS> value;
  bool operator==(const Error&) const = default;
};

}  // namespace setpay::protocol
