#include "protocol/pki/pem.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace setpay::protocol::pki {
namespace {

ossl::Bio readBio(const std::string& pem) {
  if (pem.size() > kMaxPem) throw ProtocolError(ErrorCode::messageTooBig, "PEM text too large");
  ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  ossl::check(bio != nullptr, ErrorCode::unspecifiedFailure, "BIO_new_mem_buf");
  return bio;
}

std::string drain(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace

std::string crlToPem(const X509_CRL* crl) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  ossl::check(bio && PEM_write_bio_X509_CRL(bio.get(), crl) == 1, ErrorCode::unspecifiedFailure,
              "PEM_write_bio_X509_CRL");
  return drain(bio.get());
}

ossl::Crl crlFromPem(const std::string& pem) {
  auto bio = readBio(pem);
  ossl::Crl crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  if (!crl) ossl::fail(ErrorCode::decodingFailure, "CRL PEM does not decode");
  return crl;
}

std::string privateKeyToPem(const EVP_PKEY* key) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  ossl::check(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
              ErrorCode::unspecifiedFailure, "PEM_write_bio_PrivateKey");
  return drain(bio.get());
}

ossl::PKey privateKeyFromPem(const std::string& pem) {
  auto bio = readBio(pem);
  ossl::PKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) ossl::fail(ErrorCode::decodingFailure, "private key PEM does not decode");
  return key;
}

std::vector<ossl::Cert> certsFromPem(const std::string& pem) {
  auto bio = readBio(pem);
  std::vector<ossl::Cert> out;
  while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(c);
  ERR_clear_error();  // the loop ends on "no start line"
  if (out.empty()) throw ProtocolError(ErrorCode::decodingFailure, "no certificate in PEM text");
  return out;
}

}  // namespace setpay::protocol::pki
