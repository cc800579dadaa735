// SET certificate chain validation (SPEC-CHOICES.md "## pki"): OpenSSL builds and verifies the X.509 path (time from
// the injected Clock, CRLs of every CA in the path), then the SET rules OpenSSL cannot know:
// certificateType at every level, keyUsage for the role, the critical-extension profile,
// hashedRootKey on the configured Root, nested validity, card expiry.
// Every rejection is a ProtocolError: invalidCertificate (type, usage, path, profile),
// expiredCertificate (outside validity, either side), revokedCertificate, missingCertificate (an
// intermediate CA certificate or a CA's CRL was not supplied).
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "protocol/clock.hpp"
#include "protocol/openssl.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/profile.hpp"

namespace setpay::protocol::pki {

enum class Role { cardholder, merchantSignature, merchantKeyExchange, gatewaySignature, gatewayKeyExchange };
std::string_view name(Role);
std::optional<Role> parseRole(std::string_view);  // "cardholder", "merchant-sign", "merchant-kex", …

struct ValidatedChain {
  std::vector<ossl::Cert> path;  // end entity first, configured Root last
};

// What the roles validate peers' chains with: ChainValidator (stateless) or TrustCache
// (trust_cache.hpp: the same verdicts, validated chains and verified CRLs kept per role).
class PathValidator {
 public:
  virtual ~PathValidator() = default;
  virtual ValidatedChain validate(const X509* endEntity, std::span<X509* const> intermediates,
                                  std::span<X509_CRL* const> crls, Role role, const Clock& clock,
                                  std::optional<std::chrono::year_month> cardExpiry = std::nullopt) const = 0;
  virtual const X509* root() const = 0;

 protected:
  PathValidator() = default;
  PathValidator(const PathValidator&) = default;
  PathValidator(PathValidator&&) = default;
  PathValidator& operator=(const PathValidator&) = default;
  PathValidator& operator=(PathValidator&&) = default;
};

class ChainValidator final : public PathValidator {
 public:
  // Checks the Root itself (self-signed, certificateType rca, critical hashedRootKey of the profile's
  // digest length, SET extension profile); throws invalidCertificate otherwise.
  ChainValidator(const X509* trustedRoot, const AlgorithmProfile& profile);

  ValidatedChain validate(const X509* endEntity, std::span<X509* const> intermediates,
                          std::span<X509_CRL* const> crls, Role role, const Clock& clock,
                          std::optional<std::chrono::year_month> cardExpiry = std::nullopt) const override;

  // Root key rollover: accept `nextRoot` only if the hash of its public key is the current Root's
  // hashedRootKey (and it passes the Root checks). Returns the validator trusting the new Root.
  ChainValidator rollOver(const X509* nextRoot) const;

  const X509* root() const override { return root_.get(); }

 private:
  ossl::Cert root_;
  AlgorithmProfile profile_;
};

// DD-style thumbprint of a certificate (SPEC-CHOICES.md "## pki", Thumbprint): crypto's thumbprint() over its DER.
Bytes certificateThumbprint(const AlgorithmProfile& profile, const X509* cert);

}  // namespace setpay::protocol::pki
