// `setpay demo --mobile --redirector gateway-proxy`: the operator's side and the handset's browser.
// `setpay redirector --mode gateway-proxy` runs as its own process (its key enrolled with `setpay
// wallet enroll-sender`); `radclient` (freeradius-utils) sends the Accounting-Start that puts the
// MSISDN behind the handset's address 127.0.0.2; the shop's plain-HTTP front runs in the demo
// (POST /orders → the merchant's HTTPS POST /orders, its bytes and media type: a proxy cannot divert
// inside CONNECT); the handset's browser is plain HTTP/1.1 through the proxy from 127.0.0.2.
#pragma once

#include <memory>
#include <string>

#include "cli/demo_mobile_system.hpp"

namespace setpay::cli::demo {

inline constexpr const char* kHandsetAddress = "127.0.0.2";

struct Fetched {  // what the handset's browser got
  unsigned status = 0;
  std::string contentType, body;
};

class GatewayProxySide {
 public:
  GatewayProxySide(System&, const std::string& radclientPath);  // starts all, prints each command
  ~GatewayProxySide();
  GatewayProxySide(const GatewayProxySide&) = delete;
  GatewayProxySide& operator=(const GatewayProxySide&) = delete;

  Fetched order(const std::string& json);  // POST http://<front>/orders through the proxy
  Fetched get(const std::string& url);     // GET through the proxy
  std::string lastWakeUp() const;          // the merchant's answer the front passed on
  std::string frontUrl() const;
  pid_t pid() const;
  std::string stop(bool& clean);           // the proxy by PID: "redirector pid N (SIGTERM) exit 0"

 private:
  struct Front;
  System& s_;
  std::unique_ptr<Front> front_;
  std::unique_ptr<Process> proxy_;
  std::uint16_t proxyPort_ = 0;
};

}  // namespace setpay::cli::demo
