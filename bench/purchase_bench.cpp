// setpay-bench: a SET purchase against its cryptographic floor, in process, both profiles.
// The floor is what the purchase's public-key operations alone cost: the RSA/ECDSA operations SET
// needs per role (kNeeded below, counted from the message flow), each timed in the same run with
// the same keys. Scenarios: the full purchase (cardholder → merchant → gateway through in-process
// transports), and each role alone — the same purchases driven step by step, each role's calls
// timed on their own, every request distinct (so replay protection is not what is measured).
// Public-key operations are counted at libcrypto's primitives (op_hook.cpp), per role.
//   setpay-bench --help
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "bench/op_hook.hpp"
#include "gateway/payment_gateway.hpp"
#include "merchant/merchant.hpp"
#include "protocol/pki/cardholder.hpp"
#include "protocol/pki/crl.hpp"
#include "protocol/pki/hierarchy.hpp"
#include "wallet-server/cardholder.hpp"

namespace {

using namespace setpay;
namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ByteView;
using Steady = std::chrono::steady_clock;
using bench::OpCounts;

constexpr const char* kPan = "4012888888881881";

pki::Credential copy(const pki::Credential& c) { return {pki::share(c.cert.get()), pki::share(c.key.get())}; }

// ---- the floor: one public-key operation timed with a given key

enum class Op { sign, verify, encrypt, decrypt };
const char* opName(Op op) {
  switch (op) {
    case Op::sign: return "sign";
    case Op::verify: return "verify";
    case Op::encrypt: return "encrypt";
    case Op::decrypt: return "decrypt";
  }
  return "?";
}

// Mean seconds per operation over at least `minSeconds`.
double timeOp(Op op, EVP_PKEY* key, const EVP_MD* md) {
  using ossl_ctx = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
  const bool rsa = EVP_PKEY_is_a(key, "RSA");
  ossl_ctx ctx(EVP_PKEY_CTX_new(key, nullptr), EVP_PKEY_CTX_free);
  Bytes digest(static_cast<std::size_t>(EVP_MD_get_size(md)), 0x5a), sig(1024), out(1024), cipher(1024);
  std::size_t sigLen = sig.size(), cipherLen = cipher.size();
  auto fail = [](const char* what) {
    std::fprintf(stderr, "floor: %s failed\n", what);
    std::exit(1);
  };
  // Prepare a signature / ciphertext for the verify / decrypt timings.
  if (op == Op::sign || op == Op::verify) {
    if (EVP_PKEY_sign_init(ctx.get()) != 1 || (rsa && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) ||
        EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1 ||
        EVP_PKEY_sign(ctx.get(), sig.data(), &sigLen, digest.data(), digest.size()) != 1)
      fail("sign");
    if (op == Op::verify &&
        (EVP_PKEY_verify_init(ctx.get()) != 1 || (rsa && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) ||
         EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1))
      fail("verify init");
  } else {
    if (EVP_PKEY_encrypt_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
        EVP_PKEY_encrypt(ctx.get(), cipher.data(), &cipherLen, digest.data(), digest.size()) != 1)
      fail("encrypt");
    if (op == Op::decrypt &&
        (EVP_PKEY_decrypt_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1))
      fail("decrypt init");
  }
  int n = 0;
  const auto start = Steady::now();
  double elapsed = 0;
  do {
    for (int i = 0; i < 16; ++i, ++n) {
      std::size_t len = out.size();
      int rc = 0;
      switch (op) {
        case Op::sign: len = sig.size(), rc = EVP_PKEY_sign(ctx.get(), sig.data(), &len, digest.data(), digest.size()); break;
        case Op::verify: rc = EVP_PKEY_verify(ctx.get(), sig.data(), sigLen, digest.data(), digest.size()); break;
        case Op::encrypt: rc = EVP_PKEY_encrypt(ctx.get(), out.data(), &len, digest.data(), digest.size()); break;
        case Op::decrypt: rc = EVP_PKEY_decrypt(ctx.get(), out.data(), &len, cipher.data(), cipherLen); break;
      }
      if (rc != 1) fail(opName(op));
    }
    elapsed = std::chrono::duration<double>(Steady::now() - start).count();
  } while (elapsed < 0.25);
  return elapsed / n;
}

// ---- the world: one hierarchy, one card, the three roles

struct World {
  protocol::AlgorithmProfile profile;
  protocol::SystemRandom random;
  protocol::SystemClock clock;
  pki::Hierarchy h;
  std::vector<protocol::ossl::Crl> crls;
  std::string expiry;  // before holder: issue() sets it
  pki::Cardholder holder;

