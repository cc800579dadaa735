// What a wallet that is dishonest or confused would send the merchant: a PReq made and dual-signed by
// the card exactly as wallet-server/ makes it, after `tweak` has edited its OIData (so the cardholder's
// signature is valid over the edited OIData).
#pragma once

#include <functional>

#include "tests/roles/roles_fixture.hpp"

namespace setpay::roles_test {

Bytes dualSignedPReq(Scene& s, Card& card, const protocol::WakeUp& wakeUp, ByteView pInitResWrapper,
                     const std::function<void(protocol::OIData&)>& tweak = {});

// The XID a PInitRes opened.
Bytes xidOf(const Scene& s, ByteView pInitResWrapper);

// The SET Error in `wrapper`, opened (signature checked), or nullopt when it is something else.
std::optional<protocol::OpenedError> errorIn(const Scene& s, ByteView wrapper);
// Its ErrorCode (throws when `wrapper` is not an Error).
protocol::ErrorCode errorCodeIn(const Scene& s, ByteView wrapper);

}  // namespace setpay::roles_test
