// `setpay demo --mobile`: one trace line for each mobile-leg message — c (the redirected wake-up, an
// XML envelope), d, e, f (signed DER, protocol/MOBILE-MESSAGES.md) — and for the card's APDUs: who
// signed it (verified here with the sender's pinned key), what is sealed for whom, and the key facts.
// Peer values are escaped and PAN-masked; lines leave through cli/output.hpp.
#pragma once

#include <openssl/evp.h>

#include <string>
#include <vector>

#include "cli/demo_trace.hpp"

namespace setpay::cli::demo {

struct MobileParties {
  EVP_PKEY* walletChannelKey;  // public: signs d and f
  EVP_PKEY* terminalKey;       // public: the handset's enrolled key, signs e (and c here)
  const X509* gatewayKeyExchange;  // the PI is sealed for it
};

// "  from -> to  d  N bytes  facts" for a d, e or f; a message that does not verify says so.
void showMobile(const MobileParties&, const char* from, const char* to, protocol::ByteView message);

// The APDUs `setpay card --trace` logged ("> CLA INS …" lines): how many, which commands.
std::string apduSummary(const std::vector<std::string>& cardTraceLines);

}  // namespace setpay::cli::demo
