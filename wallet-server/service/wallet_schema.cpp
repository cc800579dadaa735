#include "wallet-server/service/wallet_schema.hpp"

namespace setpay::wallet {

namespace {

// Version 1. Times are Unix milliseconds. Amounts are minor units in the account's currency (ISO 4217
// numeric) with its power of ten, as SET's CurrencyAmount. terminal_id = SHA-256 of the terminal
// certificate's SubjectPublicKeyInfo (protocol/mobile/channel.hpp terminalIdOf): the key the mobile
// channel's TLS client certificate, e's signature and message c's signature must all carry.
// Ceilings are inclusive limits; NULL = none. Rolling day / month = the last 24 h / 30 days of
// approved purchases. history.outcome: approved | declined | failed | refused | timeout.
constexpr const char* kV1 = R"sql(
CREATE TABLE account (
  msisdn TEXT PRIMARY KEY,
  sender_id TEXT NOT NULL,
  terminal_cert TEXT NOT NULL,
  terminal_id BLOB NOT NULL UNIQUE,
  brands TEXT NOT NULL,
  bin TEXT NOT NULL,
  currency INTEGER NOT NULL, exp10 INTEGER NOT NULL,
  ceiling_purchase INTEGER, ceiling_day INTEGER, ceiling_month INTEGER,
  loyalty_points INTEGER NOT NULL DEFAULT 0,
  enrolled_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE history (
  id INTEGER PRIMARY KEY,
  msisdn TEXT NOT NULL REFERENCES account (msisdn),
  xid BLOB,
  merchant TEXT NOT NULL,
  currency INTEGER NOT NULL, amount INTEGER NOT NULL, exp10 INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'declined', 'failed', 'refused', 'timeout')),
  reason TEXT,
  approval_code TEXT,
  points INTEGER NOT NULL DEFAULT 0,
  at_ms INTEGER NOT NULL);
CREATE INDEX history_msisdn_at ON history (msisdn, at_ms);
)sql";

// Version 2: further senders of message c per account (issue 10): a redirector (direct, relay) or an
// operator's gateway-proxy signs c with its own key, enrolled here for the MSISDN under its Sender id.
// The terminal's own sender id stays in account.sender_id (its key is the terminal certificate's).
// public_key: PEM SubjectPublicKeyInfo, ECDSA P-256 or RSA >= 2048 (checked when enrolled).
// account.password_hash: the wallet password of claims 9/15 as protocol/redirect/password.hpp's scrypt record
// (NULL: none); once set, every c for the account must carry it.
constexpr const char* kV2 = R"sql(
CREATE TABLE sender (
  msisdn TEXT NOT NULL REFERENCES account (msisdn),
  sender_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  enrolled_ms INTEGER NOT NULL,
  PRIMARY KEY (msisdn, sender_id)) WITHOUT ROWID;
ALTER TABLE account ADD COLUMN password_hash TEXT;
)sql";

// Version 3: the nonces of accepted messages c (protocol/redirect/replay.hpp nonceKey), kept until the
// freshness window has passed, so a replay is refused after a restart too. forget_after_ms: Unix ms.
constexpr const char* kV3 = R"sql(
CREATE TABLE c_nonce (
  nonce_key TEXT PRIMARY KEY,
  forget_after_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX c_nonce_forget ON c_nonce (forget_after_ms);
)sql";

constexpr runtime::Migration kMigrations[] = {{1, kV1}, {2, kV2}, {3, kV3}};

}  // namespace

std::span<const runtime::Migration> walletSchema() { return kMigrations; }

std::unique_ptr<runtime::Database> openWalletDatabase(const runtime::DatabaseOptions& options) {
  auto db = std::make_unique<runtime::Database>(options);
  db->migrate(walletSchema());
  return db;
}

}  // namespace setpay::wallet
