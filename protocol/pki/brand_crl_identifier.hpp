// BrandCRLIdentifier (BCI, SPEC-CHOICES.md "### Thumbs and BrandCRLIdentifier"): the Brand CA's signed list of the
// CRLs that are current for the CAs under its brand. A party that holds a BCI knows which CRL numbers it must have; a
// stale CRL (or one an attacker stripped from a SignedData, where CRLs are not signed) is detected. Layout [R] and
// use: SPEC-CHOICES.md "Thumbs and BrandCRLIdentifier".
//   BrandCRLIdentifier ::= SIGNED { UnsignedBrandCRLIdentifier }  -- { tbs, algorithm, signature BIT STRING }
//   UnsignedBrandCRLIdentifier ::= SEQUENCE { version INTEGER { bVer1(0) }, sequenceNum INTEGER (0..MAX),
//     brandID BrandID, notBefore GeneralizedTime, notAfter GeneralizedTime,
//     crlIdentifierSeq [0] EXPLICIT SEQUENCE OF CRLIdentifier OPTIONAL }
//   CRLIdentifier ::= SEQUENCE { issuerName Name, crlNumber INTEGER (0..MAX) }
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/clock.hpp"
#include "protocol/openssl.hpp"
#include "protocol/pki/issuer.hpp"
#include "protocol/pki/validator.hpp"
#include "protocol/profile.hpp"

namespace setpay::protocol::pki {

class TrustCache;

struct CrlIdentifier {
  Bytes issuerName;  // DER Name of the CRL issuer
  std::uint64_t crlNumber = 0;
  bool operator==(const CrlIdentifier&) const = default;
};
CrlIdentifier crlIdentifierOf(const X509_CRL* crl);

struct BrandCrlIdentifier {
  std::uint64_t sequenceNum = 0;
  std::string brandID;
  TimePoint notBefore, notAfter;
  std::vector<CrlIdentifier> crls;
  bool operator==(const BrandCrlIdentifier&) const = default;
};

// Signed by `brandCa` with the profile digest. notBefore/notAfter are taken as given (whole seconds).
Bytes issueBrandCrlIdentifier(const Credential& brandCa, const BrandCrlIdentifier&, const AlgorithmProfile&);
// A BCI listing `crls`, valid from `now` for kCrlValidity (the CRLs' own lifetime).
Bytes issueBrandCrlIdentifier(const Credential& brandCa, std::uint64_t sequenceNum, const std::string& brandID,
                              std::span<X509_CRL* const> crls, TimePoint now, const AlgorithmProfile&);

// Strict DER decode (≤ 16 KiB), no signature check. decodingFailure / messageTooBig.
BrandCrlIdentifier decodeBrandCrlIdentifier(ByteView der);
// Decoded and verified: signed by `brandCa` with the profile's digest (invalidCertificate otherwise).
BrandCrlIdentifier verifyBrandCrlIdentifier(const AlgorithmProfile&, ByteView der, const X509* brandCa);

// Cardholder step 6, "process the BCI", after the peer's chains validated: of `bcis` (ours and the one
// the peer sent), those of the chains' brand that are valid now and verify under the Brand CA of the
// validated path; the one with the highest sequenceNum decides. For every CA in the chains whose CRL
// it lists, a CRL of that issuer with at least that cRLNumber must be among `crls` (OpenSSL then uses
// the newest): missingCertificate otherwise. A BCI that does not verify: invalidCertificate. No BCI of
// the brand valid now: nothing to check (SET lets a party start without one). With `cache`, a BCI whose
// signature verified under the same Brand CA before is not verified again (issue 13).
void requireCurrentCrls(const AlgorithmProfile&, std::span<const Bytes> bcis,
                        std::span<const ValidatedChain* const> chains, std::span<X509_CRL* const> crls,
                        const Clock&, const TrustCache* cache = nullptr);

}  // namespace setpay::protocol::pki
