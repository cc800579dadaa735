#include "tests/terminal/mobile_scene.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>

#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/cardholder.hpp"
#include "protocol/pki/pem.hpp"
#include "tests/support/scratch.hpp"

namespace setpay::mobile_test {

namespace pki = protocol::pki;
namespace ossl = protocol::ossl;

namespace {

ossl::PKey ecKey() {
  ossl::PKey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) throw std::runtime_error("EC key generation failed");
  return key;
}

ossl::PKey publicHalf(const ossl::PKey& key) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key.get(), &der);
  const unsigned char* p = der;
  ossl::PKey pub(d2i_PUBKEY(nullptr, &p, len));
  OPENSSL_free(der);
  if (!pub) throw std::runtime_error("public key copy failed");
  return pub;
}

}  // namespace

terminal::PinPrompt PinPad::prompt() {
  return [this](const terminal::PinRequest& r) -> std::optional<std::string> {
    asked.emplace_back(r.triesLeft, r.afterWrongPin);
    if (asked.size() > pins.size()) return std::nullopt;
    return pins[asked.size() - 1];
  };
}

MobileScene::MobileScene(protocol::ProfileId id, std::int64_t balance)
    : scene(id), walletKey(ecKey()), terminalKey(ecKey()), env_(pcsc::test::virtualPcsc()) {
  if (!env_) {
    ADD_FAILURE() << "PCSCLITE_CSOCK_NAME unset: run under scripts/with-virtual-pcsc.sh (the test command does)";
    return;
  }
  context_ = std::make_unique<pcsc::Context>();
  // A SET cardholder under the Scene's CCA, personalised onto a card directory for the virtual card.
  pan = roles_test::luhnPan("497010928374650");
  const auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(scene.clock.now()));
  const auto expiry = today.year() / today.month() + std::chrono::years(2);
  auto holder = pki::issueCardholder(scene.w.h.cca, {pan, expiry, std::nullopt}, scene.w.profile, scene.random, scene.clock);
  panSecret = holder.panSecret;
  const std::string exp = pki::formatCardExpiry(expiry);
  scene.issuer.openAccount(pan, scene.eur(balance), scene.eur(1'000'000), exp);
  test_support::writeFile(cardDir_.file("cert.pem"), ossl::toPem(holder.credential.cert.get()));
  test_support::writeFile(cardDir_.file("key.pem"), pki::privateKeyToPem(holder.credential.key.get()));
  test_support::writeFile(cardDir_.file("card.conf"),
                          "pan=" + pan + "\nexpiry=" + exp + "\nname=ALICE MOBILE\npan-secret=" +
                              protocol::hex(holder.panSecret) + "\npin=" + kPin +
                              "\nprofile=" + std::string(scene.w.profile.name()) + "\n");
  rebuildTerminal(false);
}

MobileScene::~MobileScene() = default;

void MobileScene::rebuildTerminal(bool allowCardData) {
  terminal::TerminalConfig c;
  // Only the Root: the merchant's PInitRes carries the CA certificates and CRLs the paths need.
  c.trust = pki::TrustAnchors{pki::share(scene.w.h.root.cert.get()), {}, {}};
  c.channelKey = pki::share(terminalKey.get());
  c.walletKey = publicHalf(walletKey);
  c.allowCardData = allowCardData;
  terminal_ = std::make_unique<terminal::Terminal>(std::move(c), scene.clock, scene.random);
}

void MobileScene::insertCard(pcsc::VpcdOptions options) {
  inserted_.reset();
  inserted_ = std::make_unique<pcsc::test::InsertedCard>(cardDir_.path().string(), env_->port0, env_->reader0,
                                                         pcsc::VirtualCardOptions{}, options);
  inserted_->waitPresent(*context_);
}

void MobileScene::removeCard() {
  if (!inserted_) return;
  inserted_->stop();
  triesAfterRemoval_ = inserted_->card().pinTriesLeft();
}

