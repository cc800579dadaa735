// build/open for the messages whose content is a cryptographic operator output (SPEC-CHOICES.md "## crypto: signing
// and digests"), with the content types of SPEC-CHOICES.md "## messages". build: typed fields → DER through
// protocol/crypto; open: DER → typed value + who signed it (chain validation is pki/'s job), or ProtocolError. The
// hardening extensions (hardening.hpp) are added by build and required by open when the profile's
// hardeningByDefault() is on; a mismatch is thumbsMismatch.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <optional>
#include <vector>

#include "protocol/crypto/signed_data.hpp"
#include "protocol/messages/wrapper.hpp"
#include "protocol/profile.hpp"
#include "protocol/random.hpp"

namespace setpay::protocol {

using KnownCerts = std::vector<const X509*>;

// NID of setct-InqReqData (2.23.42.0.15), which OpenSSL's table lacks; registered on first use.
int nidInqReqData();

// HOD = DD(HODInput) and HOIData = DD(OIData), labelled setct-HODInput / setct-OIData: what the
// cardholder, the merchant and (through CheckDigests) the gateway each compute and compare.
Bytes hod(const AlgorithmProfile&, const HODInput&);
Bytes hOIData(const AlgorithmProfile&, const OIData&);

// ---- PInitRes = S(M, PInitResData); PRes / InqRes = S(M, PResData)
PInitRes buildPInitRes(const AlgorithmProfile&, Signer& merchant, const Clock&, const PInitResData&,
                       const SignOptions& = {});
struct OpenedPInitRes { PInitResData data; VerifiedSignedData signature; };
OpenedPInitRes open(const AlgorithmProfile&, const PInitRes&, const KnownCerts& known = {});

PRes buildPRes(const AlgorithmProfile&, Signer& merchant, const Clock&, const PResData&, const SignOptions& = {});
InqRes buildInqRes(const AlgorithmProfile&, Signer& merchant, const Clock&, const PResData&, const SignOptions& = {});
struct OpenedPRes { PResData data; VerifiedSignedData signature; };
OpenedPRes open(const AlgorithmProfile&, const PRes&, const KnownCerts& known = {});
OpenedPRes open(const AlgorithmProfile&, const InqRes&, const KnownCerts& known = {});

// ---- PReq
// Dual-signed: PISignature = SO(C, PI-TBS{DD(PIData), DD(OIData)}), exPIData = EX(P, PI-OILink, PANData),
// OIDualSigned = L(OIData, PIData).
PReq buildPReqDualSigned(const AlgorithmProfile&, RandomSource&, const Clock&, Signer& cardholder,
                         const X509* gatewayKeyExchange, PIHead piHead, const PANData&, const OIData&,
                         const SignOptions& = {});
// Unsigned: PIUnsigned = EXH(P, PI-OILink, PANToken), OIUnsigned = L(OIData, PIDataUnsigned).
PReq buildPReqUnsigned(const AlgorithmProfile&, RandomSource&, const X509* gatewayKeyExchange, PIHead piHead,
                       const PANToken&, const OIData&);
// Merchant side: C's signature over PI-TBS rebuilt from OIData and the carried DD(PIData).
VerifiedSignedData verifyDualSignature(const AlgorithmProfile&, const PReqDualSigned&, const KnownCerts& known = {});
// The PI a merchant forwards as AuthReq baggage.
PI piOf(const PReq&);

// ---- PI, opened by the gateway
struct AuthTokenContents { AuthTokenData data; PANToken panToken; VerifiedSignedData signature; };
struct OpenedPI {
  std::optional<PIHead> piHead;   // PIUnsigned / PIDualSigned
  Bytes hOIData;                  // from PI-OILink
  std::optional<PANData> panData;                      // dual-signed
  std::optional<PANToken> panToken;                    // unsigned
  std::optional<VerifiedSignedData> cardholderSignature;  // dual-signed: verified over PI-TBS
  std::optional<AuthTokenContents> authToken;          // AuthToken
};
OpenedPI open(const AlgorithmProfile&, EVP_PKEY* gatewayKey, const X509* gatewayKeyExchange, const PI&,
              const KnownCerts& known = {});

// ---- InqReq = S(C, InqReqData) | InqReqData
InqReq buildInqReqSigned(const AlgorithmProfile&, Signer& cardholder, const Clock&, const InqReqData&,
                         const SignOptions& = {});
struct OpenedInqReq { InqReqData data; std::optional<VerifiedSignedData> signature; };
OpenedInqReq open(const AlgorithmProfile&, const InqReq&, const KnownCerts& known = {});

// ---- AuthReq = EncB(M, P, AuthReqData, PI)
// options.extra carries the merchant's key-exchange certificate (Cert-MK), which the gateway needs to
// encrypt the AuthRes back, unless MThumbs shows the gateway has it.
AuthReq buildAuthReq(const AlgorithmProfile&, RandomSource&, const Clock&, Signer& merchant,
                     const X509* gatewayKeyExchange, const AuthReqData&, const PI&, const SignOptions& = {});
struct OpenedAuthReq { AuthReqData data; PI pi; VerifiedSignedData signature; };
OpenedAuthReq open(const AlgorithmProfile&, EVP_PKEY* gatewayKey, const AuthReq&, const KnownCerts& known = {});

// ---- CapToken = Enc(P, P, CapTokenData); AuthToken = EncX(P, P, AuthTokenData, PANToken)
CapToken buildCapToken(const AlgorithmProfile&, RandomSource&, const Clock&, Signer& gateway,
                       const X509* gatewayKeyExchange, const CapTokenData&);
struct OpenedCapToken { CapTokenData data; VerifiedSignedData signature; };
OpenedCapToken open(const AlgorithmProfile&, EVP_PKEY* gatewayKey, const CapToken&, const KnownCerts& known = {});
AuthToken buildAuthToken(const AlgorithmProfile&, RandomSource&, const Clock&, Signer& gateway,
                         const X509* gatewayKeyExchange, const AuthTokenData&, const PANToken&);
AuthTokenContents open(const AlgorithmProfile&, EVP_PKEY* gatewayKey, const AuthToken&, const KnownCerts& known = {});

// ---- AuthRes = EncB(P, M, AuthResData, AuthResBaggage) | EncBX(…, PANToken)
// merchantSignature: the certificate that signed the AuthReq (hardening: its thumbprint and the
// merchantID go into aRsExtensions; required when the profile hardens).
AuthRes buildAuthRes(const AlgorithmProfile&, RandomSource&, const Clock&, Signer& gateway,
                     const X509* merchantKeyExchange, const X509* merchantSignature, AuthResData,
                     const AuthResBaggage&, const std::optional<PANToken>& = std::nullopt);
struct OpenedAuthRes {
  AuthResData data;
  AuthResBaggage baggage;
  std::optional<PANToken> panToken;
  VerifiedSignedData signature;
};
// ownSignature: the merchant's own signature certificate, checked against the hardening extension.
OpenedAuthRes open(const AlgorithmProfile&, EVP_PKEY* merchantKey, const X509* ownSignature, const AuthRes&,
                   const KnownCerts& known = {});

// ---- CapReq = EncB(M, P, CapReqData, CapTokenSeq) | EncBX(…, PANToken); CapRes = Enc(P, M, CapResData)
CapReq buildCapReq(const AlgorithmProfile&, RandomSource&, const Clock&, Signer& merchant,
                   const X509* gatewayKeyExchange, const CapReqData&, const CapTokenSeq&,
                   const std::optional<PANToken>& = std::nullopt);
struct OpenedCapReq {
  CapReqData data;
  CapTokenSeq capTokens;
  std::optional<PANToken> panToken;
  VerifiedSignedData signature;
};
OpenedCapReq open(const AlgorithmProfile&, EVP_PKEY* gatewayKey, const CapReq&, const KnownCerts& known = {});
CapRes buildCapRes(const AlgorithmProfile&, RandomSource&, const Clock&, Signer& gateway,
                   const X509* merchantKeyExchange, const CapResData&);
struct OpenedCapRes { CapResData data; VerifiedSignedData signature; };
OpenedCapRes open(const AlgorithmProfile&, EVP_PKEY* merchantKey, const CapRes&, const KnownCerts& known = {});

// ---- Error = S(EE, ErrorTBS) | ErrorTBS
Error buildSignedError(const AlgorithmProfile&, Signer&, const Clock&, const ErrorTBS&, const SignOptions& = {});
struct OpenedError { ErrorTBS data; std::optional<VerifiedSignedData> signature; };
OpenedError open(const AlgorithmProfile&, const Error&, const KnownCerts& known = {});

}  // namespace setpay::protocol

namespace setpay::protocol {

// For `setpay inspect`: what can be read of a message — the content of signed parts (signature
// checked against the carried certificates) and, given `key` (may be null), of envelopes addressed to
// it — as (type name, DER) pairs, without the receiver's policy checks (hardening thumbprints).
// Parts that cannot be opened are listed with the error text in `notes`.
struct InspectedParts {
  std::vector<std::pair<std::string, Bytes>> parts;
  std::vector<std::string> notes;
};
InspectedParts openForInspection(const AlgorithmProfile&, EVP_PKEY* key, const Message&);

}  // namespace setpay::protocol
