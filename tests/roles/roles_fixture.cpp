#include "tests/roles/roles_fixture.hpp"

#include "protocol/crypto/signer.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/pki/crl.hpp"
#include "tests/support/hierarchy_cache.hpp"

namespace setpay::roles_test {

namespace pki = protocol::pki;
using pki::share;

namespace {

// Minting a modern hierarchy costs seconds (ten RSA-2048 keys) and ctest runs every test case in its own
// process: the first process of a build mints each profile, later ones read it back (hierarchy_cache).
World mint(protocol::ProfileId id) {
  const auto name = std::string("roles-") + (id == protocol::ProfileId::set1 ? "set1" : "modern");
  test_support::MintedSet set = test_support::cachedMinting(name, [id] {
    protocol::SystemRandom random;
    const protocol::TimePoint at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    protocol::FixedClock clock(at);
    test_support::MintedSet minted{at, {}, {}};
    test_support::putHierarchy(
        minted, pki::mintHierarchy(pki::HierarchyOptions{}, protocol::AlgorithmProfile::make(id), random, clock));
    return minted;
  });
  return World{protocol::AlgorithmProfile::make(id), test_support::takeHierarchy(set), set.mintedAt};
}
std::vector<protocol::ossl::Cert> cas(const World& w) {
  std::vector<protocol::ossl::Cert> out;
  for (const auto* c : {&w.h.brand, &w.h.cca, &w.h.mca, &w.h.pca}) out.push_back(share(c->cert.get()));
  return out;
}
pki::Credential copy(const pki::Credential& c) { return {share(c.cert.get()), share(c.key.get())}; }
}  // namespace

const World& world(protocol::ProfileId id) {
  // Each profile minted on its first use only (a test process usually needs one of them).
  if (id == protocol::ProfileId::set1) {
    static const World set1 = mint(protocol::ProfileId::set1);
    return set1;
  }
  static const World modern = mint(protocol::ProfileId::modern);
  return modern;
}

std::string luhnPan(const std::string& prefix15) {
  int sum = 0;
  for (std::size_t i = 0; i < prefix15.size(); ++i) {
    int d = prefix15[prefix15.size() - 1 - i] - '0';
    if (i % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return prefix15 + static_cast<char>('0' + (10 - sum % 10) % 10);
}

Scene::Scene(protocol::ProfileId id)
    : w(world(id)), clock(w.mintedAt + std::chrono::minutes(10)), issuer(protocol::toBytes("roles-test pan hash key")) {
  crls = freshCrls();
  rebuild();
}

std::vector<protocol::ossl::Crl> Scene::freshCrls(const std::vector<protocol::pki::RevokedSerial>& ccaRevoked,
                                                  const std::vector<protocol::pki::RevokedSerial>& mcaRevoked) const {
  std::vector<protocol::ossl::Crl> out;
  for (const auto* ca : {&w.h.root, &w.h.brand, &w.h.cca, &w.h.mca, &w.h.pca}) {
    const auto& revoked = ca == &w.h.cca ? ccaRevoked : ca == &w.h.mca ? mcaRevoked : std::vector<protocol::pki::RevokedSerial>{};
    out.push_back(pki::issueCrl(*ca, revoked, 1, clock.now(), w.profile));
  }
  return out;
}

pki::TrustAnchors Scene::trust() const {
  pki::TrustAnchors t{share(w.h.root.cert.get()), cas(w), {}};
  for (const auto& c : crls) t.crls.push_back(share(c.get()));
  return t;
}

merchant::MerchantConfig Scene::merchantConfig() const {
  merchant::MerchantConfig m{w.profile, w.profile.hardeningByDefault(), merchantBrands, "https://shop.example/set", "en",
                             trust(), copy(w.h.merchantSignature), copy(w.h.merchantKeyExchange),
                             share(certPEOverride ? certPEOverride.get() : w.h.gatewayKeyExchange.cert.get())};
  m.captureNow = captureNow;
  return m;
}

void Scene::rebuild() {
  const bool hardening = w.profile.hardeningByDefault();
  gateway::GatewayConfig g{w.profile, hardening, true, "SETPAY", share(w.h.root.cert.get()), cas(w), {},
                           copy(w.h.gatewaySignature), copy(w.h.gatewayKeyExchange)};
  for (const auto& c : crls) g.crls.push_back(share(c.get()));
  gateway = std::make_unique<gateway::PaymentGateway>(std::move(g), gatewayStore, issuer, clock, random);
  merchant = std::make_unique<merchant::Merchant>(merchantConfig(), merchantStore, clock, random);
}

Bytes Scene::toMerchant(ByteView b) {
  return merchant->handle(b, [this](ByteView authReq) { return gatewayLink ? gatewayLink(authReq) : toGateway(authReq); });
}

Bytes Scene::toGateway(ByteView b) {
  authReqs.emplace_back(b.begin(), b.end());
  Bytes answer = gateway->handle(b);
  authRess.push_back(answer);
  return answer;
}

Card Scene::issueCard(const std::string& pan, std::int64_t balance, std::chrono::year_month expiry) {
  auto holder = pki::issueCardholder(w.h.cca, {pan, expiry, std::nullopt}, w.profile, random, clock);
  const std::string exp = pki::formatCardExpiry(expiry);
  issuer.openAccount(pan, eur(balance), eur(1'000'000), exp);
  return Card{pan, exp, std::make_unique<wallet::SoftwareCard>(wallet::SoftwareCard::fromCardholder(holder, pan, exp))};
}

Card Scene::issueCard(const std::string& pan, std::int64_t balance) {
  const auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(clock.now()));
  return issueCard(pan, balance, today.year() / today.month() + std::chrono::years(2));
}

wallet::CardholderConfig Scene::cardholderConfig(std::optional<std::string> brand) const {
  return wallet::CardholderConfig{w.profile, w.profile.hardeningByDefault(), trust(), "en", "setpay-wallet/test", brand};
}

wallet::Cardholder Scene::cardholder(Card& card, std::optional<std::string> brand) {
  return wallet::Cardholder(cardholderConfig(std::move(brand)), *card.access, clock, random);
}

merchant::Order Scene::order(std::int64_t amount) const {
  return merchant::Order{"1 x SET Book 2, paperback; ship to Paris", eur(amount), std::nullopt};
}

protocol::MessageWrapper unwrap(ByteView b) { return protocol::decode<protocol::MessageWrapper>(b); }
Bytes rewrap(const protocol::MessageWrapper& w) { return protocol::encode(w); }

void raiseAuthAmount(Scene& s, const protocol::CurrencyAmount& amount) {
  s.gatewayLink = [&s, amount](ByteView b) {
    const auto& profile = s.w.profile;
    auto w = unwrap(b);
    const auto opened = protocol::open(profile, s.w.h.gatewayKeyExchange.key.get(), std::get<protocol::AuthReq>(w.message));
    protocol::AuthReqData raised = opened.data;
    raised.authReqItem.authReqPayload.authReqAmt = amount;
    protocol::SoftwareSigner merchantSigner(protocol::pki::share(s.w.h.merchantSignature.cert.get()),
                                            protocol::pki::share(s.w.h.merchantSignature.key.get()));
    protocol::SignOptions carried;
    for (const auto& c : opened.signature.certificates)
      if (X509_cmp(c.get(), s.w.h.merchantSignature.cert.get()) != 0) carried.extra.certificates.push_back(c.get());
    w.message = protocol::buildAuthReq(profile, s.random, s.clock, merchantSigner, s.w.h.gatewayKeyExchange.cert.get(),
                                       raised, opened.pi, carried);
    return s.toGateway(rewrap(w));
  };
}

}  // namespace setpay::roles_test
