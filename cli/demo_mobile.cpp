#include "cli/demo_mobile.hpp"

#include <fcntl.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <thread>

#include "cli/demo_mobile_legs.hpp"
#include "cli/demo_process.hpp"
#include "cli/demo_trace.hpp"
#include "cli/output.hpp"
#include "cli/service_configs.hpp"
#include "pcsc/card_personalisation.hpp"
#include "pcsc/reader.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/redirect/envelope.hpp"
#include "protocol/redirect/sign.hpp"
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

constexpr const char* kMsisdn = "+33600000001";  // `setpay pki init`'s test card
constexpr std::int64_t kBalance = 50000, kCeiling = 100000;  // 500.00 EUR at the issuer, 1000.00 EUR per purchase

// ---- pcscd with a vpcd reader: the caller's (scripts/with-virtual-pcsc.sh exports its reader and port)

struct VirtualReader {
  std::string name;
  std::uint16_t vpcdPort = 35963;  // vpcd's default for slot 0
};

std::optional<VirtualReader> findVirtualReader(std::string& why) {
  VirtualReader v;
  if (const char* port = std::getenv("VPCD_PORT")) v.vpcdPort = static_cast<std::uint16_t>(std::atoi(port));
  const char* wanted = std::getenv("VPCD_READER0");
  std::vector<std::string> readers;
  try {
    readers = pcsc::Context().readers();
  } catch (const std::exception& e) {
    why = "no pcscd reachable (" + safeText(e.what()) + ")";
    return std::nullopt;
  }
  for (const auto& r : readers)
    if (wanted ? r == wanted : r.rfind("Virtual PCD", 0) == 0) {
      v.name = r;
      return v;
    }
  why = "pcscd answers but has no vpcd reader (\"Virtual PCD ...\"; vsmartcard-vpcd not installed?); readers: " +
        std::to_string(readers.size());
  return std::nullopt;
}

// ---- small HTTP helpers (the demo is the shopper's browser and, for c, the redirector)

void waitReady(runtime::HttpClient& client, const std::string& url, const std::string& who) {
  const auto deadline = Clock::now() + 30s;
  for (;;) {
    try {
      if (client.getSync(url).status == 200) return;
    } catch (const runtime::TransportError&) {
    }
    if (Clock::now() > deadline) throw std::runtime_error(who + " did not become ready (" + url + ")");
    std::this_thread::sleep_for(10ms);
  }
}

boost::json::object getJson(runtime::HttpClient& client, const std::string& url) {
  const auto r = client.getSync(url);
  if (r.status != 200) throw std::runtime_error("GET " + url + ": HTTP " + std::to_string(r.status));
  return boost::json::parse(r.body).as_object();
}

std::string jsonString(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

protocol::ossl::PKey publicKeyFromPem(const std::string& pem) {
  protocol::ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  protocol::ossl::PKey key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) throw std::runtime_error("not a PEM public key");
  return key;
}

// ---- the running system

struct System {
  System(fs::path d, protocol::AlgorithmProfile p, VirtualReader r, pcsc::CardPersonalisation c)
      : dir(std::move(d)), profile(std::move(p)), reader(std::move(r)), card(std::move(c)) {}
  System(const System&) = delete;
  System& operator=(const System&) = delete;
  fs::path dir;
  protocol::AlgorithmProfile profile;
  VirtualReader reader;
  pcsc::CardPersonalisation card;
  std::unique_ptr<Process> gateway, merchant, wallet, cardProcess, terminal;
  std::string merchantUrl, walletUrl;
  int pinWrite = -1;  // the terminal's --pin-fd 0: the shopper's keypad
  std::unique_ptr<runtime::HttpClient> client;

  ~System() {
    if (pinWrite >= 0) ::close(pinWrite);
  }
  fs::path file(const std::string& name) const { return dir / name; }
};

std::string command(const std::vector<std::string>& args) {
  std::string s = "$ setpay";
  for (const auto& a : args) s += " " + safeText(a);
  return s;
}

void runCli(const System& s, const std::vector<std::string>& args, const std::string& shown) {
  const fs::path log = s.file("cli.log");
  LogTail tail(log);
  (void)tail.newLines();
  const ExitStatus status = runToEnd(args, log);
  printOut("{}\n", shown);
  for (const auto& line : tail.newLines()) printOut("    {}\n", line);
  if (!status.ok()) throw std::runtime_error("setpay " + args.front() + " " + args[1] + ": " + status.text() + "; see " + log.string());
}

