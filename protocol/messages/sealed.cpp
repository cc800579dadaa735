#include "protocol/messages/sealed.hpp"

#include <openssl/objects.h>

#include "protocol/crypto/composite.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/crypto/enveloped_data.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol {

namespace {

Bytes thumbOf(const AlgorithmProfile& profile, const X509* cert, const char* what) {
  if (!cert) throw ProtocolError(ErrorCode::missingCertificate, std::string(what) + " certificate needed");
  return thumbprint(profile, cert);
}

void requireSameThumb(ByteView expected, const std::optional<Bytes>& carried, const char* what) {
  if (!carried) throw ProtocolError(ErrorCode::thumbsMismatch, std::string(what) + ": hardening extension missing");
  if (!constantTimeEqual(expected, *carried)) throw ProtocolError(ErrorCode::thumbsMismatch, what);
}

PIHead withGatewayThumb(const AlgorithmProfile& profile, PIHead head, const X509* gateway) {
  if (profile.hardeningByDefault() && !findGatewayThumb(head.piExtensions))
    head.piExtensions.push_back(gatewayThumbExtension(thumbOf(profile, gateway, "gateway key-exchange")));
  return head;
}

void checkGatewayThumb(const AlgorithmProfile& profile, const PIHead& head, const X509* gateway) {
  const auto carried = findGatewayThumb(head.piExtensions);
  if (!profile.hardeningByDefault() && !carried) return;
  requireSameThumb(thumbOf(profile, gateway, "gateway key-exchange"), carried, "PI names another gateway key");
}

}  // namespace

int nidInqReqData() {
  // OpenSSL's object table skips 2.23.42.0.15; Book 3 (recalled) puts InqReqData there. Registered
  // once, thread-safely (function-local static), in OpenSSL's own table.
  static const int nid = [] {
    const int known = OBJ_txt2nid("2.23.42.0.15");
    if (known != NID_undef) return known;
    const int created = OBJ_create("2.23.42.0.15", "setct-InqReqData", "setct-InqReqData");
    if (created == NID_undef) ossl::fail(ErrorCode::unspecifiedFailure, "OBJ_create setct-InqReqData");
    return created;
  }();
  return nid;
}

Bytes hod(const AlgorithmProfile& p, const HODInput& in) { return DD(p, NID_setct_HODInput, encode(in)); }
Bytes hOIData(const AlgorithmProfile& p, const OIData& oi) { return DD(p, NID_setct_OIData, encode(oi)); }

// ---- S(M, …)

PInitRes buildPInitRes(const AlgorithmProfile& p, Signer& m, const Clock& clock, const PInitResData& d,
                       const SignOptions& o) {
  return PInitRes{S(p, m, clock, NID_setct_PInitResData, encode(d), o)};
}
OpenedPInitRes open(const AlgorithmProfile& p, const PInitRes& msg, const KnownCerts& known) {
  VerifiedSignedData v = openS(p, msg.signedData, NID_setct_PInitResData, known);
  return OpenedPInitRes{decode<PInitResData>(v.content), std::move(v)};
}

PRes buildPRes(const AlgorithmProfile& p, Signer& m, const Clock& clock, const PResData& d, const SignOptions& o) {
  return PRes{S(p, m, clock, NID_setct_PResData, encode(d), o)};
}
InqRes buildInqRes(const AlgorithmProfile& p, Signer& m, const Clock& clock, const PResData& d, const SignOptions& o) {
  return InqRes{S(p, m, clock, NID_setct_PResData, encode(d), o)};
}
OpenedPRes open(const AlgorithmProfile& p, const PRes& msg, const KnownCerts& known) {
  VerifiedSignedData v = openS(p, msg.signedData, NID_setct_PResData, known);
  return OpenedPRes{decode<PResData>(v.content), std::move(v)};
}
OpenedPRes open(const AlgorithmProfile& p, const InqRes& msg, const KnownCerts& known) {
  return open(p, PRes{msg.signedData}, known);
}

// ---- PReq

