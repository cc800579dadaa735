// A SET world per profile (minted once per build: RSA key generation is the slow part) and a
// bench per test: gateway + store + issuer + clock, and the cardholder / merchant sides built directly
// with the protocol API (buildPReqDualSigned, buildAuthReq, buildCapReq).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gateway/payment_gateway.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/cardholder.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/pki/crl.hpp"
#include "protocol/pki/hierarchy.hpp"

namespace setpay::gateway::test {

using namespace protocol;

struct Card {
  std::string pan;
  std::string expiry;  // YYYYMM
  pki::Cardholder holder;
};

struct World {
  explicit World(AlgorithmProfile p) : profile(std::move(p)) {}
  AlgorithmProfile profile;
  TimePoint mintedAt;
  pki::Hierarchy h;
  Card card, revokedCard, shortCard, otherBrandCard;  // shortCard: expires 2026-01 (cert with it)
  pki::Credential otherBrand, otherCca, otherMca;     // a second brand under the same Root
  // A merchant of the second brand that holds our merchant's merID (merIDs are unique per acquirer,
  // not across brands): signature and key-exchange certificates from otherMca.
  pki::Credential otherBrandMerchantSignature, otherBrandMerchantKeyExchange;
  // Wrong only in its certificateType: payment-gateway type, issued by our MCA, signature keyUsage and
  // our merchant's merchantData, as a merchant signature certificate would be in every other respect.
  pki::Credential mistypedMerchantSignature;
  ossl::Cert otherGatewayKeyExchange;                 // another Cert-PE for the same key (hardening)
  std::string merID() const;
};
const World& world(ProfileId);
// Test-name suffix for the profile parameter: "set1" / "modern".
std::string profileName(const ::testing::TestParamInfo<ProfileId>&);

using pki::share;

// The cardholder's and merchant's halves of one purchase.
struct Purchase {
  HODInput hod;
  OIData oi;
  PIHead head;
  PANData panData;
  PI pi;
  AuthReqData authReqData;
};

struct BenchOptions {
  bool requireCardholderSignature = true;
  bool registerMerchantKeyExchange = true;  // GatewayConfig.merchantKeyExchangeCertificates
  std::chrono::hours after{24};             // bench clock = mintedAt + after
  unsigned amountTolerancePercent = 0;
};

class Bench {
 public:
  explicit Bench(ProfileId id, BenchOptions = {});
  GatewayConfig config(const BenchOptions&) const;  // what the bench's gateway was built with
  const World& w;
  FixedClock clock;
  SeededRandom random;
  InMemoryGatewayStore store;
  AccountIssuer issuer;
  std::unique_ptr<PaymentGateway> gateway;

  static CurrencyAmount eur(std::int64_t cents) { return CurrencyAmount{978, cents, -2}; }

  // Cardholder: a dual-signed PReq for `card`, PI encrypted for `gatewayCert` (default: our Cert-PE).
  // `tweak` edits PIHead / PANData before the cardholder signs (a lying or confused wallet).
  using Tweak = std::function<void(PIHead&, PANData&)>;
  Purchase purchase(const Card& card, CurrencyAmount amount, const X509* gatewayCert = nullptr, const Tweak& tweak = {});
  Purchase unsignedPurchase(const Card& card, CurrencyAmount amount);
  // Merchant: the AuthReq wrapper for a purchase (fresh RRPID unless given), signed by `merchant`.
  Bytes authReq(const Purchase&, Signer* merchant = nullptr, bool carryKeyExchange = false);
  Bytes authReqWith(const AuthReqData&, const PI&, Signer* merchant = nullptr, bool carryKeyExchange = false);
  AuthReqData authReqData(const Purchase&, CurrencyAmount asked);
  Bytes capReq(const AuthTags& authTags, const CapToken& token, CurrencyAmount amount, Signer* merchant = nullptr);

  // Replies, as the merchant reads them (throw with a description when the reply is something else).
  OpenedAuthRes authRes(const Bytes& reply);
  ErrorTBS error(const Bytes& reply);
  OpenedCapRes capRes(const Bytes& reply);

  SoftwareSigner& merchantSigner() { return merchantSigner_; }
  SoftwareSigner signerFor(const Card&) const;
  static SoftwareSigner signerFor(const pki::Credential&);

 private:
  SoftwareSigner merchantSigner_;
};

}  // namespace setpay::gateway::test
