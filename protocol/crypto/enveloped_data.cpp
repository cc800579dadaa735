#include "protocol/crypto/enveloped_data.hpp"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>

#include <string>

#include "protocol/crypto/digest.hpp"
#include "protocol/crypto/envelope_asn1.hpp"
#include "protocol/crypto/oaep.hpp"
#include "protocol/error.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol {

namespace {

using namespace envelope;

constexpr long envelopedDataVersion = 0;
constexpr long recipientInfoVersion = 0;

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

// keyEncryptionAlgorithm: rsaOAEPEncryptionSET; parameters NULL in set1 (SET 1.0), the OAEP hash
// AlgorithmIdentifier (sha256, parameters absent) in modern so the block's hash is self-described.
void setKeyEncryptionAlgorithm(const AlgorithmProfile& profile, X509_ALGOR* out) {
  ASN1_OBJECT* oid = OBJ_nid2obj(NID_rsaOAEPEncryptionSET);
  if (profile.id() == ProfileId::set1) {
    ossl::check(X509_ALGOR_set0(out, oid, V_ASN1_NULL, nullptr) == 1, ErrorCode::unspecifiedFailure,
                "X509_ALGOR_set0");
    return;
  }
  ossl::Algor hash(X509_ALGOR_new());
  ossl::check(hash && X509_ALGOR_set0(hash.get(), OBJ_nid2obj(profile.digestNid()), V_ASN1_UNDEF, nullptr) == 1,
              ErrorCode::unspecifiedFailure, "hash AlgorithmIdentifier");
  const Bytes hashDer = ossl::der<X509_ALGOR>(hash.get(), i2d_X509_ALGOR);
  ossl::OctetString seq(ASN1_STRING_type_new(V_ASN1_SEQUENCE));
  ossl::check(seq && ASN1_STRING_set(seq.get(), hashDer.data(), static_cast<int>(hashDer.size())) == 1,
              ErrorCode::unspecifiedFailure, "ASN1_STRING_set");
  ossl::check(X509_ALGOR_set0(out, oid, V_ASN1_SEQUENCE, seq.get()) == 1, ErrorCode::unspecifiedFailure,
              "X509_ALGOR_set0");
  static_cast<void>(seq.release());  // now owned by `out`
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

Bytes keyEncryptionAlgorithmDer(const AlgorithmProfile& profile) {
  ossl::Algor alg(X509_ALGOR_new());
  ossl::check(alg != nullptr, ErrorCode::unspecifiedFailure, "X509_ALGOR_new");
  setKeyEncryptionAlgorithm(profile, alg.get());
  return ossl::der<X509_ALGOR>(alg.get(), i2d_X509_ALGOR);
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

void setObject(ASN1_OBJECT*& field, int nid) {
  ASN1_OBJECT* obj = OBJ_nid2obj(nid);
  if (!obj || nid == NID_undef) throw ProtocolError(ErrorCode::unspecifiedFailure, "unknown content type NID");
  ASN1_OBJECT_free(field);
  field = obj;  // built-in objects are static; freeing them later is a no-op
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

  EnvelopedContentInfo ci(ENVELOPED_CONTENT_INFO_new());
  ossl::check(ci != nullptr, ErrorCode::unspecifiedFailure, "ENVELOPED_CONTENT_INFO_new");
  setObject(ci->contentType, NID_pkcs7_enveloped);
  ENVELOPED_DATA* env = ci->envelopedData;
  ossl::check(ASN1_INTEGER_set(env->version, envelopedDataVersion) == 1, ErrorCode::unspecifiedFailure, "version");

  RecipientInfo ri(RECIPIENT_INFO_new());
  ossl::check(ri != nullptr, ErrorCode::unspecifiedFailure, "RECIPIENT_INFO_new");
  bool ok = ASN1_INTEGER_set(ri->version, recipientInfoVersion) == 1 &&
            X509_NAME_set(&ri->issuerAndSerial->issuer, X509_get_issuer_name(recipient)) == 1 &&
            ASN1_STRING_copy(ri->issuerAndSerial->serialNumber, X509_get0_serialNumber(recipient)) == 1 &&
            ASN1_OCTET_STRING_set(ri->encryptedKey, encryptedKey.data(), static_cast<int>(encryptedKey.size())) == 1;
  ossl::check(ok, ErrorCode::unspecifiedFailure, "RecipientInfo");
  setKeyEncryptionAlgorithm(profile, ri->keyEncryptionAlgorithm);
  ossl::check(sk_SETPAY_RECIPIENT_INFO_push(env->recipientInfos, ri.get()) > 0, ErrorCode::unspecifiedFailure,
              "recipientInfos");
  static_cast<void>(ri.release());  // now owned by the stack

  ENCRYPTED_CONTENT_INFO* eci = env->encryptedContentInfo;
  setObject(eci->contentType, contentTypeNid);
  ossl::OctetString ivParam(ASN1_OCTET_STRING_new());
  ok = ivParam && ASN1_OCTET_STRING_set(ivParam.get(), iv.data(), static_cast<int>(iv.size())) == 1 &&
       X509_ALGOR_set0(eci->contentEncryptionAlgorithm, OBJ_nid2obj(profile.cipherNid()), V_ASN1_OCTET_STRING,
                       ivParam.get()) == 1;
  ossl::check(ok, ErrorCode::unspecifiedFailure, "contentEncryptionAlgorithm");
  static_cast<void>(ivParam.release());
  ossl::check(ASN1_OCTET_STRING_set(eci->encryptedContent, ciphertext.data(), static_cast<int>(ciphertext.size())) == 1,
              ErrorCode::unspecifiedFailure, "encryptedContent");
  return ossl::der<ENVELOPED_CONTENT_INFO>(ci.get(), i2d_ENVELOPED_CONTENT_INFO);
}

EnvelopedContentInfo decodeEnvelope(ByteView der) {
  if (der.size() > maxEnvelopeSize) throw ProtocolError(ErrorCode::messageTooBig, "EnvelopedData too large");
  auto ci = pkcs7::strictDecode<ENVELOPED_CONTENT_INFO, d2i_ENVELOPED_CONTENT_INFO, i2d_ENVELOPED_CONTENT_INFO,
                                ENVELOPED_CONTENT_INFO_free>(der, "EnvelopedData");
  if (OBJ_obj2nid(ci->contentType) != NID_pkcs7_enveloped)
    throw ProtocolError(ErrorCode::decodingFailure, "ContentInfo is not envelopedData");
  const ENVELOPED_DATA* env = ci->envelopedData;
  if (ASN1_INTEGER_get(env->version) != envelopedDataVersion)
    throw ProtocolError(ErrorCode::decodingFailure, "EnvelopedData version is not 0");
  if (sk_SETPAY_RECIPIENT_INFO_num(env->recipientInfos) != 1)
    throw ProtocolError(ErrorCode::decodingFailure, "EnvelopedData must have exactly one RecipientInfo");
  if (ASN1_INTEGER_get(sk_SETPAY_RECIPIENT_INFO_value(env->recipientInfos, 0)->version) != recipientInfoVersion)
    throw ProtocolError(ErrorCode::decodingFailure, "RecipientInfo version is not 0");
  return ci;
}

OpenedEnvelope openEnvelope(const AlgorithmProfile& profile, EVP_PKEY* recipientKey, int expectedNid,
                            OaepOperator op, ByteView der) {
  const auto ci = decodeEnvelope(der);
  const ENVELOPED_DATA* env = ci->envelopedData;
  const RECIPIENT_INFO* ri = sk_SETPAY_RECIPIENT_INFO_value(env->recipientInfos, 0);
  const ENCRYPTED_CONTENT_INFO* eci = env->encryptedContentInfo;

  // Algorithms first (public data): exactly the profile's, no downgrade.
  const Bytes kea = ossl::der<X509_ALGOR>(ri->keyEncryptionAlgorithm, i2d_X509_ALGOR);
  if (kea != keyEncryptionAlgorithmDer(profile))
    throw ProtocolError(ErrorCode::decodingFailure, "keyEncryptionAlgorithm is not the profile's SET OAEP");
  const ASN1_OBJECT* cipherOid = nullptr;
  int ptype = 0;
  const void* pval = nullptr;
  X509_ALGOR_get0(&cipherOid, &ptype, &pval, eci->contentEncryptionAlgorithm);
  if (OBJ_obj2nid(cipherOid) != profile.cipherNid())
    throw ProtocolError(ErrorCode::decodingFailure, "contentEncryptionAlgorithm is not the profile's cipher");
  const auto* ivParam = static_cast<const ASN1_OCTET_STRING*>(pval);
  if (ptype != V_ASN1_OCTET_STRING || static_cast<std::size_t>(ASN1_STRING_length(ivParam)) != profile.ivSize())
    throw ProtocolError(ErrorCode::decodingFailure, "cipher IV parameter is not an OCTET STRING of the IV size");
  const ByteView iv(ASN1_STRING_get0_data(ivParam), profile.ivSize());
  const ByteView ciphertext(ASN1_STRING_get0_data(eci->encryptedContent),
                            static_cast<std::size_t>(ASN1_STRING_length(eci->encryptedContent)));
  const auto blockSize = static_cast<std::size_t>(EVP_CIPHER_get_block_size(profile.cipher()));
  if (ciphertext.empty() || ciphertext.size() % blockSize != 0)
    throw ProtocolError(ErrorCode::decodingFailure, "encryptedContent is not whole cipher blocks");

  const int nid = OBJ_obj2nid(eci->contentType);
  if (nid != expectedNid)
    throw ProtocolError(ErrorCode::wrapperMsgMismatch,
                        std::string("envelope content type ") + OBJ_nid2sn(nid) + ", expected " +
                            (OBJ_nid2sn(expectedNid) ? OBJ_nid2sn(expectedNid) : "?"));

  // From here on the private key is involved: every failure is the one uniform error.
  const ExtraDataKind kind = carriesExtra(op) ? extraDataKindFor(expectedNid) : ExtraDataKind::none;
  const ByteView encryptedKey(ASN1_STRING_get0_data(ri->encryptedKey),
                              static_cast<std::size_t>(ASN1_STRING_length(ri->encryptedKey)));
  OaepPayload payload = oaepUnwrap(profile, recipientKey, op, kind, encryptedKey);
  Cleansed wipeKey(payload.key);
  Bytes plain = symmetric(profile, payload.key, iv, ciphertext, false);
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
  const auto ci = decodeEnvelope(envelopeDer);
  const RECIPIENT_INFO* ri = sk_SETPAY_RECIPIENT_INFO_value(ci->envelopedData->recipientInfos, 0);
  const unsigned char* data = ASN1_STRING_get0_data(ri->encryptedKey);
  return Bytes(data, data + ASN1_STRING_length(ri->encryptedKey));
}

}  // namespace setpay::protocol
