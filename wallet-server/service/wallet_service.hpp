// `setpay wallet`: the remote wallet server (seed 004 figure 2; DESIGN §1). HTTP(S), runtime's server:
//   POST /c          message c (application/vnd.setpay.redirect+xml, protocol/REDIRECT-ENVELOPE.md):
//                    parsed, validated against the XSD, client authentication checked against the key
//                    enrolled for the MSISDN, nonce and time replay refused. Refused → the 4xx of
//                    REDIRECT-ENVELOPE.md "Errors" and nothing else happens. Accepted → 202 with the
//                    purchase id ({"purchase":"…"}), and the purchase runs on its own.
//   GET /purchases?id=HEX   one purchase's state and outcome (JSON); without id: pending count, terminals.
//   GET|POST /relay?purchase=HEX&token=T  relay mode (c from a Sender of kind relay, claim 4): the wallet
//                    never connects to the merchant; GET long-polls for the next SET request (200, its
//                    DER; 204 once the purchase has ended), POST brings the merchant's answer back
//                    (application/set-payment, or text/plain saying why there is none). The token is
//                    in the 202 of c ({"relay":"/relay?…"}), given only to the sender.
//   GET /accounts?msisdn=E164  the account (brands, BIN, ceilings, loyalty points) and its last 50
//                    purchases, JSON; only for the operator's TLS client certificate ([api]).
//   POST /accounts, PATCH /accounts?msisdn=E164  enroll an account, set or clear its ceilings; the same
//                    operator rule (account_api.hpp, README.md).
// Each purchase is an asynchronous state machine (purchase steps in wallet_service.cpp, in the order of
// DESIGN §1): PInitReq → merchant (HTTPS, runtime's async client) → PInitRes → ceilings (a refusal goes
// to the terminal in f; it is never asked to sign) → d pushed on the terminal's WebSocket
// (mobile_channel.hpp) → e within [mobile] e_timeout_s (else the purchase is abandoned: f says so and
// the merchant receives nothing more) → PReq → PRes → f. The outcome, its history row and the loyalty
// points commit in one SQLite transaction. No thread waits on a handset or a merchant: CPU steps run on
// a small work pool, I/O on the io threads.
#pragma once

#include <memory>

#include "wallet-server/service/wallet_config.hpp"

namespace setpay::wallet {

class WalletService {
 public:
  explicit WalletService(WalletServiceConfig);
  ~WalletService();
  WalletService(const WalletService&) = delete;
  WalletService& operator=(const WalletService&) = delete;

  std::uint16_t start(bool handleSignals = true);  // HTTP port; the mobile channel is listening too
  bool run();                                      // until SIGTERM/SIGINT or stop(), drained
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace setpay::wallet
