// `setpay merchant`: the shop side and the SET side of a merchant over runtime's HTTP(S) server, with
// SQLite state (SqliteMerchantStore) and the gateway reached over HTTPS (runtime::HttpClient, the
// merchant's TLS client certificate).
//   GET  /        a small shop page (amount, currency, description → POST /orders)
//   POST /orders  application/json {amount, currency, description[, exp10]} → the wake-up,
//                 Content-Type application/set-payment-initiation (messages a and b of the seed)
//   POST /set     application/set-payment: PInitReq, PReq, InqReq → Merchant::handle
// A PReq that needs the gateway: its AuthReq is committed with the purchase (authorizing) inside
// handle(), then posted asynchronously; no thread waits and no lock is held while the gateway
// answers; the answer is settled on the work queue (processAuthRes) and the cardholder answered.
// A retry of the same PReq sends the kept AuthReq bytes again (Merchant::pendingAuthorization).
// Capture: captureOnce() (the `setpay merchant capture` command, and the [capture] schedule).
#pragma once

#include <memory>

#include "merchant/service/merchant_config.hpp"
#include "merchant/service/sqlite_merchant_store.hpp"
#include "runtime/http_client.hpp"

namespace setpay::runtime {
class Logger;
}

namespace setpay::merchant {

struct CaptureSummary {
  int captured = 0;    // CapRes success recorded
  int refused = 0;     // CapRes recorded with another CapCode (e.g. duplicateRequest)
  int unanswered = 0;  // no usable answer: the same CapReq goes again next time
};

// One capture round: a CapReq for each uncaptured approved authorization (at most `batch`), sent
// with postSync (a CLI command or the capture thread, never an io thread). Each CapReq is recorded
// before it leaves and sent again byte for byte until its CapRes is recorded.
CaptureSummary captureOnce(Merchant&, SqliteMerchantStore&, runtime::HttpClient&, const std::string& gatewayUrl,
                           std::size_t batch, runtime::Logger&);

class MerchantService {
 public:
  explicit MerchantService(MerchantServiceConfig);
  ~MerchantService();
  MerchantService(const MerchantService&) = delete;
  MerchantService& operator=(const MerchantService&) = delete;

  std::uint16_t start(bool handleSignals = true);  // listening when it returns
  bool run();                                      // until SIGTERM/SIGINT or stop(), drained
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace setpay::merchant
