#include "protocol/wakeup/wakeup.hpp"

#include <cctype>
#include <charconv>
#include <set>

#include "protocol/bytes_reader.hpp"
#include "protocol/error.hpp"

namespace setpay::protocol {

namespace {

[[noreturn]] void bad(const std::string& why) { throw ProtocolError(ErrorCode::decodingFailure, "wake-up: " + why); }

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[k]) != lower(b[k])) return false;
  }
  return true;
}

bool isDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::int64_t toInt(std::string_view s, std::int64_t lo, std::int64_t hi, const char* what) {
  std::int64_t v = 0;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (!s.empty() && s[0] == '+') bad(std::string(what) + ": no '+' sign");
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || ptr != last || s.empty()) bad(std::string(what) + ": not an integer");
  if (v < lo || v > hi) bad(std::string(what) + ": out of range");
  return v;
}

void checkBrand(std::string_view b) {
  // brand[:product[:pcn]]: one to three non-empty parts (SPEC-CHOICES.md "## messages": "VISA:" is invalid,
  // "VISA::UC_VISA" is valid — an empty product between brand and PCN is allowed).
  if (b.empty() || b.size() > limits::brandIdMax) bad("SET-Brand: length");
  for (char c : b)
    if (c <= 0x20 || c > 0x7e) bad("SET-Brand: invalid character");
  if (b.back() == ':') bad("SET-Brand: empty brand or trailing ':'");
  TextReader r(b);
  std::string_view brand, part;
  std::size_t parts = 0;
  for (; r.nextField(':', part); ++parts)
    if (parts == 0) brand = part;
  if (parts > 3) bad("SET-Brand: at most brand:product:pcn");
  if (brand.empty()) bad("SET-Brand: empty brand or trailing ':'");
}

void checkUrl(std::string_view u, const char* what) {
  if (!(u.starts_with("https://") || u.starts_with("http://"))) bad(std::string(what) + ": must be an http(s) URL");
  if (u.size() > 512) bad(std::string(what) + ": too long");
  for (char c : u)
    if (c <= 0x20 || c > 0x7e) bad(std::string(what) + ": invalid character");
}

void checkValue(std::string_view v, const char* what) {
  if (v.empty()) bad(std::string(what) + ": empty value");
  for (char c : v)
    if (c < 0x20 || c > 0x7e) bad(std::string(what) + ": non-printable or non-ASCII character");
}

CurrencyAmount parseAmount(std::string_view v) {
  // "currency amount amtExp10", single spaces (RFC 3538 §8.4.1(d)).
  TextReader r(v);
  std::string_view cur, amt, exp;
  if (!r.untilFirst(' ', cur) || !r.expect(' ') || !r.untilFirst(' ', amt) || !r.expect(' ')) bad("SET-PurchAmt: expected 3 integers");
  exp = r.takeRest();
  if (exp.find(' ') != std::string_view::npos) bad("SET-PurchAmt: expected 3 integers");
  CurrencyAmount a;
  if (!isDigits(cur) || cur.size() > 3) bad("SET-PurchAmt: currency must be ISO 4217 numeric");
  if (!isDigits(amt)) bad("SET-PurchAmt: amount must be digits");
  a.currency = static_cast<int>(toInt(cur, 1, 999, "SET-PurchAmt currency"));
  a.amount = toInt(amt, 0, 999999999999999999LL, "SET-PurchAmt amount");
  a.amtExp10 = static_cast<int>(toInt(exp, -12, 12, "SET-PurchAmt amtExp10"));
  return a;
}

std::string hexUpper(ByteView b) {
  static constexpr char d[] = "0123456789ABCDEF";
  std::string s;
  for (auto x : b) {
    s.push_back(d[x >> 4]);
    s.push_back(d[x & 0xf]);
  }
  return s;
}

Bytes parseHex(std::string_view v, std::size_t maxBytes, const char* what) {
  if (v.empty() || v.size() % 2 || v.size() / 2 > maxBytes) bad(std::string(what) + ": hex length");
  for (char c : v)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) bad(std::string(what) + ": not hex");
  return unhex(v);
}

bool validOid(std::string_view s) {
  if (s.empty() || s.back() == '.') return false;  // nextField would not report a trailing empty arc
  TextReader r(s);
  int arcs = 0;
  std::string_view first;
  for (std::string_view arc; r.nextField('.', arc); ++arcs) {
    if (!isDigits(arc) || arc.size() > 40 || (arc.size() > 1 && arc.starts_with('0'))) return false;
    if (arcs == 0) first = arc;
  }
  return arcs >= 2 && (first == "0" || first == "1" || first == "2");
}

}  // namespace

