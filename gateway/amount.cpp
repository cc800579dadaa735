#include "gateway/amount.hpp"

#include <algorithm>

namespace setpay::gateway {

namespace {

// x * 10^n, nullopt on int64 overflow (amounts are ≥ 0).
std::optional<std::int64_t> scaleUp(std::int64_t x, int n) {
  for (int i = 0; i < n; ++i)
    if (__builtin_mul_overflow(x, std::int64_t{10}, &x)) return std::nullopt;
  return x;
}

std::optional<std::int64_t> times(std::optional<std::int64_t> x, std::int64_t factor) {
  std::int64_t out = 0;
  if (!x || __builtin_mul_overflow(*x, factor, &out)) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::int64_t> inUnitsOf(const protocol::CurrencyAmount& a, int exp10) {
  if (a.amtExp10 >= exp10) return scaleUp(a.amount, a.amtExp10 - exp10);
  std::int64_t x = a.amount;
  for (int i = 0; i < exp10 - a.amtExp10; ++i) {
    if (x % 10 != 0) return std::nullopt;  // would lose a fraction of the unit
    x /= 10;
  }
  return x;
}

bool exceeds(const protocol::CurrencyAmount& a, const protocol::CurrencyAmount& b, unsigned tolerancePercent) {
  const int common = std::min(a.amtExp10, b.amtExp10);
  const auto lhs = times(scaleUp(a.amount, a.amtExp10 - common), 100);
  const auto rhs = times(scaleUp(b.amount, b.amtExp10 - common), 100 + std::int64_t{tolerancePercent});
  if (!lhs) return true;   // a beyond int64 after scaling: larger than any b we can represent, or
  if (!rhs) return false;  // both huge — refused above as exceeding (conservative)
  return *lhs > *rhs;
}

}  // namespace setpay::gateway
