#include "tests/support/test_keys.hpp"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/vectors.hpp"

namespace setpay::support {

namespace ossl = protocol::ossl;
using protocol::ErrorCode;

namespace {

std::string readText(const std::filesystem::path& p) {
  std::ifstream in(p);
  if (!in) throw std::runtime_error("test keys: cannot read " + p.string() + " (run setpay-vectors --keys)");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

constexpr time_t notBefore = 1735689600;  // 2025-01-01T00:00:00Z
constexpr time_t notAfter = 2082758400;   // 2036-01-01T00:00:00Z

ossl::Cert certificate(EVP_PKEY* key, const X509_NAME* name, const ASN1_INTEGER* serial) {
  ossl::Cert cert(X509_new());
  ossl::check(cert && X509_set_version(cert.get(), X509_VERSION_3) == 1 &&
                  X509_set_serialNumber(cert.get(), const_cast<ASN1_INTEGER*>(serial)) == 1 &&
                  X509_set_subject_name(cert.get(), name) == 1 && X509_set_issuer_name(cert.get(), name) == 1 &&
                  ASN1_TIME_set(X509_getm_notBefore(cert.get()), notBefore) != nullptr &&
                  ASN1_TIME_set(X509_getm_notAfter(cert.get()), notAfter) != nullptr &&
                  X509_set_pubkey(cert.get(), key) == 1,
              ErrorCode::unspecifiedFailure, "test certificate");
  ossl::check(X509_sign(cert.get(), key, EVP_sha256()) > 0, ErrorCode::unspecifiedFailure, "X509_sign");
  return cert;
}

}  // namespace

TestKey loadTestKey(const std::string& name) {
  TestKey k;
  k.name = name;
  k.keyFile = "../keys/" + name + ".key.pem";
  k.certFile = "../keys/" + name + ".cert.pem";
  k.keyPem = readText(vectorsDir() / "keys" / (name + ".key.pem"));
  k.certPem = readText(vectorsDir() / "keys" / (name + ".cert.pem"));
  ossl::Bio bio(BIO_new_mem_buf(k.keyPem.data(), static_cast<int>(k.keyPem.size())));
  k.key.reset(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!k.key) throw std::runtime_error("test keys: bad key PEM for " + name);
  k.cert = ossl::certFromPem(k.certPem);
  return k;
}

ossl::PKey generateKey(const std::string& kind) {
  EVP_PKEY* key = nullptr;
  if (kind == "rsa-1024")
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024));
  else if (kind == "rsa-2048")
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  else if (kind == "ec-p256")
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (!key) throw std::runtime_error("test keys: cannot generate " + kind);
  return ossl::PKey(key);
}

ossl::Cert selfSignedCertificate(EVP_PKEY* key, const std::string& commonName, long serial) {
  ossl::Name name(X509_NAME_new());
  const auto* cn = reinterpret_cast<const unsigned char*>(commonName.c_str());
  const auto* org = reinterpret_cast<const unsigned char*>("setpay test");
  ossl::check(name && X509_NAME_add_entry_by_txt(name.get(), "O", MBSTRING_UTF8, org, -1, -1, 0) == 1 &&
                  X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_UTF8, cn, -1, -1, 0) == 1,
              ErrorCode::unspecifiedFailure, "test name");
  ossl::Integer sn(ASN1_INTEGER_new());
  ossl::check(sn && ASN1_INTEGER_set(sn.get(), serial) == 1, ErrorCode::unspecifiedFailure, "serial");
  return certificate(key, name.get(), sn.get());
}

ossl::Cert impostorCertificate(const X509* like, EVP_PKEY* key) {
  return certificate(key, X509_get_issuer_name(like), X509_get0_serialNumber(like));
}

std::string privateKeyPem(EVP_PKEY* key) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  ossl::check(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
              ErrorCode::unspecifiedFailure, "PEM_write_bio_PrivateKey");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

ossl::PKey shareKey(EVP_PKEY* key) {
  ossl::check(EVP_PKEY_up_ref(key) == 1, ErrorCode::unspecifiedFailure, "EVP_PKEY_up_ref");
  return ossl::PKey(key);
}

ossl::Cert shareCert(X509* cert) {
  ossl::check(X509_up_ref(cert) == 1, ErrorCode::unspecifiedFailure, "X509_up_ref");
  return ossl::Cert(cert);
}

}  // namespace setpay::support