unsigned MobileScene::cardPinTriesLeft() {
  removeCard();
  return triesAfterRemoval_.value_or(99);
}

wallet::MobileCardholder MobileScene::wallet() {
  std::vector<ossl::Cert> cas;
  for (const auto* c : {&scene.w.h.brand, &scene.w.h.cca, &scene.w.h.mca, &scene.w.h.pca})
    cas.push_back(pki::share(c->cert.get()));
  pki::TrustAnchors trust{pki::share(scene.w.h.root.cert.get()), std::move(cas), {}};
  for (const auto& c : scene.crls) trust.crls.push_back(pki::share(c.get()));
  wallet::MobileWalletConfig config{scene.w.profile, std::move(trust), pki::share(walletKey.get())};
  return wallet::MobileCardholder(std::move(config), publicHalf(terminalKey), scene.clock, scene.random);
}

wallet::MobileCardholder MobileScene::startPurchase(std::int64_t amount) {
  wallet::MobileCardholder w = wallet();
  const protocol::WakeUp wake = scene.merchant->offer(scene.order(amount));
  w.acceptPInitRes(scene.toMerchant(w.pInitReq(wake, pan.substr(0, 6))));
  return w;
}

PurchaseRun MobileScene::purchase(std::int64_t amount, PinPad& pad, mobile::CardMode mode, terminal::ReaderChoice choice) {
  if (!choice.name) choice = reader0();
  wallet::MobileCardholder w = startPurchase(amount);
  PurchaseRun run;
  run.d = w.signatureRequest(mode);
  answerAndFinish(w, run, pad, choice);
  return run;
}

void MobileScene::answerAndFinish(wallet::MobileCardholder& w, PurchaseRun& run, PinPad& pad, const terminal::ReaderChoice& choice) {
  run.reviewed = terminal_->review(run.d);
  run.e = terminal_->answer(run.reviewed, *context_, choice, pad.prompt());
  run.preq = w.pReq(run.e);
  if (const auto* refusal = std::get_if<mobile::Refusal>(&run.preq)) {
    run.f = w.refusalConfirmation(mobile::WalletReason::terminalRefused, std::string(mobile::name(refusal->reason)));
  } else {
    run.pres = scene.toMerchant(std::get<Bytes>(run.preq));
    run.outcome = w.acceptPRes(run.pres);
    run.f = w.confirmation(*run.outcome);
  }
  run.confirmation = terminal_->confirmation(run.f);
}

protocol::OpenedPI MobileScene::openAtGateway(const protocol::PIDualSigned& pi) const {
  return protocol::open(scene.w.profile, scene.w.h.gatewayKeyExchange.key.get(),
                        scene.w.h.gatewayKeyExchange.cert.get(), protocol::PI{pi});
}

Bytes MobileScene::wrapPReq(protocol::PReqDualSigned preq) const {
  protocol::MessageHeader h;
  h.date = std::chrono::floor<std::chrono::seconds>(scene.clock.now());
  const protocol::TransIDs& ids = preq.oiData.transIDs;
  h.messageIDs = protocol::MessageIDs{ids.lidC, ids.lidM, ids.xid};
  h.rrpid = preq.oiData.rrpid;
  h.swIdent = "dishonest-wallet/1";
  return protocol::encode(protocol::MessageWrapper{std::move(h), protocol::PReq{std::move(preq)}, {}});
}

std::optional<protocol::ErrorCode> MobileScene::merchantError(ByteView answer) const {
  const auto w = protocol::decode<protocol::MessageWrapper>(answer);
  const auto* error = std::get_if<protocol::Error>(&w.message);
  if (!error) return std::nullopt;
  return static_cast<protocol::ErrorCode>(protocol::open(scene.w.profile, *error).data.errorCode);
}

bool contains(ByteView haystack, ByteView needle) {
  return !needle.empty() && std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

}  // namespace setpay::mobile_test
