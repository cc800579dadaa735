#include "merchant/merchant_store.hpp"

namespace setpay::merchant {

using protocol::Bytes;
using protocol::ByteView;

TransactionState stateOf(const PurchaseState& s) { return static_cast<TransactionState>(s.index()); }

bool Transaction::paid() const {
  const auto* answered = std::get_if<Answered>(&state);
  return answered && answered->authorization.authCode == protocol::AuthCode::approved;
}

void InMemoryMerchantStore::saveOrder(const OfferedOrder& o) {
  const std::lock_guard lock(mutex_);
  orders_[o.lidM] = o;
}

std::optional<OfferedOrder> InMemoryMerchantStore::findOrder(ByteView lidM) const {
  const std::lock_guard lock(mutex_);
  const auto it = orders_.find(Bytes(lidM.begin(), lidM.end()));
  if (it == orders_.end()) return std::nullopt;
  return it->second;
}

void InMemoryMerchantStore::saveTransaction(const Transaction& t) {
  const std::lock_guard lock(mutex_);
  transactions_[t.transIDs.xid] = t;
}

std::optional<Transaction> InMemoryMerchantStore::findTransaction(ByteView xid) const {
  const std::lock_guard lock(mutex_);
  const auto it = transactions_.find(Bytes(xid.begin(), xid.end()));
  if (it == transactions_.end()) return std::nullopt;
  return it->second;
}

bool InMemoryMerchantStore::replaceTransaction(const Transaction& next, TransactionState expected) {
  const std::lock_guard lock(mutex_);
  const auto it = transactions_.find(next.transIDs.xid);
  if (it == transactions_.end() || it->second.stateKind() != expected) return false;
  it->second = next;
  return true;
}

std::size_t InMemoryMerchantStore::removeAbandoned(protocol::TimePoint ordersOfferedBefore,
                                                   protocol::TimePoint transactionsOpenedBefore) {
  const std::lock_guard lock(mutex_);
  const std::size_t transactions = std::erase_if(transactions_, [&](const auto& entry) {
    const Transaction& t = entry.second;
    const auto kind = t.stateKind();
    return (kind == TransactionState::awaitingPReq || kind == TransactionState::superseded) &&
           t.opened < transactionsOpenedBefore;
  });
  const std::size_t orders = std::erase_if(orders_, [&](const auto& entry) {
    const OfferedOrder& o = entry.second;
    return o.offered < ordersOfferedBefore && (!o.xid || !transactions_.contains(*o.xid));
  });
  return transactions + orders;
}

}  // namespace setpay::merchant
