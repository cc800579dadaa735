#include "gateway/gateway_store.hpp"

namespace setpay::gateway {

using protocol::Bytes;
using protocol::ByteView;

std::optional<SentResponse> InMemoryGatewayStore::findResponse(const ReplayKey& key) const {
  const std::lock_guard lock(mutex_);
  const auto it = responses_.find(key);
  if (it == responses_.end()) return std::nullopt;
  return it->second;
}

void InMemoryGatewayStore::rememberResponse(const ReplayKey& key, SentResponse response) {
  const std::lock_guard lock(mutex_);
  responses_.insert_or_assign(key, std::move(response));
}

void InMemoryGatewayStore::forgetResponsesBefore(protocol::TimePoint t) {
  const std::lock_guard lock(mutex_);
  std::erase_if(responses_, [&](const auto& entry) { return entry.second.at < t; });
}

bool InMemoryGatewayStore::piUsed(ByteView xid, ByteView piDigest) const {
  const std::lock_guard lock(mutex_);
  return usedXids_.contains(Bytes(xid.begin(), xid.end())) || usedPIs_.contains(Bytes(piDigest.begin(), piDigest.end()));
}

void InMemoryGatewayStore::markPIUsed(ByteView xid, ByteView piDigest) {
  const std::lock_guard lock(mutex_);
  usedXids_.emplace(xid.begin(), xid.end());
  usedPIs_.emplace(piDigest.begin(), piDigest.end());
}

unsigned InMemoryGatewayStore::issuerAttempts(ByteView xid) const {
  const std::lock_guard lock(mutex_);
  const auto it = issuerAttempts_.find(Bytes(xid.begin(), xid.end()));
  return it == issuerAttempts_.end() ? 0 : it->second.count;
}

void InMemoryGatewayStore::recordIssuerAttempt(ByteView xid, protocol::TimePoint pReqDate) {
  const std::lock_guard lock(mutex_);
  Attempts& a = issuerAttempts_[Bytes(xid.begin(), xid.end())];
  ++a.count;
  a.pReqDate = pReqDate;
}

void InMemoryGatewayStore::forgetIssuerAttemptsBefore(protocol::TimePoint t) {
  const std::lock_guard lock(mutex_);
  std::erase_if(issuerAttempts_, [&](const auto& entry) { return entry.second.pReqDate < t; });
}

void InMemoryGatewayStore::saveAuthorization(const Authorization& a) {
  const std::lock_guard lock(mutex_);
  authorizations_.insert_or_assign(a.tokenOpaque, a);
}

std::optional<Authorization> InMemoryGatewayStore::findAuthorization(ByteView tokenOpaque) const {
  const std::lock_guard lock(mutex_);
  const auto it = authorizations_.find(Bytes(tokenOpaque.begin(), tokenOpaque.end()));
  if (it == authorizations_.end()) return std::nullopt;
  return it->second;
}

}  // namespace setpay::gateway
