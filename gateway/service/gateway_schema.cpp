#include "gateway/service/gateway_schema.hpp"

namespace setpay::gateway {

namespace {

// Version 1. Times are Unix milliseconds. Amounts are (currency, minor units, exponent) as in SET's
// CurrencyAmount. Holds are kept after capture (state 'captured') so that an audit can add them up.
constexpr const char* kV1 = R"sql(
CREATE TABLE replay (
  message TEXT NOT NULL, xid BLOB NOT NULL, rrpid BLOB NOT NULL,
  request_digest BLOB NOT NULL, response BLOB NOT NULL, at_ms INTEGER NOT NULL,
  PRIMARY KEY (message, xid, rrpid)) WITHOUT ROWID;
CREATE INDEX replay_at ON replay (at_ms);
CREATE TABLE pi_used_xid (xid BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE pi_used_digest (digest BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE authorizations (
  token BLOB PRIMARY KEY, xid BLOB NOT NULL, auth_rrpid BLOB NOT NULL, merchant_id TEXT NOT NULL,
  approval_code TEXT NOT NULL, currency INTEGER NOT NULL, amount INTEGER NOT NULL, exp10 INTEGER NOT NULL,
  captured_currency INTEGER, captured_amount INTEGER, captured_exp10 INTEGER);
CREATE INDEX authorization_xid ON authorizations (xid);
CREATE TABLE issuer_account (
  account_key TEXT PRIMARY KEY, pan_masked TEXT NOT NULL,
  currency INTEGER NOT NULL, balance INTEGER NOT NULL, exp10 INTEGER NOT NULL,
  limit_amount INTEGER NOT NULL, limit_exp10 INTEGER NOT NULL,
  card_expiry TEXT, blocked INTEGER NOT NULL DEFAULT 0, held INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE issuer_hold (
  approval_code TEXT PRIMARY KEY, account_key TEXT NOT NULL REFERENCES issuer_account (account_key),
  amount INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN ('held', 'captured')),
  captured INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE INDEX issuer_hold_account ON issuer_hold (account_key);
CREATE TABLE issuer_counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
)sql";

// Version 2: how often the issuer was asked for a purchase (GatewayStore::issuerAttempts; a declined PI
// is not resubmitted without end, SPEC-CHOICES "## gateway" PI bounds).
constexpr const char* kV2 = R"sql(
CREATE TABLE issuer_attempt (
  xid BLOB PRIMARY KEY, count INTEGER NOT NULL, preq_date_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX issuer_attempt_date ON issuer_attempt (preq_date_ms);
)sql";

constexpr runtime::Migration kMigrations[] = {{1, kV1}, {2, kV2}};

}  // namespace

std::span<const runtime::Migration> gatewaySchema() { return kMigrations; }

std::unique_ptr<runtime::Database> openGatewayDatabase(const runtime::DatabaseOptions& options) {
  auto db = std::make_unique<runtime::Database>(options);
  db->migrate(gatewaySchema());
  return db;
}

}  // namespace setpay::gateway
