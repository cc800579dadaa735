// Message c from a sender to the wallet (seed 004 claims 2, 3, 5, 6, 9): the merchant's wake-up bytes,
// unchanged, beside the MSISDN and the merchant's SET URL (the wake-up's SET-Payment-URL), signed with
// the sender's key enrolled at the wallet for that MSISDN (protocol/redirect/sign.hpp), POSTed over
// HTTPS to the wallet's /c; then the purchase followed on GET /purchases?id= until it ends.
// Shared by `setpay redirector open` (direct), `setpay terminal open` (on-terminal) and the
// gateway-proxy. Blocking calls on runtime's client: for a CLI or a worker thread, never an io thread.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "protocol/clock.hpp"
#include "protocol/openssl.hpp"
#include "protocol/random.hpp"
#include "protocol/redirect/envelope.hpp"
#include "runtime/http_client.hpp"

namespace setpay::redirector {

struct SenderIdentity {
  protocol::Sender sender;      // kind and the id enrolled at the wallet
  protocol::ossl::PKey key;     // private key: ECDSA P-256 or RSA >= 2048 (the algorithm follows the key)
  std::optional<std::string> walletPassword;
};

// The signed XML of message c. The wake-up is parsed first (the merchant URL is its SET-Payment-URL);
// throws protocol::RedirectError / ProtocolError for a wake-up or key the wallet would refuse.
std::string signedC(protocol::ByteView wakeUp, const protocol::Msisdn&, const SenderIdentity&, protocol::RandomSource&,
                    const protocol::Clock&);

struct Submitted {
  unsigned status = 0;                  // 202: accepted
  std::optional<std::string> purchase;  // its id when accepted
  std::optional<std::string> relay;     // relay mode: "/relay?purchase=…&token=…" (the wallet's 202)
  std::string body;                     // the wallet's answer (the refusal's reason otherwise)
};
// POST baseUrl + "/c". Throws runtime::TransportError when the wallet cannot be reached.
Submitted submitC(runtime::HttpClient&, const std::string& walletBaseUrl, const std::string& xml);

struct PurchaseState {
  std::string state;  // the wallet's stage, "ended" at the end
  std::string outcome, reason, merchant, amount;  // when ended
  bool ended() const { return state == "ended"; }
};
// GET /purchases?id= every `poll` until the purchase ends or `wait` passes (then the last state seen);
// `onChange` is told each new state. Throws runtime::TransportError, std::runtime_error (HTTP status).
PurchaseState follow(runtime::HttpClient&, const std::string& walletBaseUrl, const std::string& purchase,
                     std::chrono::milliseconds wait, std::chrono::milliseconds poll,
                     const std::function<void(const PurchaseState&)>& onChange = {});

// Relay mode (claim 4): the wallet never connects to the merchant. Long-polls the wallet's `relayPath`
// for each SET request, POSTs it to `merchantUrl` (the wake-up's SET-Payment-URL) with `merchant`, and
// brings the answer back (a transport error or non-200 goes back as text/plain, so the purchase ends
// with the reason). Returns when the wallet says the purchase has ended (204) or `wait` passes (false).
// `onExchange` is told each request carried ("PInitReq 123 B → HTTP 200"). Throws runtime::TransportError
// when the wallet cannot be reached, std::runtime_error for an answer that is not in the protocol.
bool relay(runtime::HttpClient& wallet, const std::string& walletBaseUrl, const std::string& relayPath, runtime::HttpClient& merchant,
           const std::string& merchantUrl, std::chrono::milliseconds wait,
           const std::function<void(const std::string&)>& onExchange = {});

}  // namespace setpay::redirector
