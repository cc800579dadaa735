// `setpay demo`: the whole purchase (README.md) in one process. Mints a SET hierarchy as
// `setpay pki init` does (into a temp dir or --dir), starts the three roles — wallet (wallet-server/),
// merchant (merchant/), payment gateway (gateway/) — wired by in-process transports, and prints every
// message on the way: name, size, who signed it, what was encrypted for whom, and its key facts.
// Three scenes: an approved purchase, a decline (insufficient funds), a tampered PReq refused with a
// SET Error. Exit 0 only if all three behave as expected. What the roles put in their messages is
// peer data: every such value is escaped and PAN-masked (safeText), the trace leaves through
// cli/output.hpp.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/demo_mobile.hpp"
#include "cli/demo_process.hpp"
#include "cli/demo_trace.hpp"
#include "cli/output.hpp"
#include "cli/pki_init.hpp"
#include "cli/service_configs.hpp"
#include "gateway/payment_gateway.hpp"
#include "gateway/service/gateway_config.hpp"
#include "gateway/service/gateway_schema.hpp"
#include "gateway/service/sqlite_issuer.hpp"
#include "merchant/service/merchant_schema.hpp"
#include "merchant/service/sqlite_merchant_store.hpp"
#include "merchant/merchant.hpp"
#include "protocol/text/scrub.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "runtime/http_client.hpp"
#include "wallet-server/cardholder.hpp"

namespace setpay::cli {
namespace {

namespace fs = std::filesystem;
namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ByteView;
using protocol::ErrorCode;
using protocol::ProtocolError;
using protocol::safeText;
using namespace demo;

// ---- the scenes

// The wallet's three scenes, whatever carries the messages: `offer` makes the wake-up, `toMerchant`
// carries one exchange with the merchant, `available` reads the account, `gatewayRequests` counts
// the AuthReqs the merchant sent.
struct Scenes {
  std::function<wallet::Cardholder()> cardholder;
  std::function<protocol::WakeUp(const std::string&, std::int64_t)> offer;
  std::function<Bytes(ByteView)> toMerchant;
  std::function<protocol::CurrencyAmount()> available;
  std::function<int()> gatewayRequests;
  std::function<std::string(const wallet::Cardholder&)> approvalCode;
};

struct Demo {
  Pki pki;
  protocol::SystemClock clock;
  protocol::SystemRandom random;
  pki::Credential merchantSignature, merchantKeyExchange, gatewayKeyExchange;
  gateway::InMemoryGatewayStore gatewayStore;
  gateway::AccountIssuer issuer{random.bytes(32)};
  merchant::InMemoryMerchantStore merchantStore;
  std::unique_ptr<gateway::PaymentGateway> gateway;
  std::unique_ptr<merchant::Merchant> merchant;
  std::unique_ptr<wallet::SoftwareCard> card;
  Tracer tracer;
  std::unique_ptr<Parties> parties;
  int gatewayRequests = 0;

  explicit Demo(Pki p)
      : pki(std::move(p)),
        merchantSignature(pki.credential("merchant-sign")),
        merchantKeyExchange(pki.credential("merchant-kex")),
        gatewayKeyExchange(pki.credential("gateway-kex")) {
    const bool hardening = pki.profile.hardeningByDefault();
    gateway::GatewayConfig g{pki.profile, hardening, true, "SETPAY", pki.cert("root"), pki.cas(), pki.crls(),
                             pki.credential("gateway-sign"), pki.credential("gateway-kex")};
    gateway = std::make_unique<gateway::PaymentGateway>(std::move(g), gatewayStore, issuer, clock, random);
    merchant::MerchantConfig m{pki.profile, hardening, {"SETPAY"}, "https://shop.example/set", "en",
                               protocol::pki::TrustAnchors{pki.cert("root"), pki.cas(), pki.crls()},
                               pki.credential("merchant-sign"), pki.credential("merchant-kex"), pki.cert("gateway-kex")};
    merchant = std::make_unique<merchant::Merchant>(std::move(m), merchantStore, clock, random);
    card = std::make_unique<wallet::SoftwareCard>(wallet::SoftwareCard::fromDirectory(pki.cardDir()));
    issuer.openAccount(card->identity().pan, {978, 50000, -2}, {978, 100000, -2}, card->identity().cardExpiry);
  }

