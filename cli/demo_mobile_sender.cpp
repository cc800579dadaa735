#include "cli/demo_mobile_sender.hpp"

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "cli/demo_trace.hpp"
#include "cli/output.hpp"
#include "cli/service_configs.hpp"
#include "protocol/text/scrub.hpp"

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

CSender::CSender(System& s, RedirectorMode mode) : s_(s), mode_(mode) {
  if (mode == RedirectorMode::gatewayProxy) throw std::logic_error("gateway-proxy has its own sender (demo_mobile_proxy)");
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

const char* CSender::who() const { return mode_ == RedirectorMode::onTerminal ? "terminal" : "redirector"; }

std::string CSender::shown() const {  // the paths under DIR by their names (the demo prints DIR once)
  std::vector<std::string> shortened = args_;
  for (auto& a : shortened)
    if (a.rfind(s_.dir.string() + "/", 0) == 0) a = a.substr(s_.dir.string().size() + 1);
  return command(shortened);
}

pid_t CSender::pid() const { return process_ ? process_->pid() : -1; }

bool CSender::finish(bool expectOk) {
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
