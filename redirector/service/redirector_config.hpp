// `setpay redirector`'s TOML file (runtime/config.hpp: strict, relative paths from the file):
//   [redirector] msisdn (E.164), sender_id (as enrolled: `setpay wallet enroll-sender`), private_key,
//                wallet_password_file (optional: its first line goes in c, claims 9/15)
//   [wallet]     host, port | port_file, ca_file (the wallet's HTTPS roots), timeout_ms
//   [follow]     wait_s (how long `open` follows the purchase), poll_ms
//   [merchant]   ca_file, timeout_ms — relay mode only: the redirector, not the wallet, talks to the merchant
// `setpay pki init DIR` writes DIR/redirector.toml and the key (cli/service_configs.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "protocol/redirect/msisdn.hpp"
#include "redirector/service/wallet_client.hpp"
#include "runtime/config.hpp"
#include "runtime/http.hpp"

namespace setpay::redirector {

// Where message c goes: https://host:port (the port read from port_file when the wallet writes one).
struct WalletTarget {
  std::string host = "127.0.0.1";
  std::optional<std::uint16_t> port;
  std::optional<std::filesystem::path> portFile;
  std::filesystem::path caFile;
  std::chrono::milliseconds timeout{30000};

  std::string baseUrl() const;  // throws std::runtime_error if the port file holds no port
  runtime::ClientOptions clientOptions() const;
};

// Reads host, `portKey` | `portKey`_file, ca_file, timeout_ms from `t` (the terminal's file names its
// keys c_port / c_port_file beside the mobile channel's port).
WalletTarget readWalletTarget(const runtime::ConfigTable& t, const std::string& portKey = "port");

struct DirectConfig {
  protocol::Msisdn msisdn;
  SenderIdentity identity;  // kind direct (relay with --mode relay)
  WalletTarget wallet;
  runtime::ClientOptions merchant;  // relay mode: [merchant] ca_file (absent: the system store), timeout_ms
  std::chrono::seconds wait{300};
  std::chrono::milliseconds poll{500};
};

// Throws runtime::ConfigError naming the file, line and key.
DirectConfig loadDirectConfig(const std::filesystem::path&);

// A wallet password file's first line (a trailing CR dropped).
std::string readWalletPassword(const std::filesystem::path&);

// $XDG_CONFIG_HOME/setpay/redirector.toml, else ~/.config/setpay/redirector.toml (the desktop entry
// runs `setpay redirector open %f` without --config).
std::filesystem::path defaultRedirectorConfig();
// The same directory for another file: `setpay terminal open` uses terminal.toml there.
std::filesystem::path defaultConfigPath(const std::string& fileName);

}  // namespace setpay::redirector
