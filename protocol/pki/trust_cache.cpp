#include "protocol/pki/trust_cache.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>

#include "protocol/crypto/digest.hpp"
#include "protocol/pki/issuer.hpp"

namespace setpay::protocol::pki {
namespace {

ossl::Cert shared(const X509* c) {
  X509_up_ref(const_cast<X509*>(c));
  return ossl::Cert(const_cast<X509*>(c));
}
ossl::Crl shared(const X509_CRL* c) {
  X509_CRL_up_ref(const_cast<X509_CRL*>(c));
  return ossl::Crl(const_cast<X509_CRL*>(c));
}

Bytes chainKey(const AlgorithmProfile& profile, const X509* ee, Role role,
               const std::optional<std::chrono::year_month>& cardExpiry) {
  Bytes key = thumbprint(profile, ee);
  key.push_back(static_cast<std::uint8_t>(role));
  if (cardExpiry) {
    const int y = static_cast<int>(cardExpiry->year());
    const unsigned m = static_cast<unsigned>(cardExpiry->month());
    key.insert(key.end(), {1, static_cast<std::uint8_t>(y >> 8), static_cast<std::uint8_t>(y), static_cast<std::uint8_t>(m)});
  }
  return key;
}

bool issuedBy(const X509_CRL* crl, const X509* ca) {
  return X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(ca)) == 0;
}

}  // namespace

TrustCache::TrustCache(const X509* trustedRoot, const AlgorithmProfile& profile)
    : validator_(trustedRoot, profile), profile_(profile) {
  issuers_.emplace(thumbprint(profile_, validator_.root()), shared(validator_.root()));
}

TrustCache::Stats TrustCache::stats() const {
  const std::lock_guard lock(mutex_);
  return stats_;
}

bool TrustCache::verifiedBefore(const Bytes& key) const {
  const std::lock_guard lock(mutex_);
  return verifiedObjects_.count(key) > 0;
}

void TrustCache::rememberVerified(Bytes key) const {
  const std::lock_guard lock(mutex_);
  if (verifiedObjects_.size() >= kMaxChains) verifiedObjects_.clear();
  verifiedObjects_.insert(std::move(key));
}

void TrustCache::invalidate() const {
  chains_.clear();
  ++generation_;
  ++stats_.invalidations;
}

// A CRL not kept yet: kept (and every chain dropped) when its signature checks under the Root or a CA
// of a validated path; otherwise left to the full validation, which sees it as supplied.
bool TrustCache::learnCrl(const Bytes& thumb, const X509_CRL* crl) const {
  for (const auto& [t, ca] : issuers_) {
    if (!issuedBy(crl, ca.get())) continue;
    if (X509_CRL_verify(const_cast<X509_CRL*>(crl), X509_get0_pubkey(ca.get())) != 1) {
      ERR_clear_error();
      continue;
    }
    if (crls_.size() >= kMaxCrls) crls_.clear();
    crls_.emplace(thumb, shared(crl));
    // A CA this CRL revokes signs no CRL we keep from now on.
    for (auto it = issuers_.begin(); it != issuers_.end();) {
      X509_REVOKED* revoked = nullptr;
      it = X509_CRL_get0_by_cert(const_cast<X509_CRL*>(crl), &revoked, it->second.get()) == 1 ? issuers_.erase(it)
                                                                                               : std::next(it);
    }
    invalidate();
    return true;
  }
  return false;
}

// When the kept CRLs of the path's CAs are all current (thisUpdate <= now < nextUpdate): outside it
// OpenSSL would refuse them, so the chain must be validated again.
std::pair<TimePoint, TimePoint> TrustCache::crlWindow(const std::vector<ossl::Cert>& path) const {
  TimePoint from = TimePoint::min(), until = TimePoint::max();
  for (const auto& [t, crl] : crls_)
    for (std::size_t i = 1; i < path.size(); ++i)
      if (issuedBy(crl.get(), path[i].get())) {
        from = std::max(from, toTimePoint(X509_CRL_get0_lastUpdate(crl.get())));
        if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl.get())) until = std::min(until, toTimePoint(next));
      }
  return {from, until};
}

