// One RADIUS accounting datagram, start to finish, as the gateway-proxy's UDP listener hands it over:
// source on a configured access network → decode → Request Authenticator with that network's secret
// → MSISDN table → Accounting-Response. Pure: the caller owns the socket, the log and the lock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/bytes.hpp"
#include "redirector/ip_address.hpp"
#include "redirector/msisdn_table.hpp"

namespace setpay::redirector {

// An access network allowed to send accounting, and the shared secret its NASes use.
struct AccessNetwork {
  Cidr range;
  std::string sharedSecret;
};

struct AccountingConfig {
  std::vector<AccessNetwork> accessNetworks;  // first matching range wins
};

enum class AccountingOutcome {
  notFromAccessNetwork,  // dropped, no answer
  malformed,             // dropped, no answer (radius::DecodeError)
  badAuthenticator,      // dropped, no answer: wrong secret or forged (as Kannel does)
  tableFull,             // not recorded, so no answer (RFC 2866 §2: the NAS will retry)
  recorded,              // the table changed or was confirmed: answered
  ignored,               // authentic but nothing to learn (Failed, unknown type, incomplete, unmatched Stop): answered
};
std::string_view name(AccountingOutcome);

struct AccountingResult {
  AccountingOutcome outcome = AccountingOutcome::malformed;
  std::optional<protocol::Bytes> response;  // send this back to the source, when present
  std::string detail;                       // for the log: status type, address, change (never the secret)
};

AccountingResult handleAccounting(protocol::ByteView datagram, const IpAddress& source, const AccountingConfig&,
                                  MsisdnTable&);

}  // namespace setpay::redirector
