// Seeded faults, for the interop tests only (interop/CASES.md, "Seeded faults"): a role's check can be
// removed, one at a time, to prove that the interop case naming it catches its absence. Only the test
// build of a role variant defines SETPAY_SEEDED_FAULTS (tests/interop/CMakeLists.txt) and reads the
// check to remove from SETPAY_SEEDED_FAULT; in every shipped binary checkRemoved() is constant false.
#pragma once

#include <string_view>
#if defined(SETPAY_SEEDED_FAULTS)
#include <cstdlib>
#endif

namespace setpay::protocol {

constexpr bool seededFaultsBuilt() {
#if defined(SETPAY_SEEDED_FAULTS)
  return true;
#else
  return false;
#endif
}

inline bool checkRemoved([[maybe_unused]] std::string_view check) {
#if defined(SETPAY_SEEDED_FAULTS)
  const char* removed = std::getenv("SETPAY_SEEDED_FAULT");
  return removed != nullptr && check == removed;
#else
  return false;
#endif
}

}  // namespace setpay::protocol
