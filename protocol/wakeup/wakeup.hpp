// The SET payment initiation ("wake-up") message, media type application/set-payment-initiation:
// US-ASCII `Field: value` lines (CRLF or LF), then optionally an empty line and the order description
// (OD) as the text body. Field names from RFC 3538 §8.3/8.4 quoting the EIG; the [U] choices (merchant
// SET URL field, OD placement, SET-Ext-* grouping) are in ../SPEC-CHOICES.md "## messages".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/messages/types.hpp"

namespace setpay::protocol {

struct WakeUpExtension {  // SET-Ext-OID, then its SET-Ext-Data (hex) and SET-Ext-Mandatory (yes|no)
  std::string oid;
  Bytes data;
  bool mandatory = false;
  bool operator==(const WakeUpExtension&) const = default;
};

struct WakeUpRecurring {  // SET-Recurring: "<frequency-days> <expiry YYYYMMDD>"
  int frequencyDays = 0;
  std::string expiry;  // YYYYMMDD
  bool operator==(const WakeUpRecurring&) const = default;
};

struct WakeUp {
  std::optional<std::string> mimeVersion;              // MIME-Version (only "1.0")
  std::optional<std::string> contentTransferEncoding;  // Content-Transfer-Encoding
  std::string initiationType = "Payment-Initiation";   // SET-Initiation-Type (required)
  std::string version = "1.0";                         // SET-Version (required)
  std::vector<std::string> brands;                     // SET-Brand, repeatable, ≥ 1: brand[:product[:pcn]]
  CurrencyAmount purchAmt;                             // SET-PurchAmt "currency amount amtExp10" (required)
  std::optional<Bytes> lidM;                           // SET-LID-M (hex, 1..20 octets)
  std::optional<std::string> language;                 // SET-Language (RFC 1766 tag)
  std::string paymentUrl;                              // SET-Payment-URL (required; where PInitReq/PReq go)
  std::optional<std::string> serviceUrl;               // SET-Service-URL
  std::optional<std::string> decalsUrl;                // SET-Decals-URL (brand logos)
  std::optional<WakeUpRecurring> recurring;            // SET-Recurring
  std::optional<int> installTotalTrans;                // SET-InstallTotalTrans (excludes SET-Recurring)
  std::vector<WakeUpExtension> extensions;             // SET-Ext-OID / -Data / -Mandatory groups
  std::vector<std::pair<std::string, std::string>> otherSetFields;  // unknown SET-* fields, in order
  std::optional<std::string> orderDescription;         // body after the empty line (US-ASCII text)
  bool operator==(const WakeUp&) const = default;
};

namespace wakeup_limits {
inline constexpr std::size_t lineMax = 998;           // per RFC 5322, excluding the line end
inline constexpr std::size_t headerMax = 16 * 1024;   // all field lines
inline constexpr std::size_t bodyMax = 8 * 1024;      // the order description
inline constexpr std::size_t fieldsMax = 64;
inline constexpr std::size_t brandsMax = 32;
}  // namespace wakeup_limits

inline constexpr std::string_view wakeUpMediaType = "application/set-payment-initiation";

// Canonical form: CRLF line ends, fields in a fixed order. Throws ProtocolError(decodingFailure) if
// the value could not be parsed back (invalid brand, URL with spaces, …).
std::string format(const WakeUp&);
// Strict: US-ASCII only, CRLF or LF, bounded sizes (messageTooBig), no duplicate single-valued fields,
// required fields present, unknown non-SET fields refused; every failure ProtocolError(decodingFailure).
WakeUp parseWakeUp(std::string_view text);

}  // namespace setpay::protocol
