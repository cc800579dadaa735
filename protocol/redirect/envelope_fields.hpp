// Internal to protocol/redirect: the field checks shared by formatEnvelope (what we send) and
// parseEnvelope (what we accept), so the two can never disagree.
#pragma once

#include "protocol/redirect/envelope.hpp"

namespace setpay::protocol {

// Throws RedirectError(badField | wakeUpInvalid | merchantUrlMismatch).
void checkEnvelopeFields(const RedirectEnvelope&);

// Wallet password text: 1..passwordMax octets of UTF-8 without control characters (XML would turn a
// CR into LF and break the signature).
bool validWalletPassword(std::string_view);

}  // namespace setpay::protocol
