// Wallet accounts on SQLite (wallet_schema.cpp), keyed by MSISDN (E.164, protocol::Msisdn). Statements
// run on the caller's connection; the caller serialises access (one connection, one mutex in the
// service) and opens the transactions: recordOutcome() writes the history row and the loyalty points
// inside the caller's WriteTransaction, so the two commit together.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocol/bytes.hpp"
#include "protocol/clock.hpp"
#include "protocol/messages/types.hpp"
#include "protocol/openssl.hpp"
#include "protocol/redirect/msisdn.hpp"
#include "protocol/redirect/sign.hpp"
#include "runtime/sqlite.hpp"

namespace setpay::wallet {

struct Ceilings {  // minor units of the account's currency; nullopt = no ceiling
  std::optional<std::int64_t> perPurchase, rollingDay, rollingMonth;
};

struct Account {
  protocol::Msisdn msisdn;
  std::string senderId;         // message c's Sender id enrolled for this MSISDN
  std::string terminalCertPem;  // the terminal's certificate: its key authenticates TLS, e and c
  protocol::Bytes terminalID;   // terminalIdOf(the certificate's key)
  std::vector<std::string> brands;  // BrandIDs the client holds, preferred first
  std::string bin;                  // 6 digits, sent in PInitReq
  int currency = 978, exp10 = -2;
  Ceilings ceilings;
  std::int64_t loyaltyPoints = 0;
  protocol::TimePoint enrolled;
};

struct HistoryEntry {
  std::string msisdn;
  protocol::Bytes xid;
  std::string merchant;
  protocol::CurrencyAmount amount;
  std::string outcome;  // approved | declined | failed | refused | timeout
  std::optional<std::string> reason, approvalCode;
  std::int64_t points = 0;
  protocol::TimePoint at;
};

// What an enrollment must satisfy, whoever asks (`setpay wallet enroll`, POST /accounts): the terminal
// certificate is PEM with a usable key, the BIN 6 digits, 1..16 brands of 1..40 printable characters
// without a comma, a sender id of 1..128 printable characters, currency 1..999, exponent -12..12,
// ceilings >= 0. Throws std::invalid_argument saying which.
void validateAccount(const Account&);
void validateCeilings(const Ceilings&);

// The MSISDN is enrolled already (EnrollMode::createOnly), or the terminal is enrolled for another MSISDN.
class EnrollmentConflict : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

enum class EnrollMode { createOrReplace, createOnly };

class WalletStore {
 public:
  explicit WalletStore(runtime::Database& db) : db_(db) {}

  // validateAccount(), then inserts the account or (createOrReplace) replaces its enrollment, keeping its
  // history and points. Throws std::invalid_argument, or EnrollmentConflict.
  void enroll(const Account&, EnrollMode = EnrollMode::createOrReplace);
  // validateCeilings(), then sets all three; false when the MSISDN has no account.
  bool setCeilings(const protocol::Msisdn&, const Ceilings&);
  std::optional<Account> find(const protocol::Msisdn&) const;
  std::optional<Account> findByTerminal(protocol::ByteView terminalID) const;
  // Sum of approved purchases at or after `since` in the account's currency and exponent.
  std::int64_t approvedSince(const protocol::Msisdn&, protocol::TimePoint since) const;
  // The history row and the account's new points: inside the caller's WriteTransaction.
  void recordOutcome(const HistoryEntry&);
  std::vector<HistoryEntry> history(const protocol::Msisdn&, std::size_t limit = 100) const;
  // A further sender of message c for an existing account (a redirector): its public key (PEM public
  // key or certificate, ECDSA P-256 or RSA >= 2048) under `senderId`, replacing an earlier one of that
  // id. Throws std::invalid_argument: no such account, a bad sender id, the terminal's own sender id,
  // a key message c cannot use.
  void enrollSender(const protocol::Msisdn&, const std::string& senderId, const std::string& keyPem);
  std::optional<std::string> senderKey(const protocol::Msisdn&, const std::string& senderId) const;  // PEM public key
  std::vector<std::string> senders(const protocol::Msisdn&) const;  // the further senders' ids, sorted
  // The account's wallet password as a scrypt record (password.hpp), or none. Throws
  // std::invalid_argument when there is no such account.
  void setPasswordHash(const protocol::Msisdn&, const std::optional<std::string>& record);
  std::optional<std::string> passwordHash(const protocol::Msisdn&) const;
  std::size_t accounts() const;
  // Message c's replay memory (NonceRegistry semantics, durable): forgets nonces past their forgetAfter,
  // then records (sender, nonce) — fresh, replayed if already there, full at `capacity` entries.
  protocol::NonceCheck rememberNonce(const protocol::Sender&, protocol::ByteView nonce, protocol::TimePoint now,
                                     protocol::TimePoint forgetAfter, std::size_t capacity);

 private:
  Account load(runtime::Statement&) const;
  runtime::Database& db_;
};

// The key of a PEM certificate and its terminal ID; throws std::invalid_argument.
protocol::ossl::PKey terminalKeyOf(const std::string& certPem);
// The public key of a PEM public key ("PUBLIC KEY") or certificate; throws std::invalid_argument.
protocol::ossl::PKey publicKeyOf(const std::string& pem);

}  // namespace setpay::wallet
