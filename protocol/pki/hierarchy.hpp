// A whole SET hierarchy (SPEC-CHOICES.md "## pki"): Root (self-signed, hashedRootKey = H(next root key)) → Brand CA →
// CCA / MCA / PCA → merchant and gateway signature + key-exchange certificates. Cardholders are
// issued separately (cardholder.hpp). Lifetimes are nested; see SPEC-CHOICES `## pki`.
#pragma once

#include <chrono>
#include <string>

#include "protocol/openssl.hpp"
#include "protocol/pki/issuer.hpp"

namespace setpay::protocol::pki {

namespace lifetime {
using days = std::chrono::days;
inline constexpr days root{3653};        // 10 years
inline constexpr days brand{2557};       // 7 years
inline constexpr days ca{1826};          // CCA / MCA / PCA: 5 years
inline constexpr days endEntity{730};    // merchant, gateway: 2 years
inline constexpr days cardholder{1096};  // 3 years, cut at card expiry
}  // namespace lifetime

struct HierarchyOptions {
  std::string brand = "SETPAY";
  std::string country = "FR";
  MerchantData merchant{"SETPAY-SHOP-0001", "400001",
                        {{"en", "setpay demo shop", "Paris", "", "75001", "France"}}, 250, true};
  bool cardCertRequired = true;  // gateway refuses PReqUnsigned
};

struct Hierarchy {
  Credential root;
  ossl::PKey nextRootKey;  // kept offline; its hash is the Root's hashedRootKey
  Credential brand, cca, mca, pca;
  Credential merchantSignature, merchantKeyExchange;
  Credential gatewaySignature, gatewayKeyExchange;
};

// Self-signed Root whose hashedRootKey commits to `nextRootKey` (root key rollover).
Credential mintRoot(const DistinguishedName& subject, ossl::PKey key, const EVP_PKEY* nextRootKey,
                    const AlgorithmProfile& profile, RandomSource& random, TimePoint notBefore);

Hierarchy mintHierarchy(const HierarchyOptions& options, const AlgorithmProfile& profile,
                        RandomSource& random, const Clock& clock);

}  // namespace setpay::protocol::pki
