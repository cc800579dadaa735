#include "protocol/crypto/signer.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include "protocol/error.hpp"

namespace setpay::protocol {

namespace {

using SecretBn = ossl::Owned<BIGNUM, BN_clear_free>;
using Group = ossl::Owned<EC_GROUP, EC_GROUP_free>;
using Point = ossl::Owned<EC_POINT, EC_POINT_free>;
using EcdsaSig = ossl::Owned<ECDSA_SIG, ECDSA_SIG_free>;

ossl::PKeyCtx signatureContext(EVP_PKEY* key, const EVP_MD* md, bool forSigning) {
  ossl::PKeyCtx ctx(EVP_PKEY_CTX_new(key, nullptr));
  if (!ctx) return ctx;
  const int init = forSigning ? EVP_PKEY_sign_init(ctx.get()) : EVP_PKEY_verify_init(ctx.get());
  if (init != 1) return nullptr;
  if (EVP_PKEY_is_a(key, "RSA") && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1)
    return nullptr;
  if (EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1) return nullptr;
  return ctx;
}

// ECDSA (SEC 1 §4.1.3) with k drawn from an injected RandomSource, so vectors are reproducible.
// Secrets (d, k, k^-1) are BN_FLG_CONSTTIME; k^-1 is k^(n-2) mod n by constant-time exponentiation.
Bytes signEcdsaWithNonces(EVP_PKEY* key, ByteView digest, RandomSource& nonces) {
  char groupName[64] = {};
  ossl::check(EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, groupName,
                                             sizeof groupName, nullptr) == 1,
              ErrorCode::unspecifiedFailure, "EC key has no named group");
  Group group(EC_GROUP_new_by_curve_name(OBJ_sn2nid(groupName)));
  ossl::check(group != nullptr, ErrorCode::unspecifiedFailure, "unknown EC group");
  BIGNUM* rawD = nullptr;
  ossl::check(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &rawD) == 1,
              ErrorCode::unspecifiedFailure, "EC key has no private part");
  SecretBn d(rawD);
  BN_set_flags(d.get(), BN_FLG_CONSTTIME);

  const BIGNUM* n = EC_GROUP_get0_order(group.get());
  const int orderBits = BN_num_bits(n);
  const std::size_t orderBytes = static_cast<std::size_t>((orderBits + 7) / 8);
  ossl::BnCtx bnCtx(BN_CTX_secure_new());
  ossl::Bn e(BN_bin2bn(digest.data(), static_cast<int>(digest.size()), nullptr));
  ossl::Bn nMinus2(BN_dup(n));
  SecretBn k(BN_secure_new()), kInv(BN_secure_new()), t(BN_secure_new());
  ossl::Bn x(BN_new()), r(BN_new()), s(BN_new());
  Point point(EC_POINT_new(group.get()));
  ossl::check(bnCtx && e && nMinus2 && k && kInv && t && x && r && s && point,
              ErrorCode::unspecifiedFailure, "ECDSA: alloc");
  ossl::check(BN_sub_word(nMinus2.get(), 2) == 1, ErrorCode::unspecifiedFailure, "ECDSA: n-2");
  // Leftmost orderBits bits of the digest (only matters if the digest is longer than the order).
  const int digestBits = static_cast<int>(digest.size() * 8);
  if (digestBits > orderBits)
    ossl::check(BN_rshift(e.get(), e.get(), digestBits - orderBits) == 1,
                ErrorCode::unspecifiedFailure, "ECDSA: truncate");
  for (int attempt = 0; attempt < 64; ++attempt) {
    // 64 extra bits before the reduction make the bias of k negligible (FIPS 186-4 B.5.1).
    Bytes kBytes = nonces.bytes(orderBytes + 8);
    const bool ok = BN_bin2bn(kBytes.data(), static_cast<int>(kBytes.size()), k.get()) != nullptr;
    OPENSSL_cleanse(kBytes.data(), kBytes.size());
    BN_set_flags(k.get(), BN_FLG_CONSTTIME);
    ossl::check(ok && BN_nnmod(k.get(), k.get(), n, bnCtx.get()) == 1, ErrorCode::unspecifiedFailure,
                "ECDSA: k");
    if (BN_is_zero(k.get())) continue;
    ossl::check(EC_POINT_mul(group.get(), point.get(), k.get(), nullptr, nullptr, bnCtx.get()) == 1 &&
                    EC_POINT_get_affine_coordinates(group.get(), point.get(), x.get(), nullptr,
                                                    bnCtx.get()) == 1 &&
                    BN_nnmod(r.get(), x.get(), n, bnCtx.get()) == 1,
                ErrorCode::unspecifiedFailure, "ECDSA: r");
    if (BN_is_zero(r.get())) continue;
    BN_set_flags(kInv.get(), BN_FLG_CONSTTIME);
    BN_set_flags(t.get(), BN_FLG_CONSTTIME);
    ossl::check(BN_mod_exp_mont_consttime(kInv.get(), k.get(), nMinus2.get(), n, bnCtx.get(), nullptr) == 1 &&
                    BN_mod_mul(t.get(), r.get(), d.get(), n, bnCtx.get()) == 1 &&
                    BN_mod_add(t.get(), t.get(), e.get(), n, bnCtx.get()) == 1 &&
                    BN_mod_mul(s.get(), kInv.get(), t.get(), n, bnCtx.get()) == 1,
                ErrorCode::unspecifiedFailure, "ECDSA: s");
    if (BN_is_zero(s.get())) continue;
    EcdsaSig sig(ECDSA_SIG_new());
    ossl::check(sig != nullptr, ErrorCode::unspecifiedFailure, "ECDSA: alloc sig");
    ossl::check(ECDSA_SIG_set0(sig.get(), r.get(), s.get()) == 1, ErrorCode::unspecifiedFailure,
                "ECDSA_SIG_set0");
    static_cast<void>(r.release());  // owned by sig now
    static_cast<void>(s.release());
    return ossl::der<ECDSA_SIG>(sig.get(), i2d_ECDSA_SIG);
  }
  throw ProtocolError(ErrorCode::unspecifiedFailure, "ECDSA: nonce source keeps giving unusable k");
}

}  // namespace

