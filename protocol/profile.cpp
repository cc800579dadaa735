#include "protocol/profile.hpp"

#include <openssl/provider.h>

#include "protocol/openssl.hpp"

namespace setpay::protocol {

struct AlgorithmProfile::LibCtx {
  OSSL_LIB_CTX* ctx = OSSL_LIB_CTX_new();
  OSSL_PROVIDER* defaultProvider = nullptr;
  OSSL_PROVIDER* legacyProvider = nullptr;
  LibCtx() {
    if (!ctx) ossl::fail(ErrorCode::unspecifiedFailure, "OSSL_LIB_CTX_new");
    defaultProvider = OSSL_PROVIDER_load(ctx, "default");
    legacyProvider = OSSL_PROVIDER_load(ctx, "legacy");
    if (!defaultProvider || !legacyProvider) {
      release();
      ossl::fail(ErrorCode::unspecifiedFailure, "cannot load OpenSSL default+legacy providers");
    }
  }
  ~LibCtx() { release(); }
  LibCtx(const LibCtx&) = delete;
  LibCtx& operator=(const LibCtx&) = delete;
  void release() {
    if (legacyProvider) OSSL_PROVIDER_unload(legacyProvider);
    if (defaultProvider) OSSL_PROVIDER_unload(defaultProvider);
    if (ctx) OSSL_LIB_CTX_free(ctx);
    legacyProvider = defaultProvider = nullptr;
    ctx = nullptr;
  }
};

AlgorithmProfile AlgorithmProfile::make(ProfileId id) {
  AlgorithmProfile p;
  p.id_ = id;
  p.libctx_ = std::make_shared<LibCtx>();
  // Fetched once, explicitly: OpenSSL 3 looks a legacy EVP_sha256() up again in every digest it starts
  // (issue 13: that lookup was 2% of a purchase, H being called dozens of times).
  const char* digestName = id == ProfileId::set1 ? "SHA1" : "SHA256";
  EVP_MD* md = EVP_MD_fetch(p.libctx_->ctx, digestName, nullptr);
  if (!md) ossl::fail(ErrorCode::unspecifiedFailure, std::string("cannot fetch ") + digestName);
  const char* cipherName = id == ProfileId::set1 ? "DES-CBC" : "AES-128-CBC";
  EVP_CIPHER* c = EVP_CIPHER_fetch(p.libctx_->ctx, cipherName, nullptr);
  if (!c) {
    EVP_MD_free(md);
    ossl::fail(ErrorCode::unspecifiedFailure, std::string("cannot fetch ") + cipherName);
  }
  // Neither may outlive the library context it came from: the deleters keep it alive.
  auto keepAlive = p.libctx_;
  p.digest_ = std::shared_ptr<EVP_MD>(md, [keepAlive](EVP_MD* x) { EVP_MD_free(x); });
  p.cipher_ = std::shared_ptr<EVP_CIPHER>(c, [keepAlive](EVP_CIPHER* x) { EVP_CIPHER_free(x); });
  p.parsed_ = std::make_shared<const ParsedCertificates>();
  return p;
}

std::optional<ProfileId> AlgorithmProfile::parse(std::string_view name) {
  if (name == "set1") return ProfileId::set1;
  if (name == "modern") return ProfileId::modern;
  return std::nullopt;
}

}  // namespace setpay::protocol
