// Typed SET values shared by the purchase messages (names as in Book 2/3: transIDs, rrpid, challC…).
// Byte fields that carry operator outputs (DD thumbprints, SignedData, envelopes) hold their DER.
// Field limits (SET Book 3 sizes where known, ours where not) are checked on encode and decode.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/bytes.hpp"
#include "protocol/clock.hpp"

namespace setpay::protocol {

// Size limits (bytes). One place; SPEC-CHOICES.md "## messages" explains them.
namespace limits {
inline constexpr std::size_t nonce = 20;            // RRPID, Challenge, XID, Nonce, Secret
inline constexpr std::size_t localIdMax = 20;       // LocalID 1..20
inline constexpr std::size_t brandIdMax = 40;
inline constexpr std::size_t languageMax = 35;
inline constexpr std::size_t swIdentMax = 256;
inline constexpr std::size_t merchantIdMax = 30;
inline constexpr std::size_t paySysIdMax = 64;
inline constexpr std::size_t panMax = 19;
inline constexpr std::size_t odMax = 8192;          // order description inside HODInput
inline constexpr std::size_t textMax = 256;         // other VisibleStrings (city, terminal id…)
inline constexpr std::size_t opaqueMax = 4096;      // TokenOpaque, AuthTokenOpaque, LogRefID, keys
inline constexpr std::size_t operatorMax = 32768;   // one operator output (SignedData, envelope, DD)
inline constexpr std::size_t message = 64 * 1024;   // default MessageWrapper limit
inline constexpr std::size_t badWrapper = 20000;    // ErrorMsg.badWrapper (Book 2: ≤ 20 KB)
inline constexpr std::size_t listMax = 64;          // entries in any SEQUENCE OF
}  // namespace limits

struct MsgExtension {
  std::string extnID;  // dotted OID
  bool critical = false;
  Bytes extnValue;     // DER of the extension's value
  bool operator==(const MsgExtension&) const = default;
};
using MsgExtensions = std::vector<MsgExtension>;

struct CurrencyAmount {
  int currency = 0;          // ISO 4217 numeric, 1..999
  std::int64_t amount = 0;   // ≥ 0
  int amtExp10 = 0;          // -12..12
  bool operator==(const CurrencyAmount&) const = default;
};
// "840 12950 -2 = 129.50 USD" style rendering (ISO alpha code for a few common currencies).
std::string describe(const CurrencyAmount&);

struct TransIDs {
  Bytes lidC;
  std::optional<Bytes> lidM;
  Bytes xid;
  TimePoint pReqDate;
  std::optional<std::string> paySysID;
  std::string language;
  bool operator==(const TransIDs&) const = default;
};

struct Thumbs {  // each entry DD(DER) of a certificate / CRL / BrandCRLIdentifier
  std::vector<Bytes> certThumbs, crlThumbs, brandCRLIdentifierThumbs;
  bool operator==(const Thumbs&) const = default;
};

struct Recurring {
  int recurringFrequency = 0;  // days, 1..365
  TimePoint recurringExpiry;
  bool operator==(const Recurring&) const = default;
};
struct InstallRecurData {
  std::variant<int, Recurring> installRecurInd;  // installTotalTrans | recurring
  MsgExtensions irExtensions;
  bool operator==(const InstallRecurData&) const = default;
};

struct BackKeyData {
  std::string backAlgID;  // dotted OID of the symmetric algorithm (parameters absent)
  Bytes backKey;
  bool operator==(const BackKeyData&) const = default;
};

struct MessageIDs {
  std::optional<Bytes> lidC, lidM, xid;
  bool operator==(const MessageIDs&) const = default;
};
struct MessageHeader {
  int version = 1;   // setVer1
  int revision = 0;  // 1.0
  TimePoint date;
  std::optional<MessageIDs> messageIDs;
  std::optional<Bytes> rrpid;
  std::string swIdent;
  bool operator==(const MessageHeader&) const = default;
};

// Numbering of the business codes (SPEC-CHOICES.md "## messages"): Book 2 names, our numbers.
enum class CompletionCode {
  meaninglessRatio = 0, orderRejected, orderReceived, orderNotReceived, authorizationPerformed,
  capturePerformed, creditPerformed
};
enum class AuthCode {
  approved = 0, unspecifiedFailure, declined, noReply, callIssuer, amountError, expiredCard,
  invalidTransaction, systemError, piPreviouslyUsed, recurringTooSoon, recurringExpired,
  piAuthMismatch, installRecurMismatch, captureNotSupported, signatureRequired, cardMerchBrandMismatch
};
enum class CapCode {
  success = 0, unspecifiedFailure, duplicateRequest, authExpired, authDataMissing, invalidAuthData,
  capTokenExpired, batchClosed, batchIdExists, requestAmountTooHigh, requestAmountInvalid
};
std::string_view name(CompletionCode);
std::string_view name(AuthCode);
std::string_view name(CapCode);

}  // namespace setpay::protocol
