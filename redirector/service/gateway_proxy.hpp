// `setpay redirector --mode gateway-proxy` (seed 004 claim 5): an HTTP forward proxy on the operator's
// network (runtime/http_proxy.hpp) for handsets whose browser is the shopping client.
//  - The MSISDN behind a client address comes from RADIUS Accounting-Start/Stop (AccountingListener →
//    MsisdnTable), or from the one trusted header of a trusted upstream proxy; every MSISDN-like header
//    a client sends is stripped (msisdn_headers.hpp) and none is forwarded to origins.
//  - A response with Content-Type application/set-payment-initiation is not passed on: its body goes
//    to the wallet as message c (wallet_client.hpp, Sender kind gateway-proxy, the operator's key) for
//    that MSISDN, and the handset gets a small page: confirm on the card reader, then the outcome
//    (http://<status host>/purchase?id=…, refreshed until the purchase ends; only for the address
//    that started it). No MSISDN → 403 page; the wallet's refusal → its status and reason.
//  - CONNECT is tunnelled untouched: a wake-up fetched over HTTPS is never seen, so never diverted.
// Config (TOML): [redirector] sender_id, private_key; [proxy] address, port|port_file, threads,
// allow_hosts, status_host; [accounting] address, port, port_file, networks, secret_file, capacity;
// [headers] trusted_proxies, trusted_header; [wallet] host, port|port_file, ca_file, timeout_ms; [log].
#pragma once

#include <filesystem>
#include <memory>

#include "redirector/msisdn_headers.hpp"
#include "redirector/service/accounting_listener.hpp"
#include "redirector/service/redirector_config.hpp"
#include "runtime/http_proxy.hpp"
#include "runtime/log.hpp"

namespace setpay::redirector {

struct GatewayProxyConfig {
  runtime::ProxyOptions proxy;
  AccountingListenerOptions accounting;
  std::size_t tableCapacity = 1'000'000;
  MsisdnHeaderPolicy headers;
  SenderIdentity identity;  // kind gateway-proxy
  WalletTarget wallet;
  runtime::LogOptions log;
};

// Throws runtime::ConfigError naming the file, line and key.
GatewayProxyConfig loadGatewayProxyConfig(const std::filesystem::path&);

class GatewayProxy {
 public:
  explicit GatewayProxy(GatewayProxyConfig);
  ~GatewayProxy();
  GatewayProxy(const GatewayProxy&) = delete;
  GatewayProxy& operator=(const GatewayProxy&) = delete;

  void start();  // the accounting socket, then the proxy; throws on bind errors
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace setpay::redirector
