// The time of message c's client authentication data: "YYYY-MM-DDThh:mm:ssZ" (an xs:dateTime, UTC,
// whole seconds, no offset other than Z) — one spelling, so it can be signed as text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/clock.hpp"

namespace setpay::protocol {

// A TimePoint counts nanoseconds in 64 bits and ends in 2262: later years would overflow (found by
// fuzz_RedirectEnvelope), so both directions stop at 2200.
inline constexpr int utcYearMin = 1970;
inline constexpr int utcYearMax = 2200;

// Truncates to whole seconds. Years utcYearMin..utcYearMax only (throws ProtocolError otherwise).
std::string formatUtcSeconds(TimePoint t);

// Exactly the form above, a real calendar date, hour < 24, minute/second < 60, year utcYearMin..utcYearMax.
std::optional<TimePoint> parseUtcSeconds(std::string_view text);

}  // namespace setpay::protocol
