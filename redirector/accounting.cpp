#include "redirector/accounting.hpp"

#include "protocol/text/scrub.hpp"
#include "redirector/radius.hpp"

namespace setpay::redirector {

namespace {

using radius::StatusType;

const AccessNetwork* networkOf(const IpAddress& source, const AccountingConfig& config) {
  for (const auto& n : config.accessNetworks)
    if (n.range.contains(source)) return &n;
  return nullptr;
}

std::string statusName(std::uint32_t s) {
  switch (static_cast<StatusType>(s)) {
    case StatusType::start: return "Start";
    case StatusType::stop: return "Stop";
    case StatusType::interimUpdate: return "Interim-Update";
    case StatusType::accountingOn: return "Accounting-On";
    case StatusType::accountingOff: return "Accounting-Off";
    case StatusType::failed: return "Failed";
  }
  return "status " + std::to_string(s);
}

// The client addresses one packet names (IPv4 and IPv6 of a dual-stack session).
std::vector<IpAddress> clientAddresses(const radius::AccountingRequest& r) {
  std::vector<IpAddress> out;
  if (r.framedIp) out.push_back(*r.framedIp);
  if (r.framedIpv6) out.push_back(*r.framedIpv6);
  return out;
}

AccountingResult answered(const radius::AccountingRequest& r, const AccessNetwork& net, AccountingOutcome outcome,
                          std::string detail) {
  return {outcome, radius::encodeAccountingResponse(r, net.sharedSecret), std::move(detail)};
}

}  // namespace

std::string_view name(AccountingOutcome o) {
  switch (o) {
    case AccountingOutcome::notFromAccessNetwork: return "notFromAccessNetwork";
    case AccountingOutcome::malformed: return "malformed";
    case AccountingOutcome::badAuthenticator: return "badAuthenticator";
    case AccountingOutcome::tableFull: return "tableFull";
    case AccountingOutcome::recorded: return "recorded";
    case AccountingOutcome::ignored: return "ignored";
  }
  return "unknown";
}

AccountingResult handleAccounting(protocol::ByteView datagram, const IpAddress& source, const AccountingConfig& config,
                                  MsisdnTable& table) {
  const AccessNetwork* net = networkOf(source, config);
  if (!net) return {AccountingOutcome::notFromAccessNetwork, std::nullopt, "from " + source.toString() + ": not an access network"};
  radius::AccountingRequest r;
  try {
    r = radius::decodeAccountingRequest(datagram);
  } catch (const radius::DecodeError& e) {
    return {AccountingOutcome::malformed, std::nullopt, "from " + source.toString() + ": " + e.what()};
  }
  if (!radius::verifyRequestAuthenticator(r, net->sharedSecret))
    return {AccountingOutcome::badAuthenticator, std::nullopt,
            "from " + source.toString() + ": Request Authenticator does not match (wrong shared secret?)"};

  const std::string what = statusName(r.statusType) + " from " + source.toString();
  const auto clients = clientAddresses(r);
  switch (static_cast<StatusType>(r.statusType)) {
    case StatusType::accountingOn:
    case StatusType::accountingOff: {
      const std::size_t n = table.clearNas(source);
      return answered(r, *net, AccountingOutcome::recorded, what + ": cleared " + std::to_string(n) + " mapping(s) of this NAS");
    }
    case StatusType::start:
    case StatusType::interimUpdate: {
      if (clients.empty() || !r.callingStationId || !r.sessionId)
        return answered(r, *net, AccountingOutcome::ignored, what + ": no client address, Calling-Station-Id or Acct-Session-Id");
      const auto msisdn = protocol::Msisdn::parseInternational(*r.callingStationId);
      if (!msisdn)
        return answered(r, *net, AccountingOutcome::ignored,
                        what + ": Calling-Station-Id '" + protocol::safeText(*r.callingStationId) + "' is not an international number");
      std::string changes;
      for (const auto& ip : clients) {
        const auto change = r.statusType == static_cast<std::uint32_t>(StatusType::start)
                                ? table.start(ip, *msisdn, *r.sessionId, source)
                                : table.interimUpdate(ip, *msisdn, *r.sessionId, source);
        if (change == MsisdnTable::Change::full)
          return {AccountingOutcome::tableFull, std::nullopt, what + ": MSISDN table full"};
        changes += " " + ip.toString() + " " + std::string(name(change));
      }
      return answered(r, *net, AccountingOutcome::recorded, what + ":" + changes);
    }
    case StatusType::stop: {
      if (clients.empty() || !r.sessionId)
        return answered(r, *net, AccountingOutcome::ignored, what + ": no client address or Acct-Session-Id");
      std::string changes;
      bool any = false;
      for (const auto& ip : clients) {
        const auto change = table.stop(ip, *r.sessionId);
        any = any || change == MsisdnTable::Change::removed;
        changes += " " + ip.toString() + " " + std::string(name(change));
      }
      return answered(r, *net, any ? AccountingOutcome::recorded : AccountingOutcome::ignored, what + ":" + changes);
    }
    case StatusType::failed: break;
  }
  return answered(r, *net, AccountingOutcome::ignored, what + ": nothing to learn");
}

}  // namespace setpay::redirector
