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

IssuerDecision refuse(AuthCode code, std::int64_t reason) { return IssuerDecision{code, "", reason}; }

}  // namespace

AccountIssuer::AccountIssuer(protocol::ByteView panHashKey) : panHashKey_(panHashKey.begin(), panHashKey.end()) {
  if (panHashKey_.size() < 16) throw ProtocolError(ErrorCode::unspecifiedFailure, "PAN hash key shorter than 16 bytes");
}

std::string AccountIssuer::accountKey(const std::string& pan) const {
  return protocol::hex(hmacSha256(panHashKey_, protocol::view(pan)));
}

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
  // Six characters from an HMAC over a counter: unpredictable without the key, unique among holds.
  static constexpr char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  for (;;) {
    const std::string counter = "approval-" + std::to_string(++approvals_);
    const protocol::Bytes mac = hmacSha256(panHashKey_, protocol::view(counter));
    std::string code;
    for (std::size_t i = 0; i < 6; ++i) code.push_back(alphabet[mac[i] % 32]);
    if (!holds_.contains(code)) return code;
  }
}

IssuerDecision AccountIssuer::authorize(const IssuerRequest& r) {
  const std::lock_guard lock(mutex_);
  const auto it = accounts_.find(accountKey(r.pan));
  if (it == accounts_.end()) return refuse(AuthCode::declined, respReason::unknownAccount);
  Account& a = it->second;
  if (a.blocked) return refuse(AuthCode::declined, respReason::restrictedCard);
  if (a.cardExpiry && *a.cardExpiry != r.cardExpiry) return refuse(AuthCode::expiredCard, respReason::expiredCard);
  if (r.amount.currency != a.balance.currency) return refuse(AuthCode::declined, respReason::currencyNotAccepted);
  const auto amount = inUnitsOf(r.amount, a.balance.amtExp10);
  if (!amount || *amount <= 0) return refuse(AuthCode::amountError, respReason::overLimit);
  if (exceeds(r.amount, a.perTransactionLimit)) return refuse(AuthCode::declined, respReason::overLimit);
  if (*amount > a.balance.amount - a.held) return refuse(AuthCode::declined, respReason::insufficientFunds);
  a.held += *amount;
  std::string code = nextApprovalCode();
  holds_[code] = Hold{it->first, *amount};
  return IssuerDecision{AuthCode::approved, std::move(code), std::nullopt};
}

bool AccountIssuer::capture(const std::string& approvalCode, const CurrencyAmount& amount) {
  const std::lock_guard lock(mutex_);
  const auto hold = holds_.find(approvalCode);
  if (hold == holds_.end()) return false;  // unknown or already captured
  Account& a = accounts_.at(hold->second.accountKey);
  if (amount.currency != a.balance.currency) return false;
  const auto units = inUnitsOf(amount, a.balance.amtExp10);
  if (!units || *units <= 0 || *units > hold->second.amount) return false;
  // The hold becomes a debit of the captured amount; whatever was not captured is released.
  a.held -= hold->second.amount;
  a.balance.amount -= *units;
  holds_.erase(hold);
  return true;
}

}  // namespace setpay::gateway
