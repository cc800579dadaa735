#include "protocol/crypto/oaep.hpp"

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/rsa.h>

#include <string>

#include "protocol/error.hpp"
#include "protocol/openssl.hpp"

namespace setpay::protocol {

namespace {

// Constant-time predicates on values < 2^31: all-ones mask for true, zero for false.
using Mask = std::uint32_t;
Mask ctIsZero(std::uint32_t x) { return Mask{0} - ((~x & (x - 1)) >> 31); }
Mask ctEq(std::uint32_t a, std::uint32_t b) { return ctIsZero(a ^ b); }
Mask ctLt(std::uint32_t a, std::uint32_t b) { return Mask{0} - ((a - b) >> 31); }
std::uint32_t ctSelect(Mask m, std::uint32_t a, std::uint32_t b) { return (m & a) | (~m & b); }

constexpr std::size_t bcOffset = 1;
constexpr std::size_t adbOffset = 2 + oaepCheckSize;  // BT, BC, V

// H(x ‖ 0₃₂) ‖ H(x ‖ 1₃₂) ‖ … for `blocks` blocks (MGF1-style counter mode of the profile digest).
Bytes stretch(const AlgorithmProfile& profile, ByteView x, std::size_t blocks) {
  const std::size_t hLen = profile.digestSize();
  Bytes out(blocks * hLen);
  ossl::MdCtx ctx(EVP_MD_CTX_new());
  ossl::check(ctx != nullptr, ErrorCode::unspecifiedFailure, "EVP_MD_CTX_new");
  for (std::size_t c = 0; c < blocks; ++c) {
    const std::uint8_t counter[4] = {static_cast<std::uint8_t>(c >> 24), static_cast<std::uint8_t>(c >> 16),
                                     static_cast<std::uint8_t>(c >> 8), static_cast<std::uint8_t>(c)};
    unsigned int len = 0;
    const bool ok = EVP_DigestInit_ex(ctx.get(), profile.digest(), nullptr) == 1 &&
                    EVP_DigestUpdate(ctx.get(), x.data(), x.size()) == 1 &&
                    EVP_DigestUpdate(ctx.get(), counter, sizeof counter) == 1 &&
                    EVP_DigestFinal_ex(ctx.get(), out.data() + c * hLen, &len) == 1 && len == hLen;
    ossl::check(ok, ErrorCode::unspecifiedFailure, "OAEP stretch digest");
  }
  return out;
}

std::size_t hashLength(const AlgorithmProfile& profile, OaepOperator op) {
  return carriesHash(op) ? profile.digestSize() : 0;
}

// True if `der` is exactly one DER SEQUENCE (definite length, nothing after it).
bool isOneSequence(ByteView der) {
  if (der.empty()) return false;
  const unsigned char* p = der.data();
  long length = 0;
  int tag = 0, xclass = 0;
  const int r = ASN1_get_object(&p, &length, &tag, &xclass, static_cast<long>(der.size()));
  ERR_clear_error();
  if ((r & 0x80) != 0 || r != V_ASN1_CONSTRUCTED || tag != V_ASN1_SEQUENCE || xclass != V_ASN1_UNIVERSAL)
    return false;
  return p + length == der.data() + der.size();
}

Bytes rawRsa(EVP_PKEY* key, ByteView in, bool encrypt) {
  ossl::PKeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!ctx) return {};
  const int init = encrypt ? EVP_PKEY_encrypt_init(ctx.get()) : EVP_PKEY_decrypt_init(ctx.get());
  if (init != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) != 1) return {};
  std::size_t outLen = 0;
  auto run = [&](unsigned char* out) {
    return encrypt ? EVP_PKEY_encrypt(ctx.get(), out, &outLen, in.data(), in.size())
                   : EVP_PKEY_decrypt(ctx.get(), out, &outLen, in.data(), in.size());
  };
  if (run(nullptr) != 1) return {};
  Bytes out(outLen);
  if (run(out.data()) != 1) return {};
  out.resize(outLen);
  return out;
}

void requireRsa(EVP_PKEY* key) {
  if (key == nullptr || EVP_PKEY_is_a(key, "RSA") != 1)
    throw ProtocolError(ErrorCode::unspecifiedFailure, "envelope recipient key is not an RSA key");
}

}  // namespace

void envelopeDoesNotOpen() {
  ERR_clear_error();  // nothing from OpenSSL may tell one failure from another
  throw ProtocolError(ErrorCode::decodingFailure, "envelope does not open");
}

std::uint8_t blockContents(OaepOperator op, ExtraDataKind kind) {
  return static_cast<std::uint8_t>((static_cast<unsigned>(kind) << 4) | static_cast<unsigned>(op));
}
bool carriesHash(OaepOperator op) { return op == OaepOperator::EH || op == OaepOperator::EXH; }
bool carriesExtra(OaepOperator op) { return op == OaepOperator::EX || op == OaepOperator::EXH; }

