#include "protocol/redirect/replay.hpp"

namespace setpay::protocol {

std::string nonceKey(const Sender& sender, ByteView nonce) {
  return std::string(token(sender.kind)) + " " + sender.id + " " + hex(nonce);
}

NonceCheck MemoryNonceRegistry::remember(const Sender& sender, ByteView nonce, TimePoint now, TimePoint forgetAfter) {
  while (!byExpiry_.empty() && byExpiry_.begin()->first < now) {
    seen_.erase(byExpiry_.begin()->second);
    byExpiry_.erase(byExpiry_.begin());
  }
  std::string key = nonceKey(sender, nonce);
  if (seen_.contains(key)) return NonceCheck::replayed;
  if (seen_.size() >= capacity_) return NonceCheck::full;
  seen_.emplace(key, forgetAfter);
  byExpiry_.emplace(forgetAfter, std::move(key));
  return NonceCheck::fresh;
}

}  // namespace setpay::protocol
