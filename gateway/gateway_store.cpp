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

namespace {

// Removes the (at, key) entry of a time index.
template <class Key>
void unindex(std::multimap<protocol::TimePoint, Key>& index, protocol::TimePoint at, const Key& key) {
  const auto [first, last] = index.equal_range(at);
  for (auto it = first; it != last; ++it)
    if (it->second == key) {
      index.erase(it);
      return;
    }
}

// Erases from `kept` every key the index holds before `t`, oldest first.
template <class Key, class Map>
void forgetBefore(std::multimap<protocol::TimePoint, Key>& index, Map& kept, protocol::TimePoint t) {
  while (!index.empty() && index.begin()->first < t) {
    kept.erase(index.begin()->second);
    index.erase(index.begin());
  }
}

}  // namespace

void InMemoryGatewayStore::rememberResponse(const ReplayKey& key, SentResponse response) {
  const std::lock_guard lock(mutex_);
  if (const auto it = responses_.find(key); it != responses_.end()) unindex(responsesByTime_, it->second.at, key);
  responsesByTime_.emplace(response.at, key);
  responses_.insert_or_assign(key, std::move(response));
}

void InMemoryGatewayStore::forgetResponsesBefore(protocol::TimePoint t) {
  const std::lock_guard lock(mutex_);
  forgetBefore(responsesByTime_, responses_, t);
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
  Bytes key(xid.begin(), xid.end());
  const auto [it, fresh] = issuerAttempts_.try_emplace(key);
  if (!fresh) unindex(attemptsByDate_, it->second.pReqDate, key);
  ++it->second.count;
  it->second.pReqDate = pReqDate;
  attemptsByDate_.emplace(pReqDate, std::move(key));
}

void InMemoryGatewayStore::forgetIssuerAttemptsBefore(protocol::TimePoint t) {
  const std::lock_guard lock(mutex_);
  forgetBefore(attemptsByDate_, issuerAttempts_, t);
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
