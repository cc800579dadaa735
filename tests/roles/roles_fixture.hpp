// Shared by the end-to-end purchase tests: one SET hierarchy per profile (minted once), and a Scene
// per test: a fresh clock, stores, issuer accounts, gateway, merchant, and cardholders on demand.
// Every message between the roles goes through Scene's transports, which keep a copy (for replays
// and tampering).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gateway/payment_gateway.hpp"
#include "merchant/merchant.hpp"
#include "protocol/pki/cardholder.hpp"
#include "protocol/pki/crl.hpp"
#include "protocol/pki/hierarchy.hpp"
#include "wallet-server/cardholder.hpp"

namespace setpay::roles_test {

using protocol::Bytes;
using protocol::ByteView;

struct World {
  protocol::AlgorithmProfile profile;
  protocol::pki::Hierarchy h;
  protocol::TimePoint mintedAt;
};
// Minted on first use, then shared read-only by every test of that profile.
const World& world(protocol::ProfileId);

// A Luhn-valid 16-digit PAN starting with `prefix15` (15 digits).
std::string luhnPan(const std::string& prefix15);

struct Card {
  std::string pan, expiry;
  std::unique_ptr<wallet::SoftwareCard> access;
};

class Scene {
 public:
  explicit Scene(protocol::ProfileId id);

  // Cardholders: issued under the world's CCA; an account with `balance` (minor units, EUR) opened.
  Card issueCard(const std::string& pan, std::int64_t balance, std::chrono::year_month expiry);
  Card issueCard(const std::string& pan, std::int64_t balance);
  wallet::Cardholder cardholder(Card& card, std::optional<std::string> brand = std::nullopt);

  // The roles, built from the configs below (rebuild() after changing them or the CRLs).
  void rebuild();
  // The merchant's synchronous exchange, its AuthReq to the gateway going through toGateway().
  protocol::Bytes toMerchant(ByteView b);
  protocol::Bytes toGateway(ByteView b);
  // What the merchant forwards to the gateway (default: toGateway); a test may intercept it.
  std::function<Bytes(ByteView)> gatewayLink;

  merchant::Order order(std::int64_t amount = 4250) const;
  merchant::MerchantConfig merchantConfig() const;  // what rebuild() gives the merchant
  wallet::CardholderConfig cardholderConfig(std::optional<std::string> brand = std::nullopt) const;
  protocol::CurrencyAmount eur(std::int64_t minor) const { return {978, minor, -2}; }

  std::vector<protocol::ossl::Crl> freshCrls(const std::vector<protocol::pki::RevokedSerial>& ccaRevoked = {},
                                            const std::vector<protocol::pki::RevokedSerial>& mcaRevoked = {}) const;

  const World& w;
  protocol::FixedClock clock;
  protocol::SystemRandom random;
  std::vector<protocol::ossl::Crl> crls;  // root, brand, cca, mca, pca
  // Knobs a test may turn before rebuild().
  std::vector<std::string> merchantBrands{"SETPAY"};
  bool captureNow = false;
  protocol::ossl::Cert certPEOverride;  // the Cert-PE the merchant names (default: the gateway's)
  merchant::InMemoryMerchantStore merchantStore;
  gateway::InMemoryGatewayStore gatewayStore;
  gateway::AccountIssuer issuer;
  std::unique_ptr<gateway::PaymentGateway> gateway;
  std::unique_ptr<merchant::Merchant> merchant;
  std::vector<Bytes> authReqs, authRess;  // every AuthReq sent to the gateway and its answer

  protocol::pki::TrustAnchors trust() const;
};

// Decode / re-encode helpers for tampering with a MessageWrapper.
protocol::MessageWrapper unwrap(ByteView);
Bytes rewrap(const protocol::MessageWrapper&);

// A dishonest merchant: every AuthReq it sends is opened, its AuthReqAmt replaced by `amount`, and
// re-signed with the merchant's own key before it reaches the gateway (installed as s.gatewayLink).
void raiseAuthAmount(Scene& s, const protocol::CurrencyAmount& amount);

}  // namespace setpay::roles_test
