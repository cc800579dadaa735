// RADIUS accounting (RFC 2866, packet format of RFC 2865 §3/§5) as the gateway-proxy redirector hears
// it from the operator's access network: decode an Accounting-Request with strict bounds, check its
// Request Authenticator against the shared secret, and answer with an Accounting-Response. MD5 comes
// from OpenSSL EVP; authenticators are compared in constant time. Pure: bytes in, bytes out.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/bytes.hpp"
#include "redirector/ip_address.hpp"

namespace setpay::redirector::radius {

using protocol::ByteView;
using protocol::Bytes;

inline constexpr std::size_t headerSize = 20;     // code, identifier, length, authenticator
inline constexpr std::size_t packetMax = 4096;    // RFC 2865 §3
inline constexpr std::uint8_t accountingRequest = 4;
inline constexpr std::uint8_t accountingResponse = 5;

namespace attr {  // attribute types used here (RFC 2865 §5, RFC 2866 §5, RFC 6911 §3.1)
inline constexpr std::uint8_t framedIpAddress = 8;
inline constexpr std::uint8_t callingStationId = 31;
inline constexpr std::uint8_t acctStatusType = 40;
inline constexpr std::uint8_t acctSessionId = 44;
inline constexpr std::uint8_t framedIpv6Address = 168;
}  // namespace attr

enum class StatusType : std::uint32_t {  // Acct-Status-Type values (RFC 2866 §5.1)
  start = 1,
  stop = 2,
  interimUpdate = 3,
  accountingOn = 7,
  accountingOff = 8,
  failed = 15,
};

enum class DecodeProblem {
  truncated,          // shorter than 20 octets or than its Length field
  tooBig,             // datagram over 4096 octets, or Length over 4096
  badLength,          // Length field under 20
  notAccountingRequest,
  badAttribute,       // attribute Length < 2 or running past the packet
  badAttributeValue,  // wrong size for its type, or an empty string
  duplicateAttribute, // a single-valued attribute twice
  missingStatusType,  // Acct-Status-Type is mandatory (RFC 2866 §5.1)
};
std::string_view name(DecodeProblem);

class DecodeError : public std::runtime_error {
 public:
  DecodeError(DecodeProblem p, const std::string& detail);
  DecodeProblem problem() const noexcept { return problem_; }

 private:
  DecodeProblem problem_;
};

struct Attribute {
  std::uint8_t type = 0;
  Bytes value;
  bool operator==(const Attribute&) const = default;
};

struct AccountingRequest {
  std::uint8_t identifier = 0;
  std::array<std::uint8_t, 16> authenticator{};
  std::vector<Attribute> attributes;  // all of them, in order (unknown ones kept, ignored)
  std::uint32_t statusType = 0;       // compare with StatusType; unknown values are kept
  std::optional<IpAddress> framedIp;      // Framed-IP-Address
  std::optional<IpAddress> framedIpv6;    // Framed-IPv6-Address
  std::optional<std::string> callingStationId;
  std::optional<std::string> sessionId;   // Acct-Session-Id
  Bytes packet;  // the Length octets the authenticator covers (octets past Length are padding, RFC 2865 §3)
};

// Structure only; the authenticator is not checked (verifyRequestAuthenticator does that).
AccountingRequest decodeAccountingRequest(ByteView datagram);

// RFC 2866 §3: MD5(Code ‖ Identifier ‖ Length ‖ 16 zero octets ‖ attributes ‖ secret), compared in
// constant time. False for an empty secret.
bool verifyRequestAuthenticator(const AccountingRequest&, std::string_view secret);

// Code 5, the request's Identifier, no attributes, Response Authenticator =
// MD5(Code ‖ Identifier ‖ Length ‖ Request Authenticator ‖ attributes ‖ secret).
Bytes encodeAccountingResponse(const AccountingRequest&, std::string_view secret);

// The client side, for tests and tools: an Accounting-Request with these attributes and its Request
// Authenticator; and the check a client makes on the answer.
Bytes encodeAccountingRequest(std::uint8_t identifier, const std::vector<Attribute>&, std::string_view secret);
bool verifyAccountingResponse(ByteView response, const AccountingRequest& request, std::string_view secret);

// Attribute helpers for encodeAccountingRequest.
Attribute integerAttribute(std::uint8_t type, std::uint32_t value);
Attribute stringAttribute(std::uint8_t type, std::string_view value);
Attribute addressAttribute(const IpAddress&);  // Framed-IP-Address or Framed-IPv6-Address

}  // namespace setpay::redirector::radius