PReq buildPReqDualSigned(const AlgorithmProfile& p, RandomSource& rng, const Clock& clock, Signer& c,
                         const X509* gateway, PIHead piHead, const PANData& panData, const OIData& oiData,
                         const SignOptions& o) {
  piHead = withGatewayThumb(p, std::move(piHead), gateway);
  const Bytes oiDer = encode(oiData);
  const Bytes piDataDer = encode(PIData{piHead, panData});
  const Bytes hOI = DD(p, NID_setct_OIData, oiDer);
  const Bytes hPIData = DD(p, NID_setct_PIData, piDataDer);
  const Bytes piTbs = encode(PI_TBS{hPIData, hOI});
  PIDualSigned pi;
  pi.piSignature = SO(p, c, clock, NID_setct_PI_TBS, piTbs, o);
  pi.exPIData = EX(p, rng, gateway, NID_setct_PIDualSignedTBE, encode(PI_OILink{piHead, hOI}), encode(panData));
  return PReq{PReqDualSigned{std::move(pi), oiData, hPIData}};
}

PReq buildPReqUnsigned(const AlgorithmProfile& p, RandomSource& rng, const X509* gateway, PIHead piHead,
                       const PANToken& panToken, const OIData& oiData) {
  piHead = withGatewayThumb(p, std::move(piHead), gateway);
  const Bytes hOI = hOIData(p, oiData);
  const Bytes hPIDataUnsigned = DD(p, NID_setct_PIDataUnsigned, encode(PIDataUnsigned{piHead, panToken}));
  PIUnsigned pi{EXH(p, rng, gateway, NID_setct_PIUnsignedTBE, encode(PI_OILink{piHead, hOI}), encode(panToken))};
  return PReq{PReqUnsigned{std::move(pi), oiData, hPIDataUnsigned}};
}

VerifiedSignedData verifyDualSignature(const AlgorithmProfile& p, const PReqDualSigned& r, const KnownCerts& known) {
  // A DD of the other profile says why the rebuilt PI-TBS cannot match (decodingFailure), rather than
  // leaving it to an unexplained signatureFailure; its shape was checked when the PReq was decoded.
  (void)digestOfDD(p, r.hPIData);
  const Bytes piTbs = encode(PI_TBS{r.hPIData, hOIData(p, r.oiData)});
  return verifySO(p, r.piDualSigned.piSignature, NID_setct_PI_TBS, piTbs, known);
}

PI piOf(const PReq& r) {
  if (const auto* d = std::get_if<PReqDualSigned>(&r.value)) return PI{d->piDualSigned};
  return PI{std::get<PReqUnsigned>(r.value).piUnsigned};
}

OpenedPI open(const AlgorithmProfile& p, EVP_PKEY* key, const X509* gateway, const PI& pi, const KnownCerts& known) {
  OpenedPI out;
  if (const auto* d = std::get_if<PIDualSigned>(&pi.value)) {
    OpenedEnvelope env = openEX(p, key, NID_setct_PIDualSignedTBE, d->exPIData);
    PI_OILink link = decode<PI_OILink>(env.t);
    PANData panData = decode<PANData>(env.p);
    checkGatewayThumb(p, link.piHead, gateway);
    (void)digestOfDD(p, link.hOIData);  // of this profile (see verifyDualSignature)
    // PI-TBS rebuilt from what P sees: DD(PIData) it computes itself, DD(OIData) from PI-OILink.
    const Bytes piTbs = encode(PI_TBS{DD(p, NID_setct_PIData, encode(PIData{link.piHead, panData})), link.hOIData});
    out.cardholderSignature = verifySO(p, d->piSignature, NID_setct_PI_TBS, piTbs, known);
    out.piHead = std::move(link.piHead);
    out.hOIData = std::move(link.hOIData);
    out.panData = std::move(panData);
  } else if (const auto* u = std::get_if<PIUnsigned>(&pi.value)) {
    OpenedEnvelope env = openEXH(p, key, NID_setct_PIUnsignedTBE, u->exhEnvelope);
    PI_OILink link = decode<PI_OILink>(env.t);
    checkGatewayThumb(p, link.piHead, gateway);
    out.panToken = decode<PANToken>(env.p);
    out.piHead = std::move(link.piHead);
    out.hOIData = std::move(link.hOIData);
  } else {
    out.authToken = open(p, key, std::get<AuthToken>(pi.value), known);
  }
  return out;
}

// ---- InqReq

InqReq buildInqReqSigned(const AlgorithmProfile& p, Signer& c, const Clock& clock, const InqReqData& d,
                         const SignOptions& o) {
  return InqReq{S(p, c, clock, nidInqReqData(), encode(d), o)};
}
OpenedInqReq open(const AlgorithmProfile& p, const InqReq& msg, const KnownCerts& known) {
  if (const auto* d = std::get_if<InqReqData>(&msg.value)) return OpenedInqReq{*d, std::nullopt};
  VerifiedSignedData v = openS(p, std::get<Bytes>(msg.value), nidInqReqData(), known);
  return OpenedInqReq{decode<InqReqData>(v.content), std::move(v)};
}

