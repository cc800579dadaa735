// Puts a VirtualCard into a vpcd reader slot: a TCP client of pcscd's vpcd driver speaking its
// length-prefixed protocol (pcsc-and-virtual-cards.md §1). Used by `setpay card` and by tests
// (as a thread; the APDUs still go through the real pcscd).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <stop_token>
#include <string>

#include "pcsc/virtual_card.hpp"

namespace setpay::pcsc {

struct VpcdOptions {
  std::string host = "127.0.0.1";  // vpcd binds 0.0.0.0; loopback is all we need
  std::uint16_t port = 35963;
  // Debian's vpcd sends length and payload in two segments: without TCP_QUICKACK before every
  // recv, Nagle + delayed ACK cost ~40 ms per APDU. Off only for the benchmark's comparison.
  bool quickAck = true;
  std::optional<std::size_t> removeAfter;  // leave the reader after answering N command APDUs
  bool reconnect = true;                   // after vpcd closes (pcscd restart), connect again
  std::ostream* trace = nullptr;           // APDU trace, PIN/PAN masked
};

class VpcdCard {
 public:
  enum class Outcome { stopped, removed, disconnected };

  VpcdCard(VirtualCard& card, VpcdOptions options) : card_(card), options_(std::move(options)) {}

  // Connects (retrying every 50 ms until vpcd listens) and serves until `stop`, removal or, without
  // reconnect, the end of the connection.
  Outcome run(std::stop_token stop);
  std::size_t commandsServed() const { return served_; }

 private:
  enum class Served { stop, removed, closed };
  Served serve(int fd, std::stop_token& stop);

  VirtualCard& card_;
  VpcdOptions options_;
  std::size_t served_ = 0;
};

}  // namespace setpay::pcsc