  explicit World(protocol::ProfileId id)
      : profile(protocol::AlgorithmProfile::make(id)),
        h(pki::mintHierarchy(pki::HierarchyOptions{}, profile, random, clock)),
        holder(issue()) {
    for (const auto* c : {&h.root, &h.brand, &h.cca, &h.mca, &h.pca})
      crls.push_back(pki::issueCrl(*c, {}, 1, std::chrono::floor<std::chrono::seconds>(clock.now()), profile));
  }
  pki::Cardholder issue() {
    const auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(clock.now()));
    const auto e = today.year() / today.month() + std::chrono::years(2);
    expiry = pki::formatCardExpiry(e);
    return pki::issueCardholder(h.cca, {kPan, e, std::nullopt}, profile, random, clock);
  }
  pki::TrustAnchors trust() const {
    pki::TrustAnchors t{pki::share(h.root.cert.get()), {}, {}};
    for (const auto* c : {&h.brand, &h.cca, &h.mca, &h.pca}) t.caCertificates.push_back(pki::share(c->cert.get()));
    for (const auto& c : crls) t.crls.push_back(pki::share(c.get()));
    return t;
  }
};

struct Roles {
  merchant::InMemoryMerchantStore merchantStore;
  gateway::InMemoryGatewayStore gatewayStore;
  gateway::AccountIssuer issuer;
  gateway::PaymentGateway gateway;
  merchant::Merchant merchant;
  std::unique_ptr<wallet::SoftwareCard> card;
  const World& world;
  std::shared_ptr<const pki::TrustCache> walletCache;  // the wallet's one validator, shared by its Cardholders
  // A wallet makes a Cardholder per purchase from its configuration (configs hold owning handles).
  wallet::CardholderConfig cardholderConfig() {
    wallet::CardholderConfig c{world.profile, world.profile.hardeningByDefault(), world.trust(), "en", "bench", std::nullopt};
    if (!walletCache) {
      pki::attachTrustCache(c.trust, world.profile);  // the first Cardholder's; every later one shares it
      walletCache = c.trust.cache;
    }
    c.trust.cache = walletCache;
    return c;
  }

  static Bytes panKey() { return Bytes(32, 0x42); }
  static gateway::GatewayConfig gatewayConfig(const World& w) {
    gateway::GatewayConfig g{w.profile, w.profile.hardeningByDefault(), true, "SETPAY", pki::share(w.h.root.cert.get()),
                             {}, {}, copy(w.h.gatewaySignature), copy(w.h.gatewayKeyExchange)};
    for (const auto* c : {&w.h.brand, &w.h.cca, &w.h.mca, &w.h.pca}) g.caCertificates.push_back(pki::share(c->cert.get()));
    for (const auto& c : w.crls) g.crls.push_back(pki::share(c.get()));
    g.merchantKeyExchangeCertificates.push_back(pki::share(w.h.merchantKeyExchange.cert.get()));
    return g;
  }
  explicit Roles(World& w)
      : issuer(panKey()),
        gateway(gatewayConfig(w), gatewayStore, issuer, w.clock, w.random),
        merchant(merchant::MerchantConfig{w.profile, w.profile.hardeningByDefault(), {"SETPAY"}, "https://shop.example/set",
                                          "en", w.trust(), copy(w.h.merchantSignature), copy(w.h.merchantKeyExchange),
                                          pki::share(w.h.gatewayKeyExchange.cert.get())},
                 merchantStore, w.clock, w.random),
        card(std::make_unique<wallet::SoftwareCard>(wallet::SoftwareCard::fromCardholder(w.holder, kPan, w.expiry))),
        world(w) {
    issuer.openAccount(kPan, {978, 1'000'000'000'000, -2}, {978, 1'000'000, -2}, std::nullopt);
  }
  merchant::Order order(int i) const { return {"bench item", {978, 100 + i % 100, -2}, std::nullopt}; }
};