  wallet::Cardholder cardholder() {
    wallet::CardholderConfig c{pki.profile, pki.profile.hardeningByDefault(),
                               protocol::pki::TrustAnchors{pki.cert("root"), pki.cas(), {}}, "en", "setpay-wallet/demo",
                               std::nullopt};
    return wallet::Cardholder(std::move(c), *card, clock, random);
  }

  std::function<Bytes(ByteView)> toMerchant() {
    return [this](ByteView b) {
      tracer.show("wallet", "merchant", b);
      Bytes answer = merchant->handle(b, [this](ByteView authReq) {
        ++gatewayRequests;
        tracer.show("merchant", "gateway", authReq);
        Bytes authRes = gateway->handle(authReq);
        tracer.show("gateway", "merchant", authRes);
        return authRes;
      });
      tracer.show("merchant", "wallet", answer);
      return answer;
    };
  }

  protocol::WakeUp offer(const std::string& what, std::int64_t cents) {
    const protocol::WakeUp w = merchant->offer(merchant::Order{what, {978, cents, -2}, std::nullopt});
    parties = std::make_unique<Parties>(Parties{pki.profile, merchantKeyExchange, merchantSignature, gatewayKeyExchange,
                                                protocol::maskPan(card->identity().pan), w.purchAmt});
    tracer.parties = parties.get();
    const std::string text = protocol::format(w);
    printOut("  {:<9} -> {:<9} {:<8} {:>5} bytes  {}; brands SETPAY, {}, LID-M {}, SET URL {}\n", "merchant", "browser",
             "wake-up", text.size(), protocol::wakeUpMediaType, amount(w.purchAmt), shortHex(*w.lidM),
             safeText(w.paymentUrl));
    return w;
  }

