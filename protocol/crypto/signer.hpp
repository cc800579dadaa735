// Who signs: a software key now, the smart card (through pcsc/) later. S/SO only ever hand a
// digest to signDigest, so a card that signs pre-hashed data fits behind the same interface.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <mutex>
#include <vector>

#include "protocol/bytes.hpp"
#include "protocol/openssl.hpp"
#include "protocol/random.hpp"

namespace setpay::protocol {

class Signer {  // a software key now; the smart card through pcsc/ later
 public:
  virtual ~Signer() = default;
  virtual const X509* certificate() const = 0;  // may be null only for unsigned modes
  // Sign a digest made with `md`. RSA: PKCS#1 v1.5 over DigestInfo. EC: DER ECDSA-Sig-Value.
  virtual Bytes signDigest(const EVP_MD* md, ByteView digest) = 0;
};

class SoftwareSigner final : public Signer {
 public:
  // Throws invalidCertificate if cert is given and does not match key.
  SoftwareSigner(ossl::Cert cert, ossl::PKey key);
  // Additive, for known-answer vectors: ECDSA nonces k are drawn from `nonces` (which must outlive
  // the signer). RSA PKCS#1 v1.5 is deterministic and ignores it.
  SoftwareSigner(ossl::Cert cert, ossl::PKey key, RandomSource& nonces);

  const X509* certificate() const override { return cert_.get(); }
  Bytes signDigest(const EVP_MD* md, ByteView digest) override;

  EVP_PKEY* key() const { return key_.get(); }

 private:
  // Signing contexts of this key, set up once and reused (issue 13: an EVP_PKEY_CTX per signature
  // cost a provider lookup and key import each time). A pool, so that threads sharing the signer (the
  // gateway's workers) each take their own; one context per md in use.
  struct ContextPool {
    std::mutex mutex;
    std::vector<std::pair<const EVP_MD*, ossl::PKeyCtx>> idle;
  };
  Bytes signPooled(const EVP_MD* md, ByteView digest);

  ossl::Cert cert_;
  ossl::PKey key_;
  RandomSource* nonces_ = nullptr;
  std::unique_ptr<ContextPool> pool_ = std::make_unique<ContextPool>();
};

// Additive: verify a signature made by signDigest (RSA PKCS#1 v1.5 / DER ECDSA) with EVP_PKEY_verify.
// Returns false on a bad signature; never throws for malformed signature bytes.
bool verifyDigestSignature(EVP_PKEY* publicKey, const EVP_MD* md, ByteView digest, ByteView signature);

}  // namespace setpay::protocol