struct Stopwatch {
  double seconds = 0;
  OpCounts ops;
  template <typename F>
  auto operator()(F&& f) {
    const OpCounts before = bench::opCounts();
    const auto t = Steady::now();
    struct Done {  // accounts even when f throws
      Stopwatch& s;
      OpCounts before;
      Steady::time_point t;
      ~Done() {
        s.seconds += std::chrono::duration<double>(Steady::now() - t).count();
        s.ops += bench::opCounts() - before;
      }
    } done{*this, before, t};
    return f();
  }
};

// The floor: what each role really needs per purchase (SET Book 2; see bench/README.md).
struct Need {
  Op op;
  const char* key;
  int count;
};
const std::map<std::string, std::vector<Need>> kNeeded = {
    // PInitRes and PRes signatures (Cert-MS); dual signature (card key); PI to Cert-PE (EXH, OAEP).
    {"wallet", {{Op::verify, "merchant-sign", 2}, {Op::sign, "card", 1}, {Op::encrypt, "gateway-kex", 1}}},
    // PInitRes, AuthReq, PRes signed; PReq dual signature; AuthReq EncB to Cert-PE; AuthRes opened and verified.
    {"merchant",
     {{Op::sign, "merchant-sign", 3}, {Op::verify, "card", 1}, {Op::encrypt, "gateway-kex", 1},
      {Op::decrypt, "merchant-kex", 1}, {Op::verify, "gateway-sign", 1}}},
    // AuthReq EncB and PI opened; merchant and cardholder signatures; AuthRes signed and encrypted for
    // Cert-MK; CapToken Enc(P, P): signed and encrypted for ourselves.
    {"gateway",
     {{Op::decrypt, "gateway-kex", 2}, {Op::verify, "merchant-sign", 1}, {Op::verify, "card", 1},
      {Op::sign, "gateway-sign", 2}, {Op::encrypt, "merchant-kex", 1}, {Op::encrypt, "gateway-kex", 1}}},
};

struct Floor {
  std::map<std::string, double> perRole;  // seconds per purchase
  std::map<std::string, int> opsPerRole;
  std::map<std::string, double> opSeconds;  // "sign card" → seconds
  double total() const {
    double t = 0;
    for (const auto& [r, s] : perRole) t += s;
    return t;
  }
  int totalOps() const {
    int n = 0;
    for (const auto& [r, c] : opsPerRole) n += c;
    return n;
  }
};

// `previous`: an earlier measurement of the same world; each operation keeps the faster of the two (a
// shared machine only ever slows an operation down).
Floor measureFloor(const World& w, const Floor* previous = nullptr) {
  const std::map<std::string, EVP_PKEY*> keys = {
      {"card", w.holder.credential.key.get()},
      {"merchant-sign", w.h.merchantSignature.key.get()},
      {"merchant-kex", w.h.merchantKeyExchange.key.get()},
      {"gateway-sign", w.h.gatewaySignature.key.get()},
      {"gateway-kex", w.h.gatewayKeyExchange.key.get()},
  };
  Floor f;
  for (const auto& [role, needs] : kNeeded)
    for (const auto& n : needs) {
      const std::string name = std::string(opName(n.op)) + " " + n.key;
      if (!f.opSeconds.count(name)) {
        f.opSeconds[name] = timeOp(n.op, keys.at(n.key), w.profile.digest());
        if (previous) f.opSeconds[name] = std::min(f.opSeconds[name], previous->opSeconds.at(name));
      }
      f.perRole[role] += n.count * f.opSeconds[name];
      f.opsPerRole[role] += n.count;
    }
  return f;
}

struct Result {
  double fullSeconds = 0;  // per purchase, end to end
  OpCounts fullOps, coldOps;  // per purchase (warm), and the first purchase (cold caches)
  std::map<std::string, Stopwatch> roles;  // totals over the step-by-step purchases
  int purchases = 0, approved = 0;
};

