// `setpay gateway`: POST /set with Content-Type application/set-payment (AuthReq, CapReq) → the
// PaymentGateway, over runtime's HTTP(S) server, with SQLite state.
// Durability contract: each SET message runs inside one BEGIN IMMEDIATE transaction on the one
// connection the store and the issuer share; the reply is sent only after COMMIT, so an AuthRes that
// left the gateway is on disk (synchronous=FULL) with its exact bytes, and a replayed AuthReq — also
// after a crash and restart — gets those bytes again. A reply that is a SET Error rolls back whatever
// the request touched (a hold without its authorization record cannot remain). If COMMIT fails the
// client gets HTTP 503 and no SET reply; its retry is processed afresh.
#pragma once

#include <memory>

#include "gateway/service/gateway_config.hpp"

namespace setpay::gateway {

class GatewayService {
 public:
  explicit GatewayService(GatewayServiceConfig);
  ~GatewayService();
  GatewayService(const GatewayService&) = delete;
  GatewayService& operator=(const GatewayService&) = delete;

  std::uint16_t start(bool handleSignals = true);  // listening when it returns
  bool run();                                      // until SIGTERM/SIGINT or stop(), drained
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace setpay::gateway
