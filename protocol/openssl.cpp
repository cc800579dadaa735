#include "protocol/openssl.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace setpay::protocol::ossl {

void fail(ErrorCode code, const std::string& what) {
  std::string detail = what;
  unsigned long e;
  char buf[256];
  while ((e = ERR_get_error()) != 0) {
    ERR_error_string_n(e, buf, sizeof buf);
    detail += " [";
    detail += buf;
    detail += "]";
  }
  throw ProtocolError(code, detail);
}

Bytes der(const X509* cert) { return der<X509>(cert, i2d_X509); }
Bytes der(const X509_CRL* crl) { return der<X509_CRL>(crl, i2d_X509_CRL); }

Cert certFromDer(ByteView der) {
  const unsigned char* p = der.data();
  Cert cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) fail(ErrorCode::invalidCertificate, "certificate DER does not decode");
  if (p != der.data() + der.size())
    throw ProtocolError(ErrorCode::decodingFailure, "trailing bytes after certificate");
  return cert;
}

Cert certFromPem(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  check(bio != nullptr, ErrorCode::unspecifiedFailure, "BIO_new_mem_buf");
  Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) fail(ErrorCode::invalidCertificate, "certificate PEM does not decode");
  return cert;
}

std::string toPem(const X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  check(bio && PEM_write_bio_X509(bio.get(), cert) == 1, ErrorCode::unspecifiedFailure,
        "PEM_write_bio_X509");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace setpay::protocol::ossl
