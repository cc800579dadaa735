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
  p.digest_ = id == ProfileId::set1 ? EVP_sha1() : EVP_sha256();
  const char* cipherName = id == ProfileId::set1 ? "DES-CBC" : "AES-128-CBC";
  EVP_CIPHER* c = EVP_CIPHER_fetch(p.libctx_->ctx, cipherName, nullptr);
  if (!c) ossl::fail(ErrorCode::unspecifiedFailure, std::string("cannot fetch ") + cipherName);
  // The cipher must not outlive the library context it came from: the deleter keeps it alive.
  auto keepAlive = p.libctx_;
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
