// `setpay redirector open FILE [--config F] [--no-wait]` (direct mode, seed 004 claims 2–3): the
// browser's handler for application/set-payment-initiation (deploy/setpay-redirector.desktop). Reads
// the merchant's wake-up from FILE, sends it to the wallet as message c with the configured MSISDN,
// signed by the redirector's key enrolled for it (redirector/service/wallet_client.hpp), prints the
// purchase id and follows it to its outcome. Exit codes: 0 approved (or accepted, with --no-wait),
// 1 refused by the wallet, declined, failed or not ended in time, 2 bad usage or configuration.
// `setpay redirector --mode relay open FILE` (claim 4): the same c (Sender kind relay), then every SET
// message between wallet and merchant passes through this process (wallet_client.hpp relay), the
// wallet never connecting to the merchant. `setpay redirector --mode gateway-proxy --config F` (claim 5): the operator's HTTP forward proxy
// (redirector/service/gateway_proxy.hpp) until SIGTERM/SIGINT; exit 0 when stopped, 1 if it cannot start.
#include <pthread.h>
#include <signal.h>

#include <memory>

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "cli/output.hpp"
#include "cli/redirector_command.hpp"
#include "protocol/text/scrub.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "redirector/service/gateway_proxy.hpp"
#include "redirector/service/redirector_config.hpp"
#include "redirector/service/wallet_client.hpp"

