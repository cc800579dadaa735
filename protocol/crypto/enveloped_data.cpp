#include "protocol/crypto/enveloped_data.hpp"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>

#include <string>

#include "protocol/crypto/digest.hpp"
#include "protocol/crypto/oaep.hpp"
#include "protocol/der.hpp"
#include "protocol/error.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol {

namespace {

constexpr std::uint8_t envelopedDataVersion = 0;
constexpr std::uint8_t recipientInfoVersion = 0;
constexpr std::uint8_t encryptedContentTag = V_ASN1_CONTEXT_SPECIFIC | 0;  // [0] IMPLICIT OCTET STRING

// True if `der` is exactly one DER element with a definite length.
bool isOneElement(ByteView der) {
  if (der.empty() || der.size() > maxEnvelopeSize) return false;
  const unsigned char* p = der.data();
  long length = 0;
  int tag = 0, xclass = 0;
  const int r = ASN1_get_object(&p, &length, &tag, &xclass, static_cast<long>(der.size()));
  ERR_clear_error();
  if ((r & 0x80) != 0 || (r & 0x01) != 0) return false;
  return p + length == der.data() + der.size();
}

constexpr std::uint8_t sequenceTag = V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED;

// keyEncryptionAlgorithm: rsaOAEPEncryptionSET; parameters NULL in set1 (SET 1.0), the OAEP hash
// AlgorithmIdentifier (sha256, parameters absent) in modern so the block's hash is self-described.
Bytes keyEncryptionAlgorithmDer(const AlgorithmProfile& profile) {
  const Bytes oid = derElement(V_ASN1_OBJECT, {oidOf(NID_rsaOAEPEncryptionSET)});
  if (profile.id() == ProfileId::set1) return derElement(sequenceTag, {oid, Bytes{V_ASN1_NULL, 0x00}});
  const Bytes hash = derElement(sequenceTag, {derElement(V_ASN1_OBJECT, {oidOf(profile.digestNid())})});
  return derElement(sequenceTag, {oid, hash});
}

// The SET content type labelling DD(p) inside L(t,p): what the envelope's type says p is.
// AcctInfo (CertReqTBEX) and unknown kinds have no setct-* type: id-data (SPEC-CHOICES "DD").
int extraContentType(ExtraDataKind kind) {
  switch (kind) {
    case ExtraDataKind::panData: return NID_setct_PANData;
    case ExtraDataKind::panToken: return NID_setct_PANToken;
    default: return NID_pkcs7_data;
  }
}

// DES keys get odd parity, as DES key generators produce them (the cipher itself ignores parity).
void fixDesParity(const AlgorithmProfile& profile, Bytes& key) {
  if (profile.cipherNid() != NID_des_cbc) return;
  for (auto& b : key) {
    unsigned ones = 0;
    for (unsigned v = b >> 1; v != 0; v >>= 1) ones += v & 1u;
    b = static_cast<std::uint8_t>((b & 0xfe) | ((ones & 1u) == 0 ? 1 : 0));
  }
}

// Symmetric part. Encryption failures are ours (unspecifiedFailure); decryption failures are the
// envelope's (the uniform error).
Bytes symmetric(const AlgorithmProfile& profile, ByteView key, ByteView iv, ByteView in, bool encrypt) {
  ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
  Bytes out(in.size() + static_cast<std::size_t>(EVP_CIPHER_get_block_size(profile.cipher())));
  int n1 = 0, n2 = 0;
  const bool ok = ctx && key.size() == profile.keySize() && iv.size() == profile.ivSize() &&
                  EVP_CipherInit_ex2(ctx.get(), profile.cipher(), key.data(), iv.data(), encrypt ? 1 : 0,
                                     nullptr) == 1 &&
                  EVP_CipherUpdate(ctx.get(), out.data(), &n1, in.data(), static_cast<int>(in.size())) == 1 &&
                  EVP_CipherFinal_ex(ctx.get(), out.data() + n1, &n2) == 1;
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    if (!encrypt) envelopeDoesNotOpen();
    ossl::fail(ErrorCode::unspecifiedFailure, "symmetric encryption failed");
  }
  out.resize(static_cast<std::size_t>(n1 + n2));
  return out;
}

