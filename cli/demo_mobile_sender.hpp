// `setpay demo --mobile --redirector MODE`: the shop's order and the process that sends message c —
// `setpay redirector open FILE` (direct), `setpay redirector --mode relay open FILE` (relay: it then
// carries every SET message between wallet and merchant), `setpay terminal open FILE` (on-terminal), one
// per scene on the merchant's wake-up saved as DIR/wake-N.setpay (the browser's download); or the
// running `setpay redirector --mode gateway-proxy` diverting the wake-up the handset's browser ordered
// through it (cli/demo_mobile_proxy.hpp). Set up as a user would: the redirector's config and key
// (`setpay wallet enroll-sender`), or the terminal's config with its MSISDN and [wallet_c].
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/demo_mobile_system.hpp"

namespace setpay::cli::demo {

enum class RedirectorMode { direct, relay, gatewayProxy, onTerminal };
std::optional<RedirectorMode> parseRedirectorMode(std::string_view);  // direct | relay | gateway-proxy | on-terminal
const char* modeName(RedirectorMode);

class GatewayProxySide;

struct Delivered {
  std::string wakeUp;    // the merchant's answer to POST /orders, its bytes
  std::string purchase;  // the wallet's id (its 202 to c)
};

class CSender {
 public:
  // Writes the config, enrolls the key; gateway-proxy: starts the proxy, radclient (its path) and the front.
  CSender(System&, RedirectorMode, const std::string& radclient = "");
  CSender(const CSender&) = delete;
  CSender& operator=(const CSender&) = delete;
  ~CSender();

  // The order (JSON) to the shop, the wake-up to the sender, c to the wallet: prints the wake-up and c
  // lines. Throws (with the log to read) if c is not accepted.
  Delivered deliver(const std::string& order, int scene);
  // After the purchase ended: prints what the sender showed (its output and exit status, or the
  // handset's outcome page); true if that agrees with the wallet's `outcome`.
  bool finish(const std::string& outcome);
  std::string stop(bool& clean);  // gateway-proxy: the proxy, by PID; "" otherwise
  RedirectorMode mode() const { return mode_; }
  pid_t pid() const;

 private:
  std::string start(const std::string& wakeUp, int scene);  // the sender process on DIR/wake-N.setpay; its purchase id
  bool finishProcess(bool expectOk);  // waits for it, prints its output; its exit status as expected?
  std::string shown() const;
  System& s_;
  RedirectorMode mode_;
  std::filesystem::path config_;
  std::vector<std::string> args_;
  std::unique_ptr<Process> process_;
  std::unique_ptr<GatewayProxySide> proxy_;
  std::string purchase_;
};

}  // namespace setpay::cli::demo
