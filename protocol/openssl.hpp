// RAII ownership for every OpenSSL object setpay touches, and the one way OpenSSL failures become
// typed errors (the OpenSSL error queue is drained into the message, never left behind).
#pragma once

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <string>

#include "protocol/bytes.hpp"
#include "protocol/error.hpp"

namespace setpay::protocol::ossl {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const noexcept {
    if (p) Free(p);
  }
};
template <class T, auto Free>
using Owned = std::unique_ptr<T, Deleter<Free>>;

using PKey = Owned<EVP_PKEY, EVP_PKEY_free>;
using PKeyCtx = Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using MdCtx = Owned<EVP_MD_CTX, EVP_MD_CTX_free>;
using Md = Owned<EVP_MD, EVP_MD_free>;
using CipherCtx = Owned<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;
using Cipher = Owned<EVP_CIPHER, EVP_CIPHER_free>;
using Cert = Owned<X509, X509_free>;
using Crl = Owned<X509_CRL, X509_CRL_free>;
using Name = Owned<X509_NAME, X509_NAME_free>;
using Extension = Owned<X509_EXTENSION, X509_EXTENSION_free>;
using Store = Owned<X509_STORE, X509_STORE_free>;
using StoreCtx = Owned<X509_STORE_CTX, X509_STORE_CTX_free>;
using Bio = Owned<BIO, BIO_free_all>;
using Bn = Owned<BIGNUM, BN_free>;
using BnCtx = Owned<BN_CTX, BN_CTX_free>;
using Object = Owned<ASN1_OBJECT, ASN1_OBJECT_free>;
using OctetString = Owned<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Integer = Owned<ASN1_INTEGER, ASN1_INTEGER_free>;
using Time = Owned<ASN1_TIME, ASN1_TIME_free>;
using Algor = Owned<X509_ALGOR, X509_ALGOR_free>;

// Throws ProtocolError(code, what + OpenSSL's queued reasons); clears the queue.
[[noreturn]] void fail(ErrorCode code, const std::string& what);

// Throws fail(code, what) when `ok` is false (OpenSSL returns 1 / non-null on success).
inline void check(bool ok, ErrorCode code, const char* what) {
  if (!ok) fail(code, what);
}

// DER of any i2d-able object; throws on encoding failure.
template <class T>
Bytes der(const T* obj, int (*i2d)(const T*, unsigned char**)) {
  const int len = i2d(obj, nullptr);
  if (len <= 0) fail(ErrorCode::unspecifiedFailure, "DER encoding failed");
  Bytes out(static_cast<std::size_t>(len));
  unsigned char* p = out.data();
  i2d(obj, &p);
  return out;
}

Bytes der(const X509* cert);
Bytes der(const X509_CRL* crl);
Cert certFromDer(ByteView der);     // strict: rejects trailing bytes
Cert certFromPem(const std::string& pem);
std::string toPem(const X509* cert);

}  // namespace setpay::protocol::ossl
