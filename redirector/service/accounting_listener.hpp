// The gateway-proxy's RADIUS accounting socket (RFC 2866, UDP): each datagram goes through
// handleAccounting (redirector/accounting.hpp) into the MSISDN table, under the caller's mutex, and
// the Accounting-Response (when there is one) goes back to its source. One thread; stop() is prompt
// (poll with a 100 ms tick). Every datagram's outcome is logged (never the secret).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "redirector/accounting.hpp"
#include "redirector/msisdn_table.hpp"

namespace setpay::runtime {
class Logger;
}

namespace setpay::redirector {

struct AccountingListenerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 1813;  // 0: any free port
  std::optional<std::filesystem::path> portFile;
  AccountingConfig accounting;
};

class AccountingListener {
 public:
  AccountingListener(AccountingListenerOptions, MsisdnTable&, std::mutex& tableMutex, runtime::Logger&);
  ~AccountingListener();
  AccountingListener(const AccountingListener&) = delete;
  AccountingListener& operator=(const AccountingListener&) = delete;

  std::uint16_t start();  // binds; throws std::runtime_error
  void stop();

 private:
  void run();
  AccountingListenerOptions options_;
  MsisdnTable& table_;
  std::mutex& tableMutex_;
  runtime::Logger& log_;
  int socket_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace setpay::redirector
