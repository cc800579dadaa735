#include "gateway/service/sqlite_gateway_store.hpp"

namespace setpay::gateway {

using protocol::ByteView;

namespace {
std::int64_t millis(protocol::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
protocol::TimePoint fromMillis(std::int64_t ms) { return protocol::TimePoint(std::chrono::milliseconds(ms)); }
}  // namespace

std::optional<SentResponse> SqliteGatewayStore::findResponse(const ReplayKey& key) const {
  auto s = db_.statement("SELECT request_digest, response, at_ms FROM replay WHERE message = ? AND xid = ? AND rrpid = ?");
  s.bind(1, key.message).bind(2, ByteView(key.xid)).bind(3, ByteView(key.rrpid));
  if (!s.step()) return std::nullopt;
  notes_.replayed = true;
  return SentResponse{s.blob(0), s.blob(1), fromMillis(s.integer(2))};
}

void SqliteGatewayStore::rememberResponse(const ReplayKey& key, SentResponse r) {
  db_.statement("INSERT OR REPLACE INTO replay (message, xid, rrpid, request_digest, response, at_ms) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, key.message)
      .bind(2, ByteView(key.xid))
      .bind(3, ByteView(key.rrpid))
      .bind(4, ByteView(r.requestDigest))
      .bind(5, ByteView(r.response))
      .bind(6, millis(r.at))
      .run();
}

void SqliteGatewayStore::forgetResponsesBefore(protocol::TimePoint t) {
  db_.statement("DELETE FROM replay WHERE at_ms < ?").bind(1, millis(t)).run();
}

bool SqliteGatewayStore::piUsed(ByteView xid, ByteView piDigest) const {
  auto s = db_.statement(
      "SELECT EXISTS (SELECT 1 FROM pi_used_xid WHERE xid = ?) OR EXISTS (SELECT 1 FROM pi_used_digest WHERE digest = ?)");
  s.bind(1, xid).bind(2, piDigest);
  s.step();
  return s.integer(0) != 0;
}

void SqliteGatewayStore::markPIUsed(ByteView xid, ByteView piDigest) {
  db_.statement("INSERT OR IGNORE INTO pi_used_xid (xid) VALUES (?)").bind(1, xid).run();
  db_.statement("INSERT OR IGNORE INTO pi_used_digest (digest) VALUES (?)").bind(1, piDigest).run();
}

unsigned SqliteGatewayStore::issuerAttempts(ByteView xid) const {
  auto s = db_.statement("SELECT count FROM issuer_attempt WHERE xid = ?");
  s.bind(1, xid);
  return s.step() ? static_cast<unsigned>(s.integer(0)) : 0U;
}

void SqliteGatewayStore::recordIssuerAttempt(ByteView xid, protocol::TimePoint pReqDate) {
  db_.statement(
         "INSERT INTO issuer_attempt (xid, count, preq_date_ms) VALUES (?, 1, ?) "
         "ON CONFLICT (xid) DO UPDATE SET count = count + 1, preq_date_ms = excluded.preq_date_ms")
      .bind(1, xid)
      .bind(2, millis(pReqDate))
      .run();
}

void SqliteGatewayStore::forgetIssuerAttemptsBefore(protocol::TimePoint t) {
  db_.statement("DELETE FROM issuer_attempt WHERE preq_date_ms < ?").bind(1, millis(t)).run();
}

void SqliteGatewayStore::saveAuthorization(const Authorization& a) {
  const bool known = findAuthorization(a.tokenOpaque).has_value();
  auto s = db_.statement(
      "INSERT INTO authorizations (token, xid, auth_rrpid, merchant_id, approval_code, currency, amount, exp10, "
      "captured_currency, captured_amount, captured_exp10) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (token) DO UPDATE SET captured_currency = excluded.captured_currency, "
      "captured_amount = excluded.captured_amount, captured_exp10 = excluded.captured_exp10");
  s.bind(1, ByteView(a.tokenOpaque))
      .bind(2, ByteView(a.xid))
      .bind(3, ByteView(a.authRRPID))
      .bind(4, a.merchantID)
      .bind(5, a.approvalCode)
      .bind(6, a.authAmt.currency)
      .bind(7, a.authAmt.amount)
      .bind(8, a.authAmt.amtExp10);
  if (a.captured)
    s.bind(9, a.captured->currency).bind(10, a.captured->amount).bind(11, a.captured->amtExp10);
  else
    s.bindNull(9).bindNull(10).bindNull(11);
  s.run();
  if (!known) ++notes_.authorized;
  if (a.captured) ++notes_.captured;
}

std::optional<Authorization> SqliteGatewayStore::findAuthorization(ByteView tokenOpaque) const {
  auto s = db_.statement(
      "SELECT token, xid, auth_rrpid, merchant_id, approval_code, currency, amount, exp10, captured_currency, "
      "captured_amount, captured_exp10 FROM authorizations WHERE token = ?");
  s.bind(1, tokenOpaque);
  if (!s.step()) return std::nullopt;
  Authorization a;
  a.tokenOpaque = s.blob(0);
  a.xid = s.blob(1);
  a.authRRPID = s.blob(2);
  a.merchantID = s.text(3);
  a.approvalCode = s.text(4);
  a.authAmt = protocol::CurrencyAmount{static_cast<int>(s.integer(5)), s.integer(6), static_cast<int>(s.integer(7))};
  if (!s.isNull(8))
    a.captured = protocol::CurrencyAmount{static_cast<int>(s.integer(8)), s.integer(9), static_cast<int>(s.integer(10))};
  return a;
}

}  // namespace setpay::gateway