// One purchase, step by step, each role's calls on its own stopwatch.
bool steppedPurchase(World& w, Roles& r, int i, std::map<std::string, Stopwatch>& sw) {
  auto& wallet = sw["wallet"];
  auto& merchant = sw["merchant"];
  auto& gateway = sw["gateway"];
  const auto wakeUp = merchant([&] { return r.merchant.offer(r.order(i)); });
  auto c = wallet([&] { return std::make_unique<wallet::Cardholder>(r.cardholderConfig(), *r.card, w.clock, w.random); });
  const Bytes pInitReq = wallet([&] { return c->pInitReq(wakeUp); });
  const Bytes pInitRes = merchant([&] { return r.merchant.handle(pInitReq).toCardholder; });
  const Bytes pReq = wallet([&] { return c->processPInitRes(pInitRes); });
  const auto step = merchant([&] { return r.merchant.handle(pReq); });
  if (!step.toGateway) return false;
  const Bytes authRes = gateway([&] { return r.gateway.handle(step.toGateway->authReq); });
  const Bytes pRes = merchant([&] { return r.merchant.processAuthRes(step.toGateway->xid, authRes); });
  return wallet([&] { return c->processPRes(pRes); }).approved();
}

bool fullPurchase(World& w, Roles& r, int i) {
  wallet::Cardholder c(r.cardholderConfig(), *r.card, w.clock, w.random);
  const auto outcome = c.purchase(r.merchant.offer(r.order(i)), [&](ByteView b) {
    return r.merchant.handle(b, [&](ByteView a) { return r.gateway.handle(a); });
  });
  return outcome.approved();
}

Result run(World& w, int purchases, int warmup) {
  Result out;
  out.purchases = purchases;
  Roles r(w);
  int i = 0;
  {  // cold: the first purchase of fresh roles
    const OpCounts before = bench::opCounts();
    if (!fullPurchase(w, r, i++)) std::fprintf(stderr, "warning: cold purchase not approved\n");
    out.coldOps = bench::opCounts() - before;
  }
  for (int k = 1; k < warmup; ++k) (void)fullPurchase(w, r, i++);
  {
    const OpCounts before = bench::opCounts();
    const auto t = Steady::now();
    for (int k = 0; k < purchases; ++k) out.approved += fullPurchase(w, r, i++);
    out.fullSeconds = std::chrono::duration<double>(Steady::now() - t).count() / purchases;
    out.fullOps = bench::opCounts() - before;
  }
  for (int k = 0; k < purchases; ++k) out.approved += steppedPurchase(w, r, i++, out.roles);
  return out;
}

std::string opsText(const OpCounts& o, int purchases) {
  char buf[160];
  const double n = purchases;
  std::snprintf(buf, sizeof buf, "%5.1f (priv %4.1f; RSA s/v/e/d %.1f/%.1f/%.1f/%.1f, ECDSA s/v %.1f/%.1f; X509_dup %.1f)",
                static_cast<double>(o.publicKeyOps()) / n, static_cast<double>(o.privateKeyOps()) / n, static_cast<double>(o.rsaSign) / n,
                static_cast<double>(o.rsaVerify) / n, static_cast<double>(o.rsaEncrypt) / n, static_cast<double>(o.rsaDecrypt) / n,
                static_cast<double>(o.ecdsaSign) / n, static_cast<double>(o.ecdsaVerify) / n, static_cast<double>(o.x509Dup) / n);
  return buf;
}

boost::json::object opsJson(const OpCounts& o, int purchases) {
  const double n = purchases;
  return {{"publicKeyOps", static_cast<double>(o.publicKeyOps()) / n}, {"privateKeyOps", static_cast<double>(o.privateKeyOps()) / n},
          {"rsaSign", static_cast<double>(o.rsaSign) / n},           {"rsaVerify", static_cast<double>(o.rsaVerify) / n},
          {"rsaEncrypt", static_cast<double>(o.rsaEncrypt) / n},     {"rsaDecrypt", static_cast<double>(o.rsaDecrypt) / n},
          {"ecdsaSign", static_cast<double>(o.ecdsaSign) / n},       {"ecdsaVerify", static_cast<double>(o.ecdsaVerify) / n},
          {"x509Dup", static_cast<double>(o.x509Dup) / n}};
}