namespace setpay::cli {
namespace {

struct OpenArgs {
  std::string file, config;
  bool noWait = false;
};

}  // namespace

int sendWakeUp(const std::string& command, const std::string& wakeUpFile, const protocol::Msisdn& msisdn,
               const redirector::SenderIdentity& identity, const redirector::WalletTarget& wallet, bool wait,
               std::chrono::seconds waitFor, std::chrono::milliseconds poll, const runtime::ClientOptions* relayMerchant) {
  std::string wakeUp;
  try {
    wakeUp = readFile(wakeUpFile, protocol::redirect_limits::wakeUpMax);
  } catch (const FileError& e) {
    printErr("{}: {}\n", command, protocol::safeText(e.what()));
    return 1;
  }
  std::string xml;
  try {
    protocol::SystemRandom random;
    protocol::SystemClock clock;
    xml = redirector::signedC(protocol::view(wakeUp), msisdn, identity, random, clock);
  } catch (const std::exception& e) {
    printErr("{}: {} is not a wake-up the wallet would accept: {}\n", command, protocol::safeText(wakeUpFile),
             protocol::safeText(e.what()));
    return 1;
  }
  std::string base;
  try {
    base = wallet.baseUrl();
    runtime::HttpClient client(wallet.clientOptions());
    const auto sent = redirector::submitC(client, base, xml);
    if (!sent.purchase) {
      printErr("{}: the wallet refused message c: HTTP {}: {}", command, sent.status, protocol::safeText(sent.body));
      return 1;
    }
    printOut("purchase {}\n", protocol::safeText(*sent.purchase));
    if (relayMerchant) {  // relay mode: every SET message between wallet and merchant passes through here
      if (!sent.relay) {
        printErr("{}: the wallet did not open a relay for this purchase\n", command);
        return 1;
      }
      runtime::HttpClient merchant(*relayMerchant);
      runtime::ClientOptions longPoll = wallet.clientOptions();
      longPoll.requestTimeout = std::chrono::seconds(60);
      runtime::HttpClient relayClient(longPoll);
      const std::string merchantUrl = protocol::parseWakeUp(wakeUp).paymentUrl;
      if (!redirector::relay(relayClient, base, *sent.relay, merchant, merchantUrl, waitFor,
                             [](const std::string& what) { printOut("relayed {}\n", protocol::safeText(what)); })) {
        printErr("{}: purchase {} did not end within {} s\n", command, protocol::safeText(*sent.purchase), waitFor.count());
        return 1;
      }
    }
    if (!wait) return 0;
    const auto end = redirector::follow(client, base, *sent.purchase, waitFor, poll, [](const redirector::PurchaseState& s) {
      if (!s.ended()) printOut("state {}\n", protocol::safeText(s.state));
    });
    if (!end.ended()) {
      printErr("{}: purchase {} still {} after {} s\n", command, protocol::safeText(*sent.purchase), protocol::safeText(end.state),
               waitFor.count());
      return 1;
    }
    printOut("outcome {}  {}  {}{}\n", protocol::safeText(end.outcome), protocol::safeText(end.merchant), protocol::safeText(end.amount),
             end.reason.empty() ? "" : "  (" + protocol::safeText(end.reason) + ")");
    return end.outcome == "approved" ? 0 : 1;
  } catch (const std::exception& e) {
    printErr("{}: the wallet{}: {}\n", command, base.empty() ? "" : " at " + protocol::safeText(base), protocol::safeText(e.what()));
    return 1;
  }
}

namespace {

int runOpen(const OpenArgs& a, bool relay) {
  if (relay && a.noWait) usageError("--mode relay carries the purchase's messages: --no-wait does not apply");
  const std::filesystem::path configPath = a.config.empty() ? redirector::defaultRedirectorConfig() : std::filesystem::path(a.config);
  std::optional<redirector::DirectConfig> c;
  try {
    c = redirector::loadDirectConfig(configPath);
  } catch (const runtime::ConfigError& e) {
    printErr("setpay redirector open: {}\n", protocol::safeText(e.what()));
    return 2;
  }
  if (relay) c->identity.sender.kind = protocol::SenderKind::relay;
  return sendWakeUp("setpay redirector open", a.file, c->msisdn, c->identity, c->wallet, !a.noWait, c->wait, c->poll,
                    relay ? &c->merchant : nullptr);
}

// The gateway-proxy until SIGTERM/SIGINT: the signals are blocked before any thread starts, then
// awaited here (the proxy's and the accounting socket's threads never see them).
int runGatewayProxy(const std::string& configPath) {
  std::optional<redirector::GatewayProxyConfig> c;
  try {
    c = redirector::loadGatewayProxyConfig(configPath);
  } catch (const runtime::ConfigError& e) {
    printErr("setpay redirector: {}\n", protocol::safeText(e.what()));
    return 2;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  redirector::GatewayProxy proxy(std::move(*c));
  try {
    proxy.start();
  } catch (const std::exception& e) {
    printErr("setpay redirector: {}\n", protocol::safeText(e.what()));
    return 1;
  }
  int signal = 0;
  sigwait(&signals, &signal);
  proxy.stop();
  return 0;
}

}  // namespace

void addRedirectorCommand(CLI::App& root, int& exitCode) {
  CLI::App* r = root.add_subcommand("redirector", "the redirector: hands the merchant's wake-up to the wallet as message c");
  auto mode = std::make_shared<std::string>("direct");
  auto config = std::make_shared<std::string>();
  r->add_option("--mode", *mode,
                "direct | relay (both: `open FILE`; relay carries every SET message between wallet and merchant) | "
                "gateway-proxy (an HTTP forward proxy, --config)")
      ->check(CLI::IsMember({"direct", "relay", "gateway-proxy"}))
      ->capture_default_str();
  r->add_option("--config", *config,
                "gateway-proxy: its TOML file (redirector/service/gateway_proxy.hpp); given here without --mode, it "
                "means --mode gateway-proxy (direct and relay take theirs after `open`)");
  r->callback([r, mode, config, &exitCode] {
    if (!r->get_subcommands().empty()) return;  // open
    if (!config->empty() && r->count("--mode") == 0) *mode = "gateway-proxy";
    if (*mode != "gateway-proxy") usageError(*mode + " mode runs once per wake-up: setpay redirector [--mode " + *mode + "] open FILE");
    if (config->empty()) usageError("--mode gateway-proxy needs --config FILE");
    exitCode = runGatewayProxy(*config);
  });
  auto a = std::make_shared<OpenArgs>();
  CLI::App* open = r->add_subcommand("open", "direct (or --mode relay): send the wake-up in FILE (application/set-payment-initiation) "
                                             "to the wallet");
  open->add_option("FILE", a->file, "the wake-up as the merchant sent it (the browser's download)")->required();
  open->add_option("--config", a->config,
                   "the redirector's TOML file ([redirector] msisdn, sender_id, private_key; [wallet] host, port|port_file, ca_file; "
                   "[follow] wait_s, poll_ms); default $XDG_CONFIG_HOME/setpay/redirector.toml");
  open->add_flag("--no-wait", a->noWait, "print the purchase id and return without following the purchase");
  open->callback([a, mode, &exitCode] {
    if (*mode == "gateway-proxy") usageError("open is for the direct and relay modes");
    exitCode = runOpen(*a, *mode == "relay");
  });
}

}  // namespace setpay::cli
