// `setpay demo --mobile --redirector MODE`: the process that sends message c, one per scene — `setpay
// redirector open FILE` (direct), `setpay redirector --mode relay open FILE` (relay: it then carries every
// SET message between wallet and merchant), `setpay terminal open FILE` (on-terminal). Set up as a user
// would: the redirector's config and key (`setpay wallet enroll-sender`), or the terminal's config with
// its MSISDN and [wallet_c]. The merchant's wake-up is written to DIR/wake-N.setpay (the browser's download).
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

class CSender {
 public:
  CSender(System&, RedirectorMode);  // direct, relay, on-terminal; writes the config, enrolls the key
  CSender(const CSender&) = delete;
  CSender& operator=(const CSender&) = delete;
  ~CSender();

  // Writes the wake-up to DIR/wake-N.setpay, starts the sender process on it; the purchase id it
  // printed (its HTTP 202 from the wallet). Throws with its log if it ends or is silent first.
  std::string start(const std::string& wakeUp, int scene);
  const char* who() const;      // the trace's name for the sender of c
  std::string shown() const;    // the command line of the last start, as typed
  pid_t pid() const;
  // Waits for the last sender to end and prints its output; true if its exit status is `expectOk`'s.
  bool finish(bool expectOk);

 private:
  System& s_;
  RedirectorMode mode_;
  std::filesystem::path config_;
  std::vector<std::string> args_;
  std::unique_ptr<Process> process_;
};

}  // namespace setpay::cli::demo
