// A bounded in-memory NonceRegistry (the wallet service keeps its nonces in its database instead,
// wallet-server/service/wallet_store.hpp, so a restart does not forget them). Not thread-safe: the caller serialises access.
#pragma once

#include <map>
#include <string>

#include "protocol/redirect/sign.hpp"

namespace setpay::protocol {

// What a registry records for (sender, nonce): "kind id hex(nonce)". Sender ids never contain a space
// (validSenderId), so the key is unambiguous.
std::string nonceKey(const Sender&, ByteView nonce);

class MemoryNonceRegistry final : public NonceRegistry {
 public:
  explicit MemoryNonceRegistry(std::size_t capacity = 100000) : capacity_(capacity) {}
  // Forgets every entry whose forgetAfter is before `now`, then records; `full` at capacity.
  NonceCheck remember(const Sender&, ByteView nonce, TimePoint now, TimePoint forgetAfter) override;
  std::size_t size() const { return seen_.size(); }

 private:
  std::size_t capacity_;
  std::map<std::string, TimePoint> seen_;             // sender kind, id and nonce → forgetAfter
  std::multimap<TimePoint, std::string> byExpiry_;    // the same entries, oldest first
};

}  // namespace setpay::protocol
