// Counting hook for setpay-bench only (never linked into setpay or the tests). The bench executable
// defines the libcrypto entry points every RSA and ECDSA operation goes through — RSA_sign and the
// RSA signature/asymmetric-cipher providers all end in RSA_{private,public}_{encrypt,decrypt};
// ECDSA in ECDSA_do_sign_ex / ECDSA_do_verify — and libcrypto's own calls to them go through its PLT,
// so the dynamic linker binds them here (symbol interposition; the names are exported by
// bench/CMakeLists.txt). Each definition counts, then forwards to libcrypto (dlsym RTLD_NEXT).
// Product code is untouched: no counter is threaded through protocol/, and no global mutable state
// is added to it. The counters are thread_local (the bench attributes them per role per call).
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

#include "bench/op_hook.hpp"

namespace {

thread_local setpay::bench::OpCounts counts;

template <typename Fn>
Fn next(const char* name) {
  void* p = ::dlsym(RTLD_NEXT, name);
  if (!p) {
    std::fprintf(stderr, "op_hook: %s not found in libcrypto\n", name);
    std::abort();
  }
  return reinterpret_cast<Fn>(p);
}

}  // namespace

namespace setpay::bench {
OpCounts opCounts() { return counts; }
}  // namespace setpay::bench

// Opaque OpenSSL types: the real headers declare some of these deprecated, and the hook only forwards.
struct rsa_st;
struct ec_key_st;
struct ECDSA_SIG_st;
struct bignum_st;
struct x509_st;

extern "C" {

using RsaFn = int (*)(int, const unsigned char*, unsigned char*, rsa_st*, int);

int RSA_private_encrypt(int flen, const unsigned char* from, unsigned char* to, rsa_st* rsa, int padding) {
  static const RsaFn fn = next<RsaFn>("RSA_private_encrypt");
  ++counts.rsaSign;
  return fn(flen, from, to, rsa, padding);
}
int RSA_public_decrypt(int flen, const unsigned char* from, unsigned char* to, rsa_st* rsa, int padding) {
  static const RsaFn fn = next<RsaFn>("RSA_public_decrypt");
  ++counts.rsaVerify;
  return fn(flen, from, to, rsa, padding);
}
int RSA_public_encrypt(int flen, const unsigned char* from, unsigned char* to, rsa_st* rsa, int padding) {
  static const RsaFn fn = next<RsaFn>("RSA_public_encrypt");
  ++counts.rsaEncrypt;
  return fn(flen, from, to, rsa, padding);
}
int RSA_private_decrypt(int flen, const unsigned char* from, unsigned char* to, rsa_st* rsa, int padding) {
  static const RsaFn fn = next<RsaFn>("RSA_private_decrypt");
  ++counts.rsaDecrypt;
  return fn(flen, from, to, rsa, padding);
}

using EcSignFn = ECDSA_SIG_st* (*)(const unsigned char*, int, const bignum_st*, const bignum_st*, ec_key_st*);
ECDSA_SIG_st* ECDSA_do_sign_ex(const unsigned char* dgst, int dlen, const bignum_st* kinv, const bignum_st* rp,
                               ec_key_st* key) {
  static const EcSignFn fn = next<EcSignFn>("ECDSA_do_sign_ex");
  ++counts.ecdsaSign;
  return fn(dgst, dlen, kinv, rp, key);
}
using EcVerifyFn = int (*)(const unsigned char*, int, const ECDSA_SIG_st*, ec_key_st*);
int ECDSA_do_verify(const unsigned char* dgst, int dlen, const ECDSA_SIG_st* sig, ec_key_st* key) {
  static const EcVerifyFn fn = next<EcVerifyFn>("ECDSA_do_verify");
  ++counts.ecdsaVerify;
  return fn(dgst, dlen, sig, key);
}

using DupFn = x509_st* (*)(const x509_st*);
x509_st* X509_dup(const x509_st* x) {
  static const DupFn fn = next<DupFn>("X509_dup");
  ++counts.x509Dup;
  return fn(x);
}

}  // extern "C"
