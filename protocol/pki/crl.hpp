// X.509 v2 CRLs, one per CA (SPEC-CHOICES.md "## pki"). A CA re-issues its whole CRL on every change:
// cRLNumber + 1, thisUpdate = now, nextUpdate = now + kCrlValidity, every earlier entry kept.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

#include "protocol/pki/issuer.hpp"

namespace setpay::protocol::pki {

inline constexpr std::chrono::days kCrlValidity{30};

struct RevokedSerial {
  Bytes serial;  // big-endian magnitude of the (positive) certificate serial number
  TimePoint revocationDate;
  bool operator==(const RevokedSerial&) const = default;
};

Bytes serialOf(const X509* cert);

// Sign a CRL for `ca` listing `revoked`; extensions cRLNumber and authorityKeyIdentifier (issuer +
// serial, non-critical).
ossl::Crl issueCrl(const Credential& ca, std::span<const RevokedSerial> revoked, std::uint64_t number,
                   TimePoint thisUpdate, const AlgorithmProfile& profile);

std::vector<RevokedSerial> revokedSerials(const X509_CRL* crl);
std::uint64_t crlNumber(const X509_CRL* crl);  // 0 if absent
bool isListed(const X509_CRL* crl, const X509* cert);

// Re-issue `current` (may be null: first CRL) with the same entries, optionally adding `cert`.
// Throws invalidCertificate if `cert` was not issued (signed) by `ca`.
ossl::Crl reissueCrl(const Credential& ca, const X509_CRL* current, const X509* cert,
                     const AlgorithmProfile& profile, const Clock& clock);

}  // namespace setpay::protocol::pki
