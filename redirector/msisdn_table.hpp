// Which subscriber (MSISDN) is behind a client address, learnt from RADIUS accounting as operator
// gateways do (Kannel's radius-acct), with the changes protocol/SPEC-CHOICES.md "## redirector" explains:
// - Start maps the address, replacing any earlier mapping (a lost Stop must not leave it stale) and
//   dropping the same MSISDN's mappings from an older session;
// - Stop removes a mapping only when both address and Acct-Session-Id match;
// - Interim-Update restores a missing mapping, never overrides another session's;
// - Accounting-On/Off clear everything learnt from that NAS (it restarted: its sessions are gone).
// Pure and not thread-safe: the service serialises access.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "protocol/redirect/msisdn.hpp"
#include "redirector/ip_address.hpp"

namespace setpay::redirector {

struct Mapping {
  protocol::Msisdn msisdn;
  std::string sessionId;
  IpAddress nas;  // who told us (the accounting packet's source)
};

class MsisdnTable {
 public:
  explicit MsisdnTable(std::size_t capacity = 1'000'000) : capacity_(capacity) {}

  enum class Change { added, replaced, unchanged, removed, notFound, full };

  Change start(const IpAddress& client, const protocol::Msisdn&, const std::string& sessionId, const IpAddress& nas);
  Change interimUpdate(const IpAddress& client, const protocol::Msisdn&, const std::string& sessionId, const IpAddress& nas);
  Change stop(const IpAddress& client, const std::string& sessionId);
  std::size_t clearNas(const IpAddress& nas);  // returns how many mappings went

  std::optional<protocol::Msisdn> find(const IpAddress& client) const;
  const Mapping* mapping(const IpAddress& client) const;
  std::size_t size() const { return byClient_.size(); }

 private:
  void dropOlderSessions(const protocol::Msisdn&, const std::string& sessionId);
  std::size_t capacity_;
  std::map<IpAddress, Mapping> byClient_;
};

std::string_view name(MsisdnTable::Change);

}  // namespace setpay::redirector