std::string format(const WakeUp& w) {
  std::string out;
  auto line = [&out](std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
  };
  if (w.mimeVersion) line("MIME-Version", *w.mimeVersion);
  if (w.contentTransferEncoding) line("Content-Transfer-Encoding", *w.contentTransferEncoding);
  line("SET-Initiation-Type", w.initiationType);
  line("SET-Version", w.version);
  for (const auto& b : w.brands) line("SET-Brand", b);
  line("SET-PurchAmt", std::to_string(w.purchAmt.currency) + " " + std::to_string(w.purchAmt.amount) + " " +
                           std::to_string(w.purchAmt.amtExp10));
  if (w.lidM) line("SET-LID-M", hexUpper(*w.lidM));
  if (w.language) line("SET-Language", *w.language);
  line("SET-Payment-URL", w.paymentUrl);
  if (w.serviceUrl) line("SET-Service-URL", *w.serviceUrl);
  if (w.decalsUrl) line("SET-Decals-URL", *w.decalsUrl);
  if (w.recurring) line("SET-Recurring", std::to_string(w.recurring->frequencyDays) + " " + w.recurring->expiry);
  if (w.installTotalTrans) line("SET-InstallTotalTrans", std::to_string(*w.installTotalTrans));
  for (const auto& e : w.extensions) {
    line("SET-Ext-OID", e.oid);
    if (!e.data.empty()) line("SET-Ext-Data", hexUpper(e.data));
    line("SET-Ext-Mandatory", e.mandatory ? "yes" : "no");
  }
  for (const auto& [name, value] : w.otherSetFields) line(name, value);
  if (w.orderDescription) out.append("\r\n").append(*w.orderDescription);
  // What we send must be what we would accept.
  if (!(parseWakeUp(out) == w)) bad("value does not survive its own parser (check fields)");
  return out;
}

