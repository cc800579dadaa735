// Minted SET test material (certificates, keys, a few secrets), cached on disk per build directory:
// RSA key generation is the slow part of the role tests and ctest runs every test case in its own
// process, so the first process mints and every later one reads the PEM files back.
// Safe when several processes start at once (an flock serializes the minting; the set is written to
// a temporary directory, then renamed into place). Keyed by a format version and the test
// executable's size and modification time, so a rebuilt binary mints afresh.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "protocol/bytes.hpp"
#include "protocol/clock.hpp"
#include "protocol/pki/hierarchy.hpp"
#include "protocol/pki/issuer.hpp"

namespace setpay::test_support {

struct MintedSet {
  protocol::TimePoint mintedAt;                              // whole seconds
  std::map<std::string, protocol::pki::Credential> credentials;  // cert and/or key (either may be null)
  std::map<std::string, protocol::Bytes> secrets;             // e.g. a cardholder's PANSecret
};

// The set `name` (letters, digits, '-'; e.g. "roles-set1") from the cache under SETPAY_HIERARCHY_CACHE,
// or `mint()` stored there when absent. If the cache cannot be written the minted set is still returned.
MintedSet cachedMinting(const std::string& name, const std::function<MintedSet()>& mint);

// A Hierarchy as credentials named `prefix` + "root", "brand", "cca", …, "next-root-key" (and back).
void putHierarchy(MintedSet& set, const protocol::pki::Hierarchy& h, const std::string& prefix = "");
protocol::pki::Hierarchy takeHierarchy(MintedSet& set, const std::string& prefix = "");

}  // namespace setpay::test_support
