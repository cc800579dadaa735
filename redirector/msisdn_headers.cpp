#include "redirector/msisdn_headers.hpp"

#include <algorithm>
#include <array>

namespace setpay::redirector {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool equalsNoCase(std::string_view a, std::string_view b) { return a.size() == b.size() && lower(a) == lower(b); }

}  // namespace

bool isMsisdnHeader(std::string_view name) {
  static constexpr std::array<std::string_view, 7> known = {
      "x-msisdn", "x-wap-network-client-msisdn", "x-nokia-msisdn", "x-up-calling-line-id",
      "x-up-subno", "x-h3g-msisdn", "msisdn"};
  const std::string n = lower(name);
  if (std::find(known.begin(), known.end(), n) != known.end()) return true;
  return n.find("msisdn") != std::string::npos;
}

std::optional<protocol::Msisdn> trustedHeaderValue(const std::vector<std::string_view>& values) {
  if (values.size() != 1) return std::nullopt;  // none, or ambiguous: believe nothing
  std::string_view v = values.front();
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return protocol::Msisdn::parseInternational(v);
}

HeaderVerdict applyMsisdnHeaderRule(HeaderList& headers, const IpAddress& peer, const MsisdnHeaderPolicy& policy) {
  HeaderVerdict verdict;
  verdict.peerTrusted = policy.trustedProxies.contains(peer);
  if (verdict.peerTrusted) {
    std::vector<std::string_view> values;
    for (const auto& [name, value] : headers)
      if (equalsNoCase(name, policy.trustedHeader)) values.push_back(value);
    verdict.trusted = trustedHeaderValue(values);
  }
  std::erase_if(headers, [&](const auto& h) {
    if (!isMsisdnHeader(h.first)) return false;
    verdict.stripped.push_back(h.first);
    return true;
  });
  return verdict;
}

std::optional<ResolvedMsisdn> whoIsBehind(const IpAddress& peer, const HeaderVerdict& verdict, const MsisdnTable& table) {
  if (verdict.peerTrusted) {
    if (verdict.trusted) return ResolvedMsisdn{*verdict.trusted, MsisdnSource::trustedProxyHeader};
    return std::nullopt;
  }
  if (auto m = table.find(peer)) return ResolvedMsisdn{*m, MsisdnSource::radiusAccounting};
  return std::nullopt;
}

}  // namespace setpay::redirector
