#include "tests/pcsc/card_support.hpp"

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <stdexcept>

#include "pcsc/card_error.hpp"
#include "protocol/openssl.hpp"

namespace setpay::pcsc::test {

namespace ossl = protocol::ossl;
using test_support::writeFile;

namespace {

ossl::PKey generateKey(KeyKind kind) {
  ossl::PKey key(kind == KeyKind::rsa2048 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048})
                                          : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) throw std::runtime_error("key generation failed");
  return key;
}

ossl::Cert selfSigned(EVP_PKEY* key, const std::string& cn) {
  ossl::Cert cert(X509_new());
  if (!cert) throw std::runtime_error("X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 365);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key);
  if (X509_sign(cert.get(), key, EVP_sha256()) <= 0) throw std::runtime_error("X509_sign");
  return cert;
}

std::string keyPem(EVP_PKEY* key) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace

CardDirectory::CardDirectory(KeyKind kind, const CardFields& f) {
  const ossl::PKey key = generateKey(kind);
  const ossl::Cert cert = selfSigned(key.get(), f.name);
  writeFile(path_ + "/cert.pem", ossl::toPem(cert.get()));
  writeFile(path_ + "/key.pem", keyPem(key.get()));
  writeFile(path_ + "/card.conf", "pan=" + f.pan + "\nexpiry=" + f.expiry + "\nname=" + f.name +
                                      "\npan-secret=" + f.panSecret + "\npin=" + f.pin +
                                      "\nprofile=" + f.profile + "\n" +
                                      (f.acKey.empty() ? "" : "ac-key=" + f.acKey + "\npsn=00\n"));
}

std::optional<VirtualPcsc> virtualPcsc() {
  const char* sock = std::getenv("PCSCLITE_CSOCK_NAME");
  const char* port = std::getenv("VPCD_PORT");
  const char* port1 = std::getenv("VPCD_PORT1");
  const char* r0 = std::getenv("VPCD_READER0");
  const char* r1 = std::getenv("VPCD_READER1");
  if (!sock) return std::nullopt;
  if (!port || !port1 || !r0 || !r1) throw std::runtime_error("PCSCLITE_CSOCK_NAME set without VPCD_* variables");
  return VirtualPcsc{static_cast<std::uint16_t>(std::stoi(port)), static_cast<std::uint16_t>(std::stoi(port1)), r0, r1};
}

InsertedCard::InsertedCard(const std::string& cardDir, std::uint16_t port, std::string reader,
                           VirtualCardOptions cardOptions, VpcdOptions vpcdOptions)
    : card_(loadCardDirectory(cardDir), cardOptions),
      link_(card_, [&] {
        vpcdOptions.port = port;
        vpcdOptions.reconnect = false;
        vpcdOptions.trace = &trace_;
        return vpcdOptions;
      }()),
      reader_(std::move(reader)) {
  waitEmpty(reader_);  // an earlier card's closed connection must be gone first (CARD-APPLICATION.md §10)
  thread_ = std::jthread([this](std::stop_token stop) { outcome_ = link_.run(stop); });
}

InsertedCard::~InsertedCard() {
  try {
    stop();
  } catch (...) {  // a destructor must not throw; the next test's waitPresent will complain
  }
}

void InsertedCard::waitPresent(const Context& ctx) const { ctx.waitForCard(reader_, std::chrono::seconds(5)); }

void InsertedCard::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
  waitEmpty(reader_);
}

void waitEmpty(const std::string& reader) {
  const Context ctx;
  ctx.waitForNoCard(reader, std::chrono::seconds(5));
}

}  // namespace setpay::pcsc::test
