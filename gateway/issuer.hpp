// The issuer decision (legacy network stand-in, ROLES-API.md): authorize reserves (holds) the amount,
// capture turns the hold into a debit. PANs are never stored in clear — accounts are keyed by
// HMAC-SHA256(panHashKey, PAN) — and never logged unmasked.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "protocol/bytes.hpp"
#include "protocol/messages/types.hpp"

namespace setpay::gateway {

struct IssuerRequest {
  std::string pan;
  std::string cardExpiry;  // YYYYMM
  protocol::CurrencyAmount amount;
  std::string merchantID;
};
// ISO 8583-style reasons carried in ResponseData.respReason (additive; SPEC-CHOICES.md "## gateway").
namespace respReason {
inline constexpr std::int64_t insufficientFunds = 51;
inline constexpr std::int64_t expiredCard = 54;
inline constexpr std::int64_t unknownAccount = 56;
inline constexpr std::int64_t overLimit = 61;
inline constexpr std::int64_t restrictedCard = 62;  // opposition list (blocked)
inline constexpr std::int64_t currencyNotAccepted = 57;
}  // namespace respReason

struct IssuerDecision {
  protocol::AuthCode authCode;
  std::string approvalCode;                // 6 chars when approved
  std::optional<std::int64_t> respReason;  // why, when not approved
};

// The issuer's rules for one account, shared by AccountIssuer and the SQLite issuer (gateway/service/).
struct AccountState {
  protocol::CurrencyAmount balance, perTransactionLimit;
  std::optional<std::string> cardExpiry;
  bool blocked = false;
  std::int64_t held = 0;  // in the account's minor units
};
struct HoldDecision {
  std::optional<IssuerDecision> refusal;  // set: decline with this
  std::int64_t units = 0;                 // else: hold this much (account's minor units)
};
HoldDecision decideHold(const AccountState&, const IssuerRequest&);
// Units to debit when capturing `amount` against a hold of `heldUnits`; nullopt: refuse the capture.
std::optional<std::int64_t> captureUnits(const AccountState&, std::int64_t heldUnits, const protocol::CurrencyAmount&);
std::string panAccountKey(protocol::ByteView panHashKey, const std::string& pan);  // hex HMAC-SHA256
// Six characters from an HMAC over a counter: unpredictable without the key.
std::string approvalCodeFor(protocol::ByteView panHashKey, std::uint64_t counter);

class Issuer {
 public:
  virtual ~Issuer() = default;
  virtual IssuerDecision authorize(const IssuerRequest&) = 0;  // reserve (hold) the amount
  virtual bool capture(const std::string& approvalCode, const protocol::CurrencyAmount&) = 0;
};

// In-memory accounts: balance, holds, per-transaction limit, blocked flag (opposition list).
// An account's currency and exponent are those of its opening balance; requests in another currency
// are declined, other exponents are converted exactly.
class AccountIssuer final : public Issuer {
 public:
  explicit AccountIssuer(protocol::ByteView panHashKey);

  // cardExpiry (YYYYMM), when given, must equal the request's (issuers check the expiry they issued).
  void openAccount(const std::string& pan, protocol::CurrencyAmount balance,
                   protocol::CurrencyAmount perTransactionLimit,
                   std::optional<std::string> cardExpiry = std::nullopt);
  void block(const std::string& pan);
  protocol::CurrencyAmount available(const std::string& pan) const;  // balance minus holds
  protocol::CurrencyAmount balance(const std::string& pan) const;    // captured debits only

  IssuerDecision authorize(const IssuerRequest&) override;
  bool capture(const std::string& approvalCode, const protocol::CurrencyAmount&) override;

 private:
  using Account = AccountState;
  struct Hold {
    std::string accountKey;
    std::int64_t amount = 0;
  };
  std::string accountKey(const std::string& pan) const;  // hex HMAC-SHA256(panHashKey, PAN)
  const Account& account(const std::string& pan) const;
  std::string nextApprovalCode();

  protocol::Bytes panHashKey_;
  std::map<std::string, Account> accounts_;
  std::map<std::string, Hold> holds_;  // by approval code
  std::uint64_t approvals_ = 0;
  mutable std::mutex mutex_;
};

}  // namespace setpay::gateway