Bytes envelop(const AlgorithmProfile& profile, RandomSource& rng, const X509* recipient, int contentTypeNid,
              OaepOperator op, ByteView tDer, ByteView pDer) {
  if (recipient == nullptr) throw ProtocolError(ErrorCode::missingCertificate, "envelope without a recipient");
  if (!isOneElement(tDer)) throw ProtocolError(ErrorCode::unspecifiedFailure, "envelope content is not one DER element");
  if (OBJ_nid2obj(contentTypeNid) == nullptr || contentTypeNid == NID_undef)
    throw ProtocolError(ErrorCode::unspecifiedFailure, "unknown content type NID");
  EVP_PKEY* publicKey = X509_get0_pubkey(recipient);
  if (publicKey == nullptr) ossl::fail(ErrorCode::invalidCertificate, "recipient certificate has no usable key");

  const ExtraDataKind kind = carriesExtra(op) ? extraDataKindFor(contentTypeNid) : ExtraDataKind::none;
  const Bytes plain =
      carriesExtra(op) ? L(profile, tDer, extraContentType(kind), pDer) : Bytes(tDer.begin(), tDer.end());
  Bytes key = rng.bytes(profile.keySize());
  Cleansed wipeKey(key);
  fixDesParity(profile, key);
  const Bytes iv = rng.bytes(profile.ivSize());
  const Bytes ciphertext = symmetric(profile, key, iv, plain, true);

  OaepPayload payload;
  payload.key = key;
  Cleansed wipePayloadKey(payload.key);
  if (carriesHash(op)) payload.hash = H(profile, plain);
  if (carriesExtra(op)) payload.extra.assign(pDer.begin(), pDer.end());
  const Bytes encryptedKey = oaepWrap(profile, rng, publicKey, op, kind, payload);

  // ContentInfo { envelopedData, [0] EnvelopedData { 0, { RecipientInfo }, EncryptedContentInfo } },
  // written directly (der.hpp; issue 13), read back by readEnvelope().
  const Bytes recipientInfo = derElement(
      sequenceTag,
      {derElement(V_ASN1_INTEGER, {Bytes{recipientInfoVersion}}),
       derElement(sequenceTag, {ossl::der<X509_NAME>(X509_get_issuer_name(recipient), i2d_X509_NAME),
                                ossl::der<ASN1_INTEGER>(X509_get0_serialNumber(recipient), i2d_ASN1_INTEGER)}),
       keyEncryptionAlgorithmDer(profile), derElement(V_ASN1_OCTET_STRING, {encryptedKey})});
  const Bytes encryptedContentInfo = derElement(
      sequenceTag,
      {derElement(V_ASN1_OBJECT, {oidOf(contentTypeNid)}),
       derElement(sequenceTag,
                  {derElement(V_ASN1_OBJECT, {oidOf(profile.cipherNid())}), derElement(V_ASN1_OCTET_STRING, {iv})}),
       derElement(encryptedContentTag, {ciphertext})});
  const Bytes envelopedData =
      derElement(sequenceTag, {derElement(V_ASN1_INTEGER, {Bytes{envelopedDataVersion}}),
                               derElement(V_ASN1_SET | V_ASN1_CONSTRUCTED, {recipientInfo}), encryptedContentInfo});
  return derElement(sequenceTag, {derElement(V_ASN1_OBJECT, {oidOf(NID_pkcs7_enveloped)}),
                                  derElement(V_ASN1_CONTEXT_SPECIFIC | V_ASN1_CONSTRUCTED, {envelopedData})});
}

[[noreturn]] void notDer(const std::string& what) {
  throw ProtocolError(ErrorCode::decodingFailure, "EnvelopedData: " + what + " is not DER of the expected shape");
}

// Name ::= SEQUENCE OF SET OF (in DER order) SEQUENCE { OID, one value }.
bool isDerName(ByteView name) {
  DerReader n(name);
  ByteView rdns;
  if (!n.element(sequenceTag, rdns) || !n.empty()) return false;
  for (DerReader r(rdns); !r.empty();) {
    ByteView rdn;
    if (!r.element(V_ASN1_SET | V_ASN1_CONSTRUCTED, rdn) || rdn.empty()) return false;
    ByteView previous;
    for (DerReader a(rdn); !a.empty();) {
      ByteView pair, whole, oid, value, valueWhole;
      std::uint8_t tag = 0;
      if (!a.element(sequenceTag, pair, whole) || derLess(whole, previous)) return false;
      previous = whole;
      DerReader p(pair);
      if (!p.element(V_ASN1_OBJECT, oid) || !isDerOid(oid) || !p.peekTag(tag) || !p.element(tag, value, valueWhole) ||
          !p.empty())
        return false;
    }
  }
  return true;
}

// What openEnvelope() needs of a received envelope, each field read as DER.
struct EnvelopeRead {
  ByteView contentType;  // OBJECT IDENTIFIER contents
  ByteView keyEncryptionAlgorithm;  // whole
  ByteView encryptedKey;
  ByteView cipher;  // OBJECT IDENTIFIER contents
  ByteView iv;
  ByteView ciphertext;
};

