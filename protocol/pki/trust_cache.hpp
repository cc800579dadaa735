// One role's chain validation with memory (issue 13): the same verdicts as ChainValidator, without
// re-verifying what the role has already verified. Kept, keyed by thumbprint (DD of the DER):
//  - validated chains: (end entity, role, card expiry) → the path, reused while the clock is inside
//    every certificate's validity and before every kept CRL's nextUpdate of the path's CAs;
//  - verified CRLs: a CRL whose signature checked under the Root or a CA of a validated path.
// A CRL never seen before invalidates every kept chain (it may revoke any of them), so a hit means the
// request carried no revocation news; the verified CRLs join every later validation, so revocation
// never goes backwards even when a peer carries an older CRL. Outside the window, or on any news, the
// full ChainValidator runs and decides (its error codes unchanged). Thread-safe (one mutex, the
// expensive validation runs outside it). Bounded: at most kMaxChains chains, kMaxCrls CRLs.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <utility>

#include "protocol/pki/validator.hpp"

namespace setpay::protocol::pki {

class TrustCache final : public PathValidator {
 public:
  // Checks the Root once (ChainValidator's Root checks; throws invalidCertificate).
  TrustCache(const X509* trustedRoot, const AlgorithmProfile& profile);

  ValidatedChain validate(const X509* endEntity, std::span<X509* const> intermediates,
                          std::span<X509_CRL* const> crls, Role role, const Clock& clock,
                          std::optional<std::chrono::year_month> cardExpiry = std::nullopt) const override;
  const X509* root() const override { return validator_.root(); }

  // Other signed objects verified once, e.g. a BrandCRLIdentifier under its Brand CA; key: DD(object)
  // ∥ DD(signer certificate). What is signed never changes, so a signature that verified stays verified.
  bool verifiedBefore(const Bytes& key) const;
  void rememberVerified(Bytes key) const;

  struct Stats {
    std::uint64_t hits = 0, misses = 0, invalidations = 0;
  };
  Stats stats() const;

  static constexpr std::size_t kMaxChains = 4096;
  static constexpr std::size_t kMaxCrls = 64;

 private:
  struct Entry {
    std::vector<ossl::Cert> path;
    TimePoint validFrom, validUntil;  // the verdict holds for validFrom <= now < validUntil
  };
  // With mutex_ held.
  bool learnCrl(const Bytes& thumb, const X509_CRL* crl) const;
  void invalidate() const;
  std::pair<TimePoint, TimePoint> crlWindow(const std::vector<ossl::Cert>& path) const;

  ChainValidator validator_;
  AlgorithmProfile profile_;
  mutable std::mutex mutex_;
  mutable std::map<Bytes, Entry> chains_;       // key: DD(end entity) ∥ role ∥ card expiry
  mutable std::map<Bytes, ossl::Crl> crls_;     // DD(CRL DER) → verified CRL
  mutable std::map<Bytes, ossl::Cert> issuers_;  // DD(cert) → Root or CA of a validated path: may sign CRLs
  mutable std::set<Bytes> verifiedObjects_;     // at most kMaxChains
  mutable std::uint64_t generation_ = 0;        // bumped by every invalidation
  mutable Stats stats_;
};

}  // namespace setpay::protocol::pki
