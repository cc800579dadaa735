// Typed purchase-phase values: PInitReq, PInitResData, HODInput, OIData, PIHead, PANData, PANToken,
// PIData, PIDataUnsigned, PI-TBS, PI-OILink and the PReq wire forms. Plain structures; the signed and
// encrypted messages (PInitRes, PReq…) are built and opened in sealed.hpp.
#pragma once

#include "protocol/messages/types.hpp"

namespace setpay::protocol {

struct PInitReq {
  Bytes rrpid;
  std::string language;
  Bytes localIDC;
  std::optional<Bytes> localIDM;
  Bytes challC;
  std::string brandID;
  std::string bin;  // 6 digits
  std::optional<Thumbs> thumbs;
  MsgExtensions piRqExtensions;
  bool operator==(const PInitReq&) const = default;
};

struct PInitResData {
  TransIDs transIDs;
  Bytes rrpid;
  Bytes challC;
  Bytes challM;
  std::optional<Bytes> brandCRLIdentifier;  // DER
  Bytes peThumb;                            // DD(Cert-PE)
  std::optional<Thumbs> thumbs;
  MsgExtensions piRsExtensions;
  bool operator==(const PInitResData&) const = default;
};

struct HODInput {
  Bytes od;
  CurrencyAmount purchAmt;
  Bytes odSalt;
  std::optional<InstallRecurData> installRecurData;
  MsgExtensions odExtensions;
  bool operator==(const HODInput&) const = default;
};

struct OIData {
  TransIDs transIDs;
  Bytes rrpid;
  Bytes challC;
  Bytes hod;  // DD(HODInput)
  Bytes odSalt;
  std::optional<Bytes> challM;
  std::string brandID;
  std::string bin;
  std::vector<std::string> odExtOIDs;
  MsgExtensions oiExtensions;
  bool operator==(const OIData&) const = default;
};

struct PIHead {
  TransIDs transIDs;
  Bytes hod;  // inputs.hod
  CurrencyAmount purchAmt;  // inputs.purchAmt
  std::string merchantID;
  std::optional<InstallRecurData> installRecurData;
  Bytes transStain;  // HMAC(XID, CardSecret)
  std::string swIdent;
  std::optional<BackKeyData> acqBackKeyData;
  MsgExtensions piExtensions;
  bool operator==(const PIHead&) const = default;
};

struct PANData {
  std::string pan;         // never print: maskPan()
  std::string cardExpiry;  // YYYYMM
  Bytes panSecret;
  Bytes exNonce;
  bool operator==(const PANData&) const = default;
};
struct PANToken {
  std::string pan;
  std::string cardExpiry;
  Bytes exNonce;
  bool operator==(const PANToken&) const = default;
};

struct PIData {
  PIHead piHead;
  PANData panData;
  bool operator==(const PIData&) const = default;
};
struct PIDataUnsigned {
  PIHead piHead;
  PANToken panToken;
  bool operator==(const PIDataUnsigned&) const = default;
};
struct PI_TBS {
  Bytes hPIData, hOIData;  // DD values
  bool operator==(const PI_TBS&) const = default;
};
struct PI_OILink {  // L(PIHead, OIData)
  PIHead piHead;
  Bytes hOIData;
  bool operator==(const PI_OILink&) const = default;
};

// Wire forms of the PI and PReq (operator outputs kept as DER).
struct PIDualSigned {
  Bytes piSignature;  // SO(C, PI-TBS)
  Bytes exPIData;     // EX(P, PI-OILink, PANData)
  bool operator==(const PIDualSigned&) const = default;
};
struct PIUnsigned {
  Bytes exhEnvelope;  // EXH(P, PI-OILink, PANToken)
  bool operator==(const PIUnsigned&) const = default;
};
struct AuthToken {
  Bytes encX;  // EncX(P, P, AuthTokenData, PANToken)
  bool operator==(const AuthToken&) const = default;
};
struct PReqDualSigned {
  PIDualSigned piDualSigned;
  OIData oiData;   // oiDualSigned = L(OIData, PIData)
  Bytes hPIData;
  bool operator==(const PReqDualSigned&) const = default;
};
struct PReqUnsigned {
  PIUnsigned piUnsigned;
  OIData oiData;  // oiUnsigned = L(OIData, PIDataUnsigned)
  Bytes hPIDataUnsigned;
  bool operator==(const PReqUnsigned&) const = default;
};
struct PReq {
  std::variant<PReqDualSigned, PReqUnsigned> value;
  bool operator==(const PReq&) const = default;
};

}  // namespace setpay::protocol
