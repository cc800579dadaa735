// The mobile channel's server side (protocol/MOBILE-MESSAGES.md, DESIGN §3 "Transport"): each terminal
// keeps one Beast WebSocket over TLS open to the wallet. TLS requires a client certificate under the
// configured CA, and the certificate's key must be the one enrolled for an MSISDN (admit()); the
// terminal is then known by its terminal ID (SHA-256 of that key's SubjectPublicKeyInfo), which is
// also the Binding.terminalID of d/e/f. Binary frames, one d/e/f message each, at most
// mobile::limits::message octets. A newer connection of the same terminal replaces the older one.
// Keep-alive pings detect a vanished handset. A few io threads serve every connection: no thread per
// terminal, none waits on a handset. Timers for the purchases run on the same io threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "protocol/bytes.hpp"
#include "wallet-server/service/wallet_config.hpp"

namespace setpay::runtime {
class Logger;
}

namespace setpay::wallet {

class MobileChannel {
 public:
  struct Handlers {
    // Is this terminal enrolled? Called on an io thread after the TLS handshake; keep it quick.
    std::function<bool(const protocol::Bytes& terminalID)> admit;
    // The terminal's WebSocket is open (after a reconnect too): push what awaits it.
    std::function<void(const protocol::Bytes& terminalID)> connected;
    // One binary message from the terminal (e).
    std::function<void(const protocol::Bytes& terminalID, protocol::Bytes message)> received;
  };

  // A timer on the channel's io threads; cancel() is thread-safe, and the callback never runs after it.
  class Timer {
   public:
    virtual ~Timer() = default;
    virtual void cancel() = 0;
  };

  MobileChannel(MobileChannelOptions, runtime::Logger&, Handlers, unsigned threads = 2);
  ~MobileChannel();
  MobileChannel(const MobileChannel&) = delete;
  MobileChannel& operator=(const MobileChannel&) = delete;

  std::uint16_t start();  // binds, listens, starts the io threads; returns the port (also written to port_file)
  void stop();            // closes every connection, joins the io threads

  // Thread-safe. Queues `message` for the terminal's current connection; false when it has none.
  bool send(const protocol::Bytes& terminalID, protocol::Bytes message);
  bool connected(const protocol::Bytes& terminalID) const;
  std::size_t connections() const;

  std::unique_ptr<Timer> after(std::chrono::milliseconds, std::function<void()>);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace setpay::wallet
