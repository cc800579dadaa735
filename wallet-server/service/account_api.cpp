#include "wallet-server/service/account_api.hpp"

#include <boost/json/parse.hpp>
#include <algorithm>
#include <chrono>
#include <limits>

#include "protocol/text/scrub.hpp"

namespace setpay::wallet {

namespace {

namespace json = boost::json;

json::object parseObject(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) throw ApiBodyError("the body is not JSON: " + ec.message());
  if (!v.is_object()) throw ApiBodyError("the body is not a JSON object");
  return std::move(v.as_object());
}

void onlyKnown(const json::object& o, std::initializer_list<std::string_view> known) {
  for (const auto& field : o)
    if (std::find(known.begin(), known.end(), field.key()) == known.end())
      throw ApiBodyError("unknown field \"" + protocol::safeText(std::string(field.key())) + "\"");
}

std::string text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) throw ApiBodyError("\"" + std::string(key) + "\" is required");
  if (!v->is_string()) throw ApiBodyError("\"" + std::string(key) + "\" must be a string");
  return std::string(v->as_string());
}

std::int64_t integer(const json::value& v, std::string_view key) {
  if (!v.is_int64()) throw ApiBodyError("\"" + std::string(key) + "\" must be an integer");
  return v.as_int64();
}

int smallInteger(const json::object& o, std::string_view key, int absent) {
  const auto* v = o.if_contains(key);
  if (!v) return absent;
  const std::int64_t n = integer(*v, key);
  if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max())
    throw ApiBodyError("\"" + std::string(key) + "\" is out of range");
  return static_cast<int>(n);
}

// Absent: `keep`; null: no ceiling; an integer: that ceiling.
std::optional<std::int64_t> ceiling(const json::object& o, std::string_view key, std::optional<std::int64_t> keep) {
  const auto* v = o.if_contains(key);
  if (!v) return keep;
  if (v->is_null()) return std::nullopt;
  if (!v->is_int64()) throw ApiBodyError("\"" + std::string(key) + "\" must be an integer (minor units) or null");
  return v->as_int64();
}

json::value nullable(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value nullable(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

}  // namespace

Account accountFromJson(std::string_view body, protocol::TimePoint now) {
  const json::object o = parseObject(body);
  onlyKnown(o, {"msisdn", "terminal_cert", "brands", "bin", "sender_id", "currency", "exp10", "ceiling_purchase", "ceiling_day",
                "ceiling_month"});
  const auto msisdn = protocol::Msisdn::parse(text(o, "msisdn"));
  if (!msisdn) throw ApiBodyError("\"msisdn\" is not an E.164 number (+ then 7..15 digits)");
  Account a{*msisdn, "handset", text(o, "terminal_cert"), {}, {}, text(o, "bin"), 978, -2, {}, 0,
            std::chrono::floor<std::chrono::seconds>(now)};
  const auto* brands = o.if_contains("brands");
  if (!brands) throw ApiBodyError("\"brands\" is required");
  if (!brands->is_array()) throw ApiBodyError("\"brands\" must be an array of strings");
  for (const auto& b : brands->as_array()) {
    if (!b.is_string()) throw ApiBodyError("\"brands\" must be an array of strings");
    a.brands.emplace_back(b.as_string());
  }
  if (o.contains("sender_id")) a.senderId = text(o, "sender_id");
  a.currency = smallInteger(o, "currency", a.currency);
  a.exp10 = smallInteger(o, "exp10", a.exp10);
  a.ceilings = Ceilings{ceiling(o, "ceiling_purchase", std::nullopt), ceiling(o, "ceiling_day", std::nullopt),
                        ceiling(o, "ceiling_month", std::nullopt)};
  return a;
}

Ceilings patchCeilings(const Ceilings& current, std::string_view body) {
  const json::object o = parseObject(body);
  onlyKnown(o, {"ceiling_purchase", "ceiling_day", "ceiling_month"});
  if (o.empty()) throw ApiBodyError("the body names none of \"ceiling_purchase\", \"ceiling_day\", \"ceiling_month\"");
  return Ceilings{ceiling(o, "ceiling_purchase", current.perPurchase), ceiling(o, "ceiling_day", current.rollingDay),
                  ceiling(o, "ceiling_month", current.rollingMonth)};
}

json::object accountJson(const Account& a, const std::vector<HistoryEntry>& entries) {
  json::array brands;
  for (const auto& b : a.brands) brands.emplace_back(b);
  json::array history;
  for (const auto& h : entries)
    history.push_back(json::object{
        {"merchant", h.merchant}, {"amount", protocol::describe(h.amount)}, {"minor_units", h.amount.amount},
        {"outcome", h.outcome}, {"points", h.points},
        {"at_ms", std::chrono::duration_cast<std::chrono::milliseconds>(h.at.time_since_epoch()).count()},
        {"reason", nullable(h.reason)}, {"approval_code", nullable(h.approvalCode)}});
  return {{"msisdn", a.msisdn.e164()}, {"brands", std::move(brands)}, {"bin", a.bin}, {"currency", a.currency},
          {"exp10", a.exp10}, {"ceiling_purchase", nullable(a.ceilings.perPurchase)},
          {"ceiling_day", nullable(a.ceilings.rollingDay)}, {"ceiling_month", nullable(a.ceilings.rollingMonth)},
          {"loyalty_points", a.loyaltyPoints}, {"history", std::move(history)}};
}

}  // namespace setpay::wallet
