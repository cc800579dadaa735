// The time of message c's client authentication data: "YYYY-MM-DDThh:mm:ssZ" (an xs:dateTime, UTC,
// whole seconds, no offset other than Z) — one spelling, so it can be signed as text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/clock.hpp"

namespace setpay::protocol {

// Truncates to whole seconds. Years 1970..9999 only (throws ProtocolError otherwise).
std::string formatUtcSeconds(TimePoint t);

// Exactly the form above, a real calendar date, hour < 24, minute/second < 60, year 1970..9999.
std::optional<TimePoint> parseUtcSeconds(std::string_view text);

}  // namespace setpay::protocol
