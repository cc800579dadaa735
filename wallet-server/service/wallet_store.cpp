#include "wallet-server/service/wallet_store.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "protocol/mobile/channel.hpp"
#include "protocol/redirect/envelope.hpp"
#include "protocol/redirect/replay.hpp"
#include "protocol/redirect/sign.hpp"

namespace setpay::wallet {

namespace {

std::int64_t ms(protocol::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
protocol::TimePoint fromMs(std::int64_t v) {
  return protocol::TimePoint(std::chrono::duration_cast<protocol::TimePoint::duration>(std::chrono::milliseconds(v)));
}

std::string joinBrands(const std::vector<std::string>& brands) {
  std::string out;
  for (const auto& b : brands) out += (out.empty() ? "" : ",") + b;
  return out;
}
std::vector<std::string> splitBrands(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string b; std::getline(in, b, ',');)
    if (!b.empty()) out.push_back(b);
  return out;
}

void bindOptional(runtime::Statement& s, int i, const std::optional<std::int64_t>& v) {
  if (v)
    s.bind(i, *v);
  else
    s.bindNull(i);
}
std::optional<std::int64_t> optionalInt(const runtime::Statement& s, int c) {
  return s.isNull(c) ? std::nullopt : std::optional<std::int64_t>(s.integer(c));
}
std::optional<std::string> optionalText(const runtime::Statement& s, int c) {
  return s.isNull(c) ? std::nullopt : std::optional<std::string>(s.text(c));
}

constexpr const char* kAccountColumns =
    "msisdn, sender_id, terminal_cert, terminal_id, brands, bin, currency, exp10, ceiling_purchase, ceiling_day, "
    "ceiling_month, loyalty_points, enrolled_ms";

}  // namespace

protocol::ossl::PKey terminalKeyOf(const std::string& certPem) {
  protocol::ossl::Cert cert;
  try {
    cert = protocol::ossl::certFromPem(certPem);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("the terminal certificate is not a PEM certificate: ") + e.what());
  }
  protocol::ossl::PKey key(X509_get_pubkey(cert.get()));
  if (!key) throw std::invalid_argument("the terminal certificate has no usable public key");
  return key;
}

protocol::ossl::PKey publicKeyOf(const std::string& pem) {
  if (pem.find("-----BEGIN CERTIFICATE-----") != std::string::npos) return terminalKeyOf(pem);
  protocol::ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  protocol::ossl::PKey key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) throw std::invalid_argument("not a PEM public key or certificate");
  return key;
}

void validateCeilings(const Ceilings& c) {
  using Named = std::pair<const char*, std::optional<std::int64_t>>;
  for (const auto& [name, v] : {Named{"per-purchase", c.perPurchase}, Named{"day", c.rollingDay}, Named{"month", c.rollingMonth}})
    if (v && *v < 0) throw std::invalid_argument(std::string("the ") + name + " ceiling must be 0 or more (minor units)");
}

