// Values the cardholder derives and the gateway re-derives to check a purchase: kept in one place so
// the two sides cannot drift apart (SPEC-CHOICES.md "## purchase").
#pragma once

#include "protocol/bytes.hpp"
#include "protocol/profile.hpp"

namespace setpay::protocol {

// PIHead.TransStain = HMAC(XID, CardSecret) (SPEC-CHOICES.md "## purchase"). setpay has no CCA registration exchange,
// so there is no NonceCCA: CardSecret is the card's PAN secret, which the gateway learns from PANData.
Bytes transStain(const AlgorithmProfile& profile, ByteView xid, ByteView panSecret);

}  // namespace setpay::protocol
