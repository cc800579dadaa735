#include "cli/demo_mobile.hpp"

#include <openssl/pem.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <algorithm>
#include <chrono>
#include <thread>

#include "cli/demo_mobile_legs.hpp"
#include "cli/demo_mobile_sender.hpp"
#include "cli/demo_mobile_system.hpp"
#include "cli/demo_trace.hpp"
#include "cli/output.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/redirect/envelope.hpp"
#include "protocol/text/scrub.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "runtime/http_client.hpp"

namespace setpay::cli {

namespace {

namespace fs = std::filesystem;
namespace pki = protocol::pki;
using namespace demo;
using namespace std::chrono_literals;
using protocol::safeText;
using Clock = std::chrono::steady_clock;

protocol::ossl::PKey publicKeyFromPem(const std::string& pem) {
  protocol::ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  protocol::ossl::PKey key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) throw std::runtime_error("not a PEM public key");
  return key;
}

// ---- one scene

struct Scene {
  const char* title;
  std::int64_t cents;
  const char* description;
  bool pin;                   // the shopper types the PIN
  const char* outcome;        // the wallet's outcome expected
  const char* reasonNeedle;   // "" or a piece of the wallet's reason
  bool terminalAsked;
};

struct Keys {
  pki::Credential merchantSignature, merchantKeyExchange, gatewayKeyExchange;
  protocol::ossl::PKey walletChannel;
  protocol::ossl::Cert terminalCert;
};

bool runScene(System& s, const Scene& scene, int n, CSender& sender, const Keys& keys, LogTail& terminalScreen, LogTail& cardTrace) {
  const auto started = Clock::now();
  if (scene.pin) {
    const std::string line = s.card.pin + "\n";
    if (::write(s.pinWrite, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
      throw std::runtime_error("cannot type the PIN into the terminal's pipe");
  }
  const std::size_t pReqsBefore = logLines(s.file("merchant.log"), "set-message type=PReq ").size();
  const std::size_t authReqsBefore = logLines(s.file("merchant.log"), "set-message type=AuthReq").size();

  // The shop: the order → the wake-up → c, sent by the mode's own process.
  const std::string order = boost::json::serialize(boost::json::object{{"amount", scene.cents}, {"currency", 978}, {"description", scene.description}});
  const Delivered delivered = sender.deliver(order, n);
  const std::string& id = delivered.purchase;
  const protocol::WakeUp wake = protocol::parseWakeUp(delivered.wakeUp);

  boost::json::object ended;
  for (const auto deadline = Clock::now() + 45s;;) {
    ended = getJson(*s.client, s.walletUrl + "/purchases?id=" + id);
    if (jsonString(ended, "state") == "ended") break;
    if (Clock::now() > deadline) throw std::runtime_error("purchase " + id + " still " + jsonString(ended, "state"));
    std::this_thread::sleep_for(20ms);
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  // What the handset showed, up to f (printed as it arrives, possibly just after the wallet ended).
  std::vector<std::string> screen;
  for (const auto deadline = Clock::now() + 5s;;) {
    for (auto& line : terminalScreen.newLines())
      if (line.rfind("setpay terminal:", 0) != 0) screen.push_back(std::move(line));
    if (std::any_of(screen.begin(), screen.end(), [](const std::string& l) { return l.rfind("f: ", 0) == 0; }) ||
        Clock::now() > deadline)
      break;
    std::this_thread::sleep_for(10ms);
  }

  // Every leg, from the bytes the wallet sent and received.
  Parties parties{s.profile, keys.merchantKeyExchange, keys.merchantSignature, keys.gatewayKeyExchange, protocol::maskPan(s.card.pan),
                  wake.purchAmt};
  Tracer tracer{&parties};
  const MobileParties mobile{keys.walletChannel.get(), X509_get0_pubkey(keys.terminalCert.get()), keys.gatewayKeyExchange.cert.get()};
  const auto captured = [&](const char* kind) -> std::optional<protocol::Bytes> {
    const fs::path f = s.dir / "trace" / (id + "." + kind + ".der");
    if (!fs::exists(f)) return std::nullopt;
    return protocol::toBytes(slurp(f));
  };
  const auto relayed = [&] {
    if (sender.mode() == RedirectorMode::relay)
      printOut("  {:<9}    {:<9} (carried by the redirector, pid {}: the wallet has no connection to the merchant)\n", "", "",
               sender.pid());
  };
  if (auto m = captured("PInitReq")) {
    tracer.show("wallet", "merchant", *m);
    relayed();
  }
  if (auto m = captured("PInitRes")) tracer.show("merchant", "wallet", *m);
  const auto d = captured("d");
  if (d) showMobile(mobile, "wallet", "terminal", *d);
  else printOut("  {:<9}    {:<9} (no d: the terminal is not asked)\n", "", "");
  const auto apdus = cardTrace.newLines();
  if (!apdus.empty()) printOut("  {:<9} -> {:<9} {:<8} {}\n", "terminal", "card", "APDUs", apduSummary(apdus));
  if (auto m = captured("e")) showMobile(mobile, "terminal", "wallet", *m);
  const auto pReq = captured("PReq");
  if (pReq) {
    tracer.show("wallet", "merchant", *pReq);
    relayed();
  }
  const auto authReqs = logLines(s.file("merchant.log"), "set-message type=AuthReq");
  for (std::size_t i = authReqsBefore; i < authReqs.size(); ++i) {
    printOut("  {:<9} -> {:<9} {:<8} signed by the merchant, encrypted for the gateway, the PI inside still sealed; POST {} "
             "(TLS client certificate), {} ms (the merchant's log line)\n",
             "merchant", "gateway", "AuthReq", safeText(logField(authReqs[i], "remote")), safeText(logField(authReqs[i], "latency_ms")));
    printOut("  {:<9} -> {:<9} {:<8} signed by the gateway, encrypted for the merchant; result {} (the merchant's log line)\n",
             "gateway", "merchant", "AuthRes", safeText(logField(authReqs[i], "result")));
  }
  if (auto m = captured("PRes")) tracer.show("merchant", "wallet", *m);
  if (auto m = captured("f")) showMobile(mobile, "wallet", "terminal", *m);
  printOut("  the handset's screen:\n");
  for (const auto& line : screen) printOut("    | {}\n", line);

  const std::string outcome = jsonString(ended, "outcome"), reason = jsonString(ended, "reason");
  const bool pReqSent = logLines(s.file("merchant.log"), "set-message type=PReq ").size() > pReqsBefore;
  const bool senderOk = sender.finish(outcome);  // what the sender showed agrees
  const bool ok = senderOk && outcome == scene.outcome && reason.find(scene.reasonNeedle) != std::string::npos && d.has_value() == scene.terminalAsked &&
                  pReqSent == scene.terminalAsked && captured("f").has_value();
  printOut("  {} the wallet says: {}{}; {} ms from c to f{}\n\n", ok ? "[as expected]" : "[UNEXPECTED]", outcome,
           reason.empty() ? "" : " (" + safeText(reason) + ")", took.count(),
           scene.terminalAsked ? "" : (pReqSent ? "; BUT the merchant got a PReq" : "; the merchant got no PReq"));
  return ok;
}

std::string modeStory(RedirectorMode m) {
  switch (m) {
    case RedirectorMode::direct:
      return "--redirector direct: each wake-up is saved as the browser's download and opened with `setpay redirector open`, "
             "which signs c with its own key (enrolled with `setpay wallet enroll-sender`); the wallet then talks to the merchant itself";
    case RedirectorMode::relay:
      return "--redirector relay: `setpay redirector --mode relay open` sends c and then carries every SET message between "
             "wallet and merchant (the wallet's [merchant] ca_file trusts no merchant: it could not connect itself)";
    case RedirectorMode::onTerminal:
      return "--redirector on-terminal: the handset opens each wake-up with `setpay terminal open`, which signs c with "
             "the terminal's own enrolled key and MSISDN";
    case RedirectorMode::gatewayProxy:
      return "--redirector gateway-proxy: the handset's browser orders through the operator's `setpay redirector --mode "
             "gateway-proxy`, which diverts the wake-up to the wallet as c, signed with the operator's enrolled key, for the "
             "MSISDN a RADIUS Accounting-Start (radclient) put behind the handset's address";
  }
  return "?";
}

}  // namespace

int runMobileDemo(const fs::path& dir, const std::string& profileName, const std::string& redirector) {
  const auto t0 = Clock::now();
  const RedirectorMode mode = *parseRedirectorMode(redirector);
  std::string radclient;
  if (mode == RedirectorMode::gatewayProxy) {
    const auto found = onPath("radclient");
    if (!found) {
      printErr("setpay demo --mobile --redirector gateway-proxy: radclient is not on PATH; the proxy learns the handset's "
               "MSISDN from a RADIUS Accounting-Start that radclient sends (package freeradius-utils)\n");
      return 1;
    }
    radclient = *found;
  }
  std::string why;
  const auto reader = findVirtualReader(why);
  if (!reader) {
    printErr("setpay demo --mobile: {}.\n"
             "It needs pcscd with the vpcd virtual reader. Run it as ./scripts/run-demo.sh, or inside a private pcscd:\n"
             "  scripts/with-virtual-pcsc.sh build/cli/setpay demo --mobile\n"
             "(packages pcscd, vsmartcard-vpcd, pcsc-tools: scripts/setup.sh installs them)\n",
             why);
    return 1;
  }
  mintPki(dir, profileName);
  const auto profile = protocol::AlgorithmProfile::make(*protocol::AlgorithmProfile::parse(profileName));
  System s(dir, profile, *reader, pcsc::loadCardDirectory(Pki{profile, dir}.cardDir().string()));
  if (mode == RedirectorMode::relay) s.walletMerchantCa = "tls/wallet.pem";  // a server certificate: trusts no merchant
  startSystem(s);
  CSender sender(s, mode, radclient);
  const auto t1 = Clock::now();
  Pki pki{s.profile, dir};
  const Keys keys{pki.credential("merchant-sign"), pki.credential("merchant-kex"), pki.credential("gateway-kex"),
                  publicKeyFromPem(slurp(dir / "wallet" / "channel-pub.pem")),
                  protocol::ossl::certFromPem(slurp(dir / "tls" / "terminal-client.pem"))};
  printOut("\nprofile {}; card {} (expiry {}) in the handset's reader, PIN on its keypad; account {} at the wallet "
           "(ceiling {} per purchase); issuer balance {}\n"
           "message c: {}; every other message "
           "below is decoded from the bytes the wallet sent or received ([trace] messages_dir), AuthReq/AuthRes from the "
           "merchant's log, the card's APDUs from its trace\n\n",
           profileName, protocol::maskPan(s.card.pan), safeText(s.card.expiry), kMsisdn, amount({978, kCeiling, -2}),
           amount({978, kBalance, -2}), modeStory(mode));

  const Scene scenes[] = {
      {"a purchase of 42.50 EUR; the shopper types the PIN", 4250, "1 x SET Book 2 (paperback)", true, "approved", "approved", true},
      {"a purchase of 900.00 EUR (more than the account holds); the shopper types the PIN", 90000, "1 x espresso machine", true,
       "declined", "declined", true},
      {"a purchase of 1500.00 EUR (above the wallet's per-purchase ceiling): refused before the terminal is asked", 150000,
       "1 x racing bicycle", false, "refused", "perPurchaseCeiling", false}};
  LogTail terminalScreen(s.file("terminal.log")), cardTrace(s.file("card.log"));
  (void)terminalScreen.newLines();
  (void)cardTrace.newLines();
  int behaved = 0, n = 0;
  for (const Scene& scene : scenes) {
    printOut("{}. {}\n", ++n, scene.title);
    behaved += runScene(s, scene, n, sender, keys, terminalScreen, cardTrace);
  }
  printOut("{} of 3 scenes behaved as expected\n", behaved);
  const auto t2 = Clock::now();

  bool clean = false;
  bool proxyClean = true;
  const std::string proxyStopped = sender.stop(proxyClean);
  printOut("stopped: {}{}\n", proxyStopped.empty() ? "" : proxyStopped + ", ", stopSystem(s, clean));
  clean = clean && proxyClean;
  const auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  const char* senderLogs = mode == RedirectorMode::gatewayProxy ? "redirector-gw.log radclient.log shop-front.log"
                           : mode == RedirectorMode::onTerminal  ? "terminal-open-N.log"
                                                                 : "redirector-N.log";
  printOut("timings: PKI and start-up {} ms, scenes {} ms, stop {} ms; logs: gateway.log merchant.log wallet.log card.log "
           "terminal.log {} (kept with --keep)\n",
           ms(t1 - t0), ms(t2 - t1), ms(Clock::now() - t2), senderLogs);
  return behaved == 3 && clean ? 0 : 1;
}

}  // namespace setpay::cli