ValidatedChain TrustCache::validate(const X509* endEntity, std::span<X509* const> intermediates,
                                    std::span<X509_CRL* const> crls, Role role, const Clock& clock,
                                    std::optional<std::chrono::year_month> cardExpiry) const {
  if (!endEntity || intermediates.size() > 32 || crls.size() > 64)  // the validator's refusals, its codes
    return validator_.validate(endEntity, intermediates, crls, role, clock, cardExpiry);
  const TimePoint now = clock.now();
  const Bytes key = chainKey(profile_, endEntity, role, cardExpiry);
  std::vector<Bytes> crlThumbs;
  for (const X509_CRL* c : crls) crlThumbs.push_back(thumbprint(profile_, c));

  std::vector<ossl::Crl> kept;
  std::uint64_t generation = 0;
  {
    const std::lock_guard lock(mutex_);
    // CRLs we cannot verify here (their CA is on no path validated yet, or they are forged): news only
    // for a chain whose CAs include their issuer (SET CRLs are direct: a CA's CRL covers what it signed).
    std::vector<const X509_CRL*> unverified;
    for (std::size_t i = 0; i < crls.size(); ++i)
      if (!crls_.count(crlThumbs[i]) && !learnCrl(crlThumbs[i], crls[i])) unverified.push_back(crls[i]);
    const auto it = chains_.find(key);
    if (it != chains_.end() && it->second.validFrom <= now && now < it->second.validUntil &&
        std::none_of(unverified.begin(), unverified.end(), [&](const X509_CRL* crl) {
          return std::any_of(it->second.path.begin() + 1, it->second.path.end(),
                             [&](const ossl::Cert& ca) { return issuedBy(crl, ca.get()); });
        })) {
      ++stats_.hits;
      ValidatedChain out;
      for (const auto& c : it->second.path) out.path.push_back(shared(c.get()));
      return out;
    }
    ++stats_.misses;
    for (const auto& [t, c] : crls_) kept.push_back(shared(c.get()));
    generation = generation_;
  }

  // The full validation, with every CRL we verified before (revocation never goes backwards).
  std::vector<X509_CRL*> allCrls(crls.begin(), crls.end());
  for (const auto& c : kept) allCrls.push_back(c.get());
  ValidatedChain chain = validator_.validate(endEntity, intermediates, allCrls, role, clock, cardExpiry);

  const std::lock_guard lock(mutex_);
  // Another validation brought revocation news meanwhile: this verdict did not see it, keep nothing.
  if (generation_ != generation) return chain;
  for (std::size_t i = 1; i < chain.path.size(); ++i) {
    const X509* ca = chain.path[i].get();
    issuers_.try_emplace(thumbprint(profile_, ca), shared(ca));
  }
  // The supplied CRLs the path's CAs signed; learning one drops the other chains (they did not see
  // it), not this one (it did).
  for (std::size_t i = 0; i < crls.size(); ++i)
    if (!crls_.count(crlThumbs[i])) (void)learnCrl(crlThumbs[i], crls[i]);
  Entry entry{{}, TimePoint::min(), TimePoint::max()};
  for (const auto& c : chain.path) {
    entry.validFrom = std::max(entry.validFrom, toTimePoint(X509_get0_notBefore(c.get())));
    entry.validUntil = std::min(entry.validUntil, toTimePoint(X509_get0_notAfter(c.get())));
    entry.path.push_back(shared(c.get()));
  }
  const auto [from, until] = crlWindow(chain.path);
  entry.validFrom = std::max(entry.validFrom, from);
  entry.validUntil = std::min(entry.validUntil, until);
  if (chains_.size() >= kMaxChains) chains_.clear();
  chains_.insert_or_assign(key, std::move(entry));
  return chain;
}

}  // namespace setpay::protocol::pki