// ---- AuthReq

AuthReq buildAuthReq(const AlgorithmProfile& p, RandomSource& rng, const Clock& clock, Signer& m,
                     const X509* gateway, const AuthReqData& d, const PI& pi, const SignOptions& options) {
  return AuthReq{
      EncB(p, rng, clock, m, gateway, NID_setct_AuthReqTBS, NID_setct_AuthReqTBE, encode(d), encode(pi), options)};
}
OpenedAuthReq open(const AlgorithmProfile& p, EVP_PKEY* key, const AuthReq& msg, const KnownCerts& known) {
  OpenedEnc e = openEncB(p, key, NID_setct_AuthReqTBE, NID_setct_AuthReqTBS, msg.encB, known);
  return OpenedAuthReq{decode<AuthReqData>(e.t), decode<PI>(e.baggage), std::move(e.signedPart)};
}

// ---- tokens

CapToken buildCapToken(const AlgorithmProfile& p, RandomSource& rng, const Clock& clock, Signer& g,
                       const X509* gateway, const CapTokenData& d) {
  return CapToken{CapToken::Kind::enc,
                  Enc(p, rng, clock, g, gateway, NID_setct_CapTokenTBS, NID_setct_CapTokenTBE, encode(d))};
}
OpenedCapToken open(const AlgorithmProfile& p, EVP_PKEY* key, const CapToken& token, const KnownCerts& known) {
  if (token.kind != CapToken::Kind::enc)
    throw ProtocolError(ErrorCode::messageNotSupported, "only Enc CapTokens are opened here");
  OpenedEnc e = openEnc(p, key, NID_setct_CapTokenTBE, NID_setct_CapTokenTBS, token.der, known);
  return OpenedCapToken{decode<CapTokenData>(e.t), std::move(e.signedPart)};
}

AuthToken buildAuthToken(const AlgorithmProfile& p, RandomSource& rng, const Clock& clock, Signer& g,
                         const X509* gateway, const AuthTokenData& d, const PANToken& t) {
  return AuthToken{EncX(p, rng, clock, g, gateway, NID_setct_AuthTokenTBS, NID_setct_AuthTokenTBE, encode(d), encode(t))};
}
AuthTokenContents open(const AlgorithmProfile& p, EVP_PKEY* key, const AuthToken& token, const KnownCerts& known) {
  OpenedEnc e = openEncX(p, key, NID_setct_AuthTokenTBE, NID_setct_AuthTokenTBS, token.encX, known);
  return AuthTokenContents{decode<AuthTokenData>(e.t), decode<PANToken>(e.p), std::move(e.signedPart)};
}

// ---- AuthRes

AuthRes buildAuthRes(const AlgorithmProfile& p, RandomSource& rng, const Clock& clock, Signer& g,
                     const X509* merchantKeyExchange, const X509* merchantSignature, AuthResData d,
                     const AuthResBaggage& b, const std::optional<PANToken>& panToken) {
  if (p.hardeningByDefault() && !findMerchantIdentity(d.authResPayload.aRsExtensions))
    d.authResPayload.aRsExtensions.push_back(merchantIdentityExtension(
        MerchantIdentity{thumbOf(p, merchantSignature, "merchant signature"), d.authTags.authRRTags.merTermIDs.merchantID}));
  const Bytes t = encode(d);
  const Bytes baggage = encode(b);
  if (panToken)
    return AuthRes{true, EncBX(p, rng, clock, g, merchantKeyExchange, NID_setct_AuthResTBSX, NID_setct_AuthResTBEX, t,
                               baggage, encode(*panToken))};
  return AuthRes{false, EncB(p, rng, clock, g, merchantKeyExchange, NID_setct_AuthResTBS, NID_setct_AuthResTBE, t, baggage)};
}

