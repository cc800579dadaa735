#include "merchant/service/sqlite_merchant_store.hpp"

#include "protocol/messages/codec.hpp"

namespace setpay::merchant {

using protocol::Bytes;
using protocol::ByteView;

namespace {

std::int64_t millis(protocol::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
protocol::TimePoint fromMillis(std::int64_t ms) { return protocol::TimePoint(std::chrono::milliseconds(ms)); }

// The transaction columns after xid, in the order bindTransaction binds and readTransaction reads them.
constexpr const char* kColumns =
    "trans_ids, description, currency, amount, exp10, language, brand_id, chall_m, opened_ms, cardholder_thumb, "
    "state, preq_header, preq_rrpid, chall_c, auth_rrpid, auth_req, auth_code, approval_code, resp_reason, "
    "auth_currency, auth_amount, auth_exp10, cap_token_kind, cap_token, capture, response, error_code";
constexpr int kColumnCount = 27;

std::string placeholders(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s;
}

template <class T>
void bindOpt(runtime::Statement& s, int i, const std::optional<T>& v) {
  if (!v)
    s.bindNull(i);
  else if constexpr (std::is_same_v<T, Bytes>)
    s.bind(i, ByteView(*v));
  else if constexpr (std::is_same_v<T, std::string>)
    s.bind(i, std::string_view(*v));
  else
    s.bind(i, static_cast<std::int64_t>(*v));
}

std::optional<Bytes> blobOpt(const runtime::Statement& s, int c) {
  return s.isNull(c) ? std::nullopt : std::optional<Bytes>(s.blob(c));
}
std::optional<std::string> textOpt(const runtime::Statement& s, int c) {
  return s.isNull(c) ? std::nullopt : std::optional<std::string>(s.text(c));
}
std::optional<std::int64_t> intOpt(const runtime::Statement& s, int c) {
  return s.isNull(c) ? std::nullopt : std::optional<std::int64_t>(s.integer(c));
}

// Binds the kColumns of `t` from index `first` on.
void bindTransaction(runtime::Statement& s, const Transaction& t, int first) {
  int i = first;
  s.bind(i++, ByteView(protocol::encode(t.transIDs)));
  s.bind(i++, std::string_view(t.order.orderDescription));
  s.bind(i++, static_cast<std::int64_t>(t.order.amount.currency));
  s.bind(i++, t.order.amount.amount);
  s.bind(i++, static_cast<std::int64_t>(t.order.amount.amtExp10));
  bindOpt(s, i++, t.order.language);
  s.bind(i++, std::string_view(t.brandID));
  s.bind(i++, ByteView(t.challM));
  s.bind(i++, millis(t.opened));
  bindOpt(s, i++, t.cardholderThumb);
  s.bind(i++, static_cast<std::int64_t>(t.state.index()));
  // State columns: each alternative binds its own, the others stay NULL.
  const int stateFirst = i;
  for (int k = 0; k < kColumnCount - (stateFirst - first); ++k) s.bindNull(stateFirst + k);
  const int preqHeader = stateFirst, preqRRPID = stateFirst + 1, challC = stateFirst + 2, authRRPID = stateFirst + 3,
            authReq = stateFirst + 4, authCode = stateFirst + 5, approvalCode = stateFirst + 6, respReason = stateFirst + 7,
            authCurrency = stateFirst + 8, authAmount = stateFirst + 9, authExp10 = stateFirst + 10,
            capTokenKind = stateFirst + 11, capToken = stateFirst + 12, capture = stateFirst + 13,
            response = stateFirst + 14, errorCode = stateFirst + 15;
  if (const auto* a = std::get_if<Authorizing>(&t.state)) {
    s.bind(preqHeader, ByteView(protocol::encode(a->pReqHeader)));
    s.bind(preqRRPID, ByteView(a->pReqRRPID));
    s.bind(challC, ByteView(a->challC));
    s.bind(authRRPID, ByteView(a->authRRPID));
    s.bind(authReq, ByteView(a->authReq));
  } else if (const auto* done = std::get_if<Answered>(&t.state)) {
    const Authorization& z = done->authorization;
    s.bind(authRRPID, ByteView(z.authRRPID));
    s.bind(authCode, static_cast<std::int64_t>(z.authCode));
    bindOpt(s, approvalCode, z.approvalCode);
    bindOpt(s, respReason, z.respReason);
    s.bind(authCurrency, static_cast<std::int64_t>(z.authAmt.currency));
    s.bind(authAmount, z.authAmt.amount);
    s.bind(authExp10, static_cast<std::int64_t>(z.authAmt.amtExp10));
    if (z.capToken) {
      s.bind(capTokenKind, static_cast<std::int64_t>(z.capToken->kind));
      s.bind(capToken, ByteView(z.capToken->der));
    }
    if (z.capture) s.bind(capture, ByteView(protocol::encode(*z.capture)));
    s.bind(response, ByteView(protocol::encode(done->response)));
  } else if (const auto* r = std::get_if<Rejected>(&t.state)) {
    s.bind(response, ByteView(protocol::encode(r->response)));
  } else if (const auto* f = std::get_if<Failed>(&t.state)) {
    s.bind(errorCode, static_cast<std::int64_t>(f->error));
  }
}

// Reads the kColumns (from column 0) of a SELECT.
Transaction readTransaction(const runtime::Statement& s) {
  Transaction t;
  t.transIDs = protocol::decode<protocol::TransIDs>(s.blob(0));
  t.order.orderDescription = s.text(1);
  t.order.amount = {static_cast<int>(s.integer(2)), s.integer(3), static_cast<int>(s.integer(4))};
  t.order.language = textOpt(s, 5);
  t.brandID = s.text(6);
  t.challM = s.blob(7);
  t.opened = fromMillis(s.integer(8));
  t.cardholderThumb = blobOpt(s, 9);
  switch (static_cast<TransactionState>(s.integer(10))) {
    case TransactionState::awaitingPReq:
      t.state = AwaitingPReq{};
      break;
    case TransactionState::superseded:
      t.state = Superseded{};
      break;
    case TransactionState::authorizing:
      t.state = Authorizing{protocol::decode<protocol::MessageHeader>(s.blob(11)), s.blob(12), s.blob(13), s.blob(14),
                            s.blob(15)};
      break;
    case TransactionState::answered: {
      Authorization z;
      z.authRRPID = s.blob(14);
      z.authCode = static_cast<protocol::AuthCode>(s.integer(16));
      z.approvalCode = textOpt(s, 17);
      z.respReason = intOpt(s, 18);
      z.authAmt = {static_cast<int>(s.integer(19)), s.integer(20), static_cast<int>(s.integer(21))};
      if (!s.isNull(22)) z.capToken = protocol::CapToken{static_cast<protocol::CapToken::Kind>(s.integer(22)), s.blob(23)};
      if (!s.isNull(24)) z.capture = protocol::decode<protocol::CapResPayload>(s.blob(24));
      t.state = Answered{std::move(z), protocol::decode<protocol::PResPayload>(s.blob(25))};
      break;
    }
    case TransactionState::rejected:
      t.state = Rejected{protocol::decode<protocol::PResPayload>(s.blob(25))};
      break;
    case TransactionState::failed:
      t.state = Failed{static_cast<protocol::ErrorCode>(s.integer(26))};
      break;
    default:
      throw runtime::StorageError(0, "transactions.state out of range");
  }
  return t;
}

}  // namespace

void SqliteMerchantStore::saveOrder(const OfferedOrder& o) {
  const std::lock_guard lock(mutex_);
  auto s = db_.statement(
      "INSERT OR REPLACE INTO orders (lid_m, description, currency, amount, exp10, language, offered_ms, xid) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, ByteView(o.lidM))
      .bind(2, std::string_view(o.order.orderDescription))
      .bind(3, static_cast<std::int64_t>(o.order.amount.currency))
      .bind(4, o.order.amount.amount)
      .bind(5, static_cast<std::int64_t>(o.order.amount.amtExp10));
  bindOpt(s, 6, o.order.language);
  s.bind(7, millis(o.offered));
  bindOpt(s, 8, o.xid);
  s.run();
}

std::optional<OfferedOrder> SqliteMerchantStore::findOrder(ByteView lidM) const {
  const std::lock_guard lock(mutex_);
  auto s = db_.statement(
      "SELECT lid_m, description, currency, amount, exp10, language, offered_ms, xid FROM orders WHERE lid_m = ?");
  s.bind(1, lidM);
  if (!s.step()) return std::nullopt;
  OfferedOrder o;
  o.lidM = s.blob(0);
  o.order.orderDescription = s.text(1);
  o.order.amount = {static_cast<int>(s.integer(2)), s.integer(3), static_cast<int>(s.integer(4))};
  o.order.language = textOpt(s, 5);
  o.offered = fromMillis(s.integer(6));
  o.xid = blobOpt(s, 7);
  return o;
}

void SqliteMerchantStore::saveTransaction(const Transaction& t) {
  const std::lock_guard lock(mutex_);
  auto s = db_.statement(std::string("INSERT OR REPLACE INTO transactions (xid, ") + kColumns + ") VALUES (" +
                         placeholders(kColumnCount + 1) + ")");
  s.bind(1, ByteView(t.transIDs.xid));
  bindTransaction(s, t, 2);
  s.run();
}

std::optional<Transaction> SqliteMerchantStore::findTransaction(ByteView xid) const {
  const std::lock_guard lock(mutex_);
  auto s = db_.statement(std::string("SELECT ") + kColumns + " FROM transactions WHERE xid = ?");
  s.bind(1, xid);
  if (!s.step()) return std::nullopt;
  return readTransaction(s);
}

bool SqliteMerchantStore::replaceTransaction(const Transaction& next, TransactionState expected) {
  const std::lock_guard lock(mutex_);
  // The compare and the set are one statement: SQLite runs it under its write lock, so of two
  // processes replacing the same awaiting transaction exactly one sees a row change.
  auto s = db_.statement(std::string("UPDATE transactions SET (") + kColumns + ") = (" + placeholders(kColumnCount) +
                         ") WHERE xid = ? AND state = ?");
  bindTransaction(s, next, 1);
  s.bind(kColumnCount + 1, ByteView(next.transIDs.xid));
  s.bind(kColumnCount + 2, static_cast<std::int64_t>(expected));
  s.run();
  return db_.changes() == 1;
}

std::size_t SqliteMerchantStore::removeAbandoned(protocol::TimePoint ordersOfferedBefore,
                                                 protocol::TimePoint transactionsOpenedBefore) {
  const std::lock_guard lock(mutex_);
  runtime::WriteTransaction tx(db_);
  db_.statement("DELETE FROM transactions WHERE state IN (?, ?) AND opened_ms < ?")
      .bind(1, static_cast<std::int64_t>(TransactionState::awaitingPReq))
      .bind(2, static_cast<std::int64_t>(TransactionState::superseded))
      .bind(3, millis(transactionsOpenedBefore))
      .run();
  const auto transactions = db_.changes();
  db_.statement(
         "DELETE FROM orders WHERE offered_ms < ? AND (xid IS NULL OR NOT EXISTS "
         "(SELECT 1 FROM transactions t WHERE t.xid = orders.xid))")
      .bind(1, millis(ordersOfferedBefore))
      .run();
  const auto orders = db_.changes();
  tx.commit();
  return static_cast<std::size_t>(transactions + orders);
}

std::vector<Transaction> SqliteMerchantStore::uncaptured(std::size_t limit) const {
  const std::lock_guard lock(mutex_);
  auto s = db_.statement(std::string("SELECT ") + kColumns +
                         " FROM transactions t WHERE state = ? AND auth_code = ? AND cap_token IS NOT NULL AND "
                         "capture IS NULL AND NOT EXISTS (SELECT 1 FROM captures c WHERE c.xid = t.xid AND "
                         "c.cap_res IS NOT NULL) ORDER BY opened_ms LIMIT ?");
  s.bind(1, static_cast<std::int64_t>(TransactionState::answered))
      .bind(2, static_cast<std::int64_t>(protocol::AuthCode::approved))
      .bind(3, static_cast<std::int64_t>(limit));
  std::vector<Transaction> out;
  while (s.step()) out.push_back(readTransaction(s));
  return out;
}

std::optional<CaptureRecord> SqliteMerchantStore::findCapture(ByteView xid) const {
  const std::lock_guard lock(mutex_);
  auto s = db_.statement(
      "SELECT xid, cap_rrpid, cap_req, cap_res, cap_code, currency, amount, exp10 FROM captures WHERE xid = ?");
  s.bind(1, xid);
  if (!s.step()) return std::nullopt;
  CaptureRecord c{s.blob(0), s.blob(1), s.blob(2), blobOpt(s, 3), std::nullopt, std::nullopt};
  if (!s.isNull(4)) c.capCode = static_cast<protocol::CapCode>(s.integer(4));
  if (!s.isNull(5))
    c.capAmt = protocol::CurrencyAmount{static_cast<int>(s.integer(5)), s.integer(6), static_cast<int>(s.integer(7))};
  return c;
}

void SqliteMerchantStore::captureSent(const CaptureRecord& c) {
  const std::lock_guard lock(mutex_);
  db_.statement("INSERT OR IGNORE INTO captures (xid, cap_rrpid, cap_req, sent_ms) VALUES (?, ?, ?, ?)")
      .bind(1, ByteView(c.xid))
      .bind(2, ByteView(c.capRRPID))
      .bind(3, ByteView(c.capReq))
      .bind(4, millis(std::chrono::system_clock::now()))
      .run();
}

void SqliteMerchantStore::captureAnswered(ByteView xid, ByteView capRes, protocol::CapCode code,
                                          const protocol::CurrencyAmount& capAmt) {
  const std::lock_guard lock(mutex_);
  db_.statement(
         "UPDATE captures SET cap_res = ?, cap_code = ?, currency = ?, amount = ?, exp10 = ?, answered_ms = ? "
         "WHERE xid = ?")
      .bind(1, capRes)
      .bind(2, static_cast<std::int64_t>(code))
      .bind(3, static_cast<std::int64_t>(capAmt.currency))
      .bind(4, capAmt.amount)
      .bind(5, static_cast<std::int64_t>(capAmt.amtExp10))
      .bind(6, millis(std::chrono::system_clock::now()))
      .bind(7, xid)
      .run();
}

std::vector<std::int64_t> SqliteMerchantStore::countByState() const {
  const std::lock_guard lock(mutex_);
  std::vector<std::int64_t> counts(std::variant_size_v<PurchaseState>, 0);
  auto s = db_.statement("SELECT state, COUNT(*) FROM transactions GROUP BY state");
  while (s.step()) {
    const auto k = s.integer(0);
    if (k >= 0 && k < static_cast<std::int64_t>(counts.size())) counts[static_cast<std::size_t>(k)] = s.integer(1);
  }
  return counts;
}

}  // namespace setpay::merchant