ExtraDataKind extraDataKindFor(int nid) {
  switch (nid) {
    case NID_setct_PIDualSignedTBE:
      return ExtraDataKind::panData;
    case NID_setct_PIUnsignedTBE:
    case NID_setct_AuthTokenTBE:
    case NID_setct_AuthResTBEX:
    case NID_setct_CapTokenTBEX:
    case NID_setct_CapReqTBEX:
    case NID_setct_CapRevReqTBEX:
    case NID_setct_CredReqTBEX:
    case NID_setct_CredRevReqTBEX:
      return ExtraDataKind::panToken;
    case NID_setct_CertReqTBEX:
      return ExtraDataKind::acctInfo;
    default:
      return ExtraDataKind::other;
  }
}

std::size_t oaepExtraCapacity(const AlgorithmProfile& profile, OaepOperator op, std::size_t blockSize) {
  const std::size_t fixed = oaepOverhead + profile.keySize() + hashLength(profile, op);
  return carriesExtra(op) && blockSize > fixed ? blockSize - fixed : 0;
}

Bytes oaepH1(const AlgorithmProfile& profile, ByteView salt, std::size_t length) {
  const std::size_t hLen = profile.digestSize();
  Bytes out = stretch(profile, salt, (length + hLen - 1) / hLen);
  out.resize(length);  // leading bytes
  return out;
}

Bytes oaepH2(const AlgorithmProfile& profile, ByteView a) {
  const std::size_t hLen = profile.digestSize();
  Bytes out = stretch(profile, a, (oaepSaltSize + hLen - 1) / hLen);
  return Bytes(out.end() - static_cast<std::ptrdiff_t>(oaepSaltSize), out.end());  // trailing bytes
}

Bytes oaepEncode(const AlgorithmProfile& profile, RandomSource& rng, OaepOperator op, ExtraDataKind kind,
                 const OaepPayload& payload, std::size_t blockSize) {
  const std::size_t hashLen = hashLength(profile, op);
  if (payload.key.size() != profile.keySize() || payload.hash.size() != hashLen)
    throw ProtocolError(ErrorCode::unspecifiedFailure, "OAEP payload: key or hash of the wrong size");
  if (carriesExtra(op) ? !isOneSequence(payload.extra) : !payload.extra.empty())
    throw ProtocolError(ErrorCode::unspecifiedFailure, "OAEP extra data must be one DER SEQUENCE (EX/EXH only)");
  if (carriesExtra(op) != (kind != ExtraDataKind::none))
    throw ProtocolError(ErrorCode::unspecifiedFailure, "OAEP extra-data kind does not fit the operator");
  const std::size_t adbLen = payload.key.size() + hashLen + payload.extra.size();
  if (blockSize < oaepOverhead + adbLen)
    throw ProtocolError(ErrorCode::messageTooBig,
                        "OAEP block overflow: data needs " + std::to_string(oaepOverhead + adbLen) +
                            " bytes, the recipient's RSA block has " + std::to_string(blockSize));
  const std::size_t dbLen = blockSize - 1 - oaepSaltSize;
  Bytes db{oaepBlockType, blockContents(op, kind)};
  Cleansed wipeDb(db);
  db.reserve(dbLen);  // no reallocation: nothing secret is left behind in a freed buffer
  db.resize(adbOffset, 0x00);  // V
  for (ByteView part : {ByteView(payload.key), ByteView(payload.hash), ByteView(payload.extra)})
    db.insert(db.end(), part.begin(), part.end());
  db.resize(dbLen, 0x00);  // zero tail

  const Bytes salt = rng.bytes(oaepSaltSize);
  std::uint8_t first = 0;
  while (first == 0) first = static_cast<std::uint8_t>(rng.bytes(1)[0] & 0x7f);

  Bytes block(blockSize);
  block[0] = first;
  const Bytes h1 = oaepH1(profile, salt, dbLen);
  for (std::size_t i = 0; i < dbLen; ++i) block[1 + i] = static_cast<std::uint8_t>(db[i] ^ h1[i]);
  const Bytes h2 = oaepH2(profile, ByteView(block).subspan(1, dbLen));
  for (std::size_t i = 0; i < oaepSaltSize; ++i)
    block[1 + dbLen + i] = static_cast<std::uint8_t>(salt[i] ^ h2[i]);
  return block;
}

