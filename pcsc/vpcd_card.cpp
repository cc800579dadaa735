#include "pcsc/vpcd_card.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <span>
#include <chrono>
#include <thread>

#include "pcsc/card_error.hpp"
#include "protocol/bytes_reader.hpp"

namespace setpay::pcsc {

namespace {

constexpr auto reconnectInterval = std::chrono::milliseconds(50);
constexpr int pollMs = 50;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int connectTo(const std::string& host, std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
    throw CardError(CardErrorKind::protocol, "vpcd host must be an IPv4 address: " + host);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

enum class Read { ok, closed, stop };

// Reads exactly out.size() bytes, re-arming TCP_QUICKACK before every recv (the option is not sticky).
Read readExactly(int fd, std::span<std::uint8_t> out, bool quickAck, std::stop_token& stop) {
  std::size_t got = 0;
  while (got < out.size()) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, pollMs);
    if (stop.stop_requested()) return Read::stop;
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return Read::closed;
    if (ready == 0) continue;
    if (quickAck) {
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    }
    const ssize_t n = ::recv(fd, out.data() + got, out.size() - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Read::closed;
    got += static_cast<std::size_t>(n);
  }
  return Read::ok;
}

bool sendMessage(int fd, ByteView payload) {
  if (payload.size() > 0xFFFF) return false;  // vpcd's length prefix is 16 bits
  Bytes msg{static_cast<std::uint8_t>(payload.size() >> 8), static_cast<std::uint8_t>(payload.size() & 0xFF)};
  msg.insert(msg.end(), payload.begin(), payload.end());  // one send: length and payload together
  std::size_t sent = 0;
  while (sent < msg.size()) {
    const ssize_t n = ::send(fd, msg.data() + sent, msg.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

VpcdCard::Served VpcdCard::serve(int fd, std::stop_token& stop) {
  Bytes payload;
  for (;;) {
    // vpcd framing: a 16-bit big-endian length, then that many bytes (a control byte or an APDU).
    std::array<std::uint8_t, 2> header{};
    Read r = readExactly(fd, header, options_.quickAck, stop);
    if (r != Read::ok) return r == Read::stop ? Served::stop : Served::closed;
    protocol::BytesReader lengthField(header);
    std::uint16_t length = 0;
    if (!lengthField.u16be(length)) return Served::closed;
    payload.resize(length);
    r = readExactly(fd, payload, options_.quickAck, stop);
    if (r != Read::ok) return r == Read::stop ? Served::stop : Served::closed;

    protocol::BytesReader message(payload);
    std::uint8_t control = 0;
    if (message.remaining() == 1 && message.u8(control)) {  // control byte
      switch (control) {
        case 0x00:  // power off
        case 0x01:  // power on
        case 0x02:  // reset
          card_.powerEvent();
          break;
        case 0x04:  // get ATR, answered powered or not
          if (!sendMessage(fd, card_.atr())) return Served::closed;
          break;
        default:
          break;  // unknown control bytes are ignored, as vicc does
      }
      continue;
    }
    const ResponseApdu response = card_.process(payload);
    // describe() is hex plus masked fields, nothing else: no Luhn scrubbing, which would mangle the hex
    // (an AID or a signature can hold a Luhn-valid digit run); SPEC-CHOICES "Output hygiene".
    if (options_.trace) *options_.trace << card_.describe(payload, response) << std::endl;
    if (!sendMessage(fd, response.encode())) return Served::closed;
    ++served_;
    if (options_.removeAfter && served_ >= *options_.removeAfter) return Served::removed;
  }
}

VpcdCard::Outcome VpcdCard::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    const Socket s(connectTo(options_.host, options_.port));
    if (s.get() < 0) {
      std::this_thread::sleep_for(reconnectInterval);  // vpcd not listening yet
      continue;
    }
    card_.powerEvent();  // a fresh insertion
    switch (serve(s.get(), stop)) {
      case Served::stop: return Outcome::stopped;
      case Served::removed: return Outcome::removed;  // Socket closes: vpcd sees the card leave
      case Served::closed:
        if (!options_.reconnect) return Outcome::disconnected;
        break;
    }
  }
  return Outcome::stopped;
}

}  // namespace setpay::pcsc
