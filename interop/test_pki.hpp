// The test PKI the interop tool plays with: a directory `setpay pki init` wrote, shared with the system
// under test. It also holds the CA keys, so the tool can mint the wrong certificates its cases need
// (another brand's merchant, a mistyped certificate, another Cert-PE) under the same Root.
#pragma once

#include <string>
#include <vector>

#include "protocol/pki/carried_trust.hpp"
#include "protocol/pki/issuer.hpp"
#include "protocol/profile.hpp"
#include "protocol/random.hpp"

namespace setpay::interop {

struct TestCard {
  std::string pan, expiry;  // expiry YYYYMM
  protocol::Bytes panSecret;
  protocol::pki::Credential credential;
};

struct TestPki {
  explicit TestPki(protocol::AlgorithmProfile p) : profile(std::move(p)) {}
  protocol::AlgorithmProfile profile;
  std::string brand;
  protocol::pki::Credential root, brandCa, cca, mca, pca;
  std::vector<protocol::ossl::Crl> crls;
  protocol::pki::Credential merchantSignature, merchantKeyExchange;
  protocol::ossl::Cert gatewaySignature, gatewayKeyExchange;
  TestCard card;  // the first cardholder under DIR/cardholders/
  std::string merID;

  protocol::pki::TrustAnchors anchors() const;
};

// Wrong certificates for the refusal cases, minted now under the PKI's own CAs.
struct Impostors {
  protocol::pki::Credential otherBrand, otherMca;  // brand OTHERPAY under the same Root, and its MCA
  std::vector<protocol::ossl::Crl> otherBrandCrls;  // theirs, carried with the merchant's signature
  protocol::pki::Credential otherBrandMerchant;  // a merchant signature certificate of brand OTHERPAY
  protocol::pki::Credential mistypedMerchant;    // our MCA, our merchant's data, certificateType pgwy
  protocol::ossl::Cert otherGatewayKeyExchange;  // another Cert-PE from our PCA for the gateway's key
  // Cardholder certificates for the test card's account that a merchant must refuse:
  protocol::pki::Credential otherBrandCca, otherBrandCardholder;  // OTHERPAY's CCA and a card of it
  std::vector<protocol::ossl::Crl> otherBrandCcaCrls;             // OTHERPAY Brand CA's and its CCA's
  protocol::pki::Credential expiredCardholder;   // our CCA, validity ended yesterday
  protocol::pki::Credential mistypedCardholder;  // our CCA, the card's subject, certificateType mer
  protocol::pki::Credential anotherCardholder;   // a valid card of our brand, another account
  // Our CCA, the card's subject, revoked: the CCA's CRL re-issued (cRLNumber + 1, thisUpdate later than
  // DIR's when the clock allows) listing it; the system under test holds only DIR's older CRL.
  protocol::pki::Credential revokedCardholder;
  protocol::ossl::Crl ccaCrlRevokingIt;
  // Our CCA, the card's subject, and one critical extension no SET party knows (unknownCriticalOid):
  // added with OpenSSL's X509 API and signed again by the CCA (our issuer writes only SET's profile).
  protocol::pki::Credential unknownCriticalCardholder;
};
inline constexpr const char* unknownCriticalOid = "2.25.113146556733274964223083519836001889002.9.1";
Impostors mintImpostors(const TestPki&, protocol::RandomSource&);

}  // namespace setpay::interop
