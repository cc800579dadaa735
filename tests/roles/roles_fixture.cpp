#include "tests/roles/roles_fixture.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "protocol/messages/codec.hpp"
#include "protocol/pki/pem.hpp"
#include "protocol/pki/crl.hpp"
#include "wallet-server/peer_trust.hpp"

namespace setpay::roles_test {

namespace pki = protocol::pki;
using wallet::share;

namespace {

namespace fs = std::filesystem;

// Minting a modern hierarchy costs seconds (ten RSA-2048 keys) and ctest runs every test case in its own
// process, so the first process of a build mints each profile into the build tree and later ones read it.
// The cache is keyed by the test executable's modification time: a rebuild mints afresh.
constexpr const char* kEntities[] = {"root", "brand", "cca", "mca", "pca", "merchant-sign", "merchant-kex",
                                     "gateway-sign", "gateway-kex"};
pki::Credential* entity(pki::Hierarchy& h, std::string_view name) {
  pki::Credential* all[] = {&h.root, &h.brand, &h.cca, &h.mca, &h.pca, &h.merchantSignature, &h.merchantKeyExchange,
                            &h.gatewaySignature, &h.gatewayKeyExchange};
  for (std::size_t i = 0; i < std::size(kEntities); ++i)
    if (name == kEntities[i]) return all[i];
  return nullptr;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
void spill(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

fs::path cacheDir(protocol::ProfileId id) {
  const auto stamp = fs::last_write_time("/proc/self/exe").time_since_epoch().count();
  return fs::path(SETPAY_ROLES_CACHE) / (std::string(id == protocol::ProfileId::set1 ? "set1-" : "modern-") +
                                         std::to_string(stamp));
}

std::optional<World> load(protocol::ProfileId id) {
  const fs::path dir = cacheDir(id);
  if (!fs::exists(dir / "complete")) return std::nullopt;
  World w{protocol::AlgorithmProfile::make(id), {}, protocol::TimePoint(std::chrono::seconds(std::stoll(slurp(dir / "complete"))))};
  for (const char* name : kEntities) {
    auto* c = entity(w.h, name);
    c->cert = protocol::ossl::certFromPem(slurp(dir / (std::string(name) + ".cert.pem")));
    c->key = pki::privateKeyFromPem(slurp(dir / (std::string(name) + ".key.pem")));
  }
  return w;
}

void store(protocol::ProfileId id, World& w) {
  const fs::path dir = cacheDir(id);
  std::error_code ec;
  fs::create_directories(dir.parent_path(), ec);
  for (const auto& old : fs::directory_iterator(dir.parent_path(), ec))  // earlier builds' hierarchies
    if (old.path() != dir && old.path().filename().string().starts_with(dir.filename().string().substr(0, 5)))
      fs::remove_all(old.path(), ec);
  std::string tmpl = (dir.parent_path() / "tmp-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) return;  // no cache: the next process mints again
  const fs::path tmp(tmpl);
  for (const char* name : kEntities) {
    auto* c = entity(w.h, name);
    spill(tmp / (std::string(name) + ".cert.pem"), protocol::ossl::toPem(c->cert.get()));
    spill(tmp / (std::string(name) + ".key.pem"), pki::privateKeyToPem(c->key.get()));
  }
  spill(tmp / "complete",
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(w.mintedAt.time_since_epoch()).count()));
  fs::rename(tmp, dir, ec);  // atomic; if another process won the race, keep its copy
  if (ec) fs::remove_all(tmp, ec);
}

World mint(protocol::ProfileId id) {
  if (auto cached = load(id)) return std::move(*cached);
  auto profile = protocol::AlgorithmProfile::make(id);
  protocol::SystemRandom random;
  const protocol::TimePoint at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  protocol::FixedClock clock(at);
  World w{std::move(profile), pki::mintHierarchy(pki::HierarchyOptions{}, protocol::AlgorithmProfile::make(id), random, clock), at};
  store(id, w);
  return w;
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

wallet::TrustAnchors Scene::trust() const {
  wallet::TrustAnchors t{share(w.h.root.cert.get()), cas(w), {}};
  for (const auto& c : crls) t.crls.push_back(share(c.get()));
  return t;
}

void Scene::rebuild() {
  const bool hardening = w.profile.hardeningByDefault();
  gateway::GatewayConfig g{w.profile, hardening, true, "SETPAY", share(w.h.root.cert.get()), cas(w), {},
                           copy(w.h.gatewaySignature), copy(w.h.gatewayKeyExchange)};
  for (const auto& c : crls) g.crls.push_back(share(c.get()));
  gateway = std::make_unique<gateway::PaymentGateway>(std::move(g), gatewayStore, issuer, clock, random);

  merchant::TrustAnchors t{share(w.h.root.cert.get()), cas(w), {}};
  for (const auto& c : crls) t.crls.push_back(share(c.get()));
  merchant::MerchantConfig m{w.profile, hardening, merchantBrands, "https://shop.example/set", "en", std::move(t),
                             copy(w.h.merchantSignature), copy(w.h.merchantKeyExchange),
                             share(certPEOverride ? certPEOverride.get() : w.h.gatewayKeyExchange.cert.get())};
  m.captureNow = captureNow;
  m.authAmountOverride = authAmountOverride;
  merchant = std::make_unique<merchant::Merchant>(std::move(m), merchantStore,
                                                  [this](ByteView b) { return toGateway(b); }, clock, random);
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

wallet::Cardholder Scene::cardholder(Card& card, std::optional<std::string> brand) {
  wallet::CardholderConfig c{w.profile, w.profile.hardeningByDefault(), trust(), "en", "setpay-wallet/test", brand};
  return wallet::Cardholder(std::move(c), *card.access, clock, random);
}

merchant::Order Scene::order(std::int64_t amount) const {
  return merchant::Order{"1 x SET Book 2, paperback; ship to Paris", eur(amount), std::nullopt};
}

protocol::MessageWrapper unwrap(ByteView b) { return protocol::decode<protocol::MessageWrapper>(b); }
Bytes rewrap(const protocol::MessageWrapper& w) { return protocol::encode(w); }

}  // namespace setpay::roles_test
