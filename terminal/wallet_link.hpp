// The terminal's end of the mobile channel (DESIGN §3 "Transport"): one TLS WebSocket to the wallet,
// opened by the terminal. TLS authenticates the wallet against ca_file (and its name or IP) and the
// terminal by its client certificate, whose key is the one enrolled for the MSISDN. Blocking: a
// terminal serves one handset and has nothing else to do while it waits for d or f. Control frames
// (the wallet's keep-alive pings) are answered inside read().
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "protocol/bytes.hpp"

namespace setpay::terminal {

struct WalletLinkOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::filesystem::path caFile;                    // the wallet's TLS roots (PEM)
  std::filesystem::path certificate, privateKey;   // the terminal's client certificate and its key (PEM)
  std::chrono::milliseconds connectTimeout{5000};
};

class WalletLink {
 public:
  explicit WalletLink(WalletLinkOptions);
  ~WalletLink();
  WalletLink(const WalletLink&) = delete;
  WalletLink& operator=(const WalletLink&) = delete;

  void connect();                          // TCP, TLS, WebSocket upgrade; throws std::runtime_error
  std::optional<protocol::Bytes> read();   // one binary message; nullopt when the wallet closed
  void write(protocol::ByteView message);  // throws std::runtime_error
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace setpay::terminal