SoftwareSigner::SoftwareSigner(ossl::Cert cert, ossl::PKey key)
    : cert_(std::move(cert)), key_(std::move(key)) {
  if (!key_) throw ProtocolError(ErrorCode::unspecifiedFailure, "SoftwareSigner: no key");
  if (!EVP_PKEY_is_a(key_.get(), "RSA") && !EVP_PKEY_is_a(key_.get(), "EC"))
    throw ProtocolError(ErrorCode::unspecifiedFailure, "SoftwareSigner: key is neither RSA nor EC");
  if (cert_ && X509_check_private_key(cert_.get(), key_.get()) != 1) {
    ERR_clear_error();
    throw ProtocolError(ErrorCode::invalidCertificate, "SoftwareSigner: certificate does not match key");
  }
}

SoftwareSigner::SoftwareSigner(ossl::Cert cert, ossl::PKey key, RandomSource& nonces)
    : SoftwareSigner(std::move(cert), std::move(key)) {
  nonces_ = &nonces;
}

Bytes SoftwareSigner::signPooled(const EVP_MD* md, ByteView digest) {
  ossl::PKeyCtx ctx;
  {
    const std::lock_guard lock(pool_->mutex);
    for (auto it = pool_->idle.begin(); it != pool_->idle.end(); ++it)
      if (it->first == md) {
        ctx = std::move(it->second);
        pool_->idle.erase(it);
        break;
      }
  }
  if (!ctx) ctx = signatureContext(key_.get(), md, true);
  if (!ctx) ossl::fail(ErrorCode::unspecifiedFailure, "cannot set up signing");
  // The context's parameters (padding, md) stay as set up; only the digest changes between uses.
  std::size_t len = static_cast<std::size_t>(EVP_PKEY_get_size(key_.get()));
  Bytes sig(len);
  ossl::check(EVP_PKEY_sign(ctx.get(), sig.data(), &len, digest.data(), digest.size()) == 1,
              ErrorCode::unspecifiedFailure, "EVP_PKEY_sign");
  sig.resize(len);
  const std::lock_guard lock(pool_->mutex);
  if (pool_->idle.size() < 16) pool_->idle.emplace_back(md, std::move(ctx));
  return sig;
}

Bytes SoftwareSigner::signDigest(const EVP_MD* md, ByteView digest) {
  if (!md || digest.size() != static_cast<std::size_t>(EVP_MD_get_size(md)))
    throw ProtocolError(ErrorCode::unspecifiedFailure, "signDigest: digest length does not match md");
  if (nonces_ && EVP_PKEY_is_a(key_.get(), "EC")) {
    Bytes sig = signEcdsaWithNonces(key_.get(), digest, *nonces_);
    // A bug in our own nonce path must never leave with a bad signature.
    if (!verifyDigestSignature(key_.get(), md, digest, sig))
      throw ProtocolError(ErrorCode::unspecifiedFailure, "signDigest: signature does not verify");
    return sig;
  }
  // OpenSSL's own signing needs no verification after the fact (issue 13: it was one public-key
  // operation per signature): RSA-CRT results are checked inside OpenSSL (rsa_ossl_mod_exp
  // re-exponentiates with e and falls back to the non-CRT path on a mismatch), so a fault does not
  // leave with a bad signature; ECDSA through OpenSSL has no nonce path of ours to get wrong.
  return signPooled(md, digest);
}

bool verifyDigestSignature(EVP_PKEY* publicKey, const EVP_MD* md, ByteView digest, ByteView signature) {
  ossl::PKeyCtx ctx = signatureContext(publicKey, md, false);
  const bool ok = ctx && EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), digest.data(),
                                         digest.size()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace setpay::protocol
