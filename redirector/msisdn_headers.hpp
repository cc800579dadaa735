// The MSISDN header rule of the gateway proxy (header enrichment, as operator gateways do it): every
// MSISDN-like header a request carries is stripped, whoever sent it; an MSISDN is believed only from
// the one configured header, sent exactly once by a peer inside the trusted-proxy ranges. Otherwise
// the MSISDN comes from the RADIUS-learnt table for the peer's address (whoIsBehind).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/redirect/msisdn.hpp"
#include "redirector/ip_address.hpp"
#include "redirector/msisdn_table.hpp"

namespace setpay::redirector {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive: X-MSISDN, X-WAP-Network-Client-MSISDN, X-Nokia-MSISDN, x-up-calling-line-id,
// X-UP-SUBNO, X-H3G-MSISDN, msisdn, and any other name containing "msisdn".
bool isMsisdnHeader(std::string_view name);

struct MsisdnHeaderPolicy {
  CidrList trustedProxies;  // upstream proxies of the operator that set the header themselves
  std::string trustedHeader = "X-WAP-Network-Client-MSISDN";
};

struct HeaderVerdict {
  bool peerTrusted = false;
  std::optional<protocol::Msisdn> trusted;  // from a trusted peer's header, when usable
  std::vector<std::string> stripped;        // names removed, in order (for the log; values never kept)
};

// Removes every MSISDN-like header from `headers` and says which MSISDN, if any, may be believed.
HeaderVerdict applyMsisdnHeaderRule(HeaderList& headers, const IpAddress& peer, const MsisdnHeaderPolicy&);

// The shared decision once the headers are gone, for any header container: the trusted header's
// values (as sent by the peer) → the MSISDN to believe, if exactly one value parses.
std::optional<protocol::Msisdn> trustedHeaderValue(const std::vector<std::string_view>& values);

enum class MsisdnSource { radiusAccounting, trustedProxyHeader };
struct ResolvedMsisdn {
  protocol::Msisdn msisdn;
  MsisdnSource source;
};

// A trusted proxy speaks for its clients (its own address means nothing in the table); any other
// peer is looked up in the RADIUS-learnt table.
std::optional<ResolvedMsisdn> whoIsBehind(const IpAddress& peer, const HeaderVerdict&, const MsisdnTable&);

}  // namespace setpay::redirector
