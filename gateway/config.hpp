// What a payment gateway is configured with (ROLES-API.md): profile, policy, trust anchors, own keys.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "protocol/openssl.hpp"
#include "protocol/pki/issuer.hpp"
#include "protocol/profile.hpp"

namespace setpay::gateway {

struct GatewayConfig {
  protocol::AlgorithmProfile profile;
  bool hardening;                          // set from profile.hardeningByDefault() by the caller
  bool requireCardholderSignature = true;  // cardCertRequired: PReqUnsigned → AuthCode signatureRequired
  std::string brand;                       // BrandID served, e.g. "SETPAY"
  protocol::ossl::Cert root;               // trusted SET Root
  std::vector<protocol::ossl::Cert> caCertificates;  // Brand, CCA, MCA, PCA (chain building)
  std::vector<protocol::ossl::Crl> crls;             // CRLs of every CA
  protocol::pki::Credential signature, keyExchange;  // the gateway's own

  // Additive to the contract (SPEC-CHOICES.md "## gateway"):
  // merchant key-exchange certificates the acquirer registered, used when an AuthReq/CapReq does not
  // carry one (a merchant may leave Cert-MK out when MThumbs shows the gateway has it).
  std::vector<protocol::ossl::Cert> merchantKeyExchangeCertificates{};
  unsigned amountTolerancePercent = 0;               // AuthReqAmt may exceed PurchAmt by this much
  std::chrono::seconds replayWindow{15 * 60};        // RRTags.date older than this → messageTooOld
  std::chrono::seconds clockSkew{5 * 60};            // RRTags.date newer than now + skew → messageTooNew
  // Bounds on one PI (SPEC-CHOICES.md "## gateway", PI bounds): its PReqDate older than maxPIAge →
  // messageTooOld; once the issuer declined it maxIssuerAttempts times (any RRPID), piPreviouslyUsed
  // without asking the issuer again.
  std::chrono::seconds maxPIAge{24 * 60 * 60};
  unsigned maxIssuerAttempts = 3;
  std::string swIdent = "setpay-gateway/0.1";
};

}  // namespace setpay::gateway