OpenedAuthRes open(const AlgorithmProfile& p, EVP_PKEY* key, const X509* ownSignature, const AuthRes& msg,
                   const KnownCerts& known) {
  OpenedEnc e = msg.withPANToken
                    ? openEncBX(p, key, NID_setct_AuthResTBEX, NID_setct_AuthResTBSX, msg.der, known)
                    : openEncB(p, key, NID_setct_AuthResTBE, NID_setct_AuthResTBS, msg.der, known);
  OpenedAuthRes out{decode<AuthResData>(e.t), decode<AuthResBaggage>(e.baggage), std::nullopt, std::move(e.signedPart)};
  if (msg.withPANToken) out.panToken = decode<PANToken>(e.p);
  const auto identity = findMerchantIdentity(out.data.authResPayload.aRsExtensions);
  if (identity || p.hardeningByDefault()) {
    if (!identity) throw ProtocolError(ErrorCode::thumbsMismatch, "AuthRes: merchant identity extension missing");
    requireSameThumb(thumbOf(p, ownSignature, "own signature"), identity->merchantSignatureThumb,
                     "AuthRes answers another merchant");
    if (identity->merchantID != out.data.authTags.authRRTags.merTermIDs.merchantID)
      throw ProtocolError(ErrorCode::thumbsMismatch, "AuthRes: merchantID differs from the identity extension");
  }
  return out;
}

// ---- CapReq / CapRes

CapReq buildCapReq(const AlgorithmProfile& p, RandomSource& rng, const Clock& clock, Signer& m, const X509* gateway,
                   const CapReqData& d, const CapTokenSeq& tokens, const std::optional<PANToken>& panToken) {
  const Bytes t = encode(d);
  const Bytes baggage = encode(tokens);
  if (panToken)
    return CapReq{true, EncBX(p, rng, clock, m, gateway, NID_setct_CapReqTBSX, NID_setct_CapReqTBEX, t, baggage,
                              encode(*panToken))};
  return CapReq{false, EncB(p, rng, clock, m, gateway, NID_setct_CapReqTBS, NID_setct_CapReqTBE, t, baggage)};
}
OpenedCapReq open(const AlgorithmProfile& p, EVP_PKEY* key, const CapReq& msg, const KnownCerts& known) {
  OpenedEnc e = msg.withPANToken ? openEncBX(p, key, NID_setct_CapReqTBEX, NID_setct_CapReqTBSX, msg.der, known)
                                 : openEncB(p, key, NID_setct_CapReqTBE, NID_setct_CapReqTBS, msg.der, known);
  OpenedCapReq out{decode<CapReqData>(e.t), decode<CapTokenSeq>(e.baggage), std::nullopt, std::move(e.signedPart)};
  if (msg.withPANToken) out.panToken = decode<PANToken>(e.p);
  if (out.capTokens.capTokens.size() != out.data.capItemSeq.size())
    throw ProtocolError(ErrorCode::decodingFailure, "CapTokenSeq must have one slot per CapItem");
  return out;
}

CapRes buildCapRes(const AlgorithmProfile& p, RandomSource& rng, const Clock& clock, Signer& g,
                   const X509* merchantKeyExchange, const CapResData& d) {
  return CapRes{Enc(p, rng, clock, g, merchantKeyExchange, NID_setct_CapResData, NID_setct_CapResTBE, encode(d))};
}
OpenedCapRes open(const AlgorithmProfile& p, EVP_PKEY* key, const CapRes& msg, const KnownCerts& known) {
  OpenedEnc e = openEnc(p, key, NID_setct_CapResTBE, NID_setct_CapResData, msg.enc, known);
  return OpenedCapRes{decode<CapResData>(e.t), std::move(e.signedPart)};
}

// ---- Error

Error buildSignedError(const AlgorithmProfile& p, Signer& s, const Clock& clock, const ErrorTBS& d, const SignOptions& o) {
  return Error{S(p, s, clock, NID_setct_ErrorTBS, encode(d), o)};
}
OpenedError open(const AlgorithmProfile& p, const Error& msg, const KnownCerts& known) {
  if (const auto* d = std::get_if<ErrorTBS>(&msg.value)) return OpenedError{*d, std::nullopt};
  VerifiedSignedData v = openS(p, std::get<Bytes>(msg.value), NID_setct_ErrorTBS, known);
  return OpenedError{decode<ErrorTBS>(v.content), std::move(v)};
}

}  // namespace setpay::protocol

namespace setpay::protocol {

namespace {

struct Inspector {
  const AlgorithmProfile& p;
  EVP_PKEY* key;
  InspectedParts out;

