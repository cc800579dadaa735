#include "protocol/redirect/utc_time.hpp"

#include <chrono>
#include <cstdio>

#include "protocol/error.hpp"

namespace setpay::protocol {

namespace {

std::optional<unsigned> digitsAt(std::string_view s, std::size_t pos, std::size_t n) {
  unsigned v = 0;
  for (std::size_t k = pos; k < pos + n; ++k) {
    if (s[k] < '0' || s[k] > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(s[k] - '0');
  }
  return v;
}

}  // namespace

std::string formatUtcSeconds(TimePoint t) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const year_month_day ymd(day);
  const hh_mm_ss hms(secs - day);
  const int y = static_cast<int>(ymd.year());
  if (y < utcYearMin || y > utcYearMax) throw ProtocolError(ErrorCode::unspecifiedFailure, "time outside 1970..2200");
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", y, static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()));
  return buf;
}

std::optional<TimePoint> parseUtcSeconds(std::string_view s) {
  using namespace std::chrono;
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
    return std::nullopt;
  const auto y = digitsAt(s, 0, 4), mo = digitsAt(s, 5, 2), d = digitsAt(s, 8, 2);
  const auto h = digitsAt(s, 11, 2), mi = digitsAt(s, 14, 2), se = digitsAt(s, 17, 2);
  if (!y || !mo || !d || !h || !mi || !se) return std::nullopt;
  if (*y < static_cast<unsigned>(utcYearMin) || *y > static_cast<unsigned>(utcYearMax) || *h > 23 || *mi > 59 || *se > 59) return std::nullopt;
  const year_month_day ymd{year(static_cast<int>(*y)), month(*mo), day(*d)};
  if (!ymd.ok()) return std::nullopt;
  return TimePoint(sys_days(ymd) + hours(*h) + minutes(*mi) + seconds(*se));
}

}  // namespace setpay::protocol