ByteView readRecipientInfo(ByteView ri, ByteView& keyEncryptionAlgorithm) {
  DerReader r(ri);
  ByteView body, version, sid, issuer, issuerWhole, serial, alg, encryptedKey;
  if (!r.element(sequenceTag, body) || !r.empty()) notDer("RecipientInfo");
  DerReader b(body);
  if (!b.element(V_ASN1_INTEGER, version) || !b.element(sequenceTag, sid)) notDer("RecipientInfo");
  if (!sameBytes(version, Bytes{recipientInfoVersion}))
    throw ProtocolError(ErrorCode::decodingFailure, "RecipientInfo version is not 0");
  DerReader id(sid);
  if (!id.element(sequenceTag, issuer, issuerWhole) || !isDerName(issuerWhole) || !id.element(V_ASN1_INTEGER, serial) ||
      !isDerInteger(serial) || !id.empty())
    notDer("issuerAndSerialNumber");
  if (!b.element(sequenceTag, alg, keyEncryptionAlgorithm) || !b.element(V_ASN1_OCTET_STRING, encryptedKey) || !b.empty())
    notDer("RecipientInfo");
  return encryptedKey;
}

EnvelopeRead readEnvelope(ByteView der) {
  if (der.size() > maxEnvelopeSize) throw ProtocolError(ErrorCode::messageTooBig, "EnvelopedData too large");
  EnvelopeRead out;
  DerReader top(der);
  ByteView ci, explicitData, env, version, recipients, eci, alg, oid;
  if (!top.element(sequenceTag, ci) || !top.empty()) notDer("ContentInfo");
  DerReader c(ci);
  if (!c.element(V_ASN1_OBJECT, oid) || !c.element(V_ASN1_CONTEXT_SPECIFIC | V_ASN1_CONSTRUCTED, explicitData) ||
      !c.empty())
    notDer("ContentInfo");
  if (!sameBytes(oid, oidOf(NID_pkcs7_enveloped)))
    throw ProtocolError(ErrorCode::decodingFailure, "ContentInfo is not envelopedData");
  DerReader x(explicitData);
  if (!x.element(sequenceTag, env) || !x.empty()) notDer("EnvelopedData");
  DerReader e(env);
  if (!e.element(V_ASN1_INTEGER, version) || !e.element(V_ASN1_SET | V_ASN1_CONSTRUCTED, recipients) ||
      !e.element(sequenceTag, eci) || !e.empty())
    notDer("EnvelopedData");
  if (!sameBytes(version, Bytes{envelopedDataVersion}))
    throw ProtocolError(ErrorCode::decodingFailure, "EnvelopedData version is not 0");
  DerReader ris(recipients);
  ByteView ri, riWhole;
  std::uint8_t tag = 0;
  if (!ris.peekTag(tag) || !ris.element(tag, ri, riWhole) || !ris.empty())
    throw ProtocolError(ErrorCode::decodingFailure, "EnvelopedData must have exactly one RecipientInfo");
  out.encryptedKey = readRecipientInfo(riWhole, out.keyEncryptionAlgorithm);
  DerReader i(eci);
  if (!i.element(V_ASN1_OBJECT, out.contentType) || !isDerOid(out.contentType) || !i.element(sequenceTag, alg) ||
      !i.element(encryptedContentTag, out.ciphertext) || !i.empty())
    notDer("EncryptedContentInfo");
  DerReader a(alg);
  if (!a.element(V_ASN1_OBJECT, out.cipher) || !isDerOid(out.cipher)) notDer("contentEncryptionAlgorithm");
  if (!a.element(V_ASN1_OCTET_STRING, out.iv) || !a.empty())
    throw ProtocolError(ErrorCode::decodingFailure, "cipher IV parameter is not an OCTET STRING of the IV size");
  return out;
}

std::string nameOf(ByteView oid) {
  const Bytes der = derElement(V_ASN1_OBJECT, {oid});
  const unsigned char* p = der.data();
  ossl::Owned<ASN1_OBJECT, ASN1_OBJECT_free> o(d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(der.size())));
  const char* sn = o ? OBJ_nid2sn(OBJ_obj2nid(o.get())) : nullptr;
  ERR_clear_error();
  return sn ? sn : "an unknown type";
}

