#include "cli/demo_mobile_system.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "cli/demo_trace.hpp"
#include "cli/output.hpp"
#include "cli/service_configs.hpp"
#include "pcsc/reader.hpp"
#include "protocol/text/scrub.hpp"

namespace setpay::cli::demo {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using protocol::safeText;
using Clock = std::chrono::steady_clock;

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

boost::json::object getJson(runtime::HttpClient& client, const std::string& url) {
  const auto r = client.getSync(url);
  if (r.status != 200) throw std::runtime_error("GET " + url + ": HTTP " + std::to_string(r.status));
  return boost::json::parse(r.body).as_object();
}

std::string jsonString(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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
  w.merchantCaFile = s.walletMerchantCa;
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

  // The card, plugged into the vpcd reader; pcscd must see it before the terminal looks, and must have seen
  // any earlier card leave first (pcsc/CARD-APPLICATION.md §10: else ours is taken for the old one).
  try {
    pcsc::Context().waitForNoCard(s.reader.name, 5s);
  } catch (const std::exception& e) {
    throw std::runtime_error("\"" + s.reader.name + "\" still holds a card (" + e.what() +
                             "); is another `setpay card` serving its vpcd port?");
  }
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

  TerminalConfigOptions t{0, *w.mobilePortFile, s.reader.name, false, "terminal"};
  t.msisdn = kMsisdn;  // `setpay terminal open` (on-terminal mode): its own MSISDN, c to [wallet_c]
  t.walletCPortFile = *w.portFile;
  writeTerminalConfig(s.dir, t);
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

std::string stopSystem(System& s, bool& clean) {
  const auto terminalEnded = s.terminal->wait(5s);
  const pid_t terminalPid = s.terminal->pid();
  const ExitStatus terminal = s.terminal->stop();
  clean = terminal.ok();
  std::string stopped = "terminal pid " + std::to_string(terminalPid) + (terminalEnded ? " (ended after its 3 confirmations) " : " (SIGTERM) ") + terminal.text();
  for (auto* p : {&s.wallet, &s.cardProcess, &s.merchant, &s.gateway}) {
    const pid_t pid = (*p)->pid();
    const ExitStatus status = (*p)->stop();
    clean = clean && status.ok();
    const std::string name = p == &s.wallet ? "wallet" : p == &s.cardProcess ? "card" : p == &s.merchant ? "merchant" : "gateway";
    stopped += ", " + name + " pid " + std::to_string(pid) + " (SIGTERM) " + status.text();
  }
  return stopped;
}

}  // namespace setpay::cli::demo
