#include "cli/demo_mobile_sender.hpp"

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "cli/demo_mobile_proxy.hpp"
#include "cli/demo_trace.hpp"
#include "cli/output.hpp"
#include "cli/service_configs.hpp"
#include "protocol/redirect/envelope.hpp"
#include "protocol/text/scrub.hpp"
#include "protocol/wakeup/wakeup.hpp"

namespace setpay::cli::demo {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using protocol::safeText;
using Clock = std::chrono::steady_clock;

std::optional<RedirectorMode> parseRedirectorMode(std::string_view s) {
  if (s == "direct") return RedirectorMode::direct;
  if (s == "relay") return RedirectorMode::relay;
  if (s == "gateway-proxy") return RedirectorMode::gatewayProxy;
  if (s == "on-terminal") return RedirectorMode::onTerminal;
  return std::nullopt;
}

const char* modeName(RedirectorMode m) {
  switch (m) {
    case RedirectorMode::direct: return "direct";
    case RedirectorMode::relay: return "relay";
    case RedirectorMode::gatewayProxy: return "gateway-proxy";
    case RedirectorMode::onTerminal: return "on-terminal";
  }
  return "?";
}

CSender::CSender(System& s, RedirectorMode mode, const std::string& radclient) : s_(s), mode_(mode) {
  if (mode == RedirectorMode::gatewayProxy) {
    proxy_ = std::make_unique<GatewayProxySide>(s, radclient);
    return;
  }
  if (mode == RedirectorMode::onTerminal) {
    config_ = s.file("terminal.toml");  // startSystem wrote [terminal] msisdn and [wallet_c]
    return;
  }
  RedirectorConfigOptions o;
  o.msisdn = kMsisdn;
  o.senderId = "desktop";
  o.walletPortFile = (s.dir / "wallet" / "port").string();
  o.waitS = 60;
  writeRedirectorConfig(s.dir, o);
  config_ = s.file("redirector.toml");
  printOut("  redirector.toml: MSISDN {}, sender id desktop, its own P-256 key redirector/key.pem\n", kMsisdn);
  const std::vector<std::string> enroll{"wallet", "enroll-sender", "--config", s.file("wallet.toml").string(), "--msisdn", kMsisdn,
                                        "--sender-id", "desktop", "--key", (s.dir / "redirector" / "pub.pem").string()};
  runCli(s, enroll, command(enroll));
}

CSender::~CSender() = default;

std::string CSender::start(const std::string& wakeUp, int scene) {
  const fs::path file = s_.file("wake-" + std::to_string(scene) + ".setpay");
  {
    std::ofstream out(file, std::ios::binary);
    out << wakeUp;
    if (!out) throw std::runtime_error("cannot write " + file.string());
  }
  switch (mode_) {
    case RedirectorMode::direct: args_ = {"redirector", "open", file.string(), "--config", config_.string()}; break;
    case RedirectorMode::relay: args_ = {"redirector", "--mode", "relay", "open", file.string(), "--config", config_.string()}; break;
    default: args_ = {"terminal", "open", file.string(), "--config", config_.string()}; break;
  }
  const fs::path log = s_.file(std::string(mode_ == RedirectorMode::onTerminal ? "terminal-open-" : "redirector-") +
                               std::to_string(scene) + ".log");
  process_ = std::make_unique<Process>(args_, log);
  static const std::regex purchase("^purchase ([0-9a-f]{32})$");
  LogTail tail(log);
  std::vector<std::string> seen;
  for (const auto deadline = Clock::now() + 30s;;) {
    for (auto& line : tail.newLines()) {
      std::smatch m;
      if (std::regex_match(line, m, purchase)) return m[1];
      seen.push_back(std::move(line));
    }
    if (const auto st = process_->wait(0ms)) {
      for (auto& line : tail.newLines()) seen.push_back(std::move(line));
      std::string said;
      for (const auto& l : seen) said += "\n    " + safeText(l);
      throw std::runtime_error(shown() + ": " + st->text() + " before the wallet accepted c" + said);
    }
    if (Clock::now() > deadline) throw std::runtime_error(shown() + ": no purchase id within 30 s; see " + log.string());
    std::this_thread::sleep_for(10ms);
  }
}

namespace {

std::string htmlTitle(const std::string& page) {
  static const std::regex title("<title>([^<]*)</title>");
  std::smatch m;
  return std::regex_search(page, m, title) ? std::string(m[1]) : std::string("(no title)");
}

std::string walletLoggedSender(const System& s, const std::string& id) {  // purchase-started … sender=kind:id
  for (const auto& line : logLines(s.file("wallet.log"), "purchase-started"))
    if (logField(line, "purchase") == id) return logField(line, "sender");
  return "?";
}

}  // namespace

Delivered CSender::deliver(const std::string& order, int scene) {
  Delivered d;
  std::string how = "(POST /orders)";
  const char* to = "browser";
  std::optional<Fetched> page;
  if (proxy_) {
    page = proxy_->order(order);
    d.wakeUp = proxy_->lastWakeUp();
    how = "(POST /orders from the handset's browser at " + std::string(kHandsetAddress) + " through the proxy and the shop's "
          "plain-HTTP front)";
    to = "proxy";
  } else {
    const auto offered = s_.client->postSync(s_.merchantUrl + "/orders", "application/json", order);
    if (offered.status != 200) throw std::runtime_error("POST /orders: HTTP " + std::to_string(offered.status));
    d.wakeUp = offered.body;
  }
  const protocol::WakeUp wake = protocol::parseWakeUp(d.wakeUp);
  printOut("  {:<9} -> {:<9} {:<8} {:>5} bytes  {}; {}, LID-M {}, SET URL {} {}\n", "merchant", to, "wake-up", d.wakeUp.size(),
           protocol::wakeUpMediaType, amount(wake.purchAmt), shortHex(*wake.lidM), safeText(wake.paymentUrl), how);
  std::string by;
  if (proxy_) {
    static const std::regex purchase("Purchase ([0-9a-f]{32})");
    std::smatch m;
    if (page->status != 200 || !std::regex_search(page->body, m, purchase))
      throw std::runtime_error("the handset got HTTP " + std::to_string(page->status) + " \"" + safeText(htmlTitle(page->body)) +
                               "\" instead of the confirmation page; see " + s_.file("redirector-gw.log").string());
    d.purchase = m[1];
    by = "`setpay redirector --mode gateway-proxy` (pid " + std::to_string(proxy_->pid()) + "), for the MSISDN that RADIUS put behind " +
         kHandsetAddress;
  } else {
    d.purchase = start(d.wakeUp, scene);
    by = "`" + shown().substr(2) + "` (pid " + std::to_string(process_->pid()) + ")";
  }
  purchase_ = d.purchase;
  printOut("  {:<9} -> {:<9} {:<8}        XML envelope ({}): MSISDN {}, SET URL, the wake-up intact, fresh nonce and time, "
           "signed by the key enrolled for sender {} (the wallet's log); sent by {} -> HTTP 202, purchase {}...\n",
           mode_ == RedirectorMode::onTerminal ? "terminal" : "redirector", "wallet", "c", protocol::redirectMediaType, kMsisdn, safeText(walletLoggedSender(s_, d.purchase)), by,
           d.purchase.substr(0, 8));
  if (page)
    printOut("  {:<9} -> {:<9} {:<8} {:>5} bytes  HTTP {} {}, \"{}\" (the wake-up never reached the browser)\n", "redirector", "handset",
             "page", page->body.size(), page->status, safeText(page->contentType), safeText(htmlTitle(page->body)));
  return d;
}

bool CSender::finish(const std::string& outcome) {
  if (!proxy_) return finishProcess(outcome == "approved");
  // The handset's browser follows the page's refresh until the outcome shows.
  const std::string url = "http://redirector.setpay.invalid/purchase?id=" + purchase_;
  Fetched page;
  for (const auto deadline = Clock::now() + 10s;;) {
    page = proxy_->get(url);
    if (page.body.find("http-equiv=\"refresh\"") == std::string::npos || Clock::now() > deadline) break;
    std::this_thread::sleep_for(100ms);
  }
  static const std::regex shown("<p id=\"outcome\">([^<]*)</p>");
  std::smatch m;
  const std::string said = std::regex_search(page.body, m, shown) ? std::string(m[1]) : std::string("?");
  const std::string title = htmlTitle(page.body);
  printOut("  the handset's browser: GET {} (through the proxy) -> HTTP {}, \"{}\", outcome {}\n", safeText(url), page.status,
           safeText(title), safeText(said));
  return page.status == 200 && said == outcome && title == (outcome == "approved" ? "Payment approved" : "Payment not approved");
}

std::string CSender::stop(bool& clean) {
  clean = true;
  return proxy_ ? proxy_->stop(clean) : std::string();
}

std::string CSender::shown() const {  // the paths under DIR by their names (the demo prints DIR once)
  std::vector<std::string> shortened = args_;
  for (auto& a : shortened)
    if (a.rfind(s_.dir.string() + "/", 0) == 0) a = a.substr(s_.dir.string().size() + 1);
  return command(shortened);
}

pid_t CSender::pid() const { return proxy_ ? proxy_->pid() : process_ ? process_->pid() : -1; }

bool CSender::finishProcess(bool expectOk) {
  if (!process_) return false;
  const pid_t pid = process_->pid();
  const auto ended = process_->wait(15s);
  const ExitStatus st = ended ? *ended : process_->stop();
  printOut("  {} (pid {}) printed:\n", shown(), pid);
  LogTail tail(process_->log());
  for (const auto& line : tail.newLines()) printOut("    | {}\n", safeText(line));
  printOut("    {}{}\n", ended ? "" : "(did not end: SIGTERM) ", st.text());
  return ended && st.ok() == expectOk;
}

}  // namespace setpay::cli::demo
