// Ready-to-run service configurations for a hierarchy directory minted by `setpay pki init`:
// DIR/gateway.toml pointing at DIR's keys, a loopback TLS hierarchy under DIR/tls/ (separate from
// SET's: a small CA, server certificates for 127.0.0.1/localhost, a merchant client certificate),
// the gateway's data directory with its PAN hash key, and DIR/merchant.toml. Later services add their
// writer to writeServiceConfigs().
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "protocol/profile.hpp"

namespace setpay::cli {

// DIR/tls/ca.pem (+ ca-key.pem, 0600) and, per name, DIR/tls/<name>.pem + <name>-key.pem: server
// certificates (serverAuth, SAN DNS:localhost IP:127.0.0.1) for `servers`, client certificates
// (clientAuth, CN = name) for `clients`. ECDSA P-256, valid two years.
void mintLoopbackTls(const std::filesystem::path& tlsDir, const std::vector<std::string>& servers,
                     const std::vector<std::string>& clients);

struct GatewayConfigOptions {
  std::uint16_t port = 8443;
  std::optional<std::string> portFile;   // [server] port_file (tests: port 0)
  std::optional<std::string> logFile;    // [log] file (default: standard error)
  std::string logFormat = "human";
  std::string clientCertificates = "required";
  unsigned maxConnections = 256;
  unsigned readTimeoutMs = 10000, handshakeTimeoutMs = 5000, drainTimeoutMs = 10000;
};

// DIR/gateway.toml, DIR/gateway/ (database directory) and DIR/gateway/pan-hash.key (0600, kept if present).
void writeGatewayConfig(const std::filesystem::path& dir, const protocol::AlgorithmProfile&,
                        const GatewayConfigOptions& = {});

struct MerchantConfigOptions {
  std::uint16_t port = 8444;
  std::optional<std::string> portFile;   // [server] port_file (tests: port 0)
  std::optional<std::string> logFile;    // [log] file (default: standard error)
  std::string logFormat = "human";
  std::string gatewayUrl = "https://127.0.0.1:8443/set";
  unsigned gatewayTimeoutMs = 30000;
  unsigned captureIntervalS = 0;         // [capture] interval_s (0: only `setpay merchant capture`)
  unsigned sweepIntervalS = 300;         // [set] sweep_interval_s (0: abandoned orders are never deleted)
  unsigned maxConnections = 256;
  unsigned readTimeoutMs = 10000, handshakeTimeoutMs = 5000, drainTimeoutMs = 10000;
};

// DIR/merchant.toml and DIR/merchant/ (database directory): the shop's TLS server certificate
// (tls/merchant.pem), its client certificate for the gateway (tls/merchant-client.pem), its SET keys.
void writeMerchantConfig(const std::filesystem::path& dir, const protocol::AlgorithmProfile&,
                         const MerchantConfigOptions& = {});

struct WalletConfigOptions {
  std::uint16_t port = 8446, mobilePort = 8447;
  std::optional<std::string> portFile, mobilePortFile;  // tests: ports 0
  std::optional<std::string> logFile;
  std::string logFormat = "human";
  unsigned eTimeoutS = 120;
  std::string cardMode = "sealed-pi";
  unsigned maxConnections = 256;
  std::int64_t pointsPerUnit = 1;
  std::string merchantCaFile = "tls/ca.pem";  // [merchant] ca_file: the merchants' HTTPS roots
  std::optional<std::string> traceDir;  // [trace] messages_dir (the demo: every purchase's messages)
};

// DIR/wallet.toml and DIR/wallet/ (database directory). Needs DIR/tls/wallet.pem (+ key), the
// terminals' client CA DIR/tls/ca.pem, and the SET Root, CA certificates and CRLs of DIR. The wallet's
// channel key (signs d and f; terminals pin its public half) is DIR/wallet/channel-key.pem, made if
// absent, with DIR/wallet/channel-pub.pem beside it.
void writeWalletConfig(const std::filesystem::path& dir, const protocol::AlgorithmProfile&, const WalletConfigOptions& = {});

// DIR/terminal.toml for `setpay terminal`: the wallet's mobile channel (port, or the wallet's port
// file), the loopback TLS CA, the wallet's channel public key, the terminal's client certificate
// (DIR/tls/terminal-client.pem: enroll it with `setpay wallet enroll --terminal-cert`) and the SET Root.
struct TerminalConfigOptions {
  std::uint16_t walletPort = 8447;
  std::optional<std::string> walletPortFile;
  std::optional<std::string> reader;
  bool allowCardData = false;
  std::string name = "terminal";  // DIR/<name>.toml and DIR/tls/<name>-client.pem
  // `setpay terminal open FILE` (on-terminal mode): the handset's MSISDN, its Sender id (as enrolled:
  // `setpay wallet enroll --sender-id`, default handset) and the wallet's HTTPS port for message c.
  // (Each with a default member initializer: positional initialisers elsewhere stay warning-free.)
  std::optional<std::string> msisdn{};
  std::string senderId = "handset";
  std::uint16_t walletCPort = 8446;
  std::optional<std::string> walletCPortFile{};
};
void writeTerminalConfig(const std::filesystem::path& dir, const TerminalConfigOptions& = {});

// DIR/<name>.toml for `setpay redirector open FILE` (direct mode) and its key DIR/<name>/key.pem
// (ECDSA P-256, 0600, made if absent) with DIR/<name>/pub.pem beside it: enroll that at the wallet
// with `setpay wallet enroll-sender --msisdn M --sender-id ID --key DIR/<name>/pub.pem`.
struct RedirectorConfigOptions {
  std::string msisdn = "+33600000001";
  std::string senderId = "desktop";
  std::uint16_t walletPort = 8446;
  std::optional<std::string> walletPortFile;
  unsigned waitS = 300;
  std::string name = "redirector";
};
void writeRedirectorConfig(const std::filesystem::path& dir, const RedirectorConfigOptions& = {});

// DIR/<name>.toml for `setpay redirector --mode gateway-proxy`, the operator redirector's key
// DIR/<name>/key.pem (+ pub.pem, enrolled per account with `setpay wallet enroll-sender`) and the
// RADIUS shared secret DIR/<name>/radius-secret (0600, random, kept if present).
struct GatewayProxyConfigOptions {
  std::uint16_t port = 3128, accountingPort = 1813, walletPort = 8446;
  std::optional<std::string> portFile, accountingPortFile, walletPortFile, logFile;
  std::string senderId = "operator-gw-1";
  std::vector<std::string> accessNetworks{"127.0.0.0/8"};
  std::vector<std::string> allowHosts{"127.0.0.1", "localhost"};
  std::string name = "redirector-gw";
};
void writeGatewayProxyConfig(const std::filesystem::path& dir, const GatewayProxyConfigOptions& = {});

// Everything `setpay pki init DIR` adds beside the SET hierarchy.
void writeServiceConfigs(const std::filesystem::path& dir, const protocol::AlgorithmProfile&);

}  // namespace setpay::cli
