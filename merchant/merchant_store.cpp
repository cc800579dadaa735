#include "merchant/merchant_store.hpp"

namespace setpay::merchant {

void InMemoryMerchantStore::saveOrder(const OfferedOrder& o) {
  std::lock_guard lock(mutex_);
  orders_[o.lidM] = o;
}

std::optional<OfferedOrder> InMemoryMerchantStore::findOrder(protocol::ByteView lidM) const {
  std::lock_guard lock(mutex_);
  const auto it = orders_.find(protocol::Bytes(lidM.begin(), lidM.end()));
  if (it == orders_.end()) return std::nullopt;
  return it->second;
}

void InMemoryMerchantStore::saveTransaction(const Transaction& t) {
  std::lock_guard lock(mutex_);
  transactions_[t.transIDs.xid] = t;
}

std::optional<Transaction> InMemoryMerchantStore::findTransaction(protocol::ByteView xid) const {
  std::lock_guard lock(mutex_);
  const auto it = transactions_.find(protocol::Bytes(xid.begin(), xid.end()));
  if (it == transactions_.end()) return std::nullopt;
  return it->second;
}

}  // namespace setpay::merchant
