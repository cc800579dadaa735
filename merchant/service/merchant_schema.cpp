#include "merchant/service/merchant_schema.hpp"

namespace setpay::merchant {

namespace {

// Version 1. Times are Unix milliseconds; amounts are SET CurrencyAmounts (currency, minor units,
// exponent). A transaction's purchase state is one `state` value (the PurchaseState alternative, in
// the variant's order: TransactionState) plus the columns that alternative holds; SET structures
// are kept as their DER (protocol/messages/codec.hpp), so what is saved reads back equal.
//   authorizing: preq_header, preq_rrpid, chall_c, auth_rrpid, auth_req (the AuthReq wrapper as sent)
//   answered:    auth_rrpid and auth_* (Authorization), response (PResPayload DER)
//   rejected:    response
//   failed:      error_code
// Captures (`setpay merchant capture`) are the service's own records beside the role's state.
constexpr const char* kV1 = R"sql(
CREATE TABLE orders (
  lid_m BLOB PRIMARY KEY, description TEXT NOT NULL,
  currency INTEGER NOT NULL, amount INTEGER NOT NULL, exp10 INTEGER NOT NULL, language TEXT,
  offered_ms INTEGER NOT NULL, xid BLOB) WITHOUT ROWID;
CREATE INDEX orders_offered ON orders (offered_ms);
CREATE TABLE transactions (
  xid BLOB PRIMARY KEY, trans_ids BLOB NOT NULL,
  description TEXT NOT NULL, currency INTEGER NOT NULL, amount INTEGER NOT NULL, exp10 INTEGER NOT NULL,
  language TEXT, brand_id TEXT NOT NULL, chall_m BLOB NOT NULL, opened_ms INTEGER NOT NULL,
  cardholder_thumb BLOB,
  state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 5),
  preq_header BLOB, preq_rrpid BLOB, chall_c BLOB, auth_rrpid BLOB, auth_req BLOB,
  auth_code INTEGER, approval_code TEXT, resp_reason INTEGER,
  auth_currency INTEGER, auth_amount INTEGER, auth_exp10 INTEGER,
  cap_token_kind INTEGER, cap_token BLOB, capture BLOB,
  response BLOB, error_code INTEGER) WITHOUT ROWID;
CREATE INDEX transactions_state ON transactions (state, opened_ms);
CREATE TABLE captures (
  xid BLOB PRIMARY KEY REFERENCES transactions (xid), cap_rrpid BLOB NOT NULL, cap_req BLOB NOT NULL,
  cap_res BLOB, cap_code INTEGER, currency INTEGER, amount INTEGER, exp10 INTEGER,
  sent_ms INTEGER NOT NULL, answered_ms INTEGER) WITHOUT ROWID;
)sql";

constexpr runtime::Migration kMigrations[] = {{1, kV1}};

}  // namespace

std::span<const runtime::Migration> merchantSchema() { return kMigrations; }

std::unique_ptr<runtime::Database> openMerchantDatabase(const runtime::DatabaseOptions& options) {
  auto db = std::make_unique<runtime::Database>(options);
  db->migrate(merchantSchema());
  return db;
}

}  // namespace setpay::merchant