  template <class F>
  void attempt(const std::string& what, F&& f) {
    try {
      f();
    } catch (const ProtocolError& e) {
      out.notes.push_back(what + ": " + e.what());
    }
  }
  void signedContent(const std::string& type, ByteView der, int nid) {
    attempt(type, [&] { out.parts.emplace_back(type, openS(p, der, nid).content); });
  }
  void pi(const PI& pi) {
    if (!key) return;
    if (const auto* d = std::get_if<PIDualSigned>(&pi.value)) {
      attempt("PI", [&] {
        OpenedEnvelope e = openEX(p, key, NID_setct_PIDualSignedTBE, d->exPIData);
        out.parts.emplace_back("PI_OILink", std::move(e.t));
        out.parts.emplace_back("PANData", std::move(e.p));
      });
    } else if (const auto* u = std::get_if<PIUnsigned>(&pi.value)) {
      attempt("PI", [&] {
        OpenedEnvelope e = openEXH(p, key, NID_setct_PIUnsignedTBE, u->exhEnvelope);
        out.parts.emplace_back("PI_OILink", std::move(e.t));
        out.parts.emplace_back("PANToken", std::move(e.p));
      });
    } else {
      attempt("AuthToken", [&] {
        OpenedEnc e = openEncX(p, key, NID_setct_AuthTokenTBE, NID_setct_AuthTokenTBS, std::get<AuthToken>(pi.value).encX);
        out.parts.emplace_back("AuthTokenData", std::move(e.t));
        out.parts.emplace_back("PANToken", std::move(e.p));
      });
    }
  }
  void encB(const std::string& tType, const std::string& bType, ByteView der, bool x, int tbe, int tbs, int tbeX,
            int tbsX) {
    if (!key) return;
    attempt(tType, [&] {
      OpenedEnc e = x ? openEncBX(p, key, tbeX, tbsX, der) : openEncB(p, key, tbe, tbs, der);
      out.parts.emplace_back(tType, e.t);
      out.parts.emplace_back(bType, e.baggage);
      if (x) out.parts.emplace_back("PANToken", e.p);
      if (bType == "PI") pi(decode<PI>(e.baggage));  // the gateway's key opens the PI too
    });
  }
};

}  // namespace

InspectedParts openForInspection(const AlgorithmProfile& p, EVP_PKEY* key, const Message& message) {
  Inspector in{p, key, {}};
  std::visit(
      [&in, key, &p](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, PInitRes>) {
          in.signedContent("PInitResData", m.signedData, NID_setct_PInitResData);
        } else if constexpr (std::is_same_v<T, PRes> || std::is_same_v<T, InqRes>) {
          in.signedContent("PResData", m.signedData, NID_setct_PResData);
        } else if constexpr (std::is_same_v<T, InqReq>) {
          if (const auto* s = std::get_if<Bytes>(&m.value)) in.signedContent("InqReqData", *s, nidInqReqData());
        } else if constexpr (std::is_same_v<T, Error>) {
          if (const auto* s = std::get_if<Bytes>(&m.value)) in.signedContent("ErrorTBS", *s, NID_setct_ErrorTBS);
        } else if constexpr (std::is_same_v<T, PReq>) {
          if (const auto* d = std::get_if<PReqDualSigned>(&m.value))
            in.attempt("PISignature", [&] {
              verifyDualSignature(p, *d);
              in.out.notes.push_back("PISignature: dual signature verifies over PI-TBS {hPIData, DD(OIData)}");
            });
          in.pi(piOf(m));
        } else if constexpr (std::is_same_v<T, AuthReq>) {
          in.encB("AuthReqData", "PI", m.encB, false, NID_setct_AuthReqTBE, NID_setct_AuthReqTBS, 0, 0);
        } else if constexpr (std::is_same_v<T, AuthRes>) {
          in.encB("AuthResData", "AuthResBaggage", m.der, m.withPANToken, NID_setct_AuthResTBE, NID_setct_AuthResTBS,
                  NID_setct_AuthResTBEX, NID_setct_AuthResTBSX);
        } else if constexpr (std::is_same_v<T, CapReq>) {
          in.encB("CapReqData", "CapTokenSeq", m.der, m.withPANToken, NID_setct_CapReqTBE, NID_setct_CapReqTBS,
                  NID_setct_CapReqTBEX, NID_setct_CapReqTBSX);
        } else if constexpr (std::is_same_v<T, CapRes>) {
          if (key)
            in.attempt("CapResData", [&] {
              in.out.parts.emplace_back("CapResData",
                                        openEnc(p, key, NID_setct_CapResTBE, NID_setct_CapResData, m.enc).t);
            });
        }
      },
      message);
  return std::move(in.out);
}

}  // namespace setpay::protocol
