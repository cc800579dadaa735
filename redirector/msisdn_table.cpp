#include "redirector/msisdn_table.hpp"

namespace setpay::redirector {

std::string_view name(MsisdnTable::Change c) {
  switch (c) {
    case MsisdnTable::Change::added: return "added";
    case MsisdnTable::Change::replaced: return "replaced";
    case MsisdnTable::Change::unchanged: return "unchanged";
    case MsisdnTable::Change::removed: return "removed";
    case MsisdnTable::Change::notFound: return "notFound";
    case MsisdnTable::Change::full: return "full";
  }
  return "unknown";
}

void MsisdnTable::dropOlderSessions(const protocol::Msisdn& msisdn, const std::string& sessionId) {
  // One browsing session per subscriber: a new session supersedes what an older one left behind.
  std::erase_if(byClient_, [&](const auto& entry) {
    return entry.second.msisdn == msisdn && entry.second.sessionId != sessionId;
  });
}

MsisdnTable::Change MsisdnTable::start(const IpAddress& client, const protocol::Msisdn& msisdn,
                                       const std::string& sessionId, const IpAddress& nas) {
  dropOlderSessions(msisdn, sessionId);
  Mapping m{msisdn, sessionId, nas};
  if (auto it = byClient_.find(client); it != byClient_.end()) {
    const bool same = it->second.msisdn == msisdn && it->second.sessionId == sessionId && it->second.nas == nas;
    it->second = std::move(m);
    return same ? Change::unchanged : Change::replaced;
  }
  if (byClient_.size() >= capacity_) return Change::full;
  byClient_.emplace(client, std::move(m));
  return Change::added;
}

MsisdnTable::Change MsisdnTable::interimUpdate(const IpAddress& client, const protocol::Msisdn& msisdn,
                                               const std::string& sessionId, const IpAddress& nas) {
  // Only recovers a lost Start: a late or reordered Interim-Update must not undo a newer session.
  if (auto it = byClient_.find(client); it != byClient_.end()) return Change::unchanged;
  return start(client, msisdn, sessionId, nas);
}

MsisdnTable::Change MsisdnTable::stop(const IpAddress& client, const std::string& sessionId) {
  const auto it = byClient_.find(client);
  if (it == byClient_.end() || it->second.sessionId != sessionId) return Change::notFound;
  byClient_.erase(it);
  return Change::removed;
}

std::size_t MsisdnTable::clearNas(const IpAddress& nas) {
  return std::erase_if(byClient_, [&](const auto& entry) { return entry.second.nas == nas; });
}

std::optional<protocol::Msisdn> MsisdnTable::find(const IpAddress& client) const {
  const auto it = byClient_.find(client);
  if (it == byClient_.end()) return std::nullopt;
  return it->second.msisdn;
}

const Mapping* MsisdnTable::mapping(const IpAddress& client) const {
  const auto it = byClient_.find(client);
  return it == byClient_.end() ? nullptr : &it->second;
}

}  // namespace setpay::redirector