std::unique_ptr<Process> startService(System& s, const std::string& name, std::uint16_t& port) {
  const std::vector<std::string> args{name, "--config", s.file(name + ".toml").string()};
  auto p = std::make_unique<Process>(args, s.file(name + ".log"));
  try {
    port = p->waitForPortFile(s.dir / name / "port");
  } catch (const std::exception& e) {
    throw std::runtime_error("setpay " + name + ": " + e.what());
  }
  printOut("{} &   # pid {}, https://127.0.0.1:{}\n", command(args), p->pid(), port);
  return p;
}

void startSystem(System& s) {
  mintLoopbackTls(s.dir / "tls", {"gateway", "merchant", "wallet"}, {"merchant", "terminal"});
  printOut("  loopback TLS: a CA, server certificates for gateway, merchant, wallet; client certificates for the "
           "merchant and the terminal\n");
  GatewayConfigOptions g;
  g.port = 0;
  g.portFile = (s.dir / "gateway" / "port").string();
  g.logFile = s.file("gateway.log").string();
  writeGatewayConfig(s.dir, s.profile, g);
  const std::string expiry = s.card.expiry;
  runCli(s, {"gateway", "accounts", "add", "--config", s.file("gateway.toml").string(), "--pan", s.card.pan, "--balance",
             std::to_string(kBalance), "--limit", std::to_string(2 * kCeiling), "--expiry", expiry},
         command({"gateway", "accounts", "add", "--config", s.file("gateway.toml").string(), "--pan",
                  protocol::maskPan(s.card.pan), "--balance", std::to_string(kBalance)}));
  std::uint16_t port = 0;
  s.gateway = startService(s, "gateway", port);

  MerchantConfigOptions m;
  m.port = 0;
  m.portFile = (s.dir / "merchant" / "port").string();
  m.logFile = s.file("merchant.log").string();
  m.gatewayUrl = "https://127.0.0.1:" + std::to_string(port) + "/set";
  writeMerchantConfig(s.dir, s.profile, m);
  s.merchant = startService(s, "merchant", port);
  s.merchantUrl = "https://127.0.0.1:" + std::to_string(port);

  WalletConfigOptions w;
  w.port = 0;
  w.mobilePort = 0;
  w.portFile = (s.dir / "wallet" / "port").string();
  w.mobilePortFile = (s.dir / "wallet" / "mobile-port").string();
  w.logFile = s.file("wallet.log").string();
  w.eTimeoutS = 30;
  fs::create_directories(s.dir / "trace");
  w.traceDir = (s.dir / "trace").string();
  writeWalletConfig(s.dir, s.profile, w);
  const std::vector<std::string> enroll{"wallet", "enroll", "--config", s.file("wallet.toml").string(), "--msisdn", kMsisdn,
                                        "--terminal-cert", (s.dir / "tls" / "terminal-client.pem").string(), "--brand", "SETPAY",
                                        "--bin", s.card.pan.substr(0, 6), "--ceiling-purchase", std::to_string(kCeiling)};
  runCli(s, enroll, command(enroll));
  s.wallet = startService(s, "wallet", port);
  s.walletUrl = "https://127.0.0.1:" + std::to_string(port);

  runtime::ClientOptions options;  // the browser's and the redirector's: trust the loopback CA
  options.caFile = s.dir / "tls" / "ca.pem";
  s.client = std::make_unique<runtime::HttpClient>(options);
  waitReady(*s.client, s.merchantUrl + "/readyz", "the merchant");
  waitReady(*s.client, s.walletUrl + "/readyz", "the wallet");

  // The card, plugged into the vpcd reader; pcscd must see it before the terminal looks.
  const std::vector<std::string> cardArgs{"card", "--card-dir", Pki{s.profile, s.dir}.cardDir().string(), "--port",
                                          std::to_string(s.reader.vpcdPort), "--trace"};
  s.cardProcess = std::make_unique<Process>(cardArgs, s.file("card.log"));
  try {
    pcsc::Context().waitForCard(s.reader.name, 10s);
  } catch (const std::exception& e) {
    throw std::runtime_error("the card did not appear in \"" + s.reader.name + "\" (" + e.what() + "); see " + s.file("card.log").string());
  }
  printOut("{} &   # pid {}, in \"{}\" (vpcd port {})\n", command(cardArgs), s.cardProcess->pid(), safeText(s.reader.name),
           s.reader.vpcdPort);

  writeTerminalConfig(s.dir, TerminalConfigOptions{0, *w.mobilePortFile, s.reader.name, false, "terminal"});
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe for the terminal's PIN");
  s.pinWrite = fds[1];
  const std::vector<std::string> terminalArgs{"terminal", "--config", s.file("terminal.toml").string(), "--pin-fd", "0",
                                              "--purchases", "3"};
  s.terminal = std::make_unique<Process>(terminalArgs, s.file("terminal.log"), fds[0]);
  ::close(fds[0]);
  const auto deadline = Clock::now() + 20s;
  while (getJson(*s.client, s.walletUrl + "/purchases").at("terminals").as_int64() < 1) {
    if (Clock::now() > deadline) throw std::runtime_error("the terminal did not connect; see " + s.file("terminal.log").string());
    if (s.terminal->wait(0ms)) throw std::runtime_error("the terminal ended at start; see " + s.file("terminal.log").string());
    std::this_thread::sleep_for(20ms);
  }
  printOut("{} &   # pid {}, PIN from a pipe (the keypad); connected to the wallet's TLS WebSocket\n", command(terminalArgs),
           s.terminal->pid());
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

// Message c: the wake-up bytes as the merchant sent them, the MSISDN, the SET URL; signed with the key
// enrolled for the MSISDN (the handset's, sender "handset" on-terminal), fresh nonce and time.
std::string messageC(const System& s, const std::string& wakeUpText, const protocol::WakeUp& wake) {
  const auto cert = protocol::ossl::certFromPem(slurp(s.dir / "tls" / "terminal-client.pem"));
  protocol::SoftwareSigner signer(pki::share(cert.get()), pki::privateKeyFromPem(slurp(s.dir / "tls" / "terminal-client-key.pem")));
  protocol::SystemRandom random;
  protocol::SystemClock clock;
  protocol::EnvelopeContent content{protocol::Sender{protocol::SenderKind::onTerminal, "handset"}, *protocol::Msisdn::parse(kMsisdn),
                                    wake.paymentUrl, protocol::toBytes(wakeUpText), std::nullopt};
  return protocol::formatEnvelope(
      protocol::signEnvelope(std::move(content), protocol::SignatureAlgorithm::ecdsaP256Sha256, signer, random, clock));
}

struct Keys {
  pki::Credential merchantSignature, merchantKeyExchange, gatewayKeyExchange;
  protocol::ossl::PKey walletChannel;
  protocol::ossl::Cert terminalCert;
};

bool runScene(System& s, const Scene& scene, const Keys& keys, LogTail& terminalScreen, LogTail& cardTrace) {
  const auto started = Clock::now();
  if (scene.pin) {
    const std::string line = s.card.pin + "\n";
    if (::write(s.pinWrite, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
      throw std::runtime_error("cannot type the PIN into the terminal's pipe");
  }
  const std::size_t pReqsBefore = logLines(s.file("merchant.log"), "set-message type=PReq ").size();
  const std::size_t authReqsBefore = logLines(s.file("merchant.log"), "set-message type=AuthReq").size();

  // The shop: the order → the wake-up (what the browser would get).
  const std::string order = boost::json::serialize(boost::json::object{{"amount", scene.cents}, {"currency", 978}, {"description", scene.description}});
  const auto offered = s.client->postSync(s.merchantUrl + "/orders", "application/json", order);
  if (offered.status != 200) throw std::runtime_error("POST /orders: HTTP " + std::to_string(offered.status));
  const protocol::WakeUp wake = protocol::parseWakeUp(offered.body);
  printOut("  {:<9} -> {:<9} {:<8} {:>5} bytes  {}; {}, LID-M {}, SET URL {} (POST /orders)\n", "merchant", "browser", "wake-up",
           offered.body.size(), protocol::wakeUpMediaType, amount(wake.purchAmt), shortHex(*wake.lidM), safeText(wake.paymentUrl));

  // c → the wallet.
  const std::string c = messageC(s, offered.body, wake);
  const auto accepted = s.client->postSync(s.walletUrl + "/c", std::string(protocol::redirectMediaType), c);
  printOut("  {:<9} -> {:<9} {:<8} {:>5} bytes  XML envelope ({}): MSISDN {}, SET URL, the wake-up intact (base64), "
           "sender on-terminal \"handset\", fresh nonce and time; signed ECDSA P-256 by the handset's enrolled key -> HTTP {}\n",
           "handset", "wallet", "c", c.size(), protocol::redirectMediaType, kMsisdn, accepted.status);
  if (accepted.status != 202) throw std::runtime_error("POST /c: HTTP " + std::to_string(accepted.status) + ": " + safeText(accepted.body));
  const std::string id = jsonString(boost::json::parse(accepted.body).as_object(), "purchase");

  boost::json::object ended;
  for (const auto deadline = Clock::now() + 45s;;) {
    ended = getJson(*s.client, s.walletUrl + "/purchases?id=" + id);
    if (jsonString(ended, "state") == "ended") break;
    if (Clock::now() > deadline) throw std::runtime_error("purchase " + id + " still " + jsonString(ended, "state"));
    std::this_thread::sleep_for(20ms);
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  std::this_thread::sleep_for(150ms);  // the terminal prints f as it arrives

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
  if (auto m = captured("PInitReq")) tracer.show("wallet", "merchant", *m);
  if (auto m = captured("PInitRes")) tracer.show("merchant", "wallet", *m);
  const auto d = captured("d");
  if (d) showMobile(mobile, "wallet", "terminal", *d);
  else printOut("  {:<9}    {:<9} (no d: the terminal is not asked)\n", "", "");
  const auto apdus = cardTrace.newLines();
  if (!apdus.empty()) printOut("  {:<9} -> {:<9} {:<8} {}\n", "terminal", "card", "APDUs", apduSummary(apdus));
  if (auto m = captured("e")) showMobile(mobile, "terminal", "wallet", *m);
  const auto pReq = captured("PReq");
  if (pReq) tracer.show("wallet", "merchant", *pReq);
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
  for (const auto& line : terminalScreen.newLines())
    if (line.rfind("setpay terminal:", 0) != 0) printOut("    | {}\n", line);

  const std::string outcome = jsonString(ended, "outcome"), reason = jsonString(ended, "reason");
  const bool pReqSent = logLines(s.file("merchant.log"), "set-message type=PReq ").size() > pReqsBefore;
  const bool ok = outcome == scene.outcome && reason.find(scene.reasonNeedle) != std::string::npos && d.has_value() == scene.terminalAsked &&
                  pReqSent == scene.terminalAsked && captured("f").has_value();
  printOut("  {} the wallet says: {}{}; {} ms from c to f{}\n\n", ok ? "[as expected]" : "[UNEXPECTED]", outcome,
           reason.empty() ? "" : " (" + safeText(reason) + ")", took.count(),
           scene.terminalAsked ? "" : (pReqSent ? "; BUT the merchant got a PReq" : "; the merchant got no PReq"));
  return ok;
}

}  // namespace

int runMobileDemo(const fs::path& dir, const std::string& profileName) {
  const auto t0 = Clock::now();
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
  startSystem(s);
  const auto t1 = Clock::now();
  Pki pki{s.profile, dir};
  const Keys keys{pki.credential("merchant-sign"), pki.credential("merchant-kex"), pki.credential("gateway-kex"),
                  publicKeyFromPem(slurp(dir / "wallet" / "channel-pub.pem")),
                  protocol::ossl::certFromPem(slurp(dir / "tls" / "terminal-client.pem"))};
  printOut("\nprofile {}; card {} (expiry {}) in the handset's reader, PIN on its keypad; account {} at the wallet "
           "(ceiling {} per purchase); issuer balance {}\n"
           "c is signed with the handset's enrolled key by the demo, standing in for the redirector; every other message "
           "below is decoded from the bytes the wallet sent or received ([trace] messages_dir), AuthReq/AuthRes from the "
           "merchant's log, the card's APDUs from its trace\n\n",
           profileName, protocol::maskPan(s.card.pan), safeText(s.card.expiry), kMsisdn, amount({978, kCeiling, -2}),
           amount({978, kBalance, -2}));

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
    behaved += runScene(s, scene, keys, terminalScreen, cardTrace);
  }
  printOut("{} of 3 scenes behaved as expected\n", behaved);
  const auto t2 = Clock::now();

  // Stop exactly what was started, by PID; the terminal ends by itself after its three f.
  const auto terminalEnded = s.terminal->wait(5s);
  const pid_t terminalPid = s.terminal->pid();
  const ExitStatus terminal = s.terminal->stop();
  bool clean = terminal.ok();
  std::string stopped = "terminal pid " + std::to_string(terminalPid) + (terminalEnded ? " (ended after its 3 confirmations) " : " (SIGTERM) ") + terminal.text();
  for (auto* p : {&s.wallet, &s.cardProcess, &s.merchant, &s.gateway}) {
    const pid_t pid = (*p)->pid();
    const ExitStatus status = (*p)->stop();
    clean = clean && status.ok();
    const std::string name = p == &s.wallet ? "wallet" : p == &s.cardProcess ? "card" : p == &s.merchant ? "merchant" : "gateway";
    stopped += ", " + name + " pid " + std::to_string(pid) + " (SIGTERM) " + status.text();
  }
  printOut("stopped: {}\n", stopped);
  const auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  printOut("timings: PKI and start-up {} ms, scenes {} ms, stop {} ms; logs: gateway.log merchant.log wallet.log card.log "
           "terminal.log (kept with --keep)\n",
           ms(t1 - t0), ms(t2 - t1), ms(Clock::now() - t2));
  return behaved == 3 && clean ? 0 : 1;
}

}  // namespace setpay::cli