OaepPayload oaepDecode(const AlgorithmProfile& profile, OaepOperator op, ExtraDataKind kind, ByteView block) {
  const std::size_t keyLen = profile.keySize();
  const std::size_t hashLen = hashLength(profile, op);
  const std::size_t minExtra = carriesExtra(op) ? 2 : 0;  // smallest SEQUENCE
  if (block.size() < oaepOverhead + keyLen + hashLen + minExtra || block.size() > 4096) envelopeDoesNotOpen();
  const std::size_t dbLen = block.size() - 1 - oaepSaltSize;
  const ByteView a = block.subspan(1, dbLen);
  const ByteView b = block.subspan(1 + dbLen);

  Bytes salt = oaepH2(profile, a);
  for (std::size_t i = 0; i < oaepSaltSize; ++i) salt[i] = static_cast<std::uint8_t>(salt[i] ^ b[i]);
  Bytes db = oaepH1(profile, salt, dbLen);
  Cleansed wipeDb(db);
  for (std::size_t i = 0; i < dbLen; ++i) db[i] = static_cast<std::uint8_t>(db[i] ^ a[i]);

  // Every check accumulates into `good`; no branch depends on the decrypted bytes until the end.
  Mask good = ~ctIsZero(block[0]) & ctLt(block[0], 0x80);
  good &= ctEq(db[0], oaepBlockType) & ctEq(db[bcOffset], blockContents(op, kind));
  for (std::size_t i = 2; i < adbOffset; ++i) good &= ctIsZero(db[i]);

  const std::size_t off = adbOffset + keyLen + hashLen;  // where the extra data starts
  std::uint32_t end = static_cast<std::uint32_t>(off);
  if (carriesExtra(op)) {
    // One DER SEQUENCE header: short form, 0x81 or 0x82 (minimal encodings only).
    const std::uint32_t tag = db[off];
    const std::uint32_t l1 = db[off + 1];
    const std::uint32_t l2 = off + 2 < dbLen ? db[off + 2] : 0;
    const std::uint32_t l3 = off + 3 < dbLen ? db[off + 3] : 0;
    const Mask isShort = ctLt(l1, 0x80), isOne = ctEq(l1, 0x81), isTwo = ctEq(l1, 0x82);
    good &= ctEq(tag, 0x30) & (isShort | isOne | isTwo);
    good &= ~(isOne & ctLt(l2, 0x80)) & ~(isTwo & ctIsZero(l2));
    const std::uint32_t len = ctSelect(isShort, l1, ctSelect(isOne, l2, (l2 << 8) | l3));
    const std::uint32_t hdr = ctSelect(isShort, 2, ctSelect(isOne, 3, 4));
    const std::uint32_t room = static_cast<std::uint32_t>(dbLen - off);
    good &= ~ctLt(room, hdr + len);
    end = ctSelect(good, static_cast<std::uint32_t>(off) + hdr + len, static_cast<std::uint32_t>(off));
  }
  for (std::size_t i = off; i < dbLen; ++i)
    good &= ctLt(static_cast<std::uint32_t>(i), end) | ctIsZero(db[i]);
  if (good != ~Mask{0}) envelopeDoesNotOpen();

  OaepPayload out;
  const auto at = [&](std::size_t i) { return db.begin() + static_cast<std::ptrdiff_t>(i); };
  out.key.assign(at(adbOffset), at(adbOffset + keyLen));
  out.hash.assign(at(adbOffset + keyLen), at(off));
  out.extra.assign(at(off), at(end));
  return out;
}

Bytes oaepWrap(const AlgorithmProfile& profile, RandomSource& rng, EVP_PKEY* recipientPublicKey,
               OaepOperator op, ExtraDataKind kind, const OaepPayload& payload) {
  requireRsa(recipientPublicKey);
  const int size = EVP_PKEY_get_size(recipientPublicKey);
  if (size <= 0) throw ProtocolError(ErrorCode::unspecifiedFailure, "RSA key without a size");
  Bytes block = oaepEncode(profile, rng, op, kind, payload, static_cast<std::size_t>(size));
  Cleansed wipeBlock(block);
  Bytes encrypted = rawRsa(recipientPublicKey, block, true);
  if (encrypted.size() != block.size()) ossl::fail(ErrorCode::unspecifiedFailure, "raw RSA encryption failed");
  return encrypted;
}

OaepPayload oaepUnwrap(const AlgorithmProfile& profile, EVP_PKEY* recipientPrivateKey, OaepOperator op,
                       ExtraDataKind kind, ByteView encryptedKey) {
  requireRsa(recipientPrivateKey);
  const int size = EVP_PKEY_get_size(recipientPrivateKey);
  if (size <= 0 || encryptedKey.size() != static_cast<std::size_t>(size)) envelopeDoesNotOpen();
  Bytes block = rawRsa(recipientPrivateKey, encryptedKey, false);
  Cleansed wipeBlock(block);
  if (block.size() != encryptedKey.size()) envelopeDoesNotOpen();
  return oaepDecode(profile, op, kind, block);
}

}  // namespace setpay::protocol
