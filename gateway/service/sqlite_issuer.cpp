#include "gateway/service/sqlite_issuer.hpp"

#include <stdexcept>


namespace setpay::gateway {

namespace {
constexpr const char* kAccountColumns =
    "account_key, pan_masked, currency, balance, exp10, limit_amount, limit_exp10, card_expiry, blocked, held";
int narrow(std::int64_t v) { return static_cast<int>(v); }
}  // namespace

SqliteIssuer::SqliteIssuer(runtime::Database& db, protocol::ByteView panHashKey)
    : db_(db), panHashKey_(panHashKey.begin(), panHashKey.end()) {
  if (panHashKey_.size() < 16) throw std::invalid_argument("PAN hash key shorter than 16 bytes");
}

AccountView SqliteIssuer::view(runtime::Statement& s) {
  AccountView v;
  v.key = s.text(0);
  v.panMasked = s.text(1);
  const int currency = narrow(s.integer(2));
  v.state.balance = protocol::CurrencyAmount{currency, s.integer(3), narrow(s.integer(4))};
  v.state.perTransactionLimit = protocol::CurrencyAmount{currency, s.integer(5), narrow(s.integer(6))};
  if (!s.isNull(7)) v.state.cardExpiry = s.text(7);
  v.state.blocked = s.integer(8) != 0;
  v.state.held = s.integer(9);
  return v;
}

std::optional<AccountState> SqliteIssuer::load(const std::string& accountKey) {
  auto s = db_.statement(std::string("SELECT ") + kAccountColumns + " FROM issuer_account WHERE account_key = ?");
  s.bind(1, accountKey);
  if (!s.step()) return std::nullopt;
  return view(s).state;
}

std::string SqliteIssuer::nextApprovalCode() {
  for (;;) {  // unique among all holds ever made (holds are kept after capture)
    auto next = db_.statement(
        "INSERT INTO issuer_counter (name, value) VALUES ('approval', 1) "
        "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value");
    next.step();
    const auto counter = static_cast<std::uint64_t>(next.integer(0));
    next.run();
    std::string code = approvalCodeFor(panHashKey_, counter);
    auto taken = db_.statement("SELECT 1 FROM issuer_hold WHERE approval_code = ?");
    taken.bind(1, code);
    if (!taken.step()) return code;
  }
}

IssuerDecision SqliteIssuer::authorize(const IssuerRequest& r) {
  const std::string accountKey = key(r.pan);
  const auto account = load(accountKey);
  if (!account) return IssuerDecision{protocol::AuthCode::declined, "", respReason::unknownAccount};
  const HoldDecision hold = decideHold(*account, r);
  if (hold.refusal) return *hold.refusal;
  db_.statement("UPDATE issuer_account SET held = held + ? WHERE account_key = ?").bind(1, hold.units).bind(2, accountKey).run();
  std::string code = nextApprovalCode();
  db_.statement("INSERT INTO issuer_hold (approval_code, account_key, amount, state) VALUES (?, ?, ?, 'held')")
      .bind(1, code)
      .bind(2, accountKey)
      .bind(3, hold.units)
      .run();
  return IssuerDecision{protocol::AuthCode::approved, std::move(code), std::nullopt};
}

bool SqliteIssuer::capture(const std::string& approvalCode, const protocol::CurrencyAmount& amount) {
  auto h = db_.statement("SELECT account_key, amount FROM issuer_hold WHERE approval_code = ? AND state = 'held'");
  h.bind(1, approvalCode);
  if (!h.step()) return false;  // unknown or already captured
  const std::string accountKey = h.text(0);
  const std::int64_t heldUnits = h.integer(1);
  const auto account = load(accountKey);
  if (!account) return false;
  const auto units = captureUnits(*account, heldUnits, amount);
  if (!units) return false;
  // The hold becomes a debit of the captured amount; whatever was not captured is released.
  db_.statement("UPDATE issuer_account SET held = held - ?, balance = balance - ? WHERE account_key = ?")
      .bind(1, heldUnits)
      .bind(2, *units)
      .bind(3, accountKey)
      .run();
  db_.statement("UPDATE issuer_hold SET state = 'captured', captured = ? WHERE approval_code = ?")
      .bind(1, *units)
      .bind(2, approvalCode)
      .run();
  return true;
}

void SqliteIssuer::openAccount(const std::string& pan, protocol::CurrencyAmount balance,
                               protocol::CurrencyAmount limit, std::optional<std::string> cardExpiry) {
  if (limit.currency != balance.currency) throw std::invalid_argument("limit and balance in different currencies");
  const std::string accountKey = key(pan);
  if (load(accountKey)) throw std::invalid_argument("an account for " + protocol::maskPan(pan) + " exists already");
  auto s = db_.statement(
      "INSERT INTO issuer_account (account_key, pan_masked, currency, balance, exp10, limit_amount, limit_exp10, "
      "card_expiry) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, accountKey)
      .bind(2, protocol::maskPan(pan))
      .bind(3, balance.currency)
      .bind(4, balance.amount)
      .bind(5, balance.amtExp10)
      .bind(6, limit.amount)
      .bind(7, limit.amtExp10);
  if (cardExpiry)
    s.bind(8, *cardExpiry);
  else
    s.bindNull(8);
  s.run();
}

void SqliteIssuer::setBalance(const std::string& pan, std::int64_t minorUnits) {
  db_.statement("UPDATE issuer_account SET balance = ? WHERE account_key = ?").bind(1, minorUnits).bind(2, key(pan)).run();
  if (db_.changes() == 0) throw std::invalid_argument("no account for " + protocol::maskPan(pan));
}

void SqliteIssuer::setBlocked(const std::string& pan, bool blocked) {
  db_.statement("UPDATE issuer_account SET blocked = ? WHERE account_key = ?").bind(1, blocked ? 1 : 0).bind(2, key(pan)).run();
  if (db_.changes() == 0) throw std::invalid_argument("no account for " + protocol::maskPan(pan));
}

std::optional<AccountView> SqliteIssuer::find(const std::string& pan) {
  for (auto& v : list())
    if (v.key == key(pan)) return v;
  return std::nullopt;
}

std::vector<AccountView> SqliteIssuer::list() {
  std::vector<AccountView> out;
  auto s = db_.statement(std::string("SELECT ") + kAccountColumns + " FROM issuer_account ORDER BY pan_masked, account_key");
  while (s.step()) out.push_back(view(s));
  for (auto& v : out) {
    auto c = db_.statement(
        "SELECT COALESCE(SUM(state = 'held'), 0), COALESCE(SUM(state = 'captured'), 0) FROM issuer_hold WHERE account_key = ?");
    c.bind(1, v.key);
    c.step();
    v.holds = c.integer(0);
    v.captures = c.integer(1);
  }
  return out;
}

}  // namespace setpay::gateway