WakeUp parseWakeUp(std::string_view text) {
  if (text.size() > wakeup_limits::headerMax + wakeup_limits::bodyMax + 2)
    throw ProtocolError(ErrorCode::messageTooBig, "wake-up: message too big");
  for (char c : text)
    if (static_cast<unsigned char>(c) > 0x7e || c == '\0') bad("not US-ASCII");

  WakeUp w;
  w.initiationType.clear();
  w.version.clear();
  std::set<std::string> seen;  // single-valued fields already present (lower case)
  bool sawAmount = false;
  std::size_t fields = 0;
  TextReader lines(text);
  bool body = false;
  while (!lines.empty()) {
    std::string_view raw;
    if (!lines.untilFirst('\n', raw) || !lines.expect('\n')) bad("last field line has no line end");
    if (raw.ends_with('\r')) raw.remove_suffix(1);
    if (raw.find('\r') != std::string_view::npos) bad("bare CR");
    if (raw.size() > wakeup_limits::lineMax) throw ProtocolError(ErrorCode::messageTooBig, "wake-up: line too long");
    if (lines.offset() > wakeup_limits::headerMax) throw ProtocolError(ErrorCode::messageTooBig, "wake-up: fields too long");
    if (raw.empty()) {
      body = true;
      break;
    }
    if (++fields > wakeup_limits::fieldsMax) throw ProtocolError(ErrorCode::messageTooBig, "wake-up: too many fields");
    TextReader line(raw);
    std::string_view name;
    if (!line.untilFirst(':', name) || name.empty() || !line.expect(':')) bad("line is not 'Field: value'");
    for (char c : name)
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
        bad("invalid field name");
    std::string_view value = line.takeRest();
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    const std::string nm(name);
    checkValue(value, nm.c_str());
    const std::string v(value);

    auto single = [&](std::string_view canonical) {
      std::string key(canonical);
      for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!seen.insert(key).second) bad("duplicate field " + std::string(canonical));
    };
    if (ieq(name, "MIME-Version")) {
      single("MIME-Version");
      if (v != "1.0") bad("MIME-Version must be 1.0");
      w.mimeVersion = v;
    } else if (ieq(name, "Content-Transfer-Encoding")) {
      single("Content-Transfer-Encoding");
      if (!ieq(v, "binary") && !ieq(v, "7bit")) bad("Content-Transfer-Encoding must be Binary or 7bit");
      w.contentTransferEncoding = v;
    } else if (ieq(name, "SET-Initiation-Type")) {
      single("SET-Initiation-Type");
      if (v != "Payment-Initiation") bad("SET-Initiation-Type must be Payment-Initiation");
      w.initiationType = v;
    } else if (ieq(name, "SET-Version")) {
      single("SET-Version");
      if (v != "1.0") throw ProtocolError(ErrorCode::versionTooNew, "wake-up: SET-Version " + v);
      w.version = v;
    } else if (ieq(name, "SET-Brand")) {
      checkBrand(v);
      if (w.brands.size() >= wakeup_limits::brandsMax) bad("too many SET-Brand fields");
      w.brands.push_back(v);
    } else if (ieq(name, "SET-PurchAmt")) {
      single("SET-PurchAmt");
      w.purchAmt = parseAmount(v);
      sawAmount = true;
    } else if (ieq(name, "SET-LID-M")) {
      single("SET-LID-M");
      w.lidM = parseHex(v, limits::localIdMax, "SET-LID-M");
    } else if (ieq(name, "SET-Language")) {
      single("SET-Language");
      if (v.size() > limits::languageMax) bad("SET-Language too long");
      for (char c : v)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
          bad("SET-Language: RFC 1766 tag expected");
      w.language = v;
    } else if (ieq(name, "SET-Payment-URL")) {
      single("SET-Payment-URL");
      checkUrl(v, "SET-Payment-URL");
      w.paymentUrl = v;
    } else if (ieq(name, "SET-Service-URL")) {
      single("SET-Service-URL");
      checkUrl(v, "SET-Service-URL");
      w.serviceUrl = v;
    } else if (ieq(name, "SET-Decals-URL")) {
      single("SET-Decals-URL");
      checkUrl(v, "SET-Decals-URL");
      w.decalsUrl = v;
    } else if (ieq(name, "SET-Recurring")) {
      single("SET-Recurring");
      TextReader parts(v);
      std::string_view days, yyyy, mm, dd;
      if (!parts.untilFirst(' ', days) || !parts.expect(' ')) bad("SET-Recurring: '<days> <YYYYMMDD>'");
      WakeUpRecurring r;
      if (!isDigits(days)) bad("SET-Recurring: days");
      r.frequencyDays = static_cast<int>(toInt(days, 1, 365, "SET-Recurring days"));
      r.expiry = std::string(parts.rest());
      if (!isDigits(r.expiry) || !parts.bytes(4, yyyy) || !parts.bytes(2, mm) || !parts.bytes(2, dd) || !parts.empty())
        bad("SET-Recurring: expiry YYYYMMDD");
      const auto month = toInt(mm, 0, 99, "SET-Recurring month");
      const auto day = toInt(dd, 0, 99, "SET-Recurring day");
      if (month < 1 || month > 12 || day < 1 || day > 31) bad("SET-Recurring: expiry date");
      w.recurring = r;
    } else if (ieq(name, "SET-InstallTotalTrans")) {
      single("SET-InstallTotalTrans");
      if (!isDigits(v)) bad("SET-InstallTotalTrans: digits");
      w.installTotalTrans = static_cast<int>(toInt(v, 2, 999, "SET-InstallTotalTrans"));
    } else if (ieq(name, "SET-Ext-OID")) {
      if (!validOid(v)) bad("SET-Ext-OID: dotted OID expected");
      if (w.extensions.size() >= 16) bad("too many extensions");
      w.extensions.push_back(WakeUpExtension{v, {}, false});
      seen.erase("set-ext-data");
      seen.erase("set-ext-mandatory");
    } else if (ieq(name, "SET-Ext-Data") || ieq(name, "SET-Ext-Mandatory")) {
      if (w.extensions.empty()) bad(nm + " before SET-Ext-OID");
      if (ieq(name, "SET-Ext-Data")) {
        single("SET-Ext-Data");
        w.extensions.back().data = parseHex(v, limits::opaqueMax, "SET-Ext-Data");
      } else {
        single("SET-Ext-Mandatory");
        if (v != "yes" && v != "no") bad("SET-Ext-Mandatory: yes|no");
        w.extensions.back().mandatory = v == "yes";
      }
    } else if (name.size() > 4 && ieq(name.substr(0, 4), "SET-")) {
      // Unknown SET-* field: tolerated and kept (EIG fields we do not interpret, e.g. SET-Echo-*).
      w.otherSetFields.emplace_back(nm, v);
    } else {
      bad("unexpected field " + nm);
    }
  }
  if (body) {
    const std::string_view od = lines.takeRest();
    if (od.size() > wakeup_limits::bodyMax) throw ProtocolError(ErrorCode::messageTooBig, "wake-up: order description too big");
    TextReader r(od);
    for (char c = 0; r.unit(c);) {
      if (c == '\r' && !r.expect('\n')) bad("order description: bare CR");
      if (c < 0x20 && c != '\r' && c != '\n' && c != '\t') bad("order description: control character");
    }
    w.orderDescription = std::string(od);
  }
  if (w.initiationType.empty()) bad("SET-Initiation-Type missing");
  if (w.version.empty()) bad("SET-Version missing");
  if (w.brands.empty()) bad("SET-Brand missing");
  if (!sawAmount) bad("SET-PurchAmt missing");
  if (w.paymentUrl.empty()) bad("SET-Payment-URL missing");
  if (w.recurring && w.installTotalTrans) bad("SET-Recurring and SET-InstallTotalTrans are exclusive");
  return w;
}

}  // namespace setpay::protocol