void validateAccount(const Account& a) {
  const auto printable = [](const std::string& s, std::size_t max) {
    return !s.empty() && s.size() <= max && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 127; });
  };
  if (a.bin.size() != 6 || !std::all_of(a.bin.begin(), a.bin.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw std::invalid_argument("the BIN must be 6 digits");
  if (a.brands.empty() || a.brands.size() > 16) throw std::invalid_argument("an account holds 1 to 16 brands");
  for (const auto& b : a.brands)
    if (!printable(b, 40) || b.find(',') != std::string::npos)
      throw std::invalid_argument("a brand is 1 to 40 printable characters without a comma or a space");
  if (!printable(a.senderId, 128)) throw std::invalid_argument("the sender id is 1 to 128 printable characters without a space");
  if (a.currency < 1 || a.currency > 999) throw std::invalid_argument("the currency is an ISO 4217 numeric code, 1 to 999");
  if (a.exp10 < -12 || a.exp10 > 12) throw std::invalid_argument("the exponent is -12 to 12");
  validateCeilings(a.ceilings);
  terminalKeyOf(a.terminalCertPem);
}

void WalletStore::enroll(const Account& a, EnrollMode mode) {
  validateAccount(a);
  if (mode == EnrollMode::createOnly && find(a.msisdn))
    throw EnrollmentConflict(a.msisdn.e164() + " is already enrolled");
  const protocol::ossl::PKey key = terminalKeyOf(a.terminalCertPem);
  const protocol::Bytes id = protocol::mobile::terminalIdOf(key.get());
  if (auto other = findByTerminal(id); other && other->msisdn != a.msisdn)
    throw EnrollmentConflict("this terminal is already enrolled for " + other->msisdn.e164());
  auto s = db_.statement(
      "INSERT INTO account (msisdn, sender_id, terminal_cert, terminal_id, brands, bin, currency, exp10, "
      "ceiling_purchase, ceiling_day, ceiling_month, enrolled_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
      "ON CONFLICT (msisdn) DO UPDATE SET sender_id = ?2, terminal_cert = ?3, terminal_id = ?4, brands = ?5, bin = ?6, "
      "currency = ?7, exp10 = ?8, ceiling_purchase = ?9, ceiling_day = ?10, ceiling_month = ?11, enrolled_ms = ?12");
  s.bind(1, a.msisdn.e164()).bind(2, a.senderId).bind(3, a.terminalCertPem).bind(4, protocol::ByteView(id));
  s.bind(5, joinBrands(a.brands)).bind(6, a.bin).bind(7, a.currency).bind(8, a.exp10);
  bindOptional(s, 9, a.ceilings.perPurchase);
  bindOptional(s, 10, a.ceilings.rollingDay);
  bindOptional(s, 11, a.ceilings.rollingMonth);
  s.bind(12, ms(a.enrolled));
  s.run();
}

bool WalletStore::setCeilings(const protocol::Msisdn& msisdn, const Ceilings& c) {
  validateCeilings(c);
  auto s = db_.statement("UPDATE account SET ceiling_purchase = ?2, ceiling_day = ?3, ceiling_month = ?4 WHERE msisdn = ?1");
  s.bind(1, msisdn.e164());
  bindOptional(s, 2, c.perPurchase);
  bindOptional(s, 3, c.rollingDay);
  bindOptional(s, 4, c.rollingMonth);
  s.run();
  return db_.changes() > 0;
}

Account WalletStore::load(runtime::Statement& s) const {
  auto msisdn = protocol::Msisdn::parse(s.text(0));
  if (!msisdn) throw std::runtime_error("wallet database holds an invalid MSISDN");
  Account a{*msisdn, s.text(1), s.text(2), s.blob(3), splitBrands(s.text(4)), s.text(5),
            static_cast<int>(s.integer(6)), static_cast<int>(s.integer(7)),
            Ceilings{optionalInt(s, 8), optionalInt(s, 9), optionalInt(s, 10)}, s.integer(11), fromMs(s.integer(12))};
  return a;
}

std::optional<Account> WalletStore::find(const protocol::Msisdn& msisdn) const {
  auto s = db_.statement(std::string("SELECT ") + kAccountColumns + " FROM account WHERE msisdn = ?1");
  s.bind(1, msisdn.e164());
  if (!s.step()) return std::nullopt;
  return load(s);
}

std::optional<Account> WalletStore::findByTerminal(protocol::ByteView terminalID) const {
  auto s = db_.statement(std::string("SELECT ") + kAccountColumns + " FROM account WHERE terminal_id = ?1");
  s.bind(1, terminalID);
  if (!s.step()) return std::nullopt;
  return load(s);
}

std::int64_t WalletStore::approvedSince(const protocol::Msisdn& msisdn, protocol::TimePoint since) const {
  auto s = db_.statement(
      "SELECT COALESCE(SUM(h.amount), 0) FROM history h JOIN account a ON a.msisdn = h.msisdn "
      "WHERE h.msisdn = ?1 AND h.outcome = 'approved' AND h.at_ms >= ?2 AND h.currency = a.currency AND h.exp10 = a.exp10");
  s.bind(1, msisdn.e164()).bind(2, ms(since));
  s.step();
  return s.integer(0);
}

void WalletStore::recordOutcome(const HistoryEntry& h) {
  auto s = db_.statement(
      "INSERT INTO history (msisdn, xid, merchant, currency, amount, exp10, outcome, reason, approval_code, points, at_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  s.bind(1, h.msisdn);
  if (h.xid.empty())
    s.bindNull(2);
  else
    s.bind(2, protocol::ByteView(h.xid));
  s.bind(3, h.merchant).bind(4, h.amount.currency).bind(5, h.amount.amount).bind(6, h.amount.amtExp10).bind(7, h.outcome);
  if (h.reason)
    s.bind(8, *h.reason);
  else
    s.bindNull(8);
  if (h.approvalCode)
    s.bind(9, *h.approvalCode);
  else
    s.bindNull(9);
  s.bind(10, h.points).bind(11, ms(h.at));
  s.run();
  if (h.points != 0) {
    auto p = db_.statement("UPDATE account SET loyalty_points = loyalty_points + ?2 WHERE msisdn = ?1");
    p.bind(1, h.msisdn).bind(2, h.points);
    p.run();
  }
}

std::vector<HistoryEntry> WalletStore::history(const protocol::Msisdn& msisdn, std::size_t limit) const {
  auto s = db_.statement(
      "SELECT msisdn, xid, merchant, currency, amount, exp10, outcome, reason, approval_code, points, at_ms FROM history "
      "WHERE msisdn = ?1 ORDER BY at_ms DESC, id DESC LIMIT ?2");
  s.bind(1, msisdn.e164()).bind(2, static_cast<std::int64_t>(limit));
  std::vector<HistoryEntry> out;
  while (s.step()) {
    HistoryEntry h;
    h.msisdn = s.text(0);
    if (!s.isNull(1)) h.xid = s.blob(1);
    h.merchant = s.text(2);
    h.amount = protocol::CurrencyAmount{static_cast<int>(s.integer(3)), s.integer(4), static_cast<int>(s.integer(5))};
    h.outcome = s.text(6);
    h.reason = optionalText(s, 7);
    h.approvalCode = optionalText(s, 8);
    h.points = s.integer(9);
    h.at = fromMs(s.integer(10));
    out.push_back(std::move(h));
  }
  return out;
}

void WalletStore::enrollSender(const protocol::Msisdn& msisdn, const std::string& senderId, const std::string& keyPem) {
  const auto account = find(msisdn);
  if (!account) throw std::invalid_argument("no account for " + msisdn.e164());
  if (!protocol::validSenderId(senderId)) throw std::invalid_argument("the sender id must match [A-Za-z0-9][A-Za-z0-9._:+@-]{0,127}");
  if (senderId == account->senderId)
    throw std::invalid_argument("sender id " + senderId + " is the terminal's (its key is the terminal certificate's)");
  const protocol::ossl::PKey key = publicKeyOf(keyPem);
  if (!protocol::signatureAlgorithmFor(key.get()))
    throw std::invalid_argument("message c needs an ECDSA P-256 or an RSA key of at least 2048 bits");
  protocol::ossl::Bio out(BIO_new(BIO_s_mem()));
  char* data = nullptr;
  if (!out || PEM_write_bio_PUBKEY(out.get(), key.get()) != 1) throw std::invalid_argument("cannot encode the public key");
  const long n = BIO_get_mem_data(out.get(), &data);
  auto s = db_.statement(
      "INSERT INTO sender (msisdn, sender_id, public_key, enrolled_ms) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (msisdn, sender_id) DO UPDATE SET public_key = ?3, enrolled_ms = ?4");
  s.bind(1, msisdn.e164()).bind(2, senderId).bind(3, std::string(data, static_cast<std::size_t>(n)));
  s.bind(4, ms(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())));
  s.run();
}

protocol::NonceCheck WalletStore::rememberNonce(const protocol::Sender& sender, protocol::ByteView nonce,
                                               protocol::TimePoint now, protocol::TimePoint forgetAfter,
                                               std::size_t capacity) {
  runtime::WriteTransaction tx(db_);
  db_.statement("DELETE FROM c_nonce WHERE forget_after_ms < ?1").bind(1, ms(now)).run();
  const std::string key = protocol::nonceKey(sender, nonce);
  auto seen = db_.statement("SELECT 1 FROM c_nonce WHERE nonce_key = ?1");
  seen.bind(1, key);
  if (seen.step()) return protocol::NonceCheck::replayed;
  auto count = db_.statement("SELECT count(*) FROM c_nonce");
  count.step();
  if (static_cast<std::size_t>(count.integer(0)) >= capacity) return protocol::NonceCheck::full;
  db_.statement("INSERT INTO c_nonce (nonce_key, forget_after_ms) VALUES (?1, ?2)").bind(1, key).bind(2, ms(forgetAfter)).run();
  tx.commit();
  return protocol::NonceCheck::fresh;
}

std::optional<std::string> WalletStore::senderKey(const protocol::Msisdn& msisdn, const std::string& senderId) const {
  auto s = db_.statement("SELECT public_key FROM sender WHERE msisdn = ?1 AND sender_id = ?2");
  s.bind(1, msisdn.e164()).bind(2, senderId);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

std::vector<std::string> WalletStore::senders(const protocol::Msisdn& msisdn) const {
  auto s = db_.statement("SELECT sender_id FROM sender WHERE msisdn = ?1 ORDER BY sender_id");
  s.bind(1, msisdn.e164());
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

void WalletStore::setPasswordHash(const protocol::Msisdn& msisdn, const std::optional<std::string>& record) {
  auto s = db_.statement("UPDATE account SET password_hash = ?2 WHERE msisdn = ?1");
  s.bind(1, msisdn.e164());
  if (record)
    s.bind(2, *record);
  else
    s.bindNull(2);
  s.run();
  if (!find(msisdn)) throw std::invalid_argument("no account for " + msisdn.e164());
}

std::optional<std::string> WalletStore::passwordHash(const protocol::Msisdn& msisdn) const {
  auto s = db_.statement("SELECT password_hash FROM account WHERE msisdn = ?1");
  s.bind(1, msisdn.e164());
  if (!s.step()) return std::nullopt;
  return optionalText(s, 0);
}

std::size_t WalletStore::accounts() const {
  auto s = db_.statement("SELECT COUNT(*) FROM account");
  s.step();
  return static_cast<std::size_t>(s.integer(0));
}

}  // namespace setpay::wallet
