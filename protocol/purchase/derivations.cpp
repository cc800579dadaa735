#include "protocol/purchase/derivations.hpp"

#include "protocol/crypto/digest.hpp"

namespace setpay::protocol {

Bytes transStain(const AlgorithmProfile& profile, ByteView xid, ByteView panSecret) {
  return HMAC(profile, xid, panSecret);
}

}  // namespace setpay::protocol