OpenedEnvelope openEnvelope(const AlgorithmProfile& profile, EVP_PKEY* recipientKey, int expectedNid,
                            OaepOperator op, ByteView der) {
  const EnvelopeRead env = readEnvelope(der);

  // Algorithms first (public data): exactly the profile's, no downgrade.
  if (!sameBytes(env.keyEncryptionAlgorithm, keyEncryptionAlgorithmDer(profile)))
    throw ProtocolError(ErrorCode::decodingFailure, "keyEncryptionAlgorithm is not the profile's SET OAEP");
  if (!sameBytes(env.cipher, oidOf(profile.cipherNid())))
    throw ProtocolError(ErrorCode::decodingFailure, "contentEncryptionAlgorithm is not the profile's cipher");
  if (env.iv.size() != profile.ivSize())
    throw ProtocolError(ErrorCode::decodingFailure, "cipher IV parameter is not an OCTET STRING of the IV size");
  const auto blockSize = static_cast<std::size_t>(EVP_CIPHER_get_block_size(profile.cipher()));
  if (env.ciphertext.empty() || env.ciphertext.size() % blockSize != 0)
    throw ProtocolError(ErrorCode::decodingFailure, "encryptedContent is not whole cipher blocks");

  if (!sameBytes(env.contentType, oidOf(expectedNid)))
    throw ProtocolError(ErrorCode::wrapperMsgMismatch,
                        "envelope content type " + nameOf(env.contentType) + ", expected " +
                            (OBJ_nid2sn(expectedNid) ? OBJ_nid2sn(expectedNid) : "?"));
  const int nid = expectedNid;

  // From here on the private key is involved: every failure is the one uniform error.
  const ExtraDataKind kind = carriesExtra(op) ? extraDataKindFor(expectedNid) : ExtraDataKind::none;
  OaepPayload payload = oaepUnwrap(profile, recipientKey, op, kind, env.encryptedKey);
  Cleansed wipeKey(payload.key);
  Bytes plain = symmetric(profile, payload.key, env.iv, env.ciphertext, false);
  if (carriesHash(op) && !constantTimeEqual(H(profile, plain), payload.hash)) envelopeDoesNotOpen();

  OpenedEnvelope out{nid, {}, {}};
  if (!carriesExtra(op)) {
    if (!isOneElement(plain)) envelopeDoesNotOpen();
    out.t = std::move(plain);
    return out;
  }
  try {
    LinkParts parts = splitL(profile, extraContentType(kind), plain);
    checkDD(profile, extraContentType(kind), parts.dd, payload.extra);  // DD(p) inside L matches p (constant time)
    out.t = std::move(parts.t1);
  } catch (const ProtocolError&) {
    envelopeDoesNotOpen();
  }
  out.p = std::move(payload.extra);
  return out;
}

}  // namespace

Bytes E(const AlgorithmProfile& profile, RandomSource& rng, const X509* recipient, int nid, ByteView tDer) {
  return envelop(profile, rng, recipient, nid, OaepOperator::E, tDer, {});
}
Bytes EH(const AlgorithmProfile& profile, RandomSource& rng, const X509* recipient, int nid, ByteView tDer) {
  return envelop(profile, rng, recipient, nid, OaepOperator::EH, tDer, {});
}
Bytes EX(const AlgorithmProfile& profile, RandomSource& rng, const X509* recipient, int nid, ByteView tDer,
         ByteView pDer) {
  return envelop(profile, rng, recipient, nid, OaepOperator::EX, tDer, pDer);
}
Bytes EXH(const AlgorithmProfile& profile, RandomSource& rng, const X509* recipient, int nid, ByteView tDer,
          ByteView pDer) {
  return envelop(profile, rng, recipient, nid, OaepOperator::EXH, tDer, pDer);
}

OpenedEnvelope openE(const AlgorithmProfile& profile, EVP_PKEY* key, int nid, ByteView der) {
  return openEnvelope(profile, key, nid, OaepOperator::E, der);
}
OpenedEnvelope openEH(const AlgorithmProfile& profile, EVP_PKEY* key, int nid, ByteView der) {
  return openEnvelope(profile, key, nid, OaepOperator::EH, der);
}
OpenedEnvelope openEX(const AlgorithmProfile& profile, EVP_PKEY* key, int nid, ByteView der) {
  return openEnvelope(profile, key, nid, OaepOperator::EX, der);
}
OpenedEnvelope openEXH(const AlgorithmProfile& profile, EVP_PKEY* key, int nid, ByteView der) {
  return openEnvelope(profile, key, nid, OaepOperator::EXH, der);
}

Bytes encryptedKeyOf(ByteView envelopeDer) {
  const ByteView key = readEnvelope(envelopeDer).encryptedKey;
  return Bytes(key.begin(), key.end());
}

}  // namespace setpay::protocol
