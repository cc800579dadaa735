// Exact arithmetic on SET CurrencyAmount {currency, amount, amtExp10} (no floating point).
#pragma once

#include <cstdint>
#include <optional>

#include "protocol/messages/types.hpp"

namespace setpay::gateway {

// The amount in units of 10^exp10, if exactly representable in int64 (nullopt otherwise).
std::optional<std::int64_t> inUnitsOf(const protocol::CurrencyAmount&, int exp10);

// Same currency and a * 100 > b * (100 + tolerancePercent), exactly. Currencies must already match.
bool exceeds(const protocol::CurrencyAmount& a, const protocol::CurrencyAmount& b, unsigned tolerancePercent = 0);

}  // namespace setpay::gateway
