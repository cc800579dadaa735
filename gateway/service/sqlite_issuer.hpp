// The issuer simulator on SQLite: the same rules as AccountIssuer (gateway/issuer.hpp: decideHold,
// captureUnits), with accounts, holds and the opposition list (blocked flag) in the gateway's database.
// Runs on the caller's connection and transaction, so a hold commits with its authorization record.
// Accounts are keyed by HMAC(pan_hash_key, PAN); only the masked PAN is kept beside the key.
#pragma once

#include <vector>

#include "gateway/issuer.hpp"
#include "runtime/sqlite.hpp"

namespace setpay::gateway {

struct AccountView {  // what `setpay gateway accounts` shows
  std::string key, panMasked;
  AccountState state;
  std::int64_t holds = 0, captures = 0;  // number of holds still held / captured
};

class SqliteIssuer final : public Issuer {
 public:
  SqliteIssuer(runtime::Database&, protocol::ByteView panHashKey);

  IssuerDecision authorize(const IssuerRequest&) override;
  bool capture(const std::string& approvalCode, const protocol::CurrencyAmount&) override;

  // Administration (inside the caller's WriteTransaction). Unknown PANs throw std::invalid_argument.
  void openAccount(const std::string& pan, protocol::CurrencyAmount balance, protocol::CurrencyAmount perTransactionLimit,
                   std::optional<std::string> cardExpiry);  // refuses an existing account
  void setBalance(const std::string& pan, std::int64_t minorUnits);
  void setBlocked(const std::string& pan, bool blocked);
  std::optional<AccountView> find(const std::string& pan);
  std::vector<AccountView> list();

 private:
  std::string key(const std::string& pan) const { return panAccountKey(panHashKey_, pan); }
  std::optional<AccountState> load(const std::string& accountKey);
  std::string nextApprovalCode();
  AccountView view(runtime::Statement&);

  runtime::Database& db_;
  protocol::Bytes panHashKey_;
};

}  // namespace setpay::gateway
