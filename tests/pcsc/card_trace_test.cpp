// The virtual card's APDU trace never shows a PIN, even in a VERIFY it cannot parse.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pcsc/virtual_card.hpp"
#include "protocol/bytes.hpp"

namespace setpay::pcsc {
namespace {

// A P-256 key with a self-signed certificate: enough to personalise the card.
CardPersonalisation personalisation() {
  CardPersonalisation p;
  p.pan = "4970100000000014";
  p.expiry = "203012";
  p.name = "REVIEW";
  p.panSecret = protocol::Bytes(20, 0x5A);
  p.pin = "918273";
  p.profile = "modern";
  p.key.reset(EVP_EC_gen("P-256"));
  p.certificate.reset(X509_new());
  X509* c = p.certificate.get();
  ASN1_INTEGER_set(X509_get_serialNumber(c), 1);
  X509_gmtime_adj(X509_getm_notBefore(c), 0);
  X509_gmtime_adj(X509_getm_notAfter(c), 3600);
  X509_set_pubkey(c, p.key.get());
  X509_set_issuer_name(c, X509_get_subject_name(c));
  X509_sign(c, p.key.get(), EVP_sha256());
  return p;
}

TEST(CardTrace, MalformedVerifyDoesNotShowThePin) {
  VirtualCard card(personalisation(), {});
  const std::string pinHex = protocol::hex(protocol::view(std::string("918273")));
  // VERIFY with Lc = 8 but six PIN bytes: not a valid APDU.
  const protocol::Bytes bad = protocol::concat({protocol::Bytes{0x00, 0x20, 0x00, 0x81, 0x08}, protocol::unhex(pinHex)});
  const ResponseApdu r = card.process(bad);
  const std::string line = card.describe(bad, r);
  EXPECT_EQ(line.find(pinHex), std::string::npos) << line;
  EXPECT_NE(line.find("00200081"), std::string::npos) << line;  // the header is still traced
  // And the well-formed VERIFY stays masked too.
  const protocol::Bytes good = protocol::concat({protocol::Bytes{0x00, 0x20, 0x00, 0x81, 0x06}, protocol::unhex(pinHex)});
  EXPECT_EQ(card.describe(good, card.process(good)).find(pinHex), std::string::npos);
}

}  // namespace
}  // namespace setpay::pcsc
