// applyMsisdnHeaderRule for a Beast request's header set (header-only use of Beast), for the proxy
// that holds a boost::beast::http::fields. Same rule as msisdn_headers.hpp.
#pragma once

#include <boost/beast/http/fields.hpp>

#include "redirector/msisdn_headers.hpp"

namespace setpay::redirector {

inline HeaderVerdict applyMsisdnHeaderRule(boost::beast::http::fields& headers, const IpAddress& peer,
                                           const MsisdnHeaderPolicy& policy) {
  HeaderVerdict verdict;
  verdict.peerTrusted = policy.trustedProxies.contains(peer);
  if (verdict.peerTrusted) {
    std::vector<std::string_view> values;
    for (auto range = headers.equal_range(policy.trustedHeader); range.first != range.second; ++range.first)
      values.emplace_back(range.first->value());
    verdict.trusted = trustedHeaderValue(values);
  }
  for (auto it = headers.begin(); it != headers.end();) {
    if (isMsisdnHeader(it->name_string())) {
      verdict.stripped.emplace_back(it->name_string());
      it = headers.erase(it);
    } else {
      ++it;
    }
  }
  return verdict;
}

}  // namespace setpay::redirector
