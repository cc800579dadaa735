#include "gateway/issuer.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "gateway/amount.hpp"
#include "protocol/error.hpp"
#include "protocol/openssl.hpp"

namespace setpay::gateway {

using protocol::AuthCode;
using protocol::CurrencyAmount;
using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

protocol::Bytes hmacSha256(protocol::ByteView key, protocol::ByteView data) {
  protocol::Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  protocol::ossl::check(HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(),
                             out.data(), &len) != nullptr,
                        ErrorCode::unspecifiedFailure, "HMAC-SHA256");
  out.resize(len);
  return out;
}

HoldDecision refuse(AuthCode code, std::int64_t reason) { return HoldDecision{IssuerDecision{code, "", reason}, 0}; }

}  // namespace

std::string panAccountKey(protocol::ByteView panHashKey, const std::string& pan) {
  return protocol::hex(hmacSha256(panHashKey, protocol::view(pan)));
}

std::string approvalCodeFor(protocol::ByteView panHashKey, std::uint64_t counter) {
  static constexpr char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const protocol::Bytes mac = hmacSha256(panHashKey, protocol::view("approval-" + std::to_string(counter)));
  std::string code;
  for (std::size_t i = 0; i < 6; ++i) code.push_back(alphabet[mac[i] % 32]);
  return code;
}

HoldDecision decideHold(const AccountState& a, const IssuerRequest& r) {
  if (a.blocked) return refuse(AuthCode::declined, respReason::restrictedCard);
  if (a.cardExpiry && *a.cardExpiry != r.cardExpiry) return refuse(AuthCode::expiredCard, respReason::expiredCard);
  if (r.amount.currency != a.balance.currency) return refuse(AuthCode::declined, respReason::currencyNotAccepted);
  const auto amount = inUnitsOf(r.amount, a.balance.amtExp10);
  if (!amount || *amount <= 0) return refuse(AuthCode::amountError, respReason::overLimit);
  if (exceeds(r.amount, a.perTransactionLimit)) return refuse(AuthCode::declined, respReason::overLimit);
  if (*amount > a.balance.amount - a.held) return refuse(AuthCode::declined, respReason::insufficientFunds);
  return HoldDecision{std::nullopt, *amount};
}

std::optional<std::int64_t> captureUnits(const AccountState& a, std::int64_t heldUnits, const CurrencyAmount& amount) {
  if (amount.currency != a.balance.currency) return std::nullopt;
  const auto units = inUnitsOf(amount, a.balance.amtExp10);
  if (!units || *units <= 0 || *units > heldUnits) return std::nullopt;
  return units;
}

AccountIssuer::AccountIssuer(protocol::ByteView panHashKey) : panHashKey_(panHashKey.begin(), panHashKey.end()) {
  if (panHashKey_.size() < 16) throw ProtocolError(ErrorCode::unspecifiedFailure, "PAN hash key shorter than 16 bytes");
}

std::string AccountIssuer::accountKey(const std::string& pan) const { return panAccountKey(panHashKey_, pan); }

const AccountIssuer::Account& AccountIssuer::account(const std::string& pan) const {
  const auto it = accounts_.find(accountKey(pan));
  if (it == accounts_.end())
    throw ProtocolError(ErrorCode::unspecifiedFailure, "no account for " + protocol::maskPan(pan));
  return it->second;
}

void AccountIssuer::openAccount(const std::string& pan, CurrencyAmount balance, CurrencyAmount perTransactionLimit,
                                std::optional<std::string> cardExpiry) {
  if (perTransactionLimit.currency != balance.currency)
    throw ProtocolError(ErrorCode::unspecifiedFailure, "limit and balance in different currencies");
  const std::lock_guard lock(mutex_);
  accounts_[accountKey(pan)] = Account{balance, perTransactionLimit, std::move(cardExpiry), false, 0};
}

void AccountIssuer::block(const std::string& pan) {
  const std::lock_guard lock(mutex_);
  const auto it = accounts_.find(accountKey(pan));
  if (it == accounts_.end())
    throw ProtocolError(ErrorCode::unspecifiedFailure, "no account for " + protocol::maskPan(pan));
  it->second.blocked = true;
}

CurrencyAmount AccountIssuer::available(const std::string& pan) const {
  const std::lock_guard lock(mutex_);
  const Account& a = account(pan);
  return CurrencyAmount{a.balance.currency, a.balance.amount - a.held, a.balance.amtExp10};
}

CurrencyAmount AccountIssuer::balance(const std::string& pan) const {
  const std::lock_guard lock(mutex_);
  return account(pan).balance;
}

std::string AccountIssuer::nextApprovalCode() {
  for (;;) {  // unique among holds
    std::string code = approvalCodeFor(panHashKey_, ++approvals_);
    if (!holds_.contains(code)) return code;
  }
}

IssuerDecision AccountIssuer::authorize(const IssuerRequest& r) {
  const std::lock_guard lock(mutex_);
  const auto it = accounts_.find(accountKey(r.pan));
  if (it == accounts_.end()) return *refuse(AuthCode::declined, respReason::unknownAccount).refusal;
  Account& a = it->second;
  const HoldDecision hold = decideHold(a, r);
  if (hold.refusal) return *hold.refusal;
  a.held += hold.units;
  std::string code = nextApprovalCode();
  holds_[code] = Hold{it->first, hold.units};
  return IssuerDecision{AuthCode::approved, std::move(code), std::nullopt};
}

bool AccountIssuer::capture(const std::string& approvalCode, const CurrencyAmount& amount) {
  const std::lock_guard lock(mutex_);
  const auto hold = holds_.find(approvalCode);
  if (hold == holds_.end()) return false;  // unknown or already captured
  Account& a = accounts_.at(hold->second.accountKey);
  const auto units = captureUnits(a, hold->second.amount, amount);
  if (!units) return false;
  // The hold becomes a debit of the captured amount; whatever was not captured is released.
  a.held -= hold->second.amount;
  a.balance.amount -= *units;
  holds_.erase(hold);
  return true;
}

}  // namespace setpay::gateway