  std::string approvalCodeOf(const wallet::Cardholder& c) const {
    if (!c.transIDs()) return "-";
    const auto tx = merchantStore.findTransaction(c.transIDs()->xid);
    const auto* answered = tx ? std::get_if<merchant::Answered>(&tx->state) : nullptr;
    return answered && answered->authorization.approvalCode ? *answered->authorization.approvalCode : "-";
  }
};

bool verdict(bool ok, const std::string& what) {
  printOut("  {} {}\n\n", ok ? "[as expected]" : "[UNEXPECTED]", what);
  return ok;
}

int runScenes(Scenes& d) {
  int behaved = 0;

  printOut("1. a purchase of 42.50 EUR\n");
  {
    auto holder = d.cardholder();
    const auto out = holder.purchase(d.offer("1 x SET Book 2 (paperback)", 4250), d.toMerchant);
    const std::string code = out.authStatus ? std::string(protocol::name(out.authStatus->authCode)) : "none";
    behaved += verdict(out.approved() && out.completionCode == protocol::CompletionCode::authorizationPerformed,
                       "AuthCode " + code + ", approval code " + d.approvalCode(holder) + "; available now " +
                           amount(d.available()) + (out.error ? " - " + safeText(out.detail) : ""));
  }

  printOut("2. a purchase of 900.00 EUR (more than the account holds)\n");
  {
    auto holder = d.cardholder();
    const auto out = holder.purchase(d.offer("1 x espresso machine", 90000), d.toMerchant);
    const bool declined = !out.error && out.authStatus && out.authStatus->authCode == protocol::AuthCode::declined;
    behaved += verdict(declined, std::string("declined by the issuer (insufficient funds), AuthCode ") +
                                     (out.authStatus ? std::string(protocol::name(out.authStatus->authCode)) : "none") +
                                     "; available still " + amount(d.available()));
  }

  printOut("3. a purchase of 10.00 EUR whose PReq is altered on the way (ODSalt in OIData changed)\n");
  {
    auto holder = d.cardholder();
    const int before = d.gatewayRequests();
    const Bytes pInitRes = d.toMerchant(holder.pInitReq(d.offer("1 x USB card reader", 1000)));
    auto w = protocol::decode<protocol::MessageWrapper>(holder.processPInitRes(pInitRes));
    std::get<protocol::PReqDualSigned>(std::get<protocol::PReq>(w.message).value).oiData.odSalt[0] ^= 0x01;
    std::optional<ErrorCode> refused;
    try {
      (void)holder.processPRes(d.toMerchant(protocol::encode(w)));
    } catch (const wallet::MerchantError& e) {
      refused = e.code();
    }
    const bool untouched = d.gatewayRequests() == before;
    behaved += verdict(refused == ErrorCode::signatureFailure && untouched,
                       std::string("the merchant refused it with SET Error ") +
                           (refused ? std::string(protocol::name(*refused)) : "none") +
                           (untouched ? "; nothing reached the gateway" : "; but it was sent to the gateway"));
  }

  printOut("{} of 3 scenes behaved as expected\n", behaved);
  return behaved == 3 ? 0 : 1;
}

int run(const fs::path& dir, const std::string& profileName) {
  mintPki(dir, profileName);
  const auto id = protocol::AlgorithmProfile::parse(profileName);
  Demo demo(Pki{protocol::AlgorithmProfile::make(*id), dir});
  const auto identity = demo.card->identity();
  printOut("\nprofile {}; card {} (expiry {}), account balance 500.00 EUR; merchant SETPAY-SHOP-0001\n\n",
           profileName, protocol::maskPan(identity.pan), safeText(identity.cardExpiry));
  Scenes scenes{[&] { return demo.cardholder(); },
                [&](const std::string& what, std::int64_t cents) { return demo.offer(what, cents); },
                demo.toMerchant(),
                [&] { return demo.issuer.available(identity.pan); },
                [&] { return demo.gatewayRequests; },
                [&](const wallet::Cardholder& c) { return demo.approvalCodeOf(c); }};
  return runScenes(scenes);
}

int runServices(const fs::path& dir, const std::string& profileName) {
  mintPki(dir, profileName);
  const auto profile = protocol::AlgorithmProfile::make(*protocol::AlgorithmProfile::parse(profileName));
  // What `setpay pki init` adds for the services, with ports chosen by the system (port files).
  mintLoopbackTls(dir / "tls", {"gateway", "merchant"}, {"merchant"});
  GatewayConfigOptions g;
  g.port = 0;
  g.portFile = (dir / "gateway" / "port").string();
  g.logFile = (dir / "gateway.log").string();
  writeGatewayConfig(dir, profile, g);
  Pki pki{profile, dir};
  auto card = std::make_unique<wallet::SoftwareCard>(wallet::SoftwareCard::fromDirectory(pki.cardDir()));
  const auto identity = card->identity();
  const auto gatewayConfig = gateway::loadGatewayServiceConfig(dir / "gateway.toml");
  auto account = [&](const std::function<void(gateway::SqliteIssuer&)>& job) {
    const auto db = gateway::openGatewayDatabase(gatewayConfig.settings.storage);
    gateway::SqliteIssuer issuer(*db, gatewayConfig.panHashKey);
    runtime::WriteTransaction tx(*db);
    job(issuer);
    tx.commit();
  };
  account([&](gateway::SqliteIssuer& issuer) {
    issuer.openAccount(identity.pan, {978, 50000, -2}, {978, 100000, -2}, identity.cardExpiry);
  });
  printOut("$ setpay gateway accounts add --config {} --pan {} --balance 50000\n",
           safeText((dir / "gateway.toml").string()), protocol::maskPan(identity.pan));

  Process gatewayProcess({"gateway", "--config", (dir / "gateway.toml").string()}, dir / "gateway.log");
  const std::string gatewayUrl = "https://127.0.0.1:" + std::to_string(gatewayProcess.waitForPortFile(dir / "gateway" / "port"));
  printOut("$ setpay gateway --config {} &   # pid {}, {}\n", safeText((dir / "gateway.toml").string()), gatewayProcess.pid(),
           gatewayUrl + "/set");
  MerchantConfigOptions m;
  m.port = 0;
  m.portFile = (dir / "merchant" / "port").string();
  m.logFile = (dir / "merchant.log").string();
  m.gatewayUrl = gatewayUrl + "/set";
  writeMerchantConfig(dir, profile, m);
  Process merchantProcess({"merchant", "--config", (dir / "merchant.toml").string()}, dir / "merchant.log");
  const std::string merchantUrl = "https://127.0.0.1:" + std::to_string(merchantProcess.waitForPortFile(dir / "merchant" / "port"));
  printOut("$ setpay merchant --config {} &   # pid {}, {}\n", safeText((dir / "merchant.toml").string()),
           merchantProcess.pid(), merchantUrl + "/");

  runtime::ClientOptions options;  // the wallet's: trusts the loopback CA, no client certificate
  options.caFile = dir / "tls" / "ca.pem";
  runtime::HttpClient client(options);
  for (int i = 0;; ++i) {
    try {
      if (client.getSync(merchantUrl + "/readyz").status == 200) break;
    } catch (const runtime::TransportError&) {
    }
    if (i > 1000) throw std::runtime_error("the merchant did not become ready");
    ::usleep(10'000);
  }
  printOut("\nprofile {}; card {} (expiry {}), account balance 500.00 EUR; merchant SETPAY-SHOP-0001\n"
           "wallet -> merchant: HTTPS (loopback CA); merchant -> gateway: HTTPS with the merchant's TLS client "
           "certificate\n\n",
           profileName, protocol::maskPan(identity.pan), safeText(identity.cardExpiry));

  const pki::Credential merchantSignature = pki.credential("merchant-sign"), merchantKeyExchange = pki.credential("merchant-kex"),
                        gatewayKeyExchange = pki.credential("gateway-kex");
  std::unique_ptr<Parties> parties;
  Tracer tracer;
  protocol::SystemClock clock;
  protocol::SystemRandom random;
  const fs::path merchantLog = dir / "merchant.log";
  const std::string setUrl = merchantUrl + "/set";
  Scenes scenes;
  scenes.cardholder = [&] {
    wallet::CardholderConfig c{profile, profile.hardeningByDefault(), protocol::pki::TrustAnchors{pki.cert("root"), pki.cas(), {}},
                               "en", "setpay-wallet/demo", std::nullopt};
    return wallet::Cardholder(std::move(c), *card, clock, random);
  };
  scenes.offer = [&](const std::string& what, std::int64_t cents) {
    const std::string body = "{\"amount\": " + std::to_string(cents) + ", \"currency\": 978, \"description\": \"" + what + "\"}";
    const auto r = client.postSync(merchantUrl + "/orders", "application/json", body);
    if (r.status != 200) throw std::runtime_error("POST /orders: HTTP " + std::to_string(r.status));
    const protocol::WakeUp w = protocol::parseWakeUp(r.body);
    parties = std::make_unique<Parties>(Parties{profile, merchantKeyExchange, merchantSignature, gatewayKeyExchange,
                                                protocol::maskPan(identity.pan), w.purchAmt});
    tracer.parties = parties.get();
    printOut("  {:<9} -> {:<9} {:<8} {:>5} bytes  {}; {}, LID-M {}, SET URL {}\n", "merchant", "browser", "wake-up",
             r.body.size(), protocol::wakeUpMediaType, amount(w.purchAmt), shortHex(*w.lidM), safeText(w.paymentUrl));
    printOut("{:>24} POST {} (application/json) -> HTTP {}\n", "", safeText(merchantUrl + "/orders"), r.status);
    return w;
  };
  scenes.toMerchant = [&](ByteView b) {
    tracer.show("wallet", "merchant", b);
    const std::size_t before = logLines(merchantLog, "set-message type=AuthReq").size();
    const auto r = client.postSync(setUrl, "application/set-payment", protocol::toString(b));
    printOut("{:>24} POST {} (application/set-payment) -> HTTP {}\n", "", safeText(setUrl), r.status);
    const auto lines = logLines(merchantLog, "set-message type=AuthReq");
    for (std::size_t i = before; i < lines.size(); ++i) {
      // The demo does not see these bytes: the merchant's log line says where they went and how it ended.
      printOut("  {:<9} -> {:<9} {:<8} POST {} (TLS client certificate), {} ms\n", "merchant", "gateway", "AuthReq",
               safeText(logField(lines[i], "remote")), safeText(logField(lines[i], "latency_ms")));
      printOut("  {:<9} -> {:<9} {:<8} result {} (from the merchant's log line)\n", "gateway", "merchant", "AuthRes",
               safeText(logField(lines[i], "result")));
    }
    Bytes answer = protocol::toBytes(r.body);
    tracer.show("merchant", "wallet", answer);
    return answer;
  };
  scenes.available = [&] {
    protocol::CurrencyAmount a{978, 0, -2};
    account([&](gateway::SqliteIssuer& issuer) {
      const auto view = issuer.find(identity.pan);
      a = {view->state.balance.currency, view->state.balance.amount - view->state.held, view->state.balance.amtExp10};
    });
    return a;
  };
  scenes.gatewayRequests = [&] { return static_cast<int>(logLines(merchantLog, "set-message type=AuthReq").size()); };
  scenes.approvalCode = [&](const wallet::Cardholder& c) {  // what the merchant recorded, read from its database
    if (!c.transIDs()) return std::string("-");
    const auto db = merchant::openMerchantDatabase({dir / "merchant" / "merchant.db", runtime::Durability::normal,
                                                    std::chrono::milliseconds(5000)});
    const auto tx = merchant::SqliteMerchantStore(*db).findTransaction(c.transIDs()->xid);
    const auto* answered = tx ? std::get_if<merchant::Answered>(&tx->state) : nullptr;
    return answered && answered->authorization.approvalCode ? safeText(*answered->authorization.approvalCode) : std::string("-");
  };
  const int rc = runScenes(scenes);

  const pid_t merchantPid = merchantProcess.pid(), gatewayPid = gatewayProcess.pid();
  const ExitStatus merchantExit = merchantProcess.stop(), gatewayExit = gatewayProcess.stop();
  printOut("stopped: merchant pid {} (SIGTERM) {}, gateway pid {} (SIGTERM) {}; their logs: merchant.log, "
           "gateway.log (kept with --keep)\n",
           merchantPid, merchantExit.text(), gatewayPid, gatewayExit.text());
  return rc == 0 && merchantExit.ok() && gatewayExit.ok() ? 0 : 1;
}

}  // namespace

void addDemoCommand(CLI::App& root, int& exitCode) {
  struct DemoArgs {
    std::string profile = "modern", dir, redirector = "direct";
    bool keep = false, services = false, mobile = false;
  };
  auto a = std::make_shared<DemoArgs>();
  CLI::App* cmd = root.add_subcommand("demo", "one SET purchase through wallet, merchant and gateway, traced");
  cmd->add_option("--profile", a->profile,
                  "algorithm profile: modern (SHA-256, AES, hardening extensions) or set1 (SET 1.0: SHA-1, DES,\n"
                  "RSA-1024, no extensions)")
      ->check(profileNames())
      ->capture_default_str();
  cmd->add_option("--dir", a->dir, "mint the SET hierarchy into DIR (default: a temporary directory)");
  cmd->add_flag("--keep", a->keep, "keep the temporary directory");
  CLI::Option* services = cmd->add_flag("--services", a->services,
                "run the gateway and the merchant as separate processes (`setpay gateway`, `setpay merchant`)\n"
                "on loopback ports over HTTPS, and the wallet against them");
  cmd->add_flag("--mobile", a->mobile,
                "the whole system as processes: gateway, merchant, wallet, terminal and the virtual card in\n"
                "pcscd's vpcd reader; message c to the wallet, d/e/f on the terminal's channel (needs pcscd\n"
                "with vpcd: ./scripts/run-demo.sh provides one)")
      ->excludes(services);
  cmd->add_option("--redirector", a->redirector,
                  "with --mobile, who sends message c: direct (`setpay redirector open FILE`), relay (`setpay\n"
                  "redirector --mode relay open FILE`, which also carries every SET message), on-terminal (`setpay\n"
                  "terminal open FILE`), gateway-proxy (the operator's proxy; needs radclient)")
      ->check(CLI::IsMember({"direct", "relay", "gateway-proxy", "on-terminal"}))
      ->capture_default_str();
  cmd->footer(
      "Runs SET purchases through the wallet, the merchant and the payment gateway in one process and\n"
      "prints each message: name, size, who signed it, what was encrypted for whom, and its key facts.\n"
      "Scenes: an approved purchase, a decline (insufficient funds), a tampered PReq (SET Error).\n"
      "With --services the gateway and the merchant run as their own processes over HTTPS on loopback\n"
      "(pki init's service configurations, ports chosen by the system), and the trace says where each\n"
      "message went; the demo stops exactly the processes it started.\n"
      "With --mobile the whole remote-wallet system runs as processes (setpay gateway, merchant, wallet,\n"
      "terminal, card) in a pcscd with the vpcd reader: an approved purchase, a decline (insufficient\n"
      "funds), a purchase above the wallet's ceiling refused before the terminal is asked; each leg\n"
      "(c, PInitReq/PInitRes, d, the card's APDUs, e, PReq, AuthReq/AuthRes, PRes, f) traced from its bytes.\n"
      "Without pcscd and vpcd it fails at once (exit 1) and says how to get them.\n"
      "--redirector picks who sends message c, each a real process: direct (default; each wake-up saved as\n"
      "the browser's download and opened with `setpay redirector open`, its key enrolled with `setpay wallet\n"
      "enroll-sender`), relay (`setpay redirector --mode relay open`: the wallet trusts no merchant and every\n"
      "SET message goes through the redirector), on-terminal (`setpay terminal open`, the terminal's own key),\n"
      "gateway-proxy (`setpay redirector --mode gateway-proxy`; radclient sends the Accounting-Start for the\n"
      "handset's address 127.0.0.2, whose browser orders through the proxy from a plain-HTTP shop front the\n"
      "demo runs, since a proxy cannot divert inside CONNECT; exit 1 at once if radclient is missing).\n"
      "Why --mobile is not the bare command's default: it needs a PC/SC daemon with a virtual reader,\n"
      "which a bare machine lacks; the in-process run works anywhere. The README's first command,\n"
      "./scripts/run-demo.sh, starts a private pcscd (scripts/with-virtual-pcsc.sh) and runs --mobile.\n"
      "Exit 0 if all three behaved as expected, 1 otherwise, 2 on bad usage.");
  cmd->callback([a, cmd, &exitCode] {
    if (cmd->count("--redirector") > 0 && !a->mobile) usageError("--redirector goes with --mobile");
    const bool temporary = cmd->count("--dir") == 0;
    fs::path dir = a->dir;
    if (temporary) {
      std::string tmpl = (fs::temp_directory_path() / "setpay-demo-XXXXXX").string();
      if (!mkdtemp(tmpl.data())) {
        printErr("setpay demo: cannot create a temporary directory\n");
        exitCode = 1;
        return;
      }
      dir = fs::path(tmpl) / "pki";
    }
    int rc = 1;
    try {
      rc = a->mobile ? runMobileDemo(dir, a->profile, a->redirector) : a->services ? runServices(dir, a->profile) : run(dir, a->profile);
    } catch (const std::exception& e) {
      printErr("setpay demo: {}\n", safeText(e.what()));
      rc = 1;
    }
    if (temporary && !a->keep) {
      std::error_code ec;
      fs::remove_all(dir.parent_path(), ec);
    } else {
      printOut("hierarchy kept in {}\n", safeText(dir.string()));
    }
    exitCode = rc;
  });
}

}  // namespace setpay::cli
