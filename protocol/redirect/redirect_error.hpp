// Why message c (the redirected wake-up) was refused. A RedirectError is a ProtocolError (the protocol
// layer's one error type) carrying the finer reason; the wallet maps the reason once to an HTTP status
// (suggestedHttpStatus, table in protocol/REDIRECT-ENVELOPE.md "Errors").
#pragma once

#include <string>
#include <string_view>

#include "protocol/error.hpp"

namespace setpay::protocol {

enum class RedirectReason {
  tooBig,               // over redirect_limits::envelopeMax
  badXml,               // not well-formed, a DTD, wrong encoding
  schemaInvalid,        // well-formed but not valid against redirect-envelope.xsd
  badField,             // valid XML, but a field fails its strict parser (base64, MSISDN, URL, time …)
  wakeUpInvalid,        // the wake-up bytes do not parse with protocol/wakeup
  merchantUrlMismatch,  // MerchantUrl is not the wake-up's SET-Payment-URL
  unsigned_,            // no client authentication data, or no signature
  unknownMsisdn,        // no wallet account for that MSISDN (caller's key lookup)
  keyNotEnrolled,       // account exists, but no key enrolled for that sender (caller's key lookup)
  badSignature,         // signature does not verify, or algorithm does not match the enrolled key
  stale,                // time outside the freshness window (either side)
  passwordRequired,     // the account has a wallet password and c carries none
  passwordWrong,        // the password does not match the stored hash
  replayed,             // nonce already seen from this sender (caller's replay set)
  replayCacheFull,      // the replay set cannot record another nonce: refused, never waved through
};

std::string_view name(RedirectReason);

// The HTTP status the wallet's message c endpoint should answer (REDIRECT-ENVELOPE.md "Errors").
int suggestedHttpStatus(RedirectReason);

class RedirectError : public ProtocolError {
 public:
  RedirectError(RedirectReason reason, const std::string& detail);
  RedirectReason reason() const noexcept { return reason_; }

 private:
  RedirectReason reason_;
};

}  // namespace setpay::protocol