boost::json::object report(const World& w, const Floor& f, const Result& r) {
  std::printf("\n== profile %s: %d purchases per scenario (after warm-up), %d approved of %d\n", std::string(w.profile.name()).c_str(),
              r.purchases, r.approved, 2 * r.purchases);
  std::printf("floor: one op = ");
  for (const auto& [name, s] : f.opSeconds) std::printf("%s %.3f ms; ", name.c_str(), s * 1e3);
  std::printf("\n%-10s %12s %12s %10s %12s  %s\n", "scenario", "ms/purchase", "floor ms", "of floor", "needed ops", "measured ops per purchase");
  boost::json::object json{{"profile", std::string(w.profile.name())}, {"purchases", r.purchases}, {"approved", r.approved}};
  boost::json::object floorOps;
  for (const auto& [name, s] : f.opSeconds) floorOps[name] = s * 1e3;
  json["floorOpMs"] = floorOps;
  boost::json::object scenarios;
  auto line = [&](const std::string& name, double seconds, double floorSeconds, int needed, const OpCounts& ops) {
    std::printf("%-10s %12.3f %12.3f %9.1f%% %12d  %s\n", name.c_str(), seconds * 1e3, floorSeconds * 1e3,
                100.0 * floorSeconds / seconds, needed, opsText(ops, r.purchases).c_str());
    scenarios[name] = {{"msPerPurchase", seconds * 1e3}, {"floorMs", floorSeconds * 1e3},
                       {"ofFloor", floorSeconds / seconds},  {"neededOps", needed},
                       {"ops", opsJson(ops, r.purchases)}};
  };
  line("purchase", r.fullSeconds, f.total(), f.totalOps(), r.fullOps);
  for (const char* role : {"gateway", "merchant", "wallet"}) {
    const Stopwatch& s = r.roles.at(role);
    line(role, s.seconds / r.purchases, f.perRole.at(role), f.opsPerRole.at(role), s.ops);
  }
  std::printf("cold first purchase: %s\n", opsText(r.coldOps, 1).c_str());
  json["scenarios"] = scenarios;
  json["coldPurchaseOps"] = opsJson(r.coldOps, 1);
  return json;
}

}  // namespace

int main(int argc, char** argv) {
  std::string profile = "both", jsonFile;
  int purchases = 40, warmup = 3, repeat = 1;
  CLI::App app{"setpay-bench: a SET purchase against its cryptographic floor, in process (bench/README.md)"};
  app.add_option("--profile", profile, "modern, set1 or both")->check(CLI::IsMember({"modern", "set1", "both"}));
  app.add_option("--purchases", purchases, "purchases per scenario, after the warm-up")->check(CLI::Range(1, 1000000));
  app.add_option("--warmup", warmup, "purchases before measuring (the first one is the cold count)")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--repeat", repeat, "floor and scenarios measured this many times, alternating; the fastest of each "
                                     "is reported")
      ->check(CLI::Range(1, 100));
  app.add_option("--json", jsonFile, "also write the results as JSON to this file");
  CLI11_PARSE(app, argc, argv);
  std::vector<protocol::ProfileId> ids;
  if (profile == "both") ids = {protocol::ProfileId::modern, protocol::ProfileId::set1};
  else if (const auto id = protocol::AlgorithmProfile::parse(profile)) ids = {*id};
  else return std::fprintf(stderr, "unknown profile %s\n", profile.c_str()), 2;
  boost::json::array all;
  for (const auto id : ids) {
    World w(id);
    Floor f = measureFloor(w);
    Result r = run(w, purchases, warmup);
    for (int k = 1; k < repeat; ++k) {
      f = measureFloor(w, &f);
      const Result next = run(w, purchases, warmup);
      r.fullSeconds = std::min(r.fullSeconds, next.fullSeconds);
      for (auto& [role, watch] : r.roles) watch.seconds = std::min(watch.seconds, next.roles.at(role).seconds);
      r.approved = std::min(r.approved, next.approved);
    }
    all.push_back(report(w, f, r));
  }
  if (!jsonFile.empty()) std::ofstream(jsonFile) << boost::json::serialize(all) << "\n";
  return 0;
}
