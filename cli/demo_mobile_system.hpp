// `setpay demo --mobile`'s running system: the vpcd reader of the caller's pcscd, and the processes
// started on loopback — `setpay gateway`, `merchant`, `wallet` (with [trace] messages_dir), `card` in the
// reader, `terminal` (its PIN from a pipe, the shopper's keypad) — each printed as the command it is.
// The account: `setpay gateway accounts add` (500.00 EUR) and `setpay wallet enroll` (the handset's key
// for the MSISDN, a 1000.00 EUR per-purchase ceiling), both run as the CLI commands they are.
#pragma once

#include <unistd.h>

#include <boost/json/object.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "cli/demo_process.hpp"
#include "pcsc/card_personalisation.hpp"
#include "protocol/profile.hpp"
#include "runtime/http_client.hpp"

namespace setpay::cli::demo {

inline constexpr const char* kMsisdn = "+33600000001";  // `setpay pki init`'s test card
inline constexpr std::int64_t kBalance = 50000, kCeiling = 100000;  // 500.00 EUR at the issuer, 1000.00 EUR per purchase

struct VirtualReader {
  std::string name;
  std::uint16_t vpcdPort = 35963;  // vpcd's default for slot 0
};

// The caller's pcscd and its vpcd reader (scripts/with-virtual-pcsc.sh exports VPCD_READER0 and
// VPCD_PORT; else the first "Virtual PCD" reader, port 35963). nullopt and `why` when there is none.
std::optional<VirtualReader> findVirtualReader(std::string& why);

struct System {  // stops what is still running, by PID, when it goes (reverse order)
  System(std::filesystem::path d, protocol::AlgorithmProfile p, VirtualReader r, pcsc::CardPersonalisation c)
      : dir(std::move(d)), profile(std::move(p)), reader(std::move(r)), card(std::move(c)) {}
  System(const System&) = delete;
  System& operator=(const System&) = delete;
  std::filesystem::path dir;
  protocol::AlgorithmProfile profile;
  VirtualReader reader;
  pcsc::CardPersonalisation card;
  std::unique_ptr<Process> gateway, merchant, wallet, cardProcess, terminal;
  std::string merchantUrl, walletUrl;
  std::string walletMerchantCa = "tls/ca.pem";  // the wallet's [merchant] ca_file (relay: one that trusts no merchant)
  int pinWrite = -1;  // the terminal's --pin-fd 0: the shopper's keypad
  std::unique_ptr<runtime::HttpClient> client;

  ~System() {
    if (pinWrite >= 0) ::close(pinWrite);
  }
  std::filesystem::path file(const std::string& name) const { return dir / name; }
};

// Writes the service configs (ports chosen by the system), creates the accounts, starts every process
// and waits until each is ready and the terminal is connected. Throws with the log to read.
void startSystem(System&);

// Stops exactly the processes started, by PID — the terminal ends by itself after its three f —
// and says how each one ended; `clean` is false unless every one exited 0.
std::string stopSystem(System&, bool& clean);

// `$ setpay ARGS…` as shown; `setpay ARGS…` run to its end (its output printed under `shown`),
// throwing if it fails.
std::string command(const std::vector<std::string>& args);
void runCli(const System&, const std::vector<std::string>& args, const std::string& shown);

// The wallet's JSON answers (GET /purchases).
boost::json::object getJson(runtime::HttpClient&, const std::string& url);
std::string jsonString(const boost::json::object&, const char* key);

}  // namespace setpay::cli::demo
