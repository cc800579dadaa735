#include "protocol/mobile/channel.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <string_view>

#include "protocol/mobile/codec.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol::mobile {

namespace {

constexpr std::string_view kLabel{"setpay-mobile/1\0", 16};

Bytes signedBytes(ByteView contentDer) { return concat({view(std::string(kLabel)), contentDer}); }

// The digest the pinned key type implies; null for Ed25519 (it hashes internally).
const EVP_MD* digestFor(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_ED25519:
      return nullptr;
    case EVP_PKEY_EC:
      return EVP_sha256();
    case EVP_PKEY_RSA:
      if (EVP_PKEY_get_bits(key) < 2048) throw ProtocolError(ErrorCode::invalidCertificate, "channel RSA key under 2048 bits");
      return EVP_sha256();
    default:
      throw ProtocolError(ErrorCode::invalidCertificate, "channel key must be EC P-256, Ed25519 or RSA");
  }
}

void requireBinding(bool same, ErrorCode code, const char* what) {
  if (!same) throw ProtocolError(code, what);
}

template <class T>
T expect(Content content, const char* kind) {
  if (auto* v = std::get_if<T>(&content)) return std::move(*v);
  throw ProtocolError(ErrorCode::wrapperMsgMismatch, std::string("expected ") + kind + ", got " + std::string(kindOf(content)));
}

}  // namespace

Bytes terminalIdOf(EVP_PKEY* key) {
  if (!key) throw ProtocolError(ErrorCode::missingCertificate, "no terminal key");
  unsigned char* spki = nullptr;
  const int len = i2d_PUBKEY(key, &spki);
  if (len <= 0 || !spki) ossl::fail(ErrorCode::unspecifiedFailure, "i2d_PUBKEY");
  Bytes id = digestOf(ByteView(spki, static_cast<std::size_t>(len)));
  OPENSSL_free(spki);
  return id;
}

Bytes digestOf(ByteView der) {
  Bytes out(limits::digest);
  unsigned int len = 0;
  if (EVP_Digest(der.data(), der.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 || len != out.size())
    ossl::fail(ErrorCode::unspecifiedFailure, "SHA-256");
  return out;
}

Bytes signContentDer(ByteView contentDer, EVP_PKEY* key) {
  if (!key) throw ProtocolError(ErrorCode::unspecifiedFailure, "no channel key to sign with");
  const Bytes tbs = signedBytes(contentDer);
  ossl::MdCtx ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digestFor(key), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, tbs.data(), tbs.size()) != 1)
    ossl::fail(ErrorCode::unspecifiedFailure, "channel signature");
  Bytes signature(len);
  if (EVP_DigestSign(ctx.get(), signature.data(), &len, tbs.data(), tbs.size()) != 1)
    ossl::fail(ErrorCode::unspecifiedFailure, "channel signature");
  signature.resize(len);
  return encodeMessage(contentDer, signature);
}

Bytes sign(const Content& content, EVP_PKEY* key) { return signContentDer(encodeContent(content), key); }

Content open(ByteView der, EVP_PKEY* key) {
  if (!key) throw ProtocolError(ErrorCode::signatureFailure, "no pinned key for the sender");
  DecodedMessage m = decodeMessage(der);
  const Bytes tbs = signedBytes(m.contentDer);
  ossl::MdCtx ctx(EVP_MD_CTX_new());
  const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, digestFor(key), nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx.get(), m.signature.data(), m.signature.size(), tbs.data(), tbs.size()) == 1;
  if (!ok) {
    ERR_clear_error();
    throw ProtocolError(ErrorCode::signatureFailure, std::string(kindOf(m.content)) + " is not signed by the pinned key");
  }
  return std::move(m.content);
}

void checkDate(const Binding& b, const Window& w) {
  const TimePoint now = w.clock.now();
  if (b.date < now - w.maxAge) throw ProtocolError(ErrorCode::messageTooOld, "mobile message outside the time window");
  if (b.date > now + w.maxAhead) throw ProtocolError(ErrorCode::messageTooNew, "mobile message dated in the future");
}

SignatureRequest openSignatureRequest(ByteView d, EVP_PKEY* walletKey, ByteView ownTerminalID, const Window& w) {
  SignatureRequest r = expect<SignatureRequest>(open(d, walletKey), "d");
  requireBinding(constantTimeEqual(r.binding.terminalID, ownTerminalID), ErrorCode::thumbsMismatch,
                 "d is for another terminal");
  checkDate(r.binding, w);
  return r;
}

SignatureResponse openSignatureResponse(ByteView e, EVP_PKEY* terminalKey, ByteView d, const Binding& sent,
                                        const Window& w) {
  SignatureResponse r = expect<SignatureResponse>(open(e, terminalKey), "e");
  requireBinding(constantTimeEqual(r.binding.terminalID, sent.terminalID), ErrorCode::thumbsMismatch,
                 "e comes from another terminal");
  requireBinding(r.binding.xid == sent.xid, ErrorCode::unknownXID, "e is for another purchase (XID)");
  requireBinding(constantTimeEqual(r.binding.purchaseNonce, sent.purchaseNonce), ErrorCode::unknownRRPID,
                 "e carries another purchase nonce");
  requireBinding(constantTimeEqual(r.dDigest, digestOf(d)), ErrorCode::unknownRRPID, "e answers another d");
  checkDate(r.binding, w);
  return r;
}

PurchaseConfirmation openConfirmation(ByteView f, EVP_PKEY* walletKey, ByteView ownTerminalID, const Window& w) {
  PurchaseConfirmation c = expect<PurchaseConfirmation>(open(f, walletKey), "f");
  requireBinding(constantTimeEqual(c.binding.terminalID, ownTerminalID), ErrorCode::thumbsMismatch,
                 "f is for another terminal");
  checkDate(c.binding, w);
  return c;
}

}  // namespace setpay::protocol::mobile
