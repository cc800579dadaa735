#include "tests/gateway/gateway_fixture.hpp"

#include <openssl/objects.h>

#include <stdexcept>

#include "protocol/crypto/composite.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/purchase/derivations.hpp"
#include "tests/support/hierarchy_cache.hpp"

namespace setpay::gateway::test {

namespace {

TimePoint seconds(TimePoint t) { return std::chrono::floor<std::chrono::seconds>(t); }

// The cards every world holds: PAN, card expiry, and whether they are of the other brand.
struct CardSlot {
  const char* name;
  Card World::*member;
  const char* pan;
  int year;
  unsigned month;
  bool otherBrand;
};
constexpr CardSlot kCards[] = {{"card", &World::card, "4111111111111111", 2027, 6, false},
                               {"revoked-card", &World::revokedCard, "5555555555554444", 2027, 6, false},
                               {"short-card", &World::shortCard, "4012888888881881", 2026, 1, false},
                               {"other-brand-card", &World::otherBrandCard, "4000056655665556", 2027, 6, true}};

std::chrono::year_month expiryOf(const CardSlot& c) {
  return std::chrono::year{c.year} / std::chrono::month{c.month};
}

// Minting costs seconds (twelve RSA-2048 keys for modern), so it runs once per profile and build:
// tests/support/hierarchy_cache keeps the result for every later test process.
test_support::MintedSet mintSet(const AlgorithmProfile& profile) {
  test_support::MintedSet set{vectorEpoch(), {}, {}};
  FixedClock clock(set.mintedAt);
  SeededRandom random(std::string("gateway-world-") + std::string(profile.name()));
  const pki::Hierarchy h = pki::mintHierarchy(pki::HierarchyOptions{}, profile, random, clock);

  // A second brand under the same Root, with its own CCA (wrong-brand cardholders).
  auto ca = [&](const pki::Credential& issuer, pki::DistinguishedName dn, pki::CertificateType type, long pathLen,
                std::chrono::days life) {
    pki::CertificateSpec s;
    s.subject = std::move(dn);
    s.types = {type};
    s.keyUse = pki::KeyUse::certificateAuthority;
    s.pathLen = pathLen;
    s.notBefore = set.mintedAt;
    s.notAfter = set.mintedAt + life;
    pki::Credential c;
    c.key = pki::generateKey(pki::KeyType::rsa, profile.caRsaBits());
    c.cert = pki::mintCertificate(s, c.key.get(), &issuer, profile, random);
    return c;
  };
  pki::Credential otherBrand = ca(h.root, {"FR", "OTHERPAY", "Brand CA", "OTHERPAY Brand CA"},
                                  pki::CertificateType::bca, 1, pki::lifetime::brand);
  pki::Credential otherCca = ca(otherBrand, {"FR", "OTHERPAY", "Cardholder CA", "OTHERPAY CCA"},
                                pki::CertificateType::cca, 0, pki::lifetime::ca);
  pki::Credential otherMca = ca(otherBrand, {"FR", "OTHERPAY", "Merchant CA", "OTHERPAY MCA"},
                                pki::CertificateType::mca, 0, pki::lifetime::ca);

  // End entities with our merchant's merchantData: `types` and `issuer` decide what they are.
  auto merchantLike = [&](const pki::Credential& issuer, pki::CertificateType type, pki::KeyUse use, const char* cn) {
    pki::CertificateSpec s;
    s.subject = {"FR", "Merchant", "Merchant", cn};
    s.types = {type};
    s.keyUse = use;
    s.notBefore = set.mintedAt;
    s.notAfter = set.mintedAt + pki::lifetime::endEntity;
    s.merchantData = pki::HierarchyOptions{}.merchant;
    pki::Credential c;
    c.key = pki::generateKey(pki::KeyType::rsa, profile.endEntityRsaBits());
    c.cert = pki::mintCertificate(s, c.key.get(), &issuer, profile, random);
    return c;
  };
  set.credentials["other-brand-merchant-sign"] =
      merchantLike(otherMca, pki::CertificateType::mer, pki::KeyUse::signature, "OTHERPAY shop (signature)");
  set.credentials["other-brand-merchant-kex"] =
      merchantLike(otherMca, pki::CertificateType::mer, pki::KeyUse::keyExchange, "OTHERPAY shop (key exchange)");
  set.credentials["mistyped-merchant-sign"] =
      merchantLike(h.mca, pki::CertificateType::pgwy, pki::KeyUse::signature, "setpay demo shop (mistyped)");

  for (const CardSlot& slot : kCards) {
    pki::Cardholder holder = pki::issueCardholder(slot.otherBrand ? otherCca : h.cca,
                                                  {slot.pan, expiryOf(slot), std::nullopt}, profile, random, clock);
    set.credentials[slot.name] = std::move(holder.credential);
    set.secrets[std::string(slot.name) + "-pan-secret"] = holder.panSecret;
    set.secrets[std::string(slot.name) + "-unique-id"] = holder.uniqueId;
  }

  // Another Cert-PE, issued by the same PCA for the same key: a PI encrypted for it opens with our key
  // but names a certificate that is not ours.
  pki::CertificateSpec pe;
  pe.subject = {"FR", "SETPAY Acquirer", "SETPAY", "Payment Gateway key exchange (other)"};
  pe.types = {pki::CertificateType::pgwy};
  pe.keyUse = pki::KeyUse::keyExchange;
  pe.notBefore = set.mintedAt;
  pe.notAfter = set.mintedAt + pki::lifetime::endEntity;
  pe.cardCertRequired = true;
  set.credentials["other-gateway-kex"].cert =
      pki::mintCertificate(pe, h.gatewayKeyExchange.key.get(), &h.pca, profile, random);
  set.credentials["other-brand"] = std::move(otherBrand);
  set.credentials["other-cca"] = std::move(otherCca);
  set.credentials["other-mca"] = std::move(otherMca);
  test_support::putHierarchy(set, h);
  return set;
}

std::unique_ptr<World> mint(ProfileId id) {
  auto w = std::make_unique<World>(AlgorithmProfile::make(id));
  test_support::MintedSet set = test_support::cachedMinting("gateway-" + std::string(w->profile.name()),
                                                            [&] { return mintSet(w->profile); });
  w->mintedAt = set.mintedAt;
  w->h = test_support::takeHierarchy(set);
  auto take = [&](const std::string& name) {
    auto it = set.credentials.find(name);
    if (it == set.credentials.end()) throw std::runtime_error("gateway world: no " + name);
    return std::move(it->second);
  };
  for (const CardSlot& slot : kCards) {
    Card& card = (*w).*slot.member;
    card.pan = slot.pan;
    card.expiry = pki::formatCardExpiry(expiryOf(slot));
    card.holder = pki::Cardholder{take(slot.name), set.secrets.at(std::string(slot.name) + "-pan-secret"),
                                  set.secrets.at(std::string(slot.name) + "-unique-id")};
  }
  w->otherBrand = take("other-brand");
  w->otherCca = take("other-cca");
  w->otherMca = take("other-mca");
  w->otherBrandMerchantSignature = take("other-brand-merchant-sign");
  w->otherBrandMerchantKeyExchange = take("other-brand-merchant-kex");
  w->mistypedMerchantSignature = take("mistyped-merchant-sign");
  w->otherGatewayKeyExchange = take("other-gateway-kex").cert;
  return w;
}

}  // namespace

std::string World::merID() const { return pki::HierarchyOptions{}.merchant.merID; }

const World& world(ProfileId id) {
  if (id == ProfileId::set1) {
    static const std::unique_ptr<World> set1 = mint(ProfileId::set1);
    return *set1;
  }
  static const std::unique_ptr<World> modern = mint(ProfileId::modern);
  return *modern;
}

std::string profileName(const ::testing::TestParamInfo<ProfileId>& info) {
  return info.param == ProfileId::set1 ? "set1" : "modern";
}

Bench::Bench(ProfileId id, BenchOptions options)
    : w(world(id)),
      clock(w.mintedAt + options.after),
      random(std::string("gateway-bench-") + std::string(w.profile.name())),
      issuer(toBytes("issuer PAN hash key, test only!")),
      merchantSigner_(share(w.h.merchantSignature.cert.get()), share(w.h.merchantSignature.key.get())) {
  for (const Card* c : {&w.card, &w.revokedCard, &w.shortCard, &w.otherBrandCard})
    issuer.openAccount(c->pan, eur(100000), eur(50000), c->expiry);
  gateway = std::make_unique<PaymentGateway>(config(options), store, issuer, clock, random);
}

GatewayConfig Bench::config(const BenchOptions& options) const {
  const TimePoint crlTime = clock.now() - std::chrono::hours(1);
  const pki::RevokedSerial revoked{pki::serialOf(w.revokedCard.holder.credential.cert.get()),
                                   w.mintedAt + std::chrono::hours(1)};
  auto crl = [&](const pki::Credential& ca, std::span<const pki::RevokedSerial> list = {}) {
    return pki::issueCrl(ca, list, 1, crlTime, w.profile);
  };
  GatewayConfig config{
      .profile = w.profile,
      .hardening = w.profile.hardeningByDefault(),
      .requireCardholderSignature = options.requireCardholderSignature,
      .brand = "SETPAY",
      .root = share(w.h.root.cert.get()),
      .caCertificates = {},
      .crls = {},
      .signature = {share(w.h.gatewaySignature.cert.get()), share(w.h.gatewaySignature.key.get())},
      .keyExchange = {share(w.h.gatewayKeyExchange.cert.get()), share(w.h.gatewayKeyExchange.key.get())},
  };
  for (const pki::Credential* ca : {&w.h.brand, &w.h.cca, &w.h.mca, &w.h.pca, &w.otherBrand, &w.otherCca, &w.otherMca})
    config.caCertificates.push_back(share(ca->cert.get()));
  for (const pki::Credential* ca : {&w.h.root, &w.h.brand, &w.h.mca, &w.h.pca, &w.otherBrand, &w.otherCca, &w.otherMca})
    config.crls.push_back(crl(*ca));
  config.crls.push_back(crl(w.h.cca, std::span(&revoked, 1)));
  if (options.registerMerchantKeyExchange)
    config.merchantKeyExchangeCertificates.push_back(share(w.h.merchantKeyExchange.cert.get()));
  config.amountTolerancePercent = options.amountTolerancePercent;
  return config;
}

SoftwareSigner Bench::signerFor(const Card& card) const { return signerFor(card.holder.credential); }

SoftwareSigner Bench::signerFor(const pki::Credential& c) { return SoftwareSigner(share(c.cert.get()), share(c.key.get())); }

Purchase Bench::purchase(const Card& card, CurrencyAmount amount, const X509* gatewayCert, const Tweak& tweak) {
  Purchase p;
  TransIDs ids;
  ids.lidC = toBytes("wallet-0001");
  ids.lidM = toBytes("ORDER-" + hex(random.bytes(4)));
  ids.xid = random.bytes(20);
  ids.pReqDate = seconds(clock.now());
  ids.language = "en";
  p.hod = HODInput{toBytes("1 x SET Book 3, hardcover"), amount, random.bytes(20), std::nullopt, {}};
  p.oi.transIDs = ids;
  p.oi.rrpid = random.bytes(20);
  p.oi.challC = random.bytes(20);
  p.oi.hod = hod(w.profile, p.hod);
  p.oi.odSalt = p.hod.odSalt;
  p.oi.challM = random.bytes(20);
  p.oi.brandID = "SETPAY";
  p.oi.bin = "411111";
  p.head.transIDs = ids;
  p.head.hod = p.oi.hod;
  p.head.purchAmt = amount;
  p.head.merchantID = w.merID();
  p.head.transStain = transStain(w.profile, ids.xid, card.holder.panSecret);
  p.head.swIdent = "setpay-wallet-test";
  p.panData = PANData{card.pan, card.expiry, card.holder.panSecret, random.bytes(20)};
  if (tweak) tweak(p.head, p.panData);
  SoftwareSigner cardholder = signerFor(card);
  const PReq preq = buildPReqDualSigned(w.profile, random, clock, cardholder,
                                        gatewayCert ? gatewayCert : w.h.gatewayKeyExchange.cert.get(), p.head,
                                        p.panData, p.oi);
  p.pi = piOf(preq);
  p.authReqData = authReqData(p, amount);
  return p;
}

Purchase Bench::unsignedPurchase(const Card& card, CurrencyAmount amount) {
  Purchase p = purchase(card, amount);  // same order and head; the PI is rebuilt unsigned
  p.head.transStain = transStain(w.profile, p.head.transIDs.xid, Bytes(20, 0));  // no CardSecret
  const PReq preq = buildPReqUnsigned(w.profile, random, w.h.gatewayKeyExchange.cert.get(), p.head,
                                      PANToken{card.pan, card.expiry, random.bytes(20)}, p.oi);
  p.pi = piOf(preq);
  return p;
}

AuthReqData Bench::authReqData(const Purchase& p, CurrencyAmount asked) {
  AuthReqData d;
  AuthReqItem& item = d.authReqItem;
  item.authTags.authRRTags =
      RRTags{random.bytes(20), MerTermIDs{w.merID(), std::nullopt, std::nullopt, std::nullopt, std::nullopt},
             seconds(clock.now())};
  item.authTags.transIDs = p.oi.transIDs;
  item.checkDigests = CheckDigests{hOIData(w.profile, p.oi), hod(w.profile, p.hod)};
  item.authReqPayload.authReqAmt = asked;
  return d;
}

Bytes Bench::authReq(const Purchase& p, Signer* merchant, bool carryKeyExchange) {
  return authReqWith(p.authReqData, p.pi, merchant, carryKeyExchange);
}

Bytes Bench::authReqWith(const AuthReqData& d, const PI& pi, Signer* merchant, bool carryKeyExchange) {
  Signer& m = merchant ? *merchant : merchantSigner_;
  const X509* gatewayCert = w.h.gatewayKeyExchange.cert.get();
  SignOptions o;
  if (carryKeyExchange) o.extra.certificates.push_back(w.h.merchantKeyExchange.cert.get());
  const AuthReq request = buildAuthReq(w.profile, random, clock, m, gatewayCert, d, pi, o);
  const TransIDs& ids = d.authReqItem.authTags.transIDs;
  MessageHeader h;
  h.date = seconds(clock.now());
  h.messageIDs = MessageIDs{ids.lidC, ids.lidM, ids.xid};
  h.rrpid = d.authReqItem.authTags.authRRTags.rrpid;
  h.swIdent = "setpay-merchant-test";
  return encode(MessageWrapper{h, request, {}});
}

Bytes Bench::capReq(const AuthTags& authTags, const CapToken& token, CurrencyAmount amount, Signer* merchant) {
  CapReqData d;
  d.capRRTags = RRTags{random.bytes(20), MerTermIDs{w.merID(), std::nullopt, std::nullopt, std::nullopt, std::nullopt},
                       seconds(clock.now())};
  CapItem item;
  item.transIDs = authTags.transIDs;
  item.authRRPID = authTags.authRRTags.rrpid;
  item.capPayload.capDate = seconds(clock.now());
  item.capPayload.capReqAmt = amount;
  d.capItemSeq.push_back(item);
  const CapReq request = buildCapReq(w.profile, random, clock, merchant ? *merchant : merchantSigner_,
                                     w.h.gatewayKeyExchange.cert.get(), d, CapTokenSeq{{token}});
  MessageHeader h;
  h.date = seconds(clock.now());
  h.rrpid = d.capRRTags.rrpid;
  h.swIdent = "setpay-merchant-test";
  return encode(MessageWrapper{h, request, {}});
}

namespace {
[[noreturn]] void unexpected(const AlgorithmProfile& profile, const MessageWrapper& w, const char* wanted) {
  std::string got(messageName(w.message));
  if (const auto* e = std::get_if<Error>(&w.message))
    got += " " + std::string(name(static_cast<ErrorCode>(open(profile, *e).data.errorCode)));
  throw std::runtime_error(std::string("expected ") + wanted + ", got " + got);
}
}  // namespace

OpenedAuthRes Bench::authRes(const Bytes& reply) {
  const MessageWrapper mw = decode<MessageWrapper>(reply);
  const auto* r = std::get_if<AuthRes>(&mw.message);
  if (!r) unexpected(w.profile, mw, "AuthRes");
  return open(w.profile, w.h.merchantKeyExchange.key.get(), w.h.merchantSignature.cert.get(), *r);
}

ErrorTBS Bench::error(const Bytes& reply) {
  const MessageWrapper mw = decode<MessageWrapper>(reply);
  const auto* e = std::get_if<Error>(&mw.message);
  if (!e) unexpected(w.profile, mw, "Error");
  OpenedError opened = open(w.profile, *e);
  if (!opened.signature || X509_cmp(opened.signature->signer.get(), w.h.gatewaySignature.cert.get()) != 0)
    throw std::runtime_error("Error not signed by the gateway");
  return opened.data;
}

OpenedCapRes Bench::capRes(const Bytes& reply) {
  const MessageWrapper mw = decode<MessageWrapper>(reply);
  const auto* r = std::get_if<CapRes>(&mw.message);
  if (!r) unexpected(w.profile, mw, "CapRes");
  return open(w.profile, w.h.merchantKeyExchange.key.get(), *r);
}

}  // namespace setpay::gateway::test
