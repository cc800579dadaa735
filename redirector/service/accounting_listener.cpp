#include "redirector/service/accounting_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "runtime/log.hpp"

namespace setpay::redirector {

AccountingListener::AccountingListener(AccountingListenerOptions o, MsisdnTable& table, std::mutex& tableMutex, runtime::Logger& log)
    : options_(std::move(o)), table_(table), tableMutex_(tableMutex), log_(log) {}

AccountingListener::~AccountingListener() {
  stop();
  if (socket_ >= 0) ::close(socket_);
}

std::uint16_t AccountingListener::start() {
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (::inet_pton(AF_INET, options_.address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(options_.port);
    length = sizeof *v4;
  } else if (::inet_pton(AF_INET6, options_.address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(options_.port);
    length = sizeof *v6;
  } else {
    throw std::runtime_error("accounting address is not an IP address: " + options_.address);
  }
  socket_ = ::socket(storage.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (socket_ < 0) throw std::runtime_error(std::string("accounting socket: ") + std::strerror(errno));
  if (::bind(socket_, reinterpret_cast<sockaddr*>(&storage), length) != 0)
    throw std::runtime_error("accounting bind " + options_.address + ":" + std::to_string(options_.port) + ": " + std::strerror(errno));
  if (::getsockname(socket_, reinterpret_cast<sockaddr*>(&storage), &length) != 0)
    throw std::runtime_error(std::string("accounting getsockname: ") + std::strerror(errno));
  const std::uint16_t port = ntohs(storage.ss_family == AF_INET ? v4->sin_port : v6->sin6_port);
  if (options_.portFile) {
    const auto tmp = options_.portFile->string() + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::filesystem::rename(tmp, *options_.portFile);
  }
  thread_ = std::thread([this] { run(); });
  return port;
}

void AccountingListener::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void AccountingListener::run() {
  std::array<std::uint8_t, 4096 + 1> buffer{};  // one more than RFC 2865's maximum: a longer datagram is malformed
  while (!stop_) {
    pollfd p{socket_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    sockaddr_storage from{};
    socklen_t fromLength = sizeof from;
    const ssize_t n = ::recvfrom(socket_, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&from), &fromLength);
    if (n < 0) continue;
    std::optional<IpAddress> source;
    if (from.ss_family == AF_INET) {
      std::array<std::uint8_t, 4> a{};
      std::memcpy(a.data(), &reinterpret_cast<sockaddr_in*>(&from)->sin_addr, 4);
      source = IpAddress::v4(a);
    } else if (from.ss_family == AF_INET6) {
      std::array<std::uint8_t, 16> a{};
      std::memcpy(a.data(), &reinterpret_cast<sockaddr_in6*>(&from)->sin6_addr, 16);
      source = IpAddress::v6(a);
    }
    if (!source) continue;
    AccountingResult r;
    {
      const std::lock_guard lock(tableMutex_);
      r = handleAccounting(protocol::ByteView(buffer.data(), static_cast<std::size_t>(n)), *source, options_.accounting, table_);
    }
    const bool good = r.outcome == AccountingOutcome::recorded || r.outcome == AccountingOutcome::ignored;
    log_.log(good ? runtime::LogLevel::info : runtime::LogLevel::warn, "accounting",
             {{"source", source->toString()}, {"outcome", std::string(name(r.outcome))}, {"detail", r.detail}});
    if (r.response) ::sendto(socket_, r.response->data(), r.response->size(), 0, reinterpret_cast<sockaddr*>(&from), fromLength);
  }
}

}  // namespace setpay::redirector
